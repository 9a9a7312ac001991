"""The plugin manager: finds, loads and checks plugins (插件管理).

:func:`get_plugin_manager` builds the global manager once, on first use, from the
environment; :func:`make_plugin_manager` builds one from explicit settings (tests use it).

Plugins are found through the ``civilaffairs`` entry-point group. The national baseline
(:mod:`civilaffairs.national`) is a built-in plugin whose hooks run ``trylast``.

Environment variables (read by :func:`get_plugin_manager`):

``CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD=1``
    do not load entry-point plugins (the built-in plugins still load);
``CIVILAFFAIRS_BLOCK_PLUGINS=beijing,civilaffairs-guizhou``
    do not load the named plugins (entry-point name or distribution name);
``CIVILAFFAIRS_STRICT_PLUGINS=1``
    raise on the first broken plugin instead of reporting it and going on;
``CIVILAFFAIRS_TRACE_PLUGINS=1``
    trace plugin loading and every hook call to stderr (pluggy's tracing);
``CIVILAFFAIRS_ALLOW_FOREIGN=beijing,guizhou`` (or ``*``)
    let the named plugins register standards and policies outside the provinces they
    declare, nationally included (see below);
``CIVILAFFAIRS_PLUGIN_TIMEOUT=30``
    seconds a plugin may take to import, and again for each of its registration hooks
    (default 30).

**Governed provinces.** A plugin declares the provinces it governs in its distribution's
metadata, as entry points of the group ``civilaffairs.provinces`` whose names are province
codes (the value names the plugin's package and is never loaded)::

    [project.entry-points."civilaffairs.provinces"]
    "110000" = "civilaffairs_beijing"

The host reads them with :mod:`importlib.metadata`, without importing the plugin, from the
distribution of its entry point (or, for a plugin module handed over in code, the
distribution that installed the module). A plugin handed over in code without a
distribution gets its provinces from the deployer:
``make_plugin_manager(plugins={"mine": module}, provinces={"mine": ["110000"]})``; without
them it is taken as the deployer's own code and may register in every province (never
nationally). An entry-point plugin that declares no provinces may register nothing
regional. A plugin may register standard values, policy overrides and service modules
only in the provinces it governs; others are refused with a
:class:`~civilaffairs.errors.PluginError` naming the plugin and the regions (the plugin
then contributes nothing), unless the deployer allows it (``allow_foreign``). Only the
built-in core registers national (``000000``) values.

**Isolation.** Any exception a plugin raises while it is imported or while its hooks run,
``SystemExit`` included (anything but ``KeyboardInterrupt``), is a plugin error. A plugin
is imported, and each of its registration hooks is called, in a worker thread that is
waited for at most the plugin time limit; a plugin that takes longer is reported as failed
and skipped (its thread cannot be stopped and finishes, or not, in the background; nothing
it registers is used).

A plugin that fails to import, implements an unknown hook, or whose hook function is not
marked with :data:`civilaffairs.hookspecs.hookimpl` is recorded as a
:class:`~civilaffairs.errors.PluginError` naming it (:attr:`PluginManager.load_errors`);
the other plugins still load. In strict mode the error is raised at once.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import inspect
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pluggy

from civilaffairs import hookspecs
from civilaffairs._timelimit import PLUGIN_TIMEOUT, call_with_limit
from civilaffairs._version import __version__
from civilaffairs.errors import PluginError

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PLUGIN_TIMEOUT",
    "PROVINCES_GROUP",
    "PluginManager",
    "PluginMeta",
    "call_with_limit",
    "declared_provinces",
    "env_flag",
    "get_plugin_manager",
    "make_plugin_manager",
    "plugin_metadata",
    "reset_plugin_manager",
    "settings_from_env",
]

#: The entry-point group plugins are published in.
ENTRY_POINT_GROUP = "civilaffairs"

#: Built-in plugins: (name, module). Registered before entry-point plugins.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (("national", "civilaffairs.national"),)

_TRUE = {"1", "true", "yes", "on"}


def env_flag(name: str) -> bool:
    """Whether environment variable *name* is set to a true value (1, true, yes, on)."""
    return os.environ.get(name, "").strip().lower() in _TRUE


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@attrs.frozen
class PluginMeta:
    """Where a plugin came from.

    :param status: ``"loaded"`` (registered with the manager), ``"failed"`` (could not be
        imported or registered) or ``"blocked"``.
    """

    name: str
    module: str
    version: str | None
    distribution: str | None
    builtin: bool = False
    status: str = "loaded"
    provinces: tuple[str, ...] | None = None


#: The entry-point group whose entry names are the provinces a plugin governs.
PROVINCES_GROUP = "civilaffairs.provinces"


_PROVINCE_RE = re.compile(r"^[1-9]\d0000$")


def declared_provinces(distribution: str | None) -> tuple[str, ...] | None:
    """The province codes distribution *distribution* declares (entry points of the group
    :data:`PROVINCES_GROUP`), sorted; ``None`` if it declares none or is not installed."""
    if not distribution:
        return None
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    codes = sorted({ep.name.strip() for ep in dist.entry_points if ep.group == PROVINCES_GROUP})
    return tuple(codes) if codes else None


def _check_provinces(name: str, codes: Iterable[str]) -> tuple[str, ...]:
    out = sorted({str(c).strip() for c in codes})
    bad = [c for c in out if not _PROVINCE_RE.match(c)]
    if bad:
        raise PluginError(
            name,
            f"declares {', '.join(repr(b) for b in bad)} as governed province(s); a province "
            "is a 6-digit code ending in 0000, e.g. '110000' (national 000000 is the core's)",
        )
    return tuple(out)


class PluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` for the ``civilaffairs`` hooks that remembers where
    each plugin came from and which ones failed to load."""

    def __init__(
        self,
        *,
        strict: bool = False,
        allow_foreign: Iterable[str] = (),
        provinces: Mapping[str, Iterable[str]] | None = None,
        timeout: float = PLUGIN_TIMEOUT,
    ) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        #: Raise plugin errors instead of recording them.
        self.strict = strict
        #: Plugins allowed to register outside their provinces (``"*"``: all).
        self.allow_foreign: frozenset[str] = frozenset(
            n.strip() for n in allow_foreign if n.strip()
        )
        #: Provinces given by the deployer, by plugin name (they win over metadata).
        self.provinces: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in (provinces or {}).items()
        }
        #: Seconds a plugin may take to import, and again for each registration hook.
        self.timeout = timeout
        #: Plugins handed over in code (not entry points) that declare no provinces
        #: and have no distribution: the deployer's own, allowed in every province.
        self.unscoped: set[str] = set()
        self._module_dists: Mapping[str, list[str]] | None = None
        #: Plugins that failed to import or register.
        self.load_errors: list[PluginError] = []
        #: Where each plugin came from, by name.
        self.meta: dict[str, PluginMeta] = {}

    def record_error(self, error: PluginError) -> None:
        """Record *error*, or raise it in strict mode."""
        if self.strict:
            raise error
        self.load_errors.append(error)

    def add_plugin(
        self,
        plugin: object,
        name: str,
        *,
        module: str | None = None,
        version: str | None = None,
        distribution: str | None = None,
        builtin: bool = False,
        provinces: Iterable[str] | None = None,
        entry_point: bool = False,
    ) -> bool:
        """Check and register *plugin* under *name*; record a
        :class:`~civilaffairs.errors.PluginError` and return ``False`` if it is invalid.

        :param provinces: the provinces it governs; default: those the deployer gave for
            *name*, else those its distribution declares (:data:`PROVINCES_GROUP`).
        :param entry_point: it was found through an entry point (then it must declare its
            provinces to register regional values). A plugin handed over in code with no
            distribution and no provinces is the deployer's own (``unscoped``).
        """
        meta = PluginMeta(
            name,
            module or _module_name(plugin),
            version,
            distribution,
            builtin,
        )
        if self.is_blocked(name):
            self.meta[name] = attrs.evolve(meta, status="blocked")
            return False
        try:
            if provinces is None and not builtin:
                provinces, has_dist = self._provinces_of(name, plugin, distribution)
                if provinces is None and not has_dist and not entry_point:
                    self.unscoped.add(name)
            if provinces is not None:
                meta = attrs.evolve(meta, provinces=_check_provinces(name, provinces))
            try:
                hash(plugin)
            except TypeError:
                raise PluginError(
                    name,
                    f"a plugin must be a module, class or instance, not a {type(plugin).__name__}",
                ) from None
            self._check(plugin, name)
            self.register(plugin, name=name)
            self._check_unknown_hooks(plugin, name)
        except PluginError as exc:
            self.meta[name] = attrs.evolve(meta, status="failed")
            self.record_error(exc)
            return False
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.meta[name] = attrs.evolve(meta, status="failed")
            self.record_error(_chain(PluginError(name, f"cannot be registered: {exc}"), exc))
            return False
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a hostile object's SystemExit is its own failure
            if self.get_plugin(name) is plugin:
                self.unregister(name=name)
            self.meta[name] = attrs.evolve(meta, status="failed")
            self.record_error(
                _chain(PluginError(name, f"cannot be registered: {_describe(exc)}"), exc)
            )
            return False
        self.meta[name] = meta
        return True

    def _provinces_of(
        self, name: str, plugin: object, distribution: str | None
    ) -> tuple[tuple[str, ...] | None, bool]:
        """The provinces of a plugin and whether it comes from a distribution."""
        if name in self.provinces:
            return self.provinces[name], True
        if distribution is None and inspect.ismodule(plugin):
            top = plugin.__name__.partition(".")[0]
            if self._module_dists is None:
                self._module_dists = importlib.metadata.packages_distributions()
            dists = self._module_dists.get(top, [])
            distribution = dists[0] if len(dists) == 1 else None
        return declared_provinces(distribution), distribution is not None

    def _check(self, plugin: object, name: str) -> None:
        for attr in dir(plugin):
            if not attr.startswith("civilaffairs_"):
                continue
            func = getattr(plugin, attr, None)
            if not inspect.isroutine(func):
                continue
            opts = self.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                raise PluginError(
                    name,
                    f"function {attr} is not marked as a hook implementation: decorate it "
                    "with @civilaffairs.hookimpl",
                )
            spec_caller = getattr(self.hook, attr, None)
            spec = getattr(spec_caller, "spec", None)
            if spec is None:
                continue
            wanted = set(spec.argnames)
            given = [p for p in inspect.signature(func).parameters if p != "self"]
            extra = [p for p in given if p not in wanted]
            if extra:
                raise PluginError(
                    name,
                    f"{attr} takes ({', '.join(spec.argnames)}) but the plugin's function asks "
                    f"for {', '.join(repr(e) for e in extra)}",
                )

    def _check_unknown_hooks(self, plugin: object, name: str) -> None:
        for caller in self.get_hookcallers(plugin) or []:
            if caller.has_spec():
                continue
            impls = [i for i in caller.get_hookimpls() if i.plugin is plugin]
            if any(not i.optionalhook for i in impls):
                self.unregister(plugin)
                from civilaffairs.registry import suggest

                known = [n for n in dir(hookspecs) if n.startswith("civilaffairs_")]
                raise PluginError(
                    name, f"unknown hook {caller.name!r}{suggest(caller.name, known)}"
                )

    def load_builtins(self, builtins: Iterable[tuple[str, str]] = BUILTIN_PLUGINS) -> None:
        """Import and register the built-in plugins."""
        for name, module_name in builtins:
            if self.is_blocked(name):
                self.meta[name] = PluginMeta(
                    name, module_name, __version__, "civilaffairs", True, "blocked"
                )
                continue
            try:
                module = importlib.import_module(module_name)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                self.meta[name] = PluginMeta(
                    name, module_name, __version__, "civilaffairs", True, "failed"
                )
                self.record_error(_chain(PluginError(name, _import_message(module_name, exc)), exc))
                continue
            self.add_plugin(
                module,
                name,
                module=module_name,
                version=__version__,
                distribution="civilaffairs",
                builtin=True,
            )

    def load_entrypoints(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Import and register every plugin of the entry-point *group*, sorted by name.

        A plugin is skipped if blocked by its entry-point name or its distribution name.
        """
        eps = sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name)
        seen: set[str] = set()
        for ep in eps:
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else None
            version = dist.version if dist is not None else None
            if ep.name in seen:
                continue
            seen.add(ep.name)
            blocked = self.is_blocked(ep.name) or (
                dist_name is not None and self.is_blocked(_normalise(dist_name))
            )
            if blocked:
                self.meta[ep.name] = PluginMeta(
                    ep.name, ep.value, version, dist_name, status="blocked"
                )
                continue
            self.trace(f"loading plugin {ep.name} from {ep.value}")
            try:
                plugin = call_with_limit(ep.load, self.timeout, "importing")
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                self.meta[ep.name] = PluginMeta(
                    ep.name, ep.value, version, dist_name, status="failed"
                )
                message = (
                    f"{ep.value} {exc}; it is skipped (raise the limit with "
                    "CIVILAFFAIRS_PLUGIN_TIMEOUT)"
                    if isinstance(exc, TimeoutError)
                    else _import_message(ep.value, exc)
                )
                self.record_error(_chain(PluginError(ep.name, message), exc))
                continue
            self.add_plugin(
                plugin,
                ep.name,
                module=ep.value,
                version=version,
                distribution=dist_name,
                provinces=self.provinces.get(ep.name, declared_provinces(dist_name)),
                entry_point=True,
            )

    def block(self, names: Iterable[str]) -> None:
        """Block plugins by entry-point name or distribution name."""
        for name in names:
            name = name.strip()
            if name:
                self.set_blocked(name)
                if _normalise(name) != name:
                    self.set_blocked(_normalise(name))


def _module_name(plugin: object) -> str:
    name = getattr(plugin, "__name__", None)
    if isinstance(name, str) and inspect.ismodule(plugin):
        return name
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def _import_message(target: str, exc: BaseException) -> str:
    return f"failed to import {target}: {_describe(exc)}"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _chain(error: PluginError, cause: BaseException) -> PluginError:
    error.__cause__ = cause
    return error


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    block: Iterable[str] = (),
    strict: bool = False,
    plugins: Iterable[object] | Mapping[str, object] = (),
    builtins: bool = True,
    trace: bool = False,
    allow_foreign: Iterable[str] = (),
    provinces: Mapping[str, Iterable[str]] | None = None,
    timeout: float = PLUGIN_TIMEOUT,
) -> PluginManager:
    """Build a plugin manager.

    :param load_entrypoints: load the plugins of the ``civilaffairs`` entry-point group.
    :param block: plugin names (entry-point or distribution names) not to load.
    :param strict: raise the first plugin error instead of recording it.
    :param plugins: extra plugin objects (modules, classes or instances) to register, as
        a sequence (named after their module) or a mapping name -> plugin.
    :param builtins: register the built-in plugins (the national baseline).
    :param trace: write a trace of loading and hook calls to stderr.
    :param allow_foreign: names of plugins allowed to register standards and policies
        outside the provinces they govern, nationally included (``"*"``: every plugin).
    :param provinces: the provinces each named plugin governs, for plugins handed over in
        code without a distribution (wins over what a distribution declares).
    :param timeout: seconds an entry-point plugin may take to import, and any plugin to
        run each registration hook.
    """
    pm = PluginManager(
        strict=strict,
        allow_foreign=allow_foreign,
        provinces=provinces,
        timeout=timeout,
    )
    if trace:
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    pm.block(block)
    if builtins:
        pm.load_builtins()
    if load_entrypoints:
        pm.load_entrypoints()
    items = plugins.items() if isinstance(plugins, Mapping) else ((None, p) for p in plugins)
    for name, plugin in items:
        pm.add_plugin(plugin, name or _default_name(plugin))
    return pm


def _default_name(plugin: object) -> str:
    name = getattr(plugin, "__name__", None)
    if isinstance(name, str):
        return name
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def settings_from_env() -> dict[str, Any]:
    """The :func:`make_plugin_manager` arguments the environment variables ask for."""
    raw = os.environ.get("CIVILAFFAIRS_BLOCK_PLUGINS", "")
    foreign = os.environ.get("CIVILAFFAIRS_ALLOW_FOREIGN", "")
    settings: dict[str, Any] = {
        "load_entrypoints": not env_flag("CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD"),
        "block": tuple(n for n in re.split(r"[,\s]+", raw) if n),
        "strict": env_flag("CIVILAFFAIRS_STRICT_PLUGINS"),
        "trace": env_flag("CIVILAFFAIRS_TRACE_PLUGINS"),
    }
    allowed = tuple(n for n in re.split(r"[,\s]+", foreign) if n)
    if allowed:
        settings["allow_foreign"] = allowed
    timeout = os.environ.get("CIVILAFFAIRS_PLUGIN_TIMEOUT", "").strip()
    if timeout:
        with contextlib.suppress(ValueError):
            settings["timeout"] = max(float(timeout), 0.001)
    return settings


_lock = threading.Lock()
_pm: PluginManager | None = None


def get_plugin_manager(*, reload: bool = False) -> PluginManager:
    """The global plugin manager, built once on first use from the environment."""
    global _pm
    with _lock:
        if _pm is None or reload:
            _pm = make_plugin_manager(**settings_from_env())
        return _pm


def reset_plugin_manager() -> None:
    """Forget the global plugin manager."""
    global _pm
    with _lock:
        _pm = None


def plugin_metadata(pm: pluggy.PluginManager) -> Mapping[str, PluginMeta]:
    """Where each plugin of *pm* came from (empty for a plain pluggy manager)."""
    meta = getattr(pm, "meta", None)
    return dict(meta) if isinstance(meta, dict) else {}
