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

import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from civilaffairs.money import Money

__all__ = [
    "Assessment",
    "ConditionResult",
    "Decision",
    "IncomeLine",
    "PolicyUsed",
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
    """One income item of one member, counted or excluded, and why."""

    member: str
    kind: str
    monthly: Money
    counted: bool
    rule: str


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

    def text(self, lang: Lang = "zh") -> str:
        """``差额: threshold - countable_income = 4350.00 - 3600.00 = 750.00``."""
        from civilaffairs.engine.explain import display

        shown = self.formula
        for name, value in sorted(self.operands.items(), key=lambda kv: -len(kv[0])):
            text = f'"{value}"' if isinstance(value, str) else display(value, lang)
            shown = _replace_name(shown, name, text)
        label = self.zh if lang == "zh" else self.en
        return f"{label}: {self.formula} = {shown} = {display(self.result, lang)}"


def _replace_name(text: str, name: str, value: str) -> str:
    import re

    return re.sub(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", lambda _: value, text)


@attrs.frozen
class Decision:
    """The decision of one programme for one household in one month."""

    program: str
    name_zh: str
    name_en: str
    household: str
    month: str
    eligible: bool
    amount: Money
    period: Literal["monthly", "one_off_max"]
    first_failed: str | None
    conditions: tuple[ConditionResult, ...]
    standards: tuple[StandardUsed, ...]
    standards_missing: tuple[str, ...]
    policies: tuple[PolicyUsed, ...]
    incomes: tuple[IncomeLine, ...]
    steps: tuple[Step, ...]
    quantities: Mapping[str, str]
    basis: str
    notes: tuple[str, ...]
    versions: Mapping[str, str]
    #: The start date of the rule version applied.
    rule_version: str = ""

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
                    "text": s.text(lang),
                }
                for s in self.steps
            ],
            "basis": self.basis,
            "notes": list(self.notes),
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
                state = (
                    ("计入" if i.counted else "不计入")
                    if zh
                    else ("counted" if i.counted else "excluded")
                )
                out.append(
                    f"    {i.member} {i.kind} {i.monthly} — {state}"
                    + ("" if i.counted else f"（{i.rule}）")
                )
        if self.standards:
            out.append("  标准：" if zh else "  Standards:")
            for s in self.standards:
                src = s.source.get("document") or s.source.get("title") or ""
                prov = ("（暂定）" if zh else " (provisional)") if s.provisional else ""
                out.append(
                    f"    {s.key} = {s.value} {s.unit}{prov}；{s.region}，自 {s.effective_from}；"
                    f"{s.source.get('issuer') or ''} {src}；plugin {s.plugin}"
                    if zh
                    else f"    {s.key} = {s.value} {s.unit}{prov}; {s.region}, from "
                    f"{s.effective_from}; {s.source.get('issuer') or ''} {src}; "
                    f"plugin {s.plugin}"
                )
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
            out.append(f"  * {note}")
        return "\n".join(out)


def _json_value(value: Any) -> Any:
    """A typed step value in JSON: money and ratios as decimal strings."""
    from decimal import Decimal

    if isinstance(value, Money):
        return str(value)
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
    """All decisions for one household in one month."""

    household: str
    month: str
    region: str
    residence: str
    decisions: tuple[Decision, ...]
    versions: Mapping[str, str]
    #: Programmes not assessed, with the reason (a standard the region has not published).
    skipped: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, program: str) -> Decision:
        for d in self.decisions:
            if d.program == program:
                return d
        raise KeyError(program)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """JSON-ready form (the ``assess --format json`` contract)."""
        return {
            "household": self.household,
            "month": self.month,
            "region": self.region,
            "residence": self.residence,
            "decisions": [d.to_dict(lang) for d in self.decisions],
            "skipped": [{"program": p, "reason": r} for p, r in self.skipped],
            "versions": dict(self.versions),
        }

    def to_json(self, lang: Lang = "zh", *, indent: int | None = 2) -> str:
        """Serialise to JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent)

    def render(self, lang: Lang = "zh") -> str:
        """Every decision as text."""
        head = (
            f"家庭 {self.household}，{self.region}，{self.month}"
            if lang == "zh"
            else f"Household {self.household}, {self.region}, {self.month}"
        )
        lines = [head]
        for d in self.decisions:
            mark = "✓" if d.eligible else "✗"
            amount = d.amount.zh() if lang == "zh" else f"{d.amount} yuan"
            lines.append(f"  {mark} {d.name(lang)}: {amount}")
        for program, _ in self.skipped:
            lines.append(
                f"  – {program}: " + ("未评估（见下）" if lang == "zh" else "not assessed")
            )
        lines.append("")
        lines += [d.render(lang) for d in self.decisions]
        for program, reason in self.skipped:
            lines.append(
                f"【{program}】未评估：{reason}"
                if lang == "zh"
                else f"[{program}] not assessed: {reason}"
            )
        return "\n".join(lines)
