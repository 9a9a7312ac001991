"""Single-case evaluation (单户认定): one household, every value recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from civilaffairs._version import __version__
from civilaffairs.decision import (
    Assessment,
    ConditionResult,
    Decision,
    IncomeLine,
    Lang,
    PolicyUsed,
    StandardUsed,
    Step,
    display_value,
)
from civilaffairs.domain import Household
from civilaffairs.engine.context import ScalarPolicy
from civilaffairs.engine.evaluate import Outcome, run_program
from civilaffairs.engine.formula import formula_names
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.ops import SCALAR
from civilaffairs.errors import MissingStandard, UnknownProgram
from civilaffairs.periods import Month
from civilaffairs.programs.base import Program
from civilaffairs.programs.common import INCOME_KINDS

__all__ = ["FUNDAMENTAL_STANDARDS", "assess", "evaluation_order"]

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


def assess(
    household: Household,
    on: Month | str,
    programs: Iterable[str] | None = None,
    *,
    registry: Any = None,
) -> Assessment:
    """Assess *household* for *programs* (all registered ones by default) in month *on*.

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
    reg = registry if registry is not None else get_registry()
    registered = cast("Mapping[str, Program]", reg.programs)
    order, report = evaluation_order(registered, None if programs is None else list(programs))
    frame = Frame.from_household(household, month)
    inputs: dict[str, Any] = {**frame.hh, **frame.pp}
    done: dict[str, tuple[Outcome, ScalarPolicy]] = {}
    skipped: dict[str, str] = {}
    residence = household.residence.value
    explicit = set(report) if programs is not None else set()
    for prog in order:
        blocked = [d for d in prog.depends_on if d in skipped]
        if blocked:
            skipped[prog.id] = f"depends on {blocked[0]}: {skipped[blocked[0]]}"
            continue
        ctx = ScalarPolicy(reg, prog, household.region, residence, month)
        for dep in prog.depends_on:
            inputs[f"eligible_{dep}"] = done[dep][0].eligible
        try:
            done[prog.id] = (run_program(prog, inputs, ctx, SCALAR), ctx)
        except MissingStandard as exc:
            if prog.id in explicit or exc.key in FUNDAMENTAL_STANDARDS:
                raise
            skipped[prog.id] = str(exc)
    versions = _versions(reg)
    decisions = tuple(
        build_decision(done[pid][0], done[pid][1], household, month, versions)
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


def _unit(program: Program, name: str) -> str:
    q = program.quantities.get(name)
    return q.unit if q else ("flag" if name.startswith("eligible_") else "")


def build_decision(
    outcome: Outcome,
    ctx: ScalarPolicy,
    household: Household,
    month: Month,
    versions: Mapping[str, str],
) -> Decision:
    """Turn what the evaluator recorded into a :class:`Decision`."""
    prog = outcome.program
    q = outcome.values

    def shown(name: str, lang: Lang = "en") -> str:
        return display_value(q[name], _unit(prog, name), lang)

    conditions = []
    for cond, ok in zip(prog.conditions, outcome.passed, strict=True):
        values = {n: shown(n) for n in cond.compares}
        conditions.append(
            ConditionResult(
                cond.id,
                bool(ok),
                cond.zh.format(**{n: shown(n, "zh") for n in cond.compares}),
                cond.en.format(**values),
                values,
                cond.basis,
            )
        )
    steps = []
    for quantity in prog.steps():
        assert quantity.formula is not None
        names = formula_names(quantity.formula)
        operands = {n: _plain(q[n]) for n in names}
        steps.append(
            Step(
                quantity.name,
                quantity.zh,
                quantity.en,
                quantity.formula,
                operands,
                _plain(q[quantity.name]),
                quantity.unit,
                {n: _unit(prog, n) for n in names},
            )
        )
    standards = tuple(_standard_used(v) for v in ctx.standards_used.values())
    policies = tuple(
        _policy_used(prog, name, resolved) for name, resolved in ctx.policies_used.items()
    )
    incomes = _income_lines(prog, ctx, household, month)
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
        eligible=bool(outcome.eligible),
        amount=_money(outcome.amount),
        period=prog.period,
        first_failed=outcome.first_failed,
        conditions=tuple(conditions),
        standards=standards,
        standards_missing=tuple(ctx.standards_missing),
        policies=policies,
        incomes=incomes,
        steps=tuple(steps),
        quantities={n: shown(n) for n in prog.quantities},
        basis=str(prog.basis),
        notes=tuple(notes),
        versions=versions,
    )


def _plain(value: Any) -> int:
    if hasattr(value, "item"):
        value = value.item()
    return int(value)


def _money(fen: int) -> Any:
    from civilaffairs.money import Money

    return Money.from_fen(int(fen))


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
    prog: Program, ctx: ScalarPolicy, household: Household, month: Month
) -> tuple[IncomeLine, ...]:
    if "excluded_income" not in ctx.policies_used:
        return ()
    resolved = ctx.policies_used["excluded_income"]
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
