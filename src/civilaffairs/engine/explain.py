"""The explanation (说明) of one household's evaluation, derived from the expression trees.

Each step's formula is :func:`~civilaffairs.engine.compiler.render` of the quantity's tree;
its operands are the values the scalar evaluator read or computed for exactly the names in
that tree. Nothing here restates a rule, so the text cannot disagree with the computation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from civilaffairs.engine.expr import _CODE_BASE, INCOME_KINDS, PERSON_COLUMNS, STATUS_KINDS, Expr
from civilaffairs.engine.render import leaf_name, render
from civilaffairs.money import Money
from civilaffairs.programs.base import RuleVersion

__all__ = [
    "condition_plan",
    "condition_quantities",
    "converter",
    "display",
    "label_value",
    "operands_of",
    "step_plan",
    "typed",
]

_STATUS = ("own", "father", "mother", "father_6m", "mother_6m", "father_term6", "mother_term6")


def typed(value: Any, node: Expr) -> Any:
    """An evaluator value as the explanation shows it (Money, Decimal, int, bool, name)."""
    return converter(node)(value)


@cache
def converter(node: Expr) -> Callable[[Any], Any]:
    """The function that turns evaluator values of *node* into typed values (built once per
    node)."""
    unit = node.unit
    fn: Callable[[Any], Any]
    if unit == "money":
        fn = Money.from_fen
    elif unit == "ratio":
        fn = _ratio
    elif unit == "flag":
        fn = bool
    elif unit == "count":
        fn = int
    elif unit in ("choice", "rounding"):
        fn = node.choices.__getitem__
    elif unit == "kinds":
        fn = _kinds
    elif unit == "code" and node.op == "input" and node.meta in _STATUS:
        fn = _statuses
    elif unit == "code":
        base = _CODE_BASE.get(node.meta if node.op == "input" else "", 1)
        names = node.choices

        def fn(v: Any) -> Any:
            i = int(v) - base
            return names[i] if 0 <= i < len(names) else None

    else:
        return _same
    return lambda v: None if v is None else fn(v)


def _same(value: Any) -> Any:
    return value


def _ratio(units: Any) -> Decimal:
    return Decimal(int(units)) / 10000


@cache
def _kinds(bits: int) -> tuple[str, ...]:
    return tuple(k for i, k in enumerate(INCOME_KINDS) if int(bits) >> i & 1)


@cache
def _statuses(bits: int) -> frozenset[str]:
    return frozenset(k for i, k in enumerate(STATUS_KINDS) if int(bits) >> i & 1)


def display(value: Any, lang: str = "zh") -> str:
    """A typed value as text."""
    kind = type(value)
    if kind is Money or kind is int or kind is str:  # the common cases first
        return str(value)
    if value is None:
        return "未设定" if lang == "zh" else "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, tuple):
        # one value per member: the common kinds inline, without a call each
        none = "未设定" if lang == "zh" else "not set"
        parts = []
        for v in value:
            k = type(v)
            if k is bool:
                parts.append("true" if v else "false")
            elif k is Money or k is int or k is str:
                parts.append(str(v))
            elif v is None:
                parts.append(none)
            else:
                parts.append(display(v, lang))
        return "[" + ", ".join(parts) + "]"
    return str(value)


def label_value(value: Any, lang: str = "zh") -> str:
    """A typed value inside a condition's label: money with its unit, flags as words."""
    if value is None:
        return "未设定" if lang == "zh" else "not set"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Money):
        return f"{value} 元" if lang == "zh" else f"{value} yuan"
    return display(value, lang)


@cache
def step_plan(version: RuleVersion) -> tuple[tuple[str, str, tuple[Expr, ...]], ...]:
    """Per step quantity: its name, its formula text and the leaves it reads (once per
    version)."""
    plan = []
    for q in version.quantities:
        if not q.is_step:
            continue
        leaves: dict[str, Expr] = {}
        for node in q.expr.walk():
            if node.op in ("ref", "input", "std", "policy", "eligible", "peer"):
                leaves.setdefault(leaf_name(node), node)
        plan.append((q.name, render(q.expr), tuple(leaves.values())))
    return tuple(plan)


@cache
def condition_quantities(version: RuleVersion) -> frozenset[str]:
    """The quantities the conditions read, directly or through other quantities: the steps
    that explain a refusal (the others only compute an amount that is not paid)."""
    exprs = {q.name: q.expr for q in version.quantities}
    todo = [c.test for c in version.conditions] + [
        c.when for c in version.conditions if c.when is not None
    ]
    seen: set[str] = set()
    while todo:
        for node in todo.pop().walk():
            if node.op == "ref" and node.meta[1] not in seen:
                seen.add(node.meta[1])
                todo.append(exprs[node.meta[1]])
    return frozenset(seen)


@cache
def condition_plan(version: RuleVersion) -> tuple[tuple[str, tuple[Expr, ...]], ...]:
    """Per condition: the formula text of its test and the leaves it reads."""
    plan = []
    for c in version.conditions:
        leaves: dict[str, Expr] = {}
        for node in c.test.walk():
            if node.op in ("ref", "input", "std", "policy", "eligible", "peer"):
                leaves.setdefault(leaf_name(node), node)
        plan.append((render(c.test), tuple(leaves.values())))
    return tuple(plan)


def operands_of(
    leaves: Sequence[Expr],
    values: Mapping[str, Any],
    S: Mapping[str, Any],
    C: Mapping[str, Any],
    H: Mapping[str, Any],
    P: Mapping[str, Sequence[Any]],
    living: Sequence[int],
    E: Mapping[str, Any],
) -> dict[str, Any]:
    """The typed values of *leaves* for one household (per-member values over the living)."""
    out: dict[str, Any] = {}
    for node in leaves:
        op = node.op
        if op == "ref":
            v = values[node.meta[1]]
        elif op == "input":
            v = (
                H[node.meta]
                if node.level == "household"
                else P[PERSON_COLUMNS.get(node.meta, node.meta)]
            )
        elif op == "std":
            v = S[node.meta[0]]
        elif op == "policy":
            v = C[node.meta[1].name]
        elif op == "peer":
            v = E[f"{node.meta[0]}.{node.meta[1]}"]
        else:
            v = E[node.meta]
        fn = converter(node)
        if node.level == "person":
            out[leaf_name(node)] = tuple([fn(v[i]) for i in living])
        else:
            out[leaf_name(node)] = fn(v)
    return out
