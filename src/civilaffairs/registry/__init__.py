"""The registry: everything the plugins registered, as one frozen snapshot (登记表).

:func:`get_registry` builds it once, lazily, from the global plugin manager
(:func:`civilaffairs.plugin_manager.get_plugin_manager`); :func:`build_registry` builds one
from any plugin manager, for isolated tests.

Building calls each registration hook once per plugin with a registrar bound to that
plugin, in this order: service modules (with their programmes and keys), standards (with
``[[key]]`` tables and ``register.declare``), policies, audit checks. Then it checks what
the plugins registered against each other, keys first: a key declared by two plugins with
different meanings; a standard value for an undeclared key; two plugins with the same
standard slot, module id, programme id or audit check id; a programme reading a key nobody
declares, or ``eligible(...)`` of a programme nobody registers, or programmes depending on
each other in a cycle; a policy override for an unknown programme or point, or with a value
the point refuses. Every problem becomes a
:class:`~civilaffairs.errors.PluginError` naming the plugin, listed in
``Registry.errors``; a plugin with any error contributes **nothing** (it is never half
loaded), and the others load. With ``strict=True`` the first error is raised instead.
"""

from __future__ import annotations

import threading

from civilaffairs.registry._build import build_registry
from civilaffairs.registry._collect import REGISTRATION_HOOKS as REGISTRATION_HOOKS
from civilaffairs.registry._registrars import AuditRegistrar, MatcherRegistrar, ModuleRegistrar
from civilaffairs.registry._snapshot import COUNTS as COUNTS
from civilaffairs.registry._snapshot import PluginRecord, Registry
from civilaffairs.registry._suggest import suggest as suggest

__all__ = [
    "AuditRegistrar",
    "MatcherRegistrar",
    "ModuleRegistrar",
    "PluginRecord",
    "Registry",
    "build_registry",
    "get_registry",
]


# -- the global registry ---------------------------------------------------------------
# It is this package's own state, not a private module's: ``civilaffairs.registry._registry``
# is the one place that holds it (tests swap a registry in there).

_lock = threading.Lock()
_registry: Registry | None = None


def get_registry(*, strict: bool = False, reload: bool = False) -> Registry:
    """The registry of all installed plugins, built once on first use.

    :param strict: raise the first plugin error instead of carrying on without the broken
        plugin (also turned on by ``CIVILAFFAIRS_STRICT_PLUGINS=1``).
    :param reload: rebuild the plugin manager and the registry (re-reads entry points and
        the environment variables).
    """
    global _registry
    from civilaffairs.plugin_manager import env_flag, get_plugin_manager

    with _lock:
        if _registry is None or reload:
            pm = get_plugin_manager(reload=reload)
            _registry = build_registry(pm, strict=False)
        registry = _registry
    if registry.errors and (strict or env_flag("CIVILAFFAIRS_STRICT_PLUGINS")):
        registry.raise_errors()
    return registry


def reset_registry() -> None:
    """Forget the global registry and plugin manager; the next use rebuilds them."""
    global _registry
    from civilaffairs.plugin_manager import reset_plugin_manager

    with _lock:
        _registry = None
        reset_plugin_manager()
