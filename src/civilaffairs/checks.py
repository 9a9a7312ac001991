"""Checks of the service modules (业务核查): one uniform way to run every rule that is not a
benefit programme, such as a marriage registration check, an election's validity, a child's
classification or an institution's safety checklist.

A :class:`Check` has an id ``MODULE.NAME``, the record type it reads (an attrs class built
from JSON with :func:`civilaffairs.convert.structure`, so a bad field is reported by its
path), its legal basis, and a function that decides. It is registered with its service
module (:class:`~civilaffairs.programs.module.ServiceModule` ``checks``) and listed by
``civilaffairs checks``; ``civilaffairs check CHECK_ID FILE…`` runs it.

**The explanation is the evaluation.** A check's function receives a :class:`Context` and
builds its result only through it: :meth:`Context.standard` resolves the dated, cited
values of the registry (keys the module declares, which provinces override) and records
which were used;
:meth:`Context.condition` records a condition together with the values it compared, and its
label is the template filled with those same values; :meth:`Context.step` records a computed
value with the operands it came from. Nothing is restated by hand.

>>> import attrs
>>> from civilaffairs.checks import Check, Context, run_check
>>> @attrs.frozen
... class Meeting:
...     id: str
...     members: int
...     present: int
>>> def quorum(record: Meeting, ctx: Context) -> None:
...     half = ctx.step("half", "members / 2", members=record.members, result=record.members / 2)
...     ctx.condition(
...         "quorum", record.present > half,
...         zh="到会 {present} 人，超过半数 {half}",
...         en="{present} present, more than half ({half})",
...         basis="村民委员会组织法第二十二条",
...         present=record.present,
...         half=half,
...     )
>>> check = Check("demo.quorum", "法定人数", "quorum", Meeting, quorum, type_name="meeting")
>>> result = run_check(check, Meeting("M-1", 40, 21), "2025-01-01")
>>> result.decisions[0].passed, result.decisions[0].conditions[0].label("en")
(True, '21 present, more than half (20.0)')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from civilaffairs.errors import CivilAffairsError
from civilaffairs.ids import mask_text

__all__ = [
    "Check",
    "CheckCondition",
    "CheckDecision",
    "CheckResult",
    "CheckStep",
    "Context",
    "run_check",
]


def _show(value: Any) -> str:
    """A value as the texts show it (money with two decimals, dates ISO, flags yes/no)."""
    from civilaffairs.money import Money

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is None:
        return "not set"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return str(value)


@attrs.frozen
class CheckCondition:
    """One condition of a check: passed, failed or not tested, with what it compared."""

    id: str
    #: ``True``/``False``; ``None`` when the condition could not be tested (a value not set).
    passed: bool | None
    label_zh: str
    label_en: str
    basis: str
    #: The values compared, as shown (masked).
    values: Mapping[str, str] = attrs.field(factory=dict)

    def label(self, lang: str = "zh") -> str:
        """The label in ``"zh"`` or ``"en"``."""
        return self.label_zh if lang == "zh" else self.label_en

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form: ``id``, ``passed``, ``label``, ``basis`` and ``values``."""
        return {
            "id": self.id,
            "passed": self.passed,
            "label": self.label(lang),
            "basis": self.basis,
            "values": dict(self.values),
        }


@attrs.frozen
class CheckStep:
    """A computed value and the operands it came from."""

    name: str
    formula: str
    operands: Mapping[str, str]
    result: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "formula": self.formula,
            "operands": dict(self.operands),
            "result": self.result,
        }


@attrs.frozen
class CheckDecision:
    """The decision of a check on one subject (a record, a person, a child)."""

    #: Record id or masked resident ID; never a whole resident ID.
    subject: str
    passed: bool
    #: What the check concludes: a code, or a list of codes (e.g. categories that apply).
    outcome: str | tuple[str, ...]
    conditions: tuple[CheckCondition, ...]
    #: Standards used, with their provenance (as ``standards`` shows them).
    standards: tuple[Mapping[str, Any], ...] = ()
    steps: tuple[CheckStep, ...] = ()
    #: Further facts worth showing (dates due, counts), by name, as text.
    facts: Mapping[str, str] = attrs.field(factory=dict)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form of the contract: ``subject``, ``passed``, ``outcome``,
        ``conditions``, ``standards``, ``steps`` (and ``facts``)."""
        return {
            "subject": self.subject,
            "passed": self.passed,
            "outcome": list(self.outcome) if isinstance(self.outcome, tuple) else self.outcome,
            "conditions": [c.to_dict(lang) for c in self.conditions],
            "standards": [dict(s) for s in self.standards],
            "steps": [s.to_dict() for s in self.steps],
            "facts": dict(self.facts),
        }


@attrs.frozen
class CheckResult:
    """What a check decided for one record."""

    record: str
    on: _dt.date
    check: str
    decisions: tuple[CheckDecision, ...]

    @property
    def passed(self) -> bool:
        """Whether every decision passed."""
        return all(d.passed for d in self.decisions)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """``{"record", "on", "check", "decisions"}``, as ``civilaffairs check`` prints it."""
        return {
            "record": self.record,
            "on": self.on.isoformat(),
            "check": self.check,
            "decisions": [d.to_dict(lang) for d in self.decisions],
        }

    def to_text(self, lang: str = "zh") -> str:
        """A readable report, one block per decision."""
        zh = lang == "zh"
        lines = [f"{self.check} · {self.record} · {self.on.isoformat()}"]
        for d in self.decisions:
            outcome = ", ".join(d.outcome) if isinstance(d.outcome, tuple) else d.outcome
            verdict = (
                ("通过" if d.passed else "不通过") if zh else ("passed" if d.passed else "failed")
            )
            lines.append(f"  [{d.subject}] {verdict}: {outcome or '—'}")
            for c in d.conditions:
                mark = "–" if c.passed is None else "✓" if c.passed else "✗"
                basis = f"（{c.basis}）" if zh and c.basis else f" ({c.basis})" if c.basis else ""
                lines.append(f"    {mark} {c.label(lang)}{basis}")
            for step in d.steps:
                lines.append(f"    = {step.name}: {step.formula} = {step.result}")
            for name, value in d.facts.items():
                lines.append(f"    · {name}: {value}")
            for used in d.standards:
                flag = (" (暂定)" if zh else " (provisional)") if used.get("provisional") else ""
                lines.append(
                    f"    {'标准' if zh else 'standard'} {used['key']} = {used['value']}{flag}; "
                    f"{used['region']}, {used['effective_from']}; {used.get('issuer', '')}"
                )
        return "\n".join(lines)


class Context:
    """What a check's function works with: the date, the registry, and the recorders of
    conditions, steps and the standards used for the decision being built.

    :param registry: standards and policies (the installed plugins' by default).
    :param on: the date the check applies to.
    :param region: the region of the record, for :meth:`standard` and.
    """

    def __init__(self, registry: Any, on: _dt.date, region: str | None = None) -> None:
        self.registry = registry
        self.on = on
        self.region = region
        self._decisions: list[CheckDecision] = []
        self._start()

    def _start(self) -> None:
        self._conditions: list[CheckCondition] = []
        self._steps: list[CheckStep] = []
        self._standards: dict[tuple[str, str], Mapping[str, Any]] = {}
        self._facts: dict[str, str] = {}

    # -- values ---------------------------------------------------------------------
    def standard(self, key: str, region: str | None = None, residence: str | None = None) -> Any:
        """The value of standard *key* in force for *region* (default: the record's) on the
        check's date, recorded as used; ``None`` where none is registered (*not set*)."""
        from civilaffairs.standards import StandardValue

        code = region or self.region
        if code is None:
            raise CivilAffairsError(f"standard {key} needs a region", path="region")
        found: StandardValue | None = self.registry.standards.try_resolve(
            key, code, self.on, residence
        )
        if found is None:
            return None
        self._standards[(key, found.region)] = {
            "key": key,
            "value": str(found.value),
            "region": found.region,
            "effective_from": found.effective_from.isoformat(),
            "provisional": found.provisional,
            "issuer": found.source.issuer,
            "document": found.source.document,
            "title": found.source.title,
            "plugin": found.plugin,
        }
        return found.value

    # -- recorders --------------------------------------------------------------------
    def step(self, name: str, formula: str, /, *, result: Any, **operands: Any) -> Any:
        """Record the computed *result* of *formula* with its *operands*; return *result*."""
        self._steps.append(
            CheckStep(
                name,
                formula,
                {k: mask_text(_show(v)) for k, v in operands.items()},
                mask_text(_show(result)),
            )
        )
        return result

    def condition(
        self,
        id: str,
        passed: bool | None,
        /,
        *,
        zh: str,
        en: str,
        basis: str = "",
        **values: Any,
    ) -> bool | None:
        """Record condition *id*: *passed* (``None``: not tested), with its label templates
        filled from *values* (``{name}``), which are also kept as what it compared."""
        shown = {k: mask_text(_show(v)) for k, v in values.items()}
        try:
            label_zh, label_en = zh.format(**shown), en.format(**shown)
        except (KeyError, IndexError) as exc:
            raise CivilAffairsError(
                f"condition {id!r}: its label names {exc} but no such value was given"
            ) from None
        self._conditions.append(
            CheckCondition(
                id, None if passed is None else bool(passed), label_zh, label_en, basis, shown
            )
        )
        return passed

    def fact(self, name: str, value: Any) -> None:
        """Record a fact worth showing (a date due, a count)."""
        self._facts[name] = mask_text(_show(value))

    def decide(
        self,
        subject: str,
        outcome: str | Sequence[str],
        *,
        passed: bool | None = None,
    ) -> CheckDecision:
        """Close the decision on *subject*: what was recorded since the last one.

        :param passed: default: every tested condition passed.
        """
        if passed is None:
            passed = all(c.passed is not False for c in self._conditions)
        decision = CheckDecision(
            mask_text(subject),
            bool(passed),
            outcome if isinstance(outcome, str) else tuple(outcome),
            tuple(self._conditions),
            tuple(self._standards.values()),
            tuple(self._steps),
            dict(self._facts),
        )
        self._decisions.append(decision)
        self._start()
        return decision

    @property
    def decisions(self) -> tuple[CheckDecision, ...]:
        """The decisions closed so far."""
        return tuple(self._decisions)


@attrs.frozen
class Check:
    """A check of a service module (业务核查规则).

    :param id: ``MODULE.NAME``, e.g. ``"marriage.register"``.
    :param zh: Chinese title.
    :param en: English title.
    :param record_type: the attrs class of its input record.
    :param run: ``run(record, ctx)``: decides through *ctx* (:class:`Context`), closing
        one or more decisions with :meth:`Context.decide`; a decision left open is closed
        with the record's id as subject and outcome ``"passed"`` or ``"failed"``.
    :param type_name: the value of the input's optional ``"type"`` key.
    :param basis: the legal basis of the check as a whole.
    :param region_of: how to read the record's region (default: its ``region`` attribute).
    :param superseded_on: the date a newer text of the law takes effect that the check does
        not model yet; a check run for that date or later still decides by the rules it has,
        and every decision says so in its facts (``law``), naming *superseded_by*.
    :param superseded_by: the newer text, e.g. ``"村民委员会组织法（2025年修正）"``.
    """

    id: str = attrs.field()
    zh: str
    en: str
    record_type: type
    run: Callable[[Any, Context], Any]
    type_name: str = ""
    basis: str = ""
    description_zh: str = ""
    description_en: str = ""
    region_of: Callable[[Any], str | None] | None = None
    superseded_on: _dt.date | None = None
    superseded_by: str = ""

    @id.validator
    def _check_id(self, _: object, value: str) -> None:
        if (
            not isinstance(value, str)
            or value.count(".") < 1
            or not all(
                part and part.replace("_", "a").isalnum() and part[0].isalpha()
                for part in value.split(".")
            )
        ):
            raise CivilAffairsError(f"check id {value!r} is not MODULE.NAME", path="id")

    @property
    def module(self) -> str:
        """The module part of the id."""
        return self.id.rsplit(".", 1)[0]

    def __call__(self, record: Any, on: Any = None, registry: Any = None) -> CheckResult:
        """Run the check (see :func:`run_check`)."""
        return run_check(self, record, on, registry=registry)

    def structure(self, data: Any) -> Any:
        """Build the input record from JSON-ready *data* (its ``"type"``, if given, must be
        ``type_name``).

        :raises ValidationError: naming every bad field by its path.
        """
        from civilaffairs.convert import structure
        from civilaffairs.errors import ValidationError

        if isinstance(data, dict) and "type" in data:
            if data["type"] != self.type_name:
                raise ValidationError.single(
                    "type",
                    f"this check reads {self.type_name!r} records, got {data['type']!r} "
                    "(记录类型不符)",
                    "type",
                    zh=f"记录类型不符：本核查读取 {self.type_name!r} 记录",
                )
            data = {k: v for k, v in data.items() if k != "type"}
        return structure(data, self.record_type)


def run_check(check: Check, record: Any, on: Any = None, *, registry: Any = None) -> CheckResult:
    """Run *check* on *record* as of *on* (a date or ``YYYY-MM-DD``; default today).

    :param registry: standards and policies (the installed plugins' by default).
    """
    from civilaffairs.standards.values import parse_on

    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    day = parse_on(on) if on is not None else _dt.date.today()
    region = check.region_of(record) if check.region_of else getattr(record, "region", None)
    ctx = Context(registry, day, region if isinstance(region, str) else None)
    check.run(record, ctx)
    record_id = mask_text(str(getattr(record, "id", "") or check.type_name or "record"))
    if ctx._conditions or ctx._steps or not ctx.decisions:
        passed = all(c.passed is not False for c in ctx._conditions)
        ctx.decide(record_id, "passed" if passed else "failed")
    decisions = ctx.decisions
    if check.superseded_on is not None and day >= check.superseded_on:
        note = (
            f"decided by the rules before {check.superseded_on.isoformat()}: "
            f"{check.superseded_by} in force from that date is not yet modelled; "
            f"check the result against it ({check.superseded_by} 自 "
            f"{check.superseded_on.isoformat()} 起施行，尚未纳入，结果须按新法核对)"
        )
        decisions = tuple(attrs.evolve(d, facts={**d.facts, "law": note}) for d in decisions)
    return CheckResult(record_id, day, check.id, decisions)


def checks_of(registry: Any) -> dict[str, Check]:
    """The :class:`Check` objects among *registry*'s audit checks, by id, in order."""
    return {cid: c for cid, c in registry.audit_checks.items() if isinstance(c, Check)}


def by_module(checks: Iterable[Check]) -> dict[str, list[Check]]:
    """*checks* grouped by module id, in order."""
    out: dict[str, list[Check]] = {}
    for c in checks:
        out.setdefault(c.module, []).append(c)
    return out
