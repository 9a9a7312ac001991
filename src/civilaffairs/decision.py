"""Decisions (认定结果): fit for an administrative notice and an appeal.

A :class:`Decision` records, for one programme and one household in one month: whether the
household is eligible and the amount; every condition with the values it compared; the
income items counted and excluded, each exclusion with the policy that made it; each
standard used with its region, effective date, source and supplying plugin; each policy
point with where its value came from; the arithmetic as steps with real numbers; and the
versions of the library and plugins. It renders to Chinese (default) and English text and
serialises to JSON. Personal identifiers never appear: members are named by position and
relation.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from civilaffairs.ids import mask_text
from civilaffairs.money import Money

__all__ = [
    "Assessment",
    "ConditionResult",
    "Decision",
    "Explanation",
    "IncomeLine",
    "Note",
    "PolicyUsed",
    "Skipped",
    "StandardUsed",
    "Step",
]

Lang = Literal["zh", "en"]


@attrs.frozen
class ConditionResult:
    """One condition: passed or not, with the values it compared (display strings)."""

    id: str
    passed: bool
    label_zh: str
    label_en: str
    values: Mapping[str, str]
    basis: str
    #: False where the condition's rule does not apply here (neither passed nor failed).
    tested: bool = True
    #: The test as a formula, rendered from the expression evaluated, and its operands.
    formula: str = ""
    operands: Mapping[str, Any] = attrs.field(factory=dict)

    def label(self, lang: Lang = "zh") -> str:
        """The label in *lang*."""
        return self.label_zh if lang == "zh" else self.label_en


@attrs.frozen
class StandardUsed:
    """A standard value a decision used, with its provenance."""

    key: str
    region: str
    residence: str
    value: str
    unit: str
    effective_from: str
    until: str | None
    source: Mapping[str, str | None]
    provisional: bool
    plugin: str


@attrs.frozen
class PolicyUsed:
    """A policy point's value and where it came from (``plugin`` None: national default)."""

    point: str
    zh: str
    en: str
    value: str
    region: str | None
    effective_from: str | None
    plugin: str | None
    source: Mapping[str, str | None] | None
    basis: str


@attrs.frozen
class IncomeLine:
    """One income item of one member, counted or excluded, and why.

    ``member`` is the member's position (``#1``); ``relation`` and ``kind`` are codes, shown
    in the reader's language by :meth:`describe`.
    """

    member: str
    kind: str
    monthly: Money
    counted: bool
    rule: str
    relation: str = ""

    def describe(self, lang: Lang = "zh") -> str:
        """``#1 户主 工资性收入 2600.00 — 计入`` / ``#1 head wage 2600.00 — counted``."""
        from civilaffairs.domain import IncomeKind, Relation

        if lang == "zh":
            relation = Relation(self.relation).zh if self.relation else ""
            kind = IncomeKind(self.kind).zh
            state = "计入" if self.counted else f"不计入（{self.rule}）"
            return " ".join(
                x for x in (self.member, relation, kind, str(self.monthly), "—", state) if x
            )
        state = "counted" if self.counted else f"excluded ({self.rule})"
        parts = (self.member, self.relation.replace("_", " "), self.kind.replace("_", " "))
        return " ".join(x for x in (*parts, str(self.monthly), "—", state) if x)


@attrs.frozen
class Note:
    """A note on a decision, in both languages (provisional or stale standards, values not
    set)."""

    id: str
    zh: str
    en: str

    def text(self, lang: Lang = "zh") -> str:
        """The note in *lang*."""
        return self.zh if lang == "zh" else self.en


@attrs.frozen
class Skipped:
    """A programme not assessed for the household, and why, in both languages."""

    program: str
    name_zh: str
    name_en: str
    reason_zh: str
    reason_en: str

    def name(self, lang: Lang = "zh") -> str:
        """The programme's name in *lang*."""
        return self.name_zh if lang == "zh" else self.name_en

    def reason(self, lang: Lang = "zh") -> str:
        """Why it was not assessed, in *lang*."""
        return self.reason_zh if lang == "zh" else self.reason_en


@attrs.frozen
class Step:
    """One step of the arithmetic: ``result = formula`` with the operands' values.

    The formula is rendered from the expression the engine evaluated; ``operands`` holds
    the value of every name in it (:class:`~civilaffairs.money.Money`, ``Decimal`` ratios,
    counts, flags, names, ``None`` for not set, a tuple for one value per living member), so
    :func:`civilaffairs.engine.formula.evaluate_formula` recomputes ``result`` from them.
    """

    quantity: str
    zh: str
    en: str
    formula: str
    operands: Mapping[str, Any]
    result: Any
    #: The formula is evaluated for each living member; ``result`` holds one value each.
    per_member: bool = False

    def text(self, lang: Lang = "zh") -> str:
        """``差额: threshold - countable_income = 4350.00 - 3600.00 = 750.00``."""
        from civilaffairs.engine.explain import display

        # each operand shown once, however often the formula names it
        operands = self.operands
        literals, names = _template(self.formula, tuple(operands))
        values = {name: _shown(name, v, lang) for name, v in operands.items()}
        parts = [literals[0]]
        for name, literal in zip(names, literals[1:], strict=True):
            parts.append(values[name])
            parts.append(literal)
        shown = "".join(parts)
        label = self.zh if lang == "zh" else self.en
        return f"{label}: {self.formula} = {shown} = {display(self.result, lang)}"


def _shown(name: str, value: Any, lang: Lang) -> str:
    kind = type(value)
    if kind is Money:
        return str(value)
    if kind is tuple and all(type(v) is Money for v in value):  # money of each member
        return "[" + ", ".join([str(v) for v in value]) + "]"
    from civilaffairs.engine.explain import display

    return f'"{value}"' if isinstance(value, str) else display(value, lang)


@functools.lru_cache(maxsize=4096)
def _template(formula: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """*formula* as literal text around the places where it names one of *names*:
    ``(literals, named)`` with ``len(literals) == len(named) + 1`` (once per formula)."""
    wanted = set(names)
    literals: list[str] = []
    named: list[str] = []
    run: list[str] = []
    for token in _tokens(formula):
        if token in wanted:
            literals.append("".join(run))
            named.append(token)
            run = []
        else:
            run.append(token)
    literals.append("".join(run))
    return tuple(literals), tuple(named)


@functools.lru_cache(maxsize=4096)
def _tokens(formula: str) -> tuple[str, ...]:
    """The formula cut into names, quoted strings and everything between (once per text)."""
    import re

    return tuple(t for t in re.split(r'("[^"]*"|[A-Za-z_][A-Za-z0-9_]*)', formula) if t)


@attrs.frozen
class Explanation:
    """Why a decision came out as it did: its conditions, standards, policies, income items,
    steps, values and notes."""

    conditions: tuple[ConditionResult, ...]
    standards: tuple[StandardUsed, ...]
    standards_missing: tuple[str, ...]
    policies: tuple[PolicyUsed, ...]
    incomes: tuple[IncomeLine, ...]
    steps: tuple[Step, ...]
    quantities: Mapping[str, str]
    notes: tuple[Note, ...]


@attrs.frozen(slots=False)
class Decision:
    """The decision of one programme for one household in one month.

    The outcome (``eligible``, ``amount``, ``first_failed``) is computed at once; the
    :attr:`explanation` is built from the same evaluation the first time it is read, so a
    caller who needs only outcomes does not pay for the text.
    """

    program: str
    name_zh: str
    name_en: str
    #: The household's record id as given; shown (repr) with any resident ID in it masked.
    household: str = attrs.field(repr=lambda v: repr(mask_text(v)))
    month: str
    eligible: bool
    amount: Money
    period: Literal["monthly", "one_off_max"]
    first_failed: str | None
    basis: str
    versions: Mapping[str, str]
    #: The start date of the rule version applied.
    rule_version: str
    _explain: Callable[[], Explanation] = attrs.field(eq=False, repr=False, alias="explain")

    @functools.cached_property
    def explanation(self) -> Explanation:
        """The explanation, built on first use."""
        return self._explain()

    @property
    def conditions(self) -> tuple[ConditionResult, ...]:
        """Every condition with the values it compared."""
        return self.explanation.conditions

    @property
    def standards(self) -> tuple[StandardUsed, ...]:
        """The standards the evaluation read, with provenance."""
        return self.explanation.standards

    @property
    def standards_missing(self) -> tuple[str, ...]:
        """Standards the evaluation read that the region has not set."""
        return self.explanation.standards_missing

    @property
    def policies(self) -> tuple[PolicyUsed, ...]:
        """The policy points the evaluation read, with where their values came from."""
        return self.explanation.policies

    @property
    def incomes(self) -> tuple[IncomeLine, ...]:
        """Income items counted and excluded."""
        return self.explanation.incomes

    @property
    def steps(self) -> tuple[Step, ...]:
        """The arithmetic, step by step."""
        return self.explanation.steps

    @property
    def quantities(self) -> Mapping[str, str]:
        """Every shown value, for display."""
        return self.explanation.quantities

    @property
    def notes(self) -> tuple[Note, ...]:
        """Notes: provisional or stale standards."""
        return self.explanation.notes

    def name(self, lang: Lang = "zh") -> str:
        """The programme's name in *lang*."""
        return self.name_zh if lang == "zh" else self.name_en

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """JSON-ready form (the ``assess --format json`` contract)."""
        return {
            "program": self.program,
            "name": self.name(lang),
            "eligible": self.eligible,
            "amount": str(self.amount),
            "period": self.period,
            "first_failed": self.first_failed,
            "conditions": [
                {
                    "id": c.id,
                    "passed": c.passed,
                    "tested": c.tested,
                    "formula": c.formula,
                    "operands": {k: _json_value(v) for k, v in c.operands.items()},
                    "label": c.label(lang),
                    "values": dict(c.values),
                    "basis": c.basis,
                }
                for c in self.conditions
            ],
            "standards": [
                {
                    "key": s.key,
                    "region": s.region,
                    "residence": s.residence,
                    "value": s.value,
                    "unit": s.unit,
                    "effective_from": s.effective_from,
                    "until": s.until,
                    "source": dict(s.source),
                    "provisional": s.provisional,
                    "plugin": s.plugin,
                }
                for s in self.standards
            ],
            "standards_missing": list(self.standards_missing),
            "policies": [
                {
                    "point": p.point,
                    "label": p.zh if lang == "zh" else p.en,
                    "value": p.value,
                    "region": p.region,
                    "effective_from": p.effective_from,
                    "plugin": p.plugin,
                    "source": dict(p.source) if p.source else None,
                    "basis": p.basis,
                }
                for p in self.policies
            ],
            "incomes": [
                {
                    "member": i.member,
                    "relation": i.relation,
                    "kind": i.kind,
                    "monthly": str(i.monthly),
                    "counted": i.counted,
                    "rule": i.rule,
                }
                for i in self.incomes
            ],
            "steps": [
                {
                    "quantity": s.quantity,
                    "label": s.zh if lang == "zh" else s.en,
                    "formula": s.formula,
                    "operands": {k: _json_value(v) for k, v in s.operands.items()},
                    "result": _json_value(s.result),
                    "per_member": s.per_member,
                    "text": s.text(lang),
                }
                for s in self.steps
            ],
            "basis": self.basis,
            "notes": [n.text(lang) for n in self.notes],
            "versions": dict(self.versions),
            "rule_version": self.rule_version,
        }

    def render(self, lang: Lang = "zh") -> str:
        """A plain-text explanation in Chinese (default) or English."""
        zh = lang == "zh"
        out: list[str] = []
        verdict = (
            ("符合条件" if self.eligible else "不符合条件")
            if zh
            else ("eligible" if self.eligible else "not eligible")
        )
        amount = self.amount.zh() if zh else f"{self.amount} yuan"
        per = {"monthly": ("每月", "per month"), "one_off_max": ("一次性最高", "one-off maximum")}
        out.append(
            f"【{self.name(lang)}】{verdict}；{per[self.period][0]} {amount}"
            if zh
            else f"[{self.name(lang)}] {verdict}; {amount} {per[self.period][1]}"
        )
        out.append(("  依据：" if zh else "  Basis: ") + self.basis)
        out.append("  条件：" if zh else "  Conditions:")
        for c in self.conditions:
            mark = ("✓" if c.passed else "✗") if c.tested else "–"
            out.append(f"    {mark} {c.label(lang)}")
        if self.incomes:
            out.append("  收入：" if zh else "  Income:")
            for i in self.incomes:
                out.append(f"    {i.describe(lang)}")
        if self.standards:
            out.append("  标准：" if zh else "  Standards:")
            for s in self.standards:
                out.append(f"    {_standard_text(s, lang)}")
        if self.standards_missing:
            out.append(
                ("  未设标准：" if zh else "  No standard for: ")
                + ", ".join(self.standards_missing)
            )
        if self.steps:
            out.append("  计算：" if zh else "  Arithmetic:")
            for step in self.steps:
                out.append(f"    {step.text(lang)}")
        for note in self.notes:
            out.append(f"  * {note.text(lang)}")
        return "\n".join(out)


def _standard_text(s: StandardUsed, lang: Lang) -> str:
    """One standard with its provenance, in *lang*."""
    from civilaffairs.standards.catalogue import Unit

    src = s.source.get("document") or s.source.get("title") or ""
    issuer = s.source.get("issuer") or ""
    try:
        unit = Unit(s.unit).zh if lang == "zh" else s.unit
    except ValueError:
        unit = s.unit
    if lang == "zh":
        prov = "（暂定）" if s.provisional else ""
        return (
            f"{s.key} = {s.value} {unit}{prov}；{s.region}，自 {s.effective_from} 起；"
            f"{issuer} {src}；插件 {s.plugin}"
        )
    prov = " (provisional)" if s.provisional else ""
    return (
        f"{s.key} = {s.value} {unit}{prov}; {s.region}, from {s.effective_from}; "
        f"{issuer} {src}; plugin {s.plugin}"
    )


def _json_value(value: Any) -> Any:
    """A typed step value in JSON: money and ratios as decimal strings."""
    kind = type(value)
    if kind is Money:
        return str(value)
    if kind is int or kind is bool or kind is str or value is None:
        return value
    from decimal import Decimal

    if isinstance(value, Decimal):
        from civilaffairs.engine.explain import display

        return display(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


@attrs.frozen
class Assessment:
    """All decisions for one household in one month.

    The household's record id is kept as given; :meth:`to_dict`, :meth:`render` and
    ``repr`` show it with any resident ID in it masked (:func:`civilaffairs.ids.mask_text`).
    """

    household: str = attrs.field(repr=lambda v: repr(mask_text(v)))
    month: str
    region: str
    residence: str
    decisions: tuple[Decision, ...]
    versions: Mapping[str, str]
    #: Programmes not assessed, with the reason (a standard the region has not published).
    skipped: tuple[Skipped, ...] = ()

    def skipped_reasons(self, lang: Lang = "en") -> dict[str, str]:
        """Why each skipped programme was not assessed, by programme id."""
        return {s.program: s.reason(lang) for s in self.skipped}

    def __getitem__(self, program: str) -> Decision:
        for d in self.decisions:
            if d.program == program:
                return d
        raise KeyError(program)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """JSON-ready form (the ``assess --format json`` contract)."""
        return {
            "household": mask_text(self.household),
            "month": self.month,
            "region": self.region,
            "residence": self.residence,
            "decisions": [d.to_dict(lang) for d in self.decisions],
            "skipped": [
                {"program": s.program, "name": s.name(lang), "reason": s.reason(lang)}
                for s in self.skipped
            ],
            "versions": dict(self.versions),
        }

    def to_json(self, lang: Lang = "zh", *, indent: int | None = 2) -> str:
        """Serialise to JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent)

    def render(self, lang: Lang = "zh") -> str:
        """Every decision as text."""
        head = (
            f"家庭 {mask_text(self.household)}，{self.region}，{self.month}"
            if lang == "zh"
            else f"Household {mask_text(self.household)}, {self.region}, {self.month}"
        )
        lines = [head]
        for d in self.decisions:
            mark = "✓" if d.eligible else "✗"
            amount = d.amount.zh() if lang == "zh" else f"{d.amount} yuan"
            lines.append(f"  {mark} {d.name(lang)}: {amount}")
        for skipped in self.skipped:
            lines.append(
                f"  – {skipped.name(lang)}: "
                + ("未评估（见下）" if lang == "zh" else "not assessed (see below)")
            )
        lines.append("")
        lines += [d.render(lang) for d in self.decisions]
        for skipped in self.skipped:
            lines.append(
                f"【{skipped.name_zh}】未评估：{skipped.reason_zh}"
                if lang == "zh"
                else f"[{skipped.name_en}] not assessed: {skipped.reason_en}"
            )
        return "\n".join(lines)
