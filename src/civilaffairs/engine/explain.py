"""The explanation (说明) of one household's evaluation, derived from the expression trees.

Each step's formula is :func:`~civilaffairs.engine.compiler.render` of the quantity's tree;
its operands are the values the scalar evaluator read or computed for exactly the names in
that tree. Nothing here restates a rule, so the text cannot disagree with the computation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from civilaffairs.engine.expr import _CODE_BASE, INCOME_KINDS, PERSON_COLUMNS, STATUS_KINDS, Expr
from civilaffairs.engine.render import leaf_name, render
from civilaffairs.money import Money
from civilaffairs.programs.base import RuleVersion

__all__ = ["condition_plan", "display", "operands_of", "step_plan", "typed"]

_STATUS = ("own", "father", "mother", "father_6m", "mother_6m")


def typed(value: Any, node: Expr) -> Any:
    """An evaluator value as the explanation shows it (Money, Decimal, int, bool, name)."""
    if value is None:
        return None
    unit = node.unit
    if unit == "money":
        return Money.from_fen(int(value))
    if unit == "ratio":
        return Decimal(int(value)) / 10000
    if unit == "flag":
        return bool(value)
    if unit == "count":
        return int(value)
    if unit in ("choice", "rounding"):
        return node.choices[int(value)]
    if unit == "kinds":
        return tuple(k for i, k in enumerate(INCOME_KINDS) if int(value) >> i & 1)
    if unit == "code":
        if node.op == "input" and node.meta in _STATUS:
            return frozenset(k for i, k in enumerate(STATUS_KINDS) if int(value) >> i & 1)
        base = _CODE_BASE.get(node.meta if node.op == "input" else "", 1)
        v = int(value) - base
        return node.choices[v] if 0 <= v < len(node.choices) else None
    return value


def display(value: Any, lang: str = "zh") -> str:
    """A typed value as text."""
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
        return "[" + ", ".join(display(v, lang) for v in value) + "]"
    return str(value)


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
            if node.op in ("ref", "input", "std", "policy", "eligible"):
                leaves.setdefault(leaf_name(node), node)
        plan.append((q.name, render(q.expr), tuple(leaves.values())))
    return tuple(plan)


@cache
def condition_plan(version: RuleVersion) -> tuple[tuple[str, tuple[Expr, ...]], ...]:
    """Per condition: the formula text of its test and the leaves it reads."""
    plan = []
    for c in version.conditions:
        leaves: dict[str, Expr] = {}
        for node in c.test.walk():
            if node.op in ("ref", "input", "std", "policy", "eligible"):
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
            if node.level == "household":
                v = H[node.meta]
            else:
                col = P[PERSON_COLUMNS.get(node.meta, node.meta)]
                out[leaf_name(node)] = tuple(typed(col[i], node) for i in living)
                continue
        elif op == "std":
            v = S[node.meta[0]]
        elif op == "policy":
            v = C[node.meta[1].name]
        else:
            v = E[node.meta]
        if node.level == "person":
            out[leaf_name(node)] = tuple(typed(v[i], node) for i in living)
        else:
            out[leaf_name(node)] = typed(v, node)
    return out
