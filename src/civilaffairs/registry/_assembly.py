"""Checking the staged contributions against each other and merging them.

Keys first: a key declared by two plugins with different meanings; a standard value for an
undeclared key; two plugins with the same standard slot, module id, programme id or audit
check id; a programme reading a key nobody declares, or ``eligible(...)`` of a programme
nobody registers, or programmes depending on each other in a cycle; a policy override for
an unknown programme or point, or with a value the point refuses. Each problem is a failure
of the plugin it names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from civilaffairs.errors import CivilAffairsError, StandardConflict
from civilaffairs.policies import (
    PolicyOverride,
    PolicyTable,
    policy_conflict_error,
    validate_override,
)
from civilaffairs.registry._collect import _Contribution, _describe_exception
from civilaffairs.registry._suggest import suggest
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec, key_differences
from civilaffairs.standards.table import StandardsTable, conflict_error
from civilaffairs.standards.values import ResidenceScope, Source, StandardValue

NATIONAL = "000000"

if TYPE_CHECKING:
    from civilaffairs.programs.base import Program
    from civilaffairs.programs.module import ServiceModule


_V = TypeVar("_V", StandardValue, PolicyOverride)
_E = TypeVar("_E", bound=StandardConflict)


def _conflicts(
    values: list[_V],
    group: Callable[[_V], tuple[object, ...]],
    error: Callable[[_V, _V], _E],
) -> dict[int, _E]:
    """The values two plugins claim, by ``id``, each with the conflict that disables it.

    Values of one group (same key or point, region and date) from different plugins
    conflict when their residences overlap: the same residence, or either is ``both``. A
    residence-specific value and a ``both`` value of one plugin do not (the specific one
    refines the other). Every value of a conflict is disabled, whoever came first: a
    conflict never resolves by plugin name or load order.
    """
    groups: dict[tuple[object, ...], list[_V]] = {}
    for v in values:
        groups.setdefault(group(v), []).append(v)
    out: dict[int, _E] = {}
    for members in groups.values():
        if len(members) < 2 or len({m.plugin for m in members}) < 2:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.plugin == b.plugin:
                    continue
                if not (
                    a.residence is b.residence or ResidenceScope.BOTH in (a.residence, b.residence)
                ):
                    continue
                err = error(a, b)
                out.setdefault(id(a), err)
                out.setdefault(id(b), err)
    return out


class _SourceCopies:
    """Copies each distinct source once (values that shared a source share its copy)."""

    def __init__(self) -> None:
        self._copies: dict[int, tuple[Source, Source]] = {}

    def __call__(self, source: Source) -> Source:
        found = self._copies.get(id(source))
        if found is None:
            found = self._copies[id(source)] = (source, attrs.evolve(source))
        return found[1]


def _foreign(c: _Contribution, regions: Iterable[str]) -> list[str]:
    """The regions of *regions* outside what plugin *c* may register, sorted."""
    if c.core or c.allow_foreign:
        return []
    governed = c.provinces or ()
    return sorted(
        {r for r in regions if r == NATIONAL or (not c.unscoped and f"{r[:2]}0000" not in governed)}
    )


def _foreign_message(c: _Contribution, what: str, foreign: list[str]) -> str:
    shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
    if c.provinces is None:
        governs = (
            "it declares no provinces (declare them in its pyproject.toml, "
            '[project.entry-points."civilaffairs.provinces"], e.g. "110000" = "your_package")'
        )
    else:
        governs = f"it governs {', '.join(c.provinces) or 'no province'}"
    national = "; only the core registers national (000000) values" if NATIONAL in foreign else ""
    return (
        f"registers {what} outside the provinces it governs: {shown}; {governs}{national}. "
        "A deployer may allow it with CIVILAFFAIRS_ALLOW_FOREIGN="
        f"{c.name} (不得登记其管辖省份以外的数值)"
    )


def _other_plugin(existing: str, new: str) -> str:
    if existing == new:
        return "the same plugin registered it twice"
    return f"already registered by plugin {existing!r}"


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
    matchers: dict[str, object] = attrs.field(factory=dict)
    matcher_plugins: dict[str, str] = attrs.field(factory=dict)


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

    # Service modules and their programmes; a module serves only governed provinces.
    for c in ok:
        foreign = _foreign(
            c, (code for m in c.modules.modules.values() for code in m.scope if code != NATIONAL)
        )
        if foreign:
            fail(c, _foreign_message(c, "service modules scoped", foreign))
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
            check_reads = getattr(program, "check_member_reads", None)
            if check_reads is not None:
                problems += check_reads(programs)
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

    # Standard values, checked against the full catalogue; the registry keeps its own
    # copies, stamped with the name the plugin manager gave the plugin.
    staged: list[tuple[_Contribution, list[StandardValue]]] = []
    for c in ok:
        try:
            copy = _SourceCopies()
            values = [v.copy_for(c.name, copy) for v in c.standards.values_for(keys)]
        except CivilAffairsError as exc:
            fail(c, _describe_exception(exc), exc)
            continue
        foreign = _foreign(c, (v.region for v in values))
        if foreign:
            fail(c, _foreign_message(c, "standard values", foreign))
            continue
        staged.append((c, values))
    standards = StandardsTable(keys=keys)
    blocked = _conflicts(
        [v for _, values in staged for v in values],
        lambda v: (v.key, v.region, v.effective_from),
        conflict_error,
    )
    for _, values in staged:
        for v in values:
            conflict = blocked.get(id(v))
            if conflict is None:
                standards.add(v)
            else:
                standards.block(v, conflict)

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

    matchers, matcher_plugins = merge(lambda c: c.matchers.matchers.items(), "audit matcher")

    staged_p: list[PolicyOverride] = []
    for c in ok:
        validated: list[PolicyOverride] = []
        bad = False
        for o in c.policies.table.overrides():
            try:
                validated.append(validate_override(o.copy_for(c.name), programs))
            except Exception as exc:
                fail(c, _describe_exception(exc), exc)
                bad = True
        if bad:
            continue
        foreign = _foreign(c, (o.region for o in validated))
        if foreign:
            fail(c, _foreign_message(c, "policy overrides", foreign))
            continue
        staged_p.extend(validated)
    policies = PolicyTable()
    blocked_p = _conflicts(
        staged_p,
        lambda o: (o.program, o.point, o.region, o.effective_from),
        policy_conflict_error,
    )
    for o in staged_p:
        conflict_p = blocked_p.get(id(o))
        if conflict_p is None:
            policies.add(o)
        else:
            policies.block(o, conflict_p)
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
        matchers,
        matcher_plugins,
    ), failures
