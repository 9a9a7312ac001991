"""Single-case evaluation (单户认定): one household, every value recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import attrs

from civilaffairs._version import __version__
from civilaffairs.decision import (
    Assessment,
    ConditionResult,
    Decision,
    IncomeLine,
    PolicyUsed,
    StandardUsed,
    Step,
)
from civilaffairs.domain import Household
from civilaffairs.engine.explain import (
    condition_plan,
    display,
    operands_of,
    step_plan,
    typed,
)
from civilaffairs.engine.expr import INCOME_KINDS
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.resolve import Group, resolve_group
from civilaffairs.engine.scalar import ScalarResult
from civilaffairs.errors import MissingStandard, UnknownProgram
from civilaffairs.money import Money
from civilaffairs.periods import Month
from civilaffairs.programs.base import Program, RuleVersion

__all__ = [
    "FUNDAMENTAL_STANDARDS",
    "Evaluated",
    "assess",
    "build_decision",
    "evaluation_order",
    "programs_in_scope",
]

#: Standards without which no assessment is made at all: a region lacking them is an
#: error even when every programme is assessed. Other programmes whose own standards a
#: region has not published are listed as skipped, with the reason.
FUNDAMENTAL_STANDARDS = frozenset({"dibao.standard"})


def evaluation_order(
    programs: Mapping[str, Program], requested: Sequence[str] | None
) -> tuple[list[Program], list[str]]:
    """Programmes to evaluate (dependencies first) and the ids to report."""
    ids = list(programs) if requested is None else list(dict.fromkeys(requested))
    for pid in ids:
        if pid not in programs:
            known = ", ".join(sorted(programs))
            raise UnknownProgram(f"unknown programme {pid!r} (known: {known})")
    order: list[Program] = []
    seen: set[str] = set()

    def visit(pid: str, stack: tuple[str, ...]) -> None:
        if pid in seen:
            return
        if pid in stack:
            raise UnknownProgram(f"programmes depend on each other in a cycle: {stack}")
        if pid not in programs:
            raise UnknownProgram(f"programme {stack[-1]!r} needs {pid!r}, which is not registered")
        for dep in programs[pid].depends_on:
            visit(dep, (*stack, pid))
        seen.add(pid)
        order.append(programs[pid])

    for pid in ids:
        visit(pid, ())
    return order, ids


def _versions(registry: Any) -> dict[str, str]:
    out = {"civilaffairs": __version__}
    for rec in getattr(registry, "plugins", ()):
        out[str(rec.name)] = str(getattr(rec, "version", "") or "")
    return out


def programs_in_scope(registry: Any, region: str) -> Mapping[str, Program]:
    """The registered programmes that serve households of county *region*."""
    programs = cast("Mapping[str, Program]", registry.programs)
    for_region = getattr(registry, "programs_for", None)
    if for_region is None:
        return programs
    ids = set(for_region(region))
    return {pid: p for pid, p in programs.items() if pid in ids}


@attrs.frozen
class Evaluated:
    """One programme evaluated for one household (what a decision is made from)."""

    program: Program
    version: RuleVersion
    result: ScalarResult
    group: Group
    eligible: bool
    amount: int
    first_failed: str | None


def assess(
    household: Household,
    on: Month | str,
    programs: Iterable[str] | None = None,
    *,
    registry: Any = None,
) -> Assessment:
    """Assess *household* for *programs* (all registered ones serving its region by default)
    in month *on*.

    Returns an :class:`~civilaffairs.decision.Assessment` with one fully explained
    :class:`~civilaffairs.decision.Decision` per programme. A standard that a requested
    programme needs and the region lacks raises
    :class:`~civilaffairs.errors.MissingStandard`; when every programme is assessed
    (``programs=None``), a programme whose own standard the region has not published is
    listed in :attr:`~civilaffairs.decision.Assessment.skipped` instead, unless the standard
    is fundamental (:data:`FUNDAMENTAL_STANDARDS`).
    """
    from civilaffairs.registry import get_registry

    month = Month.parse(on)
    day = month.first_day
    reg = registry if registry is not None else get_registry()
    region = household.region
    available = programs_in_scope(reg, region)
    if programs is not None:
        requested = list(programs)
        registered = cast("Mapping[str, Program]", reg.programs)
        for pid in requested:
            if pid in registered and pid not in available:
                raise UnknownProgram(
                    f"programme {pid!r} does not serve region {region} (out of its module's scope)"
                )
    order, report = evaluation_order(available, None if programs is None else requested)
    frame = Frame.from_household(household, month)
    H = frame.hh
    P = {k: v.tolist() for k, v in frame.pp.items()}
    E: dict[str, bool] = {}
    done: dict[str, Evaluated] = {}
    skipped: dict[str, str] = {}
    residence = household.residence.value
    explicit = set(report) if programs is not None else set()
    for prog in order:
        blocked = [d for d in prog.depends_on if d in skipped]
        if blocked:
            skipped[prog.id] = f"depends on {blocked[0]}: {skipped[blocked[0]]}"
            continue
        version = prog.version_on(day)
        if version is None:
            skipped[prog.id] = f"no rules of {prog.id} in force on {day}"
            continue
        compiled = version.compiled()
        group = resolve_group(reg, prog, compiled, region, residence, day)
        if group.required_missing is not None:
            exc = MissingStandard(group.required_missing, region, day, residence)
            if prog.id in explicit or exc.key in FUNDAMENTAL_STANDARDS:
                raise exc
            skipped[prog.id] = str(exc)
            continue
        result = compiled.evaluate(H, P, group.S, group.C, E)
        eligible = all(result.passed)
        raw = int(result.values[version.amount])
        amount = max(raw, 0) if eligible else 0
        failed = next(
            (c.id for c, ok in zip(version.conditions, result.passed, strict=True) if not ok),
            None,
        )
        E[prog.id] = eligible
        done[prog.id] = Evaluated(prog, version, result, group, eligible, amount, failed)
    versions = _versions(reg)
    living = [i for i, a in enumerate(P["alive"]) if a]
    decisions = tuple(
        build_decision(done[pid], household, month, versions, H, P, living, E)
        for pid in report
        if pid in done
    )
    return Assessment(
        household.id,
        str(month),
        household.region,
        residence,
        decisions,
        versions,
        tuple((pid, skipped[pid]) for pid in report if pid in skipped),
    )


def build_decision(
    ev: Evaluated,
    household: Household,
    month: Month,
    versions: Mapping[str, str],
    H: Mapping[str, Any],
    P: Mapping[str, Any],
    living: list[int],
    E: Mapping[str, Any],
) -> Decision:
    """Turn what the scalar evaluator computed into a :class:`Decision`."""
    prog, version, values, group = ev.program, ev.version, ev.result.values, ev.group
    nodes = {q.name: q.expr for q in version.quantities}

    def shown(name: str, lang: str = "en") -> str:
        return display(typed(values[name], nodes[name]), lang)

    conditions = []
    for cond, ok, tested, (formula, leaves) in zip(
        version.conditions,
        ev.result.passed,
        ev.result.tested,
        condition_plan(version),
        strict=True,
    ):
        vals = {n: shown(n) for n in cond.compares}
        zh = cond.zh.format(**{n: shown(n, "zh") for n in cond.compares})
        en = cond.en.format(**vals)
        if not tested:
            zh = f"{zh}（未检验：{cond.untested_zh}）" if cond.untested_zh else zh
            en = f"{en} (not tested: {cond.untested_en})" if cond.untested_en else en
        operands = operands_of(leaves, values, group.S, group.C, H, P, living, E)
        conditions.append(
            ConditionResult(cond.id, bool(ok), zh, en, vals, cond.basis, tested, formula, operands)
        )
    steps = []
    for name, formula, leaves in step_plan(version):
        q = version.quantity(name)
        steps.append(
            Step(
                name,
                q.zh,
                q.en,
                formula,
                operands_of(leaves, values, group.S, group.C, H, P, living, E),
                typed(values[name], q.expr),
            )
        )
    standards = tuple(_standard_used(v) for v in group.standards.values())
    policies = tuple(
        _policy_used(prog, name, resolved) for name, resolved in group.policies.items()
    )
    incomes = _income_lines(prog, group, household, month)
    notes = []
    if any(s.provisional for s in standards):
        notes.append(
            "含暂定标准，须以正式文件核对 / uses a provisional standard: check the official notice"
        )
    return Decision(
        program=prog.id,
        name_zh=prog.zh,
        name_en=prog.en,
        household=household.id,
        month=str(month),
        eligible=ev.eligible,
        amount=Money.from_fen(ev.amount),
        period=prog.period,
        first_failed=ev.first_failed,
        conditions=tuple(conditions),
        standards=standards,
        standards_missing=group.missing,
        policies=policies,
        incomes=incomes,
        steps=tuple(steps),
        quantities={q.name: shown(q.name) for q in version.quantities if q.shown},
        basis=str(prog.basis),
        notes=tuple(notes),
        versions=versions,
        rule_version=version.label,
    )


def _source_dict(source: Any) -> dict[str, str | None]:
    if source is None:
        return {}
    out: dict[str, str | None] = {}
    for field in ("issuer", "document", "title", "date", "url", "note"):
        v = getattr(source, field, None)
        out[field] = None if v is None else str(v)
    return out


def _standard_used(v: Any) -> StandardUsed:
    unit = getattr(v.unit, "value", v.unit)
    return StandardUsed(
        key=v.key,
        region=v.region,
        residence=str(getattr(v.residence, "value", v.residence)),
        value=str(v.value),
        unit=str(unit),
        effective_from=str(v.effective_from),
        until=None if v.until is None else str(v.until),
        source=_source_dict(v.source),
        provisional=bool(v.provisional),
        plugin=str(v.plugin),
    )


def _policy_used(prog: Program, name: str, resolved: Any) -> PolicyUsed:
    point = prog.policy_points[name]
    o = getattr(resolved, "override", None)
    return PolicyUsed(
        point=name,
        zh=point.zh,
        en=point.en,
        value=point.describe(resolved.value),
        region=None if o is None else o.region,
        effective_from=None if o is None else str(o.effective_from),
        plugin=None if o is None else o.plugin,
        source=None if o is None or o.source is None else _source_dict(o.source),
        basis=point.basis,
    )


def _income_lines(
    prog: Program, group: Group, household: Household, month: Month
) -> tuple[IncomeLine, ...]:
    if "excluded_income" not in group.policies:
        return ()
    resolved = group.policies["excluded_income"]
    excluded = set(resolved.value)
    o = getattr(resolved, "override", None)
    rule = (
        prog.policy_points["excluded_income"].basis
        if o is None
        else (f"{o.region} 地方规定（plugin {o.plugin}）")
    )
    lines = []
    day = month.first_day
    for i, person in enumerate(household.members, start=1):
        if not person.is_alive_on(day):
            continue
        member = f"#{i} {person.relation.value}"
        for item in person.incomes:
            kind = item.kind.value
            assert kind in INCOME_KINDS
            counted = kind not in excluded
            lines.append(IncomeLine(member, kind, item.monthly, counted, "" if counted else rule))
    return tuple(lines)
