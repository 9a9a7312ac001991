"""The registrars of service modules and audit checks, one bound to each plugin (登记器).

A registration hook gets one as ``register``: :class:`ModuleRegistrar` in
``civilaffairs_register_modules``, :class:`AuditRegistrar` in
``civilaffairs_register_audit_checks``. (Standards and policies have theirs in
:mod:`civilaffairs.standards.registrar` and :mod:`civilaffairs.policies`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civilaffairs.errors import PluginError

if TYPE_CHECKING:
    from civilaffairs.programs.module import ServiceModule

__all__ = ["AuditRegistrar", "MatcherRegistrar", "ModuleRegistrar"]

_SEALED = (
    "register.plugin is set by the host and cannot be changed: a plugin registers only "
    "under its own name"
)


class ModuleRegistrar:
    """Registers service modules (服务模块) for one plugin.

    ``add(module)`` takes a :class:`~civilaffairs.programs.module.ServiceModule`: its
    programmes, the standard keys it declares, its audit checks, titles and scope. Only the
    core (the built-in national baseline) may register a module for the whole country (an
    empty scope); a plugin's module names the regions it serves.

    :param plugin: the plugin's name.
    :param core: whether the plugin is the core (may register national modules).
    """

    def __init__(self, plugin: str, *, core: bool = False) -> None:
        self._plugin = plugin
        #: Whether national (empty-scope) modules are accepted.
        self.core = core
        #: Registered modules by id.
        self.modules: dict[str, ServiceModule] = {}

    @property
    def plugin(self) -> str:
        """Name of the plugin (read-only: set by the host from the plugin manager)."""
        return self._plugin

    @plugin.setter
    def plugin(self, _: object) -> None:
        raise PluginError(self._plugin, _SEALED)

    def add(self, module: ServiceModule) -> ServiceModule:
        """Register *module* and return it.

        :raises PluginError: if it is not a
            :class:`~civilaffairs.programs.module.ServiceModule`, has an empty (national)
            scope and the plugin is not the core, or this plugin registered its id already.
        """
        from civilaffairs.programs.module import ServiceModule

        given: object = module  # plugins are not type-checked: anything may come in
        if not isinstance(given, ServiceModule):
            what = type(given).__qualname__
            ident = getattr(given, "id", None)
            named = f" (id {ident!r})" if isinstance(ident, str) else ""
            hint = ""
            if hasattr(given, "policy_points"):
                hint = (
                    "; it looks like a programme: put civilaffairs Programs in a module, "
                    "ServiceModule('anhui.meals', zh=..., en=..., scope=('340000',), "
                    "programs=(...))"
                )
            raise PluginError(
                self.plugin,
                "register.add takes a service module (civilaffairs.programs.module."
                f"ServiceModule); got an object of type {what!r}{named}{hint}",
            )
        national = not module.scope or "000000" in module.scope
        if national and not self.core:
            raise PluginError(
                self.plugin,
                f"service module {module.id!r} has a national scope "
                f"({'empty' if not module.scope else '000000'}); only the core registers "
                "national modules: give the regions it serves, e.g. scope=('340000',)",
            )
        if module.id in self.modules:
            raise PluginError(self.plugin, f"service module {module.id!r} is registered twice")
        self.modules[module.id] = module
        return module

    def __repr__(self) -> str:
        return f"<ModuleRegistrar for plugin {self.plugin!r}>"


class _CallableRegistrar:
    """Registers callable objects with an ``id: str`` for one plugin (the audit checks and
    the external-data matchers)."""

    #: What one registered object is called in messages (``"audit check"``).
    _what = ""

    def __init__(self, plugin: str) -> None:
        self._plugin = plugin
        self._registered: dict[str, object] = {}

    @property
    def plugin(self) -> str:
        """Name of the plugin (read-only: set by the host from the plugin manager)."""
        return self._plugin

    @plugin.setter
    def plugin(self, _: object) -> None:
        raise PluginError(self._plugin, _SEALED)

    def add(self, item: object) -> object:
        """Register *item* and return it.

        :raises PluginError: if it has no valid ``id``, is not callable, or this plugin
            registered the id already.
        """
        ident = getattr(item, "id", None)
        if not isinstance(ident, str) or not ident.strip():
            raise PluginError(self.plugin, f"{self._what} {item!r} has no valid 'id' (text)")
        if not callable(item):
            raise PluginError(self.plugin, f"{self._what} {ident!r} is not callable")
        if ident in self._registered:
            raise PluginError(self.plugin, f"{self._what} {ident!r} is registered twice")
        self._registered[ident] = item
        return item

    def __repr__(self) -> str:
        return f"<{type(self).__name__} for plugin {self.plugin!r}>"


class AuditRegistrar(_CallableRegistrar):
    """Registers integrity audit checks (审计规则) for one plugin.

    ``add(check)`` takes any callable object with ``id: str``.
    """

    _what = "audit check"

    @property
    def checks(self) -> dict[str, object]:
        """Registered checks by id."""
        return self._registered


class MatcherRegistrar(_CallableRegistrar):
    """Registers external-data matchers (外部数据比对) for one plugin.

    ``add(matcher)`` takes any callable object with ``id: str``: called with the caseload
    (a :class:`pyarrow.Table` of :data:`civilaffairs.audit.CASELOAD_SCHEMA`), it returns the
    matches it found (:data:`civilaffairs.audit.MATCHES_SCHEMA`: ``person_key``, ``kind``,
    ``detail``), e.g. from the province's vehicle or business register.
    """

    _what = "audit matcher"

    @property
    def matchers(self) -> dict[str, object]:
        """Registered matchers by id."""
        return self._registered
