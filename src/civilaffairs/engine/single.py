"""Single-case evaluation (单户认定): one household, every value recorded."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from civilaffairs._version import __version__
from civilaffairs.decision import (
    Assessment,
    ConditionResult,
    Decision,
    Explanation,
    IncomeLine,
    Note,
    PolicyUsed,
    Skipped,
    StandardUsed,
    Step,
)
from civilaffairs.domain import Household
from civilaffairs.engine.explain import (
    condition_plan,
    condition_quantities,
    display,
    label_value,
    operands_of,
    step_plan,
    typed,
)
from civilaffairs.engine.expr import INCOME_KINDS
from civilaffairs.engine.resolve import STALE_MONTHS, Group, memo_of, resolve_group, stale_since
from civilaffairs.engine.scalar import build_scalar
from civilaffairs.engine.single_inputs import scalar_inputs
from civilaffairs.errors import MissingStandard, UnknownProgram
from civilaffairs.money import Money
from civilaffairs.periods import Month
from civilaffairs.programs.base import Program, RuleVersion

__all__ = [
    "assess",
    "evaluation_order",
    "programs_in_scope",
]


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
    (``programs=None``), a programme whose own standard the region has not published, that
    does not apply, or that depends on a programme not assessed, is listed in
    :attr:`~civilaffairs.decision.Assessment.skipped` instead, with the reason. Each
    programme depends only on what it reads: a region without a dibao standard still gets
    its old-age allowance.
    """
    from civilaffairs.registry import get_registry

    month = _month(on) if isinstance(on, str) else Month.parse(on)
    day = month.first_day
    reg = registry if registry is not None else get_registry()
    region = household.region
    requested = None if programs is None else tuple(programs)
    memo = memo_of(reg)
    slot = ("order", region, requested)
    planned = memo.get(slot)
    if planned is None:
        planned = _plan(reg, region, requested)
        memo[slot] = planned
    available, order, report, partial, exports = planned
    residence = household.residence.value
    steps_slot = ("steps", region, requested, residence, day)
    steps = memo.get(steps_slot)
    if steps is None:
        steps = memo[steps_slot] = {}
    H, P = scalar_inputs(household, month)
    E: dict[str, Any] = {}
    done: dict[str, Decision] = {}
    versions = memo.get("versions")
    if versions is None:
        versions = memo["versions"] = _versions(reg)
    living = [i for i, a in enumerate(P["alive"]) if a]
    month_text = str(month)
    skipped: dict[str, tuple[str, str]] = {}
    missing: dict[str, str] = {}  # programme -> the required key it lacks
    explicit = set(report) if programs is not None else set()
    for prog in order:
        pid = prog.id
        if skipped and prog.depends_on:
            blocked = [d for d in prog.depends_on if d in skipped]
            if blocked and pid in explicit and blocked[0] in missing:
                # what the requested programme needs is missing
                raise MissingStandard(missing[blocked[0]], region, day, residence)
            if blocked:
                zh, en = skipped[blocked[0]]
                dep = available[blocked[0]]
                skipped[pid] = (f"依赖的{dep.zh}未评估：{zh}", f"depends on {dep.en}: {en}")
                continue
        step = steps.get(pid)
        if step is None:
            step = steps[pid] = _step(memo, reg, prog, region, residence, day, partial)
        version, group = step.version, step.group
        if step.not_done is not None:
            if version is not None:
                if group.conflict is not None:
                    raise group.conflict  # two plugins claimed a value this programme reads
                if pid in explicit:
                    raise MissingStandard(group.required_missing, region, day, residence)
                missing[pid] = group.required_missing
            skipped[pid] = step.not_done
            continue
        version = cast("RuleVersion", version)  # in force: not_done is None
        read: set[str] = set()
        pruned = step.pruned
        if pruned is not None:
            # evaluated only for the per-member quantities later programmes read
            values, _, _, applies, _ = pruned(H, P, group.S, group.C, E, read)
            if not applies:
                skipped[pid] = version.not_applicable
                continue
            for key, name in exports[pid]:
                E[key] = values[name]
            continue
        values, passed, tested, applies, notes = step.compiled.scalar(
            H, P, group.S, group.C, E, read
        )
        if not applies:
            skipped[pid] = version.not_applicable
            continue
        for key, name in exports[pid]:  # what later programmes read per member
            E[key] = values[name]
        eligible = all(passed)
        if eligible:
            amount = max(int(values[version.amount]), 0)
            failed = None
        else:
            amount = 0
            failed = version.conditions[passed.index(False)].id  # the first that failed
        E[pid] = eligible
        # the Decision now; what its explanation is built from only when it is asked for
        evaluated = (prog, version, values, passed, tested, read, notes, group, eligible)
        done[pid] = Decision(
            program=pid,
            name_zh=prog.zh,
            name_en=prog.en,
            household=household.id,
            month=month_text,
            eligible=eligible,
            amount=Money.from_fen(amount),
            period=prog.period,
            first_failed=failed,
            basis=step.basis,
            versions=versions,
            rule_version=step.label,
            explain=functools.partial(_explain, evaluated, household, month, H, P, living, E, reg),
        )
    decisions = tuple([done[pid] for pid in report if pid in done])
    return Assessment(
        household.id,
        month_text,
        household.region,
        residence,
        decisions,
        versions,
        tuple(
            Skipped(pid, available[pid].zh, available[pid].en, *skipped[pid])
            for pid in report
            if pid in skipped
        ),
    )


def _plan(
    registry: Any, region: str, requested: tuple[str, ...] | None
) -> tuple[
    Mapping[str, Program],
    list[Program],
    list[str],
    Mapping[str, frozenset[str]],
    Mapping[str, tuple[tuple[str, str], ...]],
]:
    """The programmes serving *region*, those to evaluate in order, the ids to report,
    for a programme evaluated only because later ones read some of its per-member
    quantities (``member_value``) the names of those quantities, and for every programme
    the ``(key, name)`` of its per-member quantities that later ones read (memoised per
    registry by :func:`assess`).

    :raises UnknownProgram: for a programme that is not registered or does not serve
        *region*.
    """
    available = programs_in_scope(registry, region)
    if requested is not None:
        registered = cast("Mapping[str, Program]", registry.programs)
        for pid in requested:
            if pid in registered and pid not in available:
                raise UnknownProgram(
                    f"programme {pid!r} does not serve region {region} (out of its module's scope)"
                )
    order, report = evaluation_order(available, requested)
    partial: dict[str, frozenset[str]] = {}
    exports: dict[str, tuple[tuple[str, str], ...]] = {}
    reported = set(report)
    for k, prog in enumerate(order):
        later = order[k + 1 :]
        read = sorted({name for p in later for pid, name in p.member_reads if pid == prog.id})
        exports[prog.id] = tuple((f"{prog.id}.{name}", name) for name in read)
        if prog.id in reported or any(_reads_eligibility(p, prog.id) for p in later):
            continue
        partial[prog.id] = frozenset(read)
    return available, order, report, partial, exports


def _reads_eligibility(program: Program, other: str) -> bool:
    """Whether any version of *program* reads ``eligible(other)``."""
    return any(
        node.op == "eligible" and node.meta == other
        for version in program.versions
        for node in version.nodes()
    )


class _Step:
    """What evaluating one programme for one (region, residence, day) needs, resolved once
    (:func:`_step`)."""

    __slots__ = ("basis", "compiled", "group", "label", "not_done", "pruned", "version")

    def __init__(
        self,
        version: RuleVersion | None,
        compiled: Any = None,
        group: Any = None,
        pruned: Any = None,
        not_done: tuple[str, str] | None = None,
        basis: str = "",
    ) -> None:
        #: The version in force (``None``: none).
        self.version = version
        self.compiled = compiled
        #: The standards and policies it reads.
        self.group = group
        #: For a programme evaluated only for some per-member quantities, the evaluator of
        #: those alone.
        self.pruned = pruned
        #: Why it cannot be evaluated at all (no version in force, a conflict, a required
        #: standard missing), if so.
        self.not_done = not_done
        #: Its legal basis, as a decision shows it.
        self.basis = basis
        #: The version's dates, as a decision shows them.
        self.label = "" if version is None else version.label


def _step(
    memo: dict[Any, Any],
    registry: Any,
    prog: Program,
    region: str,
    residence: str,
    day: Any,
    partial: Mapping[str, frozenset[str]],
) -> _Step:
    """Resolve what evaluating *prog* for one (region, residence, day) needs."""
    version = prog.version_on(day)
    if version is None:
        return _Step(None, not_done=(f"{day} 无施行中的规则", f"no rules in force on {day}"))
    compiled = version.compiled()
    group = resolve_group(registry, prog, compiled, region, residence, day)
    if group.conflict is not None:
        return _Step(version, compiled, group, not_done=("", ""))
    if group.required_missing is not None:
        reason = _missing_reason(group.required_missing, region, residence, day)
        return _Step(version, compiled, group, not_done=reason)
    wanted = partial.get(prog.id)
    pruned = None
    if wanted is not None and all(n in compiled.person_quantities for n in wanted):
        slot = ("pruned", id(version), wanted)
        pruned = memo.get(slot)
        if pruned is None:
            pruned = memo[slot] = build_scalar(version, wanted)[0]
    return _Step(version, compiled, group, pruned, basis=str(prog.basis))


@functools.lru_cache(maxsize=256)
def _month(text: str) -> Month:
    """:meth:`Month.parse` of a string, remembered (a month parses the same every time)."""
    return Month.parse(text)


def _missing_reason(key: str, region: str, residence: str, day: Any) -> tuple[str, str]:
    where_zh = {"urban": "城镇", "rural": "农村"}.get(residence, residence)
    return (
        f"{region}（{where_zh}）在 {day} 没有适用的标准 {key}",
        f"no standard {key!r} for region {region} ({residence}) on {day}",
    )


def _provisional_note(v: Any) -> Note:
    return Note(
        f"provisional:{v.key}",
        f"{v.key} 为暂定值，须以正式文件核对",
        f"{v.key} is provisional: check it against the official notice",
    )


def _stale_note(registry: Any, v: Any, month: Month) -> Note | None:
    """A note when *v* is stale on *month* (:func:`~civilaffairs.engine.resolve.stale_since`)."""
    since = stale_since(registry, v, month.first_day) if registry is not None else None
    if since is None:
        return None
    return Note(
        f"stale:{v.key}",
        f"{v.key} 最新登记值自 {since} 起施行，已逾 {STALE_MONTHS} 个月，请核查是否有新的通知",
        f"the latest registered value of {v.key} is from {since}, more than {STALE_MONTHS} "
        "months ago; check for a newer notice",
    )


def _explain(
    evaluated: tuple[Any, ...],
    household: Household,
    month: Month,
    H: Mapping[str, Any],
    P: Mapping[str, Any],
    living: list[int],
    E: Mapping[str, Any],
    registry: Any,
) -> Explanation:
    """The explanation of a decision :func:`assess` made, from what it kept of the
    evaluation (built only when the decision's explanation is first read).

    Only the standards and policies the evaluation read are listed (a value behind a branch
    not taken did not decide anything); a provisional value and a value applied more than
    24 months after it took effect with no later value are each noted.
    """
    prog, version, values, passed, tested, read, notes, group, eligible = evaluated
    nodes = {q.name: q.expr for q in version.quantities}

    def shown(name: str, lang: str = "en") -> str:
        return display(typed(values[name], nodes[name]), lang)

    def label(name: str, lang: str) -> str:
        return label_value(typed(values[name], nodes[name]), lang)

    conditions = []
    for cond, ok, was_tested, (formula, leaves) in zip(
        version.conditions,
        passed,
        tested,
        condition_plan(version),
        strict=True,
    ):
        vals = {n: shown(n) for n in cond.compares}
        zh = cond.zh.format(**{n: label(n, "zh") for n in cond.compares})
        en = cond.en.format(**{n: label(n, "en") for n in cond.compares})
        if not was_tested:
            zh = f"{zh}（未检验：{cond.untested_zh}）" if cond.untested_zh else zh
            en = f"{en} (not tested: {cond.untested_en})" if cond.untested_en else en
        operands = operands_of(leaves, values, group.S, group.C, H, P, living, E)
        conditions.append(
            ConditionResult(
                cond.id, bool(ok), zh, en, vals, cond.basis, was_tested, formula, operands
            )
        )
    steps = []
    # a refusal shows the arithmetic of its conditions, not of an amount that is not paid
    wanted = None if eligible else condition_quantities(version)
    for name, formula, leaves in step_plan(version):
        if wanted is not None and name not in wanted:
            continue
        q = version.quantity(name)
        each = q.level == "person"
        result = (
            tuple(typed(values[name][i], q.expr) for i in living)
            if each
            else typed(values[name], q.expr)
        )
        steps.append(
            Step(
                name,
                q.zh,
                q.en,
                formula,
                operands_of(leaves, values, group.S, group.C, H, P, living, E),
                result,
                each,
            )
        )
    used = [v for key, v in group.standards.items() if key in read]
    standards = tuple(_standard_used(v) for v in used)
    policies = tuple(
        _policy_used(prog, name, resolved)
        for name, resolved in group.policies.items()
        if f"policy:{name}" in read
    )
    incomes = (
        _income_lines(prog, group, household, month) if "policy:excluded_income" in read else ()
    )
    notes = [
        Note(rule.id, rule.zh, rule.en) for rule, on in zip(version.notes, notes, strict=True) if on
    ]
    notes += [_provisional_note(v) for v in used if v.provisional]
    notes += [n for v in used if (n := _stale_note(registry, v, month)) is not None]
    return Explanation(
        conditions=tuple(conditions),
        standards=standards,
        standards_missing=tuple(k for k in group.missing if k in read),
        policies=policies,
        incomes=incomes,
        steps=tuple(steps),
        quantities={q.name: shown(q.name) for q in version.quantities if q.shown},
        notes=tuple(notes),
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
        else (f"{o.region} 地方规定（插件 {o.plugin}）")
    )
    lines = []
    day = month.first_day
    for i, person in enumerate(household.members, start=1):
        if not person.is_alive_on(day):
            continue
        for item in person.incomes:
            kind = item.kind.value
            assert kind in INCOME_KINDS
            counted = kind not in excluded
            lines.append(
                IncomeLine(
                    f"#{i}",
                    kind,
                    item.monthly,
                    counted,
                    "" if counted else rule,
                    person.relation.value,
                )
            )
    return tuple(lines)
