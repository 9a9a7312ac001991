"""The operation vocabulary of rules (规则运算), in two implementations.

A programme's formulas are written once against ``ops``. :class:`ScalarOps` evaluates them
for one household with plain Python ints (person-level values are small numpy arrays);
:class:`ArrayOps` evaluates them for a batch, where every household-level value is a numpy
array with one element per household and person-level values are flat arrays over all
members, grouped by ``person_hh`` (the household index of each person).

Arithmetic (``+ - *``) and comparisons (``< <= == ...``) are written with Python
operators: they mean the same on ints and arrays. What does *not* (``and``/``or``/``not``,
``if``, ``max``, ``sum``) goes through ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Protocol

import numpy as np

from civilaffairs.money import Rounding

__all__ = ["ROUNDING_CODES", "SCALAR", "ArrayOps", "Ops", "ScalarOps"]

#: Rounding choices in the order used for their array codes.
ROUNDING_CODES: tuple[str, ...] = tuple(r.value for r in Rounding)
_UP = ROUNDING_CODES.index("up")
_DOWN = ROUNDING_CODES.index("down")
_HALF = ROUNDING_CODES.index("half_up")


class Ops(Protocol):
    """What a rule may call on ``ops``."""

    #: True for the batch implementation.
    batch: bool

    def and_(self, *xs: Any) -> Any: ...
    def or_(self, *xs: Any) -> Any: ...
    def not_(self, x: Any) -> Any: ...
    def where(self, cond: Any, a: Any, b: Any) -> Any: ...
    def max(self, a: Any, b: Any) -> Any: ...
    def min(self, a: Any, b: Any) -> Any: ...
    def sum_members(self, x: Any) -> Any: ...
    def count_members(self, x: Any) -> Any: ...
    def any_member(self, x: Any) -> Any: ...
    def all_members(self, x: Any) -> Any: ...
    def to_members(self, x: Any) -> Any: ...
    def mul_ratio(self, fen: Any, units: Any) -> Any: ...
    def round(self, fen: Any, code: Any) -> Any: ...
    def bit(self, bits: Any, index: int) -> Any: ...
    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any: ...


def _round_int(fen: int, code: int) -> int:
    if code == _UP:
        return -((-fen) // 100) * 100
    if code == _DOWN:
        return (fen // 100) * 100
    if code == _HALF:
        sign = -1 if fen < 0 else 1
        return sign * ((abs(fen) + 50) // 100) * 100
    return fen


class ScalarOps:
    """One household: household values are Python ints/bools."""

    batch = False

    def __init__(self, person_hh: Any = None, n: int = 1) -> None:
        self.n = n

    def and_(self, *xs: Any) -> Any:
        return all(bool(x) for x in xs)

    def or_(self, *xs: Any) -> Any:
        return any(bool(x) for x in xs)

    def not_(self, x: Any) -> Any:
        return not x

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        if isinstance(cond, np.ndarray):  # person-level
            return np.where(cond, a, b)
        return a if cond else b

    def max(self, a: Any, b: Any) -> Any:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return np.maximum(a, b)
        return a if a >= b else b

    def min(self, a: Any, b: Any) -> Any:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return np.minimum(a, b)
        return a if a <= b else b

    def sum_members(self, x: Any) -> Any:
        return int(np.sum(x))

    def count_members(self, x: Any) -> Any:
        return int(np.count_nonzero(x))

    def any_member(self, x: Any) -> Any:
        return bool(np.any(x))

    def all_members(self, x: Any) -> Any:
        return bool(np.all(x))

    def to_members(self, x: Any) -> Any:
        return x

    def mul_ratio(self, fen: Any, units: Any) -> Any:
        """``fen × units / 10000``, rounded half up to the fen."""
        if isinstance(fen, np.ndarray):
            return (fen * units + 5000) // 10000
        return (int(fen) * int(units) + 5000) // 10000

    def round(self, fen: Any, code: Any) -> Any:
        return _round_int(int(fen), int(code))

    def bit(self, bits: Any, index: int) -> Any:
        return bool((int(bits) >> index) & 1)

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """No cache for one household: the scalar vocabulary is shared by all of them."""
        return compute()


class ArrayOps:
    """A batch: household values are arrays of length ``n``; person values are flat arrays."""

    batch = True

    def __init__(self, person_hh: np.ndarray, n: int) -> None:
        counts = np.bincount(person_hh, minlength=n)
        if n and (counts.min() == 0 or np.any(np.diff(person_hh) < 0)):
            raise ValueError("every household needs a member and persons must be grouped")
        self.person_hh = person_hh
        self.n = n
        self.max_members = int(counts.max()) if n else 0
        self._cache: dict[Hashable, Any] = {}
        self.starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if n else counts

    def and_(self, *xs: Any) -> Any:
        out = np.asarray(xs[0], dtype=bool)
        for x in xs[1:]:
            out = out & np.asarray(x, dtype=bool)
        return out

    def or_(self, *xs: Any) -> Any:
        out = np.asarray(xs[0], dtype=bool)
        for x in xs[1:]:
            out = out | np.asarray(x, dtype=bool)
        return out

    def not_(self, x: Any) -> Any:
        return ~np.asarray(x, dtype=bool)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return np.where(cond, a, b)

    def max(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def min(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def sum_members(self, x: Any) -> Any:
        x = np.asarray(x)
        if x.ndim == 0:
            x = np.full(self.person_hh.shape, x)
        x = x.astype(np.int64, copy=False)
        # bincount sums in float64, which is exact while every partial sum stays below 2**53;
        # it is about twice as fast as reduceat, so take it when the bound holds.
        if x.size and int(np.abs(x).max()) * self.max_members < _EXACT_FLOAT:
            return np.bincount(self.person_hh, weights=x, minlength=self.n).astype(np.int64)
        return np.add.reduceat(x, self.starts)

    def count_members(self, x: Any) -> Any:
        return np.bincount(
            self.person_hh, weights=np.asarray(x, dtype=bool), minlength=self.n
        ).astype(np.int64)

    def any_member(self, x: Any) -> Any:
        return self.count_members(x) > 0

    def all_members(self, x: Any) -> Any:
        return self.count_members(np.logical_not(x)) == 0

    def to_members(self, x: Any) -> Any:
        x = np.asarray(x)
        if x.ndim == 0:
            return x
        return x[self.person_hh]

    def mul_ratio(self, fen: Any, units: Any) -> Any:
        fen = np.asarray(fen, dtype=np.int64)
        units = np.asarray(units, dtype=np.int64)
        bound = (int(np.abs(fen).max()) if fen.size else 0) * (
            int(np.abs(units).max()) if units.size else 0
        )
        if bound < _EXACT_INT64:
            return (fen * units + 5000) // 10000
        # a product beyond int64: exact Python integers, then back to int64 fen
        exact = (fen.astype(object) * units.astype(object) + 5000) // 10000
        return np.asarray(exact, dtype=np.int64)

    def round(self, fen: Any, code: Any) -> Any:
        fen = np.asarray(fen, dtype=np.int64)
        code = np.asarray(code)
        up = -((-fen) // 100) * 100
        down = (fen // 100) * 100
        half = np.sign(fen) * ((np.abs(fen) + 50) // 100) * 100
        return np.where(
            code == _UP, up, np.where(code == _DOWN, down, np.where(code == _HALF, half, fen))
        )

    def bit(self, bits: Any, index: int) -> Any:
        return ((np.asarray(bits, dtype=np.int64) >> index) & 1).astype(bool)

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value computed once per batch: the same inputs serve every programme (for
        instance the countable income under one set of exclusions)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


#: Integers below this are exact in float64.
_EXACT_FLOAT = 2**53
#: Products below this cannot overflow int64 once 5000 is added.
_EXACT_INT64 = 2**62

SCALAR = ScalarOps()
