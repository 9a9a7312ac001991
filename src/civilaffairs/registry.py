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

import difflib
import threading
import types
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from civilaffairs.errors import (
    CivilAffairsError,
    PluginError,
    PolicyError,
    StandardConflict,
    UnknownProgram,
)
from civilaffairs.policies import (
    PolicyOverride,
    PolicyRegistrar,
    PolicyTable,
    ResolvedPolicy,
    policy_conflict_error,
    validate_override,
)
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec, key_differences
from civilaffairs.standards.registrar import StandardsRegistrar
from civilaffairs.standards.table import StandardsTable, conflict_error
from civilaffairs.standards.values import ResidenceScope, StandardValue

if TYPE_CHECKING:
    import datetime as _dt

    import pluggy

    from civilaffairs.periods import Month
    from civilaffairs.programs.base import Program
    from civilaffairs.programs.module import ServiceModule

__all__ = [
    "AuditRegistrar",
    "ModuleRegistrar",
    "PluginRecord",
    "Registry",
    "build_registry",
    "get_registry",
]

#: Registration hooks in the order they are called.
REGISTRATION_HOOKS = (
    "civilaffairs_register_modules",
    "civilaffairs_register_standards",
    "civilaffairs_register_policies",
    "civilaffairs_register_audit_checks",
)


def _other_plugin(existing: str, new: str) -> str:
    if existing == new:
        return "the same plugin registered it twice"
    return f"already registered by plugin {existing!r}"


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
        #: Name of the plugin the modules are registered for.
        self.plugin = plugin
        #: Whether national (empty-scope) modules are accepted.
        self.core = core
        #: Registered modules by id.
        self.modules: dict[str, ServiceModule] = {}

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


class AuditRegistrar:
    """Registers integrity audit checks (审计规则) for one plugin.

    ``add(check)`` takes any callable object with ``id: str``.
    """

    def __init__(self, plugin: str) -> None:
        #: Name of the plugin the checks are registered for.
        self.plugin = plugin
        #: Registered checks by id.
        self.checks: dict[str, object] = {}

    def add(self, check: object) -> object:
        """Register *check* and return it.

        :raises PluginError: if it has no valid ``id``, is not callable, or this plugin
            registered the id already.
        """
        cid = getattr(check, "id", None)
        if not isinstance(cid, str) or not cid.strip():
            raise PluginError(self.plugin, f"audit check {check!r} has no valid 'id' (text)")
        if not callable(check):
            raise PluginError(self.plugin, f"audit check {cid!r} is not callable")
        if cid in self.checks:
            raise PluginError(self.plugin, f"audit check {cid!r} is registered twice")
        self.checks[cid] = check
        return check

    def __repr__(self) -> str:
        return f"<AuditRegistrar for plugin {self.plugin!r}>"


#: What :attr:`PluginRecord.counts` counts, in order.
COUNTS = ("modules", "keys", "standards", "policies", "programs", "audit_checks")


@attrs.frozen
class PluginRecord:
    """What one plugin is and what it registered (插件信息).

    :param name: plugin name (the entry-point name; ``"national"`` for the baseline).
    :param version: version of the distribution that provides it, if known.
    :param module: the module (or ``module:object``) the plugin was loaded from.
    :param distribution: name of the installed distribution, if any.
    :param builtin: part of civilaffairs itself.
    :param status: ``"loaded"``, ``"failed"`` or ``"blocked"``.
    :param counts: how many modules, keys (declared), standards, policies, programs and
        audit_checks it registered.
    :param hooks: the hooks it implements.
    """

    name: str
    version: str | None
    module: str
    distribution: str | None = None
    builtin: bool = False
    status: str = "loaded"
    counts: Mapping[str, int] = attrs.field(
        factory=lambda: types.MappingProxyType(dict.fromkeys(COUNTS, 0))
    )
    hooks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "name": self.name,
            "version": self.version,
            "module": self.module,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "status": self.status,
            "counts": dict(self.counts),
            "hooks": list(self.hooks),
        }


@attrs.frozen
class Registry:
    """A frozen snapshot of everything the plugins registered (登记表).

    :param standards: the :class:`~civilaffairs.standards.table.StandardsTable` (read-only).
    :param policies: the :class:`~civilaffairs.policies.PolicyTable` (read-only), values
        already parsed by the programmes' policy points.
    :param programs: programmes (:class:`~civilaffairs.programs.base.Program`) by id, in
        registration order.
    :param audit_checks: audit checks by id (the audit-check hook's and the modules').
    :param plugins: one :class:`PluginRecord` per plugin, loaded, failed or blocked.
    :param errors: every :class:`~civilaffairs.errors.PluginError`.
    :param program_plugins: which plugin registered each programme.
    :param audit_check_plugins: which plugin registered each audit check.
    :param keys: the catalogue of standard keys: the built-in ones
        (:data:`~civilaffairs.standards.catalogue.CATALOGUE`), then those plugins declared.
    :param key_plugins: which plugin declared each key that is not built in.
    :param modules: service modules by id.
    :param module_plugins: which plugin registered each module.
    :param program_module: the module of each programme, by programme id.
    """

    standards: StandardsTable
    policies: PolicyTable
    programs: Mapping[str, object]
    audit_checks: Mapping[str, object]
    plugins: tuple[PluginRecord, ...]
    errors: tuple[PluginError, ...]
    program_plugins: Mapping[str, str] = attrs.field(factory=dict)
    audit_check_plugins: Mapping[str, str] = attrs.field(factory=dict)
    keys: Mapping[str, KeySpec] = attrs.field(factory=lambda: CATALOGUE)
    key_plugins: Mapping[str, str] = attrs.field(factory=dict)
    modules: Mapping[str, ServiceModule] = attrs.field(factory=dict)
    module_plugins: Mapping[str, str] = attrs.field(factory=dict)
    program_module: Mapping[str, str] = attrs.field(factory=dict)

    def programs_for(self, region: str) -> tuple[str, ...]:
        """The ids of the programmes whose module serves county *region*, in registration
        order (a Hefei module's programmes for ``"340102"``, not for ``"110105"``).

        :raises UnknownRegion: for an unknown region code.
        """
        from civilaffairs import regions
        from civilaffairs.programs.module import in_scope

        code = regions.get(region).code
        return tuple(pid for pid in self.programs if in_scope(code, self.program_scope(pid)))

    def program_scope(self, program: str) -> tuple[str, ...]:
        """The scope of *program*'s module: GB/T 2260 codes, empty for the whole country.

        :raises UnknownProgram: if no plugin registered *program*.
        """
        if program not in self.programs:
            raise UnknownProgram(f"unknown programme {program!r} (未知救助项目)")
        module = self.modules.get(self.program_module.get(program, ""))
        return module.scope if module is not None else ()

    def key(self, key: str) -> KeySpec:
        """The :class:`~civilaffairs.standards.catalogue.KeySpec` of *key*, built in or
        declared.

        :raises UnknownStandardKey: for an unknown key, suggesting the closest.
        """
        from civilaffairs.standards.catalogue import get_key

        return get_key(key, self.keys)

    def plugin(self, name: str) -> PluginRecord:
        """The record of plugin *name*.

        :raises PluginError: if there is none.
        """
        for record in self.plugins:
            if record.name == name:
                return record
        raise PluginError(name, "no such plugin in this registry")

    def resolve(
        self,
        key: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> StandardValue:
        """Shortcut for :meth:`civilaffairs.standards.table.StandardsTable.resolve`."""
        return self.standards.resolve(key, region, on, residence)

    def policy(
        self,
        program: str,
        point: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> ResolvedPolicy:
        """The value of a programme's policy point for a region and date, falling back to
        the point's default.

        :raises UnknownProgram: if no plugin registered *program*.
        :raises PolicyError: if the programme has no point *point*.
        """
        prog = self.programs.get(program)
        if prog is None:
            raise UnknownProgram(f"unknown programme {program!r} (未知救助项目)")
        points: Mapping[str, Any] = getattr(prog, "policy_points", {})
        spec = points.get(point)
        if spec is None:
            raise PolicyError(f"programme {program!r} has no policy point {point!r}")
        return self.policies.resolve(program, point, region, on, residence, spec.default)

    def raise_errors(self) -> None:
        """Raise the first plugin error, if any (what ``strict`` does)."""
        if self.errors:
            raise self.errors[0]


# -- building ----------------------------------------------------------------------


@attrs.define
class _Contribution:
    """What one plugin registered, staged until it is checked against the others."""

    name: str
    standards: StandardsRegistrar
    policies: PolicyRegistrar
    modules: ModuleRegistrar
    audits: AuditRegistrar
    hooks: list[str] = attrs.field(factory=list)
    errors: list[PluginError] = attrs.field(factory=list)

    @classmethod
    def new(cls, name: str, *, core: bool = False) -> _Contribution:
        return cls(
            name,
            StandardsRegistrar(name),
            PolicyRegistrar(name),
            ModuleRegistrar(name, core=core),
            AuditRegistrar(name),
        )

    def module_keys(self) -> list[KeySpec]:
        """The keys its modules declare, in order."""
        return [k for m in self.modules.modules.values() for k in m.keys]

    def declared_keys(self) -> list[KeySpec]:
        """Every key it declares: its modules' keys, then its data files' and
        ``register.declare``'s."""
        return [*self.module_keys(), *self.standards.declared.values()]

    def registrar(self, hook: str) -> object:
        return {
            "civilaffairs_register_modules": self.modules,
            "civilaffairs_register_standards": self.standards,
            "civilaffairs_register_policies": self.policies,
            "civilaffairs_register_audit_checks": self.audits,
        }[hook]

    def fail(self, message: str, cause: BaseException | None = None) -> None:
        error = PluginError(self.name, message)
        error.__cause__ = cause
        self.errors.append(error)


def _describe_exception(exc: BaseException) -> str:
    if isinstance(exc, PluginError):
        return exc.message
    if isinstance(exc, CivilAffairsError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _call_hooks(pm: pluggy.PluginManager, contribs: Mapping[str, _Contribution]) -> None:
    plugins = dict(pm.list_name_plugin())
    for hook in REGISTRATION_HOOKS:
        if hook == "civilaffairs_register_standards":
            # Every plugin's values may use the keys every module declared (a clash between
            # two declarations is reported when the contributions are assembled).
            module_keys: dict[str, KeySpec] = {}
            for c in contribs.values():
                if not c.errors:
                    for spec in c.module_keys():
                        module_keys.setdefault(spec.key, spec)
            for c in contribs.values():
                c.standards = StandardsRegistrar(c.name, keys=module_keys)
        caller = getattr(pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            contrib = contribs.get(impl.plugin_name)
            if contrib is None or contrib.errors:
                continue
            contrib.hooks.append(hook)
            others = [p for n, p in plugins.items() if n != impl.plugin_name]
            try:
                results = pm.subset_hook_caller(hook, remove_plugins=others)(
                    register=contrib.registrar(hook)
                )
            except Exception as exc:
                contrib.fail(f"{hook}: {_describe_exception(exc)}", exc)
                continue
            if any(r is not None for r in results):
                contrib.fail(
                    f"{hook} returned a value; registration hooks return nothing and call "
                    "register.add(...) or register.load(...) instead"
                )
    for contrib in contribs.values():
        if not contrib.errors:
            _check_files(contrib)


def _check_files(contrib: _Contribution) -> None:
    std_files = contrib.standards.loaded_files
    pol_files = contrib.policies.loaded_files
    for ident, (name, _, n_policies) in std_files.items():
        if n_policies and ident not in pol_files:
            contrib.fail(
                f"{name} has {n_policies} [[policy]] table(s) but the plugin does not load it "
                "in civilaffairs_register_policies (call register.load on it there too)"
            )
    for ident, (name, n_standards, _) in pol_files.items():
        if n_standards and ident not in std_files:
            contrib.fail(
                f"{name} has {n_standards} [[standard]] table(s) but the plugin does not load "
                "it in civilaffairs_register_standards (call register.load on it there too)"
            )


@attrs.define
class _Assembled:
    standards: StandardsTable
    policies: PolicyTable
    programs: dict[str, Program]
    program_plugins: dict[str, str]
    audits: dict[str, object]
    audit_plugins: dict[str, str]
    keys: dict[str, KeySpec]
    key_plugins: dict[str, str]
    modules: dict[str, ServiceModule]
    module_plugins: dict[str, str]
    program_module: dict[str, str]


_Failures = dict[str, list[tuple[str, Any]]]
_T = TypeVar("_T")


def _assemble(ok: list[_Contribution]) -> tuple[_Assembled, _Failures]:
    """Merge the contributions; return the result and the failures found, by plugin."""
    from civilaffairs.programs.module import check_program_keys, program_graph_problems

    failures: _Failures = {}

    def fail(c: _Contribution | str, message: str, cause: BaseException | None = None) -> None:
        name = c if isinstance(c, str) else c.name
        found = failures.setdefault(name, [])
        if all(m != message for m, _ in found):
            found.append((message, cause))

    def merge(
        items: Callable[[_Contribution], Iterable[tuple[str, _T]]], noun: str
    ) -> tuple[dict[str, _T], dict[str, str]]:
        """Items by id across plugins; a second plugin claiming an id fails, naming both."""
        merged: dict[str, _T] = {}
        owners: dict[str, str] = {}
        for c in ok:
            for ident, item in items(c):
                if ident in merged:
                    fail(c, f"{noun} {ident!r} is {_other_plugin(owners[ident], c.name)}")
                    continue
                merged[ident] = item
                owners[ident] = c.name
        return merged, owners

    # Service modules and their programmes.
    modules, module_plugins = merge(lambda c: c.modules.modules.items(), "service module")
    programs, program_plugins = merge(
        lambda c: (
            (p.id, p)
            for m in c.modules.modules.values()
            if module_plugins.get(m.id) == c.name
            for p in m.programs
        ),
        "programme",
    )
    program_module = {
        p.id: m.id
        for m in modules.values()
        for p in m.programs
        if program_plugins.get(p.id) == module_plugins[m.id]
    }

    # The catalogue of keys: built-in, then every plugin's declarations.
    keys: dict[str, KeySpec] = dict(CATALOGUE)
    key_plugins: dict[str, str] = {}
    for c in ok:
        for spec in c.declared_keys():
            known = keys.get(spec.key)
            if known is None:
                keys[spec.key] = spec
                key_plugins[spec.key] = c.name
                continue
            if spec.key in CATALOGUE:
                fail(c, f"key {spec.key!r} is a built-in key and cannot be declared again")
                continue
            diffs = key_differences(known, spec)
            if diffs:
                first = key_plugins[spec.key]
                err = StandardConflict(
                    f"standard key {spec.key!r} is declared with different meanings by plugin "
                    f"{first!r} and by plugin {c.name!r}"
                    f"{' (the same plugin declared it twice)' if first == c.name else ''}: "
                    f"{'; '.join(diffs)} (标准项目冲突)",
                    plugins=(first, c.name),
                )
                fail(c, str(err), err)
    for key, owner in key_plugins.items():
        spec = keys[key]
        if spec.relative_to is not None and spec.relative_to not in keys:
            fail(
                owner,
                f"key {key!r} is a multiple of {spec.relative_to!r}, which is neither built in "
                f"nor declared by any plugin{suggest(spec.relative_to, keys)}",
            )

    # Programmes: the keys they read and the programmes they depend on.
    for pid, program in programs.items():
        owner = program_plugins[pid]
        try:
            problems = check_program_keys(program, keys)
        except Exception as exc:
            problems = [f"programme {pid!r}: checking its keys failed: {_describe_exception(exc)}"]
        for problem in problems:
            fail(owner, f"service module {program_module.get(pid)!r}: {problem}")
    for graph_problem in program_graph_problems(programs):
        involved = dict.fromkeys(program_plugins[p] for p in graph_problem.programs)
        whose = ", ".join(
            f"{p!r} from plugin {program_plugins[p]!r}" for p in graph_problem.programs
        )
        for owner in involved:
            fail(owner, f"{graph_problem.message} ({whose})")

    # Standard values, checked against the full catalogue.
    standards = StandardsTable(keys=keys)
    for c in ok:
        try:
            values = c.standards.values_for(keys)
        except CivilAffairsError as exc:
            fail(c, _describe_exception(exc), exc)
            continue
        clashes = [(standards.find_conflict(v), v) for v in values]
        clashes = [(old, new) for old, new in clashes if old is not None]
        if clashes:
            for old, new in clashes:
                assert old is not None
                err = conflict_error(old, new)
                fail(c, str(err), err)
            continue
        for v in values:
            standards.add(v)

    audits, audit_plugins = merge(
        lambda c: [
            *(
                (str(getattr(ch, "id", "")), ch)
                for m in c.modules.modules.values()
                for ch in m.checks
            ),
            *c.audits.checks.items(),
        ],
        "audit check",
    )

    policies = PolicyTable()
    for c in ok:
        validated: list[PolicyOverride] = []
        bad = False
        for o in c.policies.table.overrides():
            try:
                validated.append(validate_override(o, programs))
            except Exception as exc:
                fail(c, _describe_exception(exc), exc)
                bad = True
        if bad:
            continue
        clashes_p = [(policies.find_conflict(o), o) for o in validated]
        clashes_p = [(old, new) for old, new in clashes_p if old is not None]
        if clashes_p:
            for old_p, new_p in clashes_p:
                assert old_p is not None
                err_p = policy_conflict_error(old_p, new_p)
                fail(c, str(err_p), err_p)
            continue
        for o in validated:
            policies.add(o)
    return _Assembled(
        standards,
        policies,
        programs,
        program_plugins,
        audits,
        audit_plugins,
        keys,
        key_plugins,
        modules,
        module_plugins,
        program_module,
    ), failures


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
    contribs = {
        name: _Contribution.new(name, core=name in meta and meta[name].builtin) for name in names
    }
    _call_hooks(pm, contribs)
    ordered = [contribs[n] for n in names]
    ok = [c for c in ordered if not c.errors]
    while True:
        assembled, failures = _assemble(ok)
        if not failures:
            break
        for c in ok:
            for message, cause in failures.get(c.name, ()):
                c.fail(message, cause)
        ok = [c for c in ok if not c.errors]

    errors = load_errors + [e for c in ordered for e in c.errors]
    if strict and errors:
        raise errors[0]

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
    )


def _module_of(plugin: object) -> str:
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


# -- the global registry ---------------------------------------------------------------

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
    if strict or env_flag("CIVILAFFAIRS_STRICT_PLUGINS"):
        registry.raise_errors()
    return registry


def reset_registry() -> None:
    """Forget the global registry and plugin manager; the next use rebuilds them."""
    global _registry
    from civilaffairs.plugin_manager import reset_plugin_manager

    with _lock:
        _registry = None
        reset_plugin_manager()


def suggest(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of *choices*, or ``""``."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
