"""An independent evaluator of a decision's formulas (公式复算).

A decision's steps show ``label: formula = formula with the values = result``. The formula
text is rendered from the same expression tree the evaluators ran; this module evaluates
that *text* again from the operands shown beside it, with its own arithmetic (Decimal yuan
rather than integer fen), so a test — or an appeal reviewer — can check every step without
trusting the engine.

Values: money is :class:`~civilaffairs.money.Money`, ratios :class:`~decimal.Decimal`,
counts ``int``, flags ``bool``, codes and choices their names, statuses a frozenset of names,
*not set* ``None``; a tuple of such values is one value per living member.

>>> from civilaffairs.money import Money
>>> evaluate_formula("standard * size - income",
...                  {"standard": Money.parse("1450"), "size": 3, "income": Money.parse("3600")})
Money('750.00')
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from civilaffairs.money import Money

__all__ = ["evaluate_formula", "formula_names"]

_CENT = Decimal("0.01")
_FUNCS = frozenset(
    {
        "where",
        "only_where",
        "max",
        "min",
        "count",
        "total",
        "any_member",
        "all_members",
        "is_set",
        "or_else",
        "round_to_yuan",
        "money",
        "ratio",
        "has",
        "countable_income",
    }
)
_NAMES: dict[str, Any] = {"true": True, "false": False, "none": None}


@cache
def _parse(formula: str) -> ast.Expression:
    return ast.parse(formula, mode="eval")


@cache
def formula_names(formula: str) -> tuple[str, ...]:
    """The operand names a formula reads (functions excluded), in order of appearance."""
    names = [
        n.id
        for n in ast.walk(_parse(formula))
        if isinstance(n, ast.Name) and n.id not in _FUNCS and n.id not in _NAMES
    ]
    return tuple(dict.fromkeys(names))


def _money_of(d: Decimal) -> Money:
    return Money.parse(str(d.quantize(_CENT, rounding=ROUND_HALF_UP)))


def _mul(a: Any, b: Any) -> Any:
    if isinstance(a, Money) and isinstance(b, Decimal):
        return _money_of(a.to_decimal() * b)
    if isinstance(a, Decimal) and isinstance(b, Money):
        return _mul(b, a)
    if isinstance(a, Money) and isinstance(b, int):
        return a * b
    if isinstance(a, int) and isinstance(b, Money):
        return b * a
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    raise TypeError(f"cannot multiply {a!r} by {b!r}")


def _div(a: Any, b: int) -> Any:
    b = b if b > 0 else 1
    if isinstance(a, Money):
        return _money_of(a.to_decimal() / b)
    return int((Decimal(a) / b).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _round_yuan(x: Money, how: str) -> Money:
    from decimal import ROUND_CEILING, ROUND_FLOOR

    if how == "none":
        return x
    mode = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "half_up": ROUND_HALF_UP}[how]
    return Money.parse(str(x.to_decimal().quantize(Decimal(1), rounding=mode)))


def _zero_like(x: Any) -> Any:
    return Money(0) if isinstance(x, Money) else 0


def _money_source(text: str | None) -> str:
    if text is None:  # pragma: no cover - the parser always has the source
        raise ValueError("a constant without source text")
    return text


class _Zero(int):
    """The sum over no members: zero of any unit."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return other.fen == 0
        return int(self) == other

    __hash__ = int.__hash__


class _Eval:
    def __init__(self, operands: Mapping[str, Any], source: str) -> None:
        self.env = operands
        self.source = source

    def run(self, node: ast.AST, i: int | None) -> Any:
        if isinstance(node, ast.Expression):
            return self.run(node.body, i)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, float):  # money is written in yuan with 2 decimals
                return Money.parse(_money_source(ast.get_source_segment(self.source, node)))
            return node.value
        if isinstance(node, ast.Name):
            if node.id in _NAMES:
                return _NAMES[node.id]
            v = self.env[node.id]
            if isinstance(v, tuple) and i is not None:
                return v[i]
            return v
        if isinstance(node, ast.BinOp):
            a, b = self.run(node.left, i), self.run(node.right, i)
            if isinstance(node.op, ast.Add):
                return _zero_like(b) + b if a == 0 and not isinstance(a, Money) else a + b
            if isinstance(node.op, ast.Sub):
                if b == 0 and not isinstance(b, Money):
                    return a
                return (_zero_like(b) if a == 0 and not isinstance(a, Money) else a) - b
            if isinstance(node.op, ast.Mult):
                return _mul(a, b)
            if isinstance(node.op, ast.Div):
                return _div(a, b)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.run(node.operand, i)
        if isinstance(node, ast.BoolOp):
            vals = [self.run(v, i) for v in node.values]
            return all(vals) if isinstance(node.op, ast.And) else any(vals)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a = self.run(node.left, i)
            b = self.run(node.comparators[0], i)
            a, b = _comparable(a), _comparable(b)
            return _COMPARE[type(node.ops[0])](a, b)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node.func.id, node.args, i)
        raise ValueError(f"formula element {ast.dump(node)} is not allowed")

    def call(self, fn: str, args: list[ast.expr], i: int | None) -> Any:
        if fn in ("count", "total", "any_member", "all_members"):
            size = self.members(args[0])
            per = [self.run(args[0], k) for k in range(size)]
            if fn == "count":
                return sum(1 for v in per if v)
            if fn == "total":
                out: Any = _Zero(0)
                for v in per:
                    out = v if out == 0 and not isinstance(out, Money) else out + v
                return out
            return any(per) if fn == "any_member" else all(per)
        if fn == "where":
            return self.run(args[1], i) if self.run(args[0], i) else self.run(args[2], i)
        if fn == "only_where":
            return self.run(args[1], i) if self.run(args[0], i) else None
        if fn == "has":
            statuses = self.run(args[0], i)
            kinds = [self.run(a, i) for a in args[1:]]
            return any(k in statuses for k in kinds)
        vals = [self.run(a, i) for a in args]
        if fn == "max":
            a, b = vals
            return a if _comparable(a) >= _comparable(b) else b
        if fn == "min":
            a, b = vals
            return a if _comparable(a) <= _comparable(b) else b
        if fn == "is_set":
            return vals[0] is not None
        if fn == "or_else":
            return vals[1] if vals[0] is None else vals[0]
        if fn == "round_to_yuan":
            return _round_yuan(vals[0], vals[1])
        if fn == "money":
            return Money.parse(vals[0])
        if fn == "ratio":
            return Decimal(vals[0])
        raise ValueError(f"unknown function {fn!r}")

    def members(self, node: ast.AST) -> int:
        """How many members the per-member operands under *node* describe."""
        sizes = {
            len(v)
            for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(v := self.env.get(n.id), tuple)
        }
        if len(sizes) > 1:
            raise ValueError("per-member operands of different lengths")
        return sizes.pop() if sizes else 0


def _comparable(v: Any) -> Any:
    if isinstance(v, Money):
        return v.fen
    if isinstance(v, Decimal):
        return v
    return v


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


def evaluate_formula(formula: str, operands: Mapping[str, Any], *, per_member: bool = False) -> Any:
    """Evaluate *formula* with *operands* (see the module docs for the value types).

    With *per_member*, the formula is evaluated once for each living member (the length of
    the per-member operands) and a tuple of results is returned.
    """
    ev = _Eval(operands, formula)
    tree = _parse(formula)
    if not per_member:
        return ev.run(tree, None)
    return tuple(ev.run(tree, i) for i in range(ev.members(tree)))
