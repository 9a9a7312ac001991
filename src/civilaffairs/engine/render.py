"""Formula text of rule expressions (公式文本).

:func:`render` writes an expression tree as the formula a decision shows: Python-like text
over the names of quantities, inputs, standards and policy points. The same text is what
:func:`civilaffairs.engine.formula.evaluate_formula` recomputes from a decision's operands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civilaffairs.engine.expr import Expr

__all__ = ["leaf_name", "render"]

RATIO = 10_000


_PREC = {
    "or": 1,
    "and": 2,
    "not": 3,
    "lt": 4,
    "le": 4,
    "gt": 4,
    "ge": 4,
    "eq": 4,
    "ne": 4,
    "add": 5,
    "sub": 5,
    "mul": 6,
    "rmul": 6,
    "div": 6,
}
SYMBOLS = {
    "or": "or",
    "and": "and",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "eq": "==",
    "ne": "!=",
    "add": "+",
    "sub": "-",
    "mul": "*",
    "rmul": "*",
    "div": "/",
}
_FUNCS = {
    "where": "where",
    "max": "max",
    "min": "min",
    "count": "count",
    "total": "total",
    "any": "any_member",
    "all": "all_members",
    "is_set": "is_set",
    "or_else": "or_else",
    "round": "round_to_yuan",
    "only": "only_where",
}


def leaf_name(node: Expr) -> str:
    """The name a leaf goes by in formulas and among a step's operands."""
    op = node.op
    if op == "ref":
        return str(node.meta[1])
    if op == "input":
        return str(node.meta)
    if op == "std":
        return str(node.meta[0]).replace(".", "_")
    if op == "policy":
        return str(node.meta[1].name)
    if op == "eligible":
        return f"eligible_{node.meta}"
    if op == "peer":
        return f"{node.meta[0]}_{node.meta[1]}"
    raise ValueError(op)


def _const_text(node: Expr) -> str:
    v = node.meta
    if node.unit == "flag":
        return "true" if v else "false"
    if node.unit == "money":
        from civilaffairs.money import Money

        return str(Money.from_fen(v))
    if node.unit == "ratio":
        return f'ratio("{_ratio_text(v)}")'
    return str(v)


def _ratio_text(units: int) -> str:
    whole, frac = divmod(int(units), RATIO)
    return f"{whole}.{frac:04d}".rstrip("0").rstrip(".")


def render(node: Expr, parent: int = 0) -> str:
    """The formula text of *node* (Python-like; names of quantities, inputs, standards and
    policy points stand for their values)."""
    op = node.op
    if op == "const":
        return _const_text(node)
    if op == "name":
        return "none" if node.meta[0] is None else f'"{node.meta[0]}"'
    if op in ("ref", "input", "std", "policy", "eligible", "peer"):
        return leaf_name(node)
    if op == "pincome":
        return f"member_income({render(node.args[0])})"
    if op == "income":
        who = f", {render(node.args[1])}" if len(node.args) > 1 else ""
        return f"countable_income({render(node.args[0])}{who})"
    if op == "has":
        from civilaffairs.domain import StatusKind

        kinds = [k.value for i, k in enumerate(StatusKind) if node.meta >> i & 1]
        return f"has({render(node.args[0])}, " + ", ".join(f'"{k}"' for k in kinds) + ")"
    if op in _FUNCS:
        return f"{_FUNCS[op]}(" + ", ".join(render(a) for a in node.args) + ")"
    if op == "not":
        text = f"not {render(node.args[0], 3)}"
        return f"({text})" if parent > 3 else text
    prec = _PREC[op]
    left = render(node.args[0], prec)
    # the right operand of - and /, and any operand of a comparison, binds tighter
    right_prec = prec + 1 if op in ("sub", "div") or prec == 4 else prec
    if prec == 4:
        left = render(node.args[0], 5)
    right = render(node.args[1], right_prec)
    text = f"{left} {SYMBOLS[op]} {right}"
    return f"({text})" if parent > prec or (parent == prec and prec == 4) else text
