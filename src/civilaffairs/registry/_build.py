"""Building a :class:`~civilaffairs.registry.Registry` from a plugin manager."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from civilaffairs.errors import PluginError
from civilaffairs.registry._assembly import _assemble
from civilaffairs.registry._collect import _call_hooks, _Contribution
from civilaffairs.registry._snapshot import COUNTS, PluginRecord, Registry

if TYPE_CHECKING:
    import pluggy

__all__ = ["build_registry"]


def _report_policies(contrib: _Contribution, programs: Mapping[str, Any]) -> None:
    from civilaffairs.policies import validate_override
    from civilaffairs.registry._collect import _describe_exception

    for o in contrib.policies.table.overrides():
        try:
            validate_override(o.copy_for(contrib.name), programs)
        except Exception as exc:
            contrib.fail(_describe_exception(exc), exc)


def build_registry(pm: pluggy.PluginManager, *, strict: bool | None = None) -> Registry:
    """Build a :class:`Registry` from the plugins registered with *pm*.

    :param pm: a plugin manager, usually from
        :func:`~civilaffairs.plugin_manager.make_plugin_manager`.
    :param strict: raise the first :class:`~civilaffairs.errors.PluginError` instead of
        recording it; default: the plugin manager's own ``strict`` setting.
    """
    from civilaffairs.plugin_manager import plugin_metadata

    if strict is None:
        strict = bool(getattr(pm, "strict", False))
    load_errors: list[PluginError] = list(getattr(pm, "load_errors", ()))
    names = [name for name, plugin in pm.list_name_plugin() if plugin is not None]
    meta = plugin_metadata(pm)
    allowed: frozenset[str] = getattr(pm, "allow_foreign", frozenset())
    unscoped: set[str] = getattr(pm, "unscoped", set())
    contribs = {
        name: _Contribution.new(
            name,
            core=name in meta and meta[name].builtin,
            provinces=meta[name].provinces if name in meta else None,
            allow_foreign="*" in allowed or name in allowed,
            unscoped=name in unscoped or name not in meta,
        )
        for name in names
    }
    _call_hooks(pm, contribs)
    ordered = [contribs[n] for n in names]
    ok = [c for c in ordered if not c.errors]
    hook_failed = [c for c in ordered if c.errors and not c.stopped]
    while True:
        assembled, failures = _assemble(ok)
        if not failures:
            break
        for c in ok:
            for message, cause in failures.get(c.name, ()):
                c.fail(message, cause)
        ok = [c for c in ok if not c.errors]

    # Plugins that failed while registering: their policy values are still checked against
    # the programmes, so that every problem of a data file is reported in one pass.
    for c in hook_failed:
        _report_policies(c, assembled.programs)
    errors = load_errors + [e for c in ordered for e in c.errors]
    if strict and errors:
        raise errors[0]
    warnings = (*assembled.standards.conflicts, *assembled.policies.conflicts)
    if strict and warnings:
        raise warnings[0]

    assembled.standards.freeze()
    assembled.policies.freeze()
    records: list[PluginRecord] = []
    ok_names = {c.name for c in ok}
    for name in names:
        c = contribs[name]
        info = meta.get(name)
        counts = dict.fromkeys(COUNTS, 0)
        if name in ok_names:
            counts = {
                "modules": len(c.modules.modules),
                "keys": len({k.key for k in c.declared_keys()}),
                "standards": sum(1 for v in assembled.standards.values() if v.plugin == name),
                "policies": len(c.policies.table),
                "programs": sum(len(m.programs) for m in c.modules.modules.values()),
                "audit_checks": len(c.audits.checks)
                + sum(len(m.checks) for m in c.modules.modules.values()),
            }
        records.append(
            PluginRecord(
                name=name,
                version=info.version if info else None,
                module=info.module if info else _module_of(pm.get_plugin(name)),
                distribution=info.distribution if info else None,
                builtin=info.builtin if info else False,
                status="loaded" if name in ok_names else "failed",
                counts=types.MappingProxyType(counts),
                hooks=tuple(c.hooks),
                provinces=info.provinces if info else None,
            )
        )
    registered = set(names)
    for name, info in meta.items():
        if name not in registered:
            records.append(
                PluginRecord(
                    name=name,
                    version=info.version,
                    module=info.module,
                    distribution=info.distribution,
                    builtin=info.builtin,
                    status=info.status,
                    provinces=info.provinces,
                )
            )
    return Registry(
        standards=assembled.standards,
        policies=assembled.policies,
        programs=types.MappingProxyType(assembled.programs),
        audit_checks=types.MappingProxyType(assembled.audits),
        plugins=tuple(records),
        errors=tuple(errors),
        program_plugins=types.MappingProxyType(assembled.program_plugins),
        audit_check_plugins=types.MappingProxyType(assembled.audit_plugins),
        keys=types.MappingProxyType(assembled.keys),
        key_plugins=types.MappingProxyType(assembled.key_plugins),
        modules=types.MappingProxyType(assembled.modules),
        module_plugins=types.MappingProxyType(assembled.module_plugins),
        program_module=types.MappingProxyType(assembled.program_module),
        warnings=warnings,
        audit_matchers=types.MappingProxyType(assembled.matchers),
        audit_matcher_plugins=types.MappingProxyType(assembled.matcher_plugins),
    )


def _module_of(plugin: object) -> str:
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"
