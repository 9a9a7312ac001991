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
    trace plugin loading and every hook call to stderr (pluggy's tracing).

A plugin that fails to import, implements an unknown hook, or whose hook function is not
marked with :data:`civilaffairs.hookspecs.hookimpl` is recorded as a
:class:`~civilaffairs.errors.PluginError` naming it (:attr:`PluginManager.load_errors`);
the other plugins still load. In strict mode the error is raised at once.
"""

from __future__ import annotations

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
from civilaffairs._version import __version__
from civilaffairs.errors import PluginError

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginManager",
    "PluginMeta",
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


class PluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` for the ``civilaffairs`` hooks that remembers where
    each plugin came from and which ones failed to load."""

    def __init__(self, *, strict: bool = False) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        #: Raise plugin errors instead of recording them.
        self.strict = strict
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
    ) -> bool:
        """Check and register *plugin* under *name*; record a
        :class:`~civilaffairs.errors.PluginError` and return ``False`` if it is invalid.
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
        self.meta[name] = meta
        return True

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
            except Exception as exc:
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
                plugin = ep.load()
            except Exception as exc:
                self.meta[ep.name] = PluginMeta(
                    ep.name, ep.value, version, dist_name, status="failed"
                )
                self.record_error(_chain(PluginError(ep.name, _import_message(ep.value, exc)), exc))
                continue
            self.add_plugin(
                plugin, ep.name, module=ep.value, version=version, distribution=dist_name
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
    return f"failed to import {target}: {type(exc).__name__}: {exc}"


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
) -> PluginManager:
    """Build a plugin manager.

    :param load_entrypoints: load the plugins of the ``civilaffairs`` entry-point group.
    :param block: plugin names (entry-point or distribution names) not to load.
    :param strict: raise the first plugin error instead of recording it.
    :param plugins: extra plugin objects (modules, classes or instances) to register, as
        a sequence (named after their module) or a mapping name -> plugin.
    :param builtins: register the built-in plugins (the national baseline).
    :param trace: write a trace of loading and hook calls to stderr.
    """
    pm = PluginManager(strict=strict)
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
    return {
        "load_entrypoints": not env_flag("CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD"),
        "block": tuple(n for n in re.split(r"[,\s]+", raw) if n),
        "strict": env_flag("CIVILAFFAIRS_STRICT_PLUGINS"),
        "trace": env_flag("CIVILAFFAIRS_TRACE_PLUGINS"),
    }


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
