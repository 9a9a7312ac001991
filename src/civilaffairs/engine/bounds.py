"""Proof that column-wise arithmetic stays inside int64 (取值范围).

Bulk evaluation holds money in int64 fen. Rather than check every operation at run time, the
compiler bounds every node of a rule's tree from the bounds of its inputs (the limits the
domain and the Arrow reader enforce, and the limits of standards and policy values) and marks
the nodes whose bound could reach 2**62. Only those are computed in exact arithmetic, and a
result beyond int64 is an :class:`~civilaffairs.errors.AmountOutOfRange` error, never a
wrapped number. Rules with the national inputs never reach the mark; a rule that multiplies
large amounts does, and pays for exactness only there.

The single-household evaluator works in Python integers, which cannot overflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civilaffairs.engine.expr import PERSON_COLUMNS, Expr

if TYPE_CHECKING:
    from civilaffairs.programs.base import RuleVersion

__all__ = [
    "LIMIT",
    "MAX_ITEMS",
    "MAX_ITEM_FEN",
    "MAX_MEMBERS",
    "MAX_RATIO_UNITS",
    "MAX_STANDARD_FEN",
    "bound",
    "checked_nodes",
]

#: Largest amount of one income, asset or expense item, in fen (100 亿元); enforced on input.
MAX_ITEM_FEN = 10**12
#: Most items of one kind a person or household records (as the domain limits).
MAX_ITEMS = 50
#: Most members of a household.
MAX_MEMBERS = 100
#: Largest standard value in fen the engine accepts (1 亿元 a month).
MAX_STANDARD_FEN = 10**10
#: Largest ratio, in 1/10000 units (a multiple of 10 000).
MAX_RATIO_UNITS = 10**8
#: Nodes whose bound reaches this are computed exactly.
LIMIT = 2**62

_COUNT = 10**6  # counts of things (vehicles, properties) and whole-number policy values
_CODE = 2**31


def _input_bound(node: Expr) -> int:
    name = PERSON_COLUMNS.get(node.meta, node.meta)
    if node.unit == "money":
        return MAX_ITEMS * MAX_ITEM_FEN
    if node.unit == "flag":
        return 1
    if name == "size":
        return MAX_MEMBERS
    if name == "able_supporters":
        return MAX_ITEMS
    if name == "age":
        return 200
    if node.unit == "code":
        return _CODE
    return _COUNT


def bound(node: Expr, quantities: dict[str, Expr] | None = None) -> int:
    """The largest absolute value *node* can take over valid inputs (an over-estimate);
    *quantities* gives the expressions of the quantities it refers to."""
    return _Bounds(quantities or {}).of(node)


class _Bounds:
    def __init__(self, quantities: dict[str, Expr]) -> None:
        self.quantities = quantities
        self.memo: dict[int, int] = {}

    def of(self, node: Expr) -> int:
        hit = self.memo.get(id(node))
        if hit is None:
            hit = self.memo[id(node)] = self._of(node)
        return hit

    def _of(self, node: Expr) -> int:
        op, a = node.op, node.args
        of = self.of
        if op == "const":
            return abs(int(node.meta))
        if op == "name":
            return abs(int(node.meta[1]))
        if op == "input":
            return _input_bound(node)
        if op == "ref" and node.meta[1] in self.quantities:
            return of(self.quantities[node.meta[1]])
        if op in ("std", "policy", "peer", "ref", "eligible"):
            if node.unit == "money":
                return MAX_STANDARD_FEN if op == "std" else _PEER_MONEY
            if node.unit == "ratio":
                return MAX_RATIO_UNITS
            if node.unit == "flag":
                return 1
            if node.unit == "kinds":
                return _CODE
            return _COUNT
        if op in ("add", "sub"):
            return of(a[0]) + of(a[1])
        if op == "mul":
            return of(a[0]) * of(a[1])
        if op == "rmul":
            return of(a[0]) * of(a[1]) // 10_000 + 1
        if op in ("div", "or_else", "only", "max", "min", "where", "round"):
            return max((of(x) for x in a), default=0) + (100 if op == "round" else 0)
        if op in ("count", "any", "all"):
            return MAX_MEMBERS
        if op == "total":
            return of(a[0]) * MAX_MEMBERS
        if op == "income":
            return MAX_MEMBERS * MAX_ITEMS * MAX_ITEM_FEN
        if op == "pincome":
            return MAX_ITEMS * MAX_ITEM_FEN
        return 1  # comparisons, logic, has, is_set: flags


#: A money value read from another programme: as large as a household's incomes.
_PEER_MONEY = MAX_MEMBERS * MAX_ITEMS * MAX_ITEM_FEN * 12


def checked_nodes(version: RuleVersion) -> frozenset[int]:
    """Ids of the nodes of *version* whose value could reach :data:`LIMIT`."""
    b = _Bounds({q.name: q.expr for q in version.quantities})
    return frozenset(id(n) for n in version.nodes() if b.of(n) >= LIMIT)
