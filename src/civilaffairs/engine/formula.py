"""The arithmetic stated by a quantity's ``formula``, evaluated from recorded operands.

Formulas are Python expressions over quantity names with ``+ - *``, comparisons and the
functions ``where(c, a, b)``, ``max(a, b)``, ``min(a, b)``, ``ratio(fen, units)`` (fen ×
units / 10000, half up), ``round_yuan(fen, code)``. Nothing else is allowed, so a formula
can be shown in a decision and recomputed by anyone from the numbers beside it.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import cache
from typing import Any

from civilaffairs.engine.ops import SCALAR

__all__ = ["evaluate_formula", "formula_names"]

_FUNCS: dict[str, Any] = {
    "where": lambda c, a, b: a if c else b,
    "max": lambda a, b: a if a >= b else b,
    "min": lambda a, b: a if a <= b else b,
    "ratio": SCALAR.mul_ratio,
    "round_yuan": SCALAR.round,
}


@cache
def _parse(formula: str) -> ast.Expression:
    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        ok = isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Name,
                ast.Load,
                ast.Constant,
                ast.Call,
                ast.Compare,
                ast.Lt,
                ast.LtE,
                ast.Gt,
                ast.GtE,
                ast.Eq,
                ast.NotEq,
                ast.UnaryOp,
                ast.USub,
            ),
        )
        if not ok:
            raise ValueError(f"formula {formula!r} uses {type(node).__name__}, not allowed")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _FUNCS
        ):
            raise ValueError(f"formula {formula!r} calls an unknown function")
    return tree


@cache
def formula_names(formula: str) -> tuple[str, ...]:
    """The operand names a formula reads (functions excluded), in order of appearance."""
    names = [
        n.id for n in ast.walk(_parse(formula)) if isinstance(n, ast.Name) and n.id not in _FUNCS
    ]
    return tuple(dict.fromkeys(names))


def evaluate_formula(formula: str, operands: Mapping[str, Any]) -> Any:
    """Evaluate *formula* with *operands* (ints and bools)."""
    code = compile(_parse(formula), "<formula>", "eval")
    return eval(code, {"__builtins__": {}}, {**_FUNCS, **operands})
