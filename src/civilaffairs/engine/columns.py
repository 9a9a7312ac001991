"""The column-wise back end (批量求值): the expression trees walked with numpy.

A :class:`BatchEnv` holds a batch's inputs; :class:`Opt` is a value that may be not set
(values and a found mask). Quantities are evaluated on first use, so values only shown in a
single household's explanation cost nothing in bulk; subtrees that read inputs only are
computed once per batch and shared by every programme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs._lazy import lazy_module
from civilaffairs.engine.expr import INCOME_KINDS, PERSON_COLUMNS, Expr
from civilaffairs.engine.frame import is_constant
from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    import numpy as np

    from civilaffairs.programs.base import RuleVersion
else:
    np = lazy_module("numpy")  # the single-household path never reads it

__all__ = [
    "BatchEnv",
    "BatchOutcome",
    "BatchRun",
    "Opt",
    "applies",
    "finish",
    "is_pure",
    "start_batch",
]

_EXACT_FLOAT = 2**53
_EXACT_INT64 = 2**62


@attrs.frozen
class Opt:
    """A batch value that may be not set: ``values`` where ``found``, else not set."""

    values: Any
    found: Any


class BatchEnv:
    """What the column-wise evaluator reads for one batch.

    :param hh: household columns (arrays of length ``n``).
    :param pp: person columns (flat arrays, grouped by household).
    :param person_hh: the household index of each person.
    :param n: the number of households.
    :param standards: per key, ``Opt(values, found)`` per household (arrays or scalars).
    :param eligible: eligibility arrays of programmes evaluated before.
    :param cache: values shared by the programmes of the batch (pure input subtrees).
    """

    def __init__(
        self,
        hh: Mapping[str, Any],
        pp: Mapping[str, Any],
        person_hh: np.ndarray,
        n: int,
        cache: dict[Any, Any] | None = None,
    ) -> None:
        self.hh = hh
        self.pp = pp
        self.person_hh = person_hh
        self.n = n
        self.cache: dict[Any, Any] = {} if cache is None else cache
        counts = np.bincount(person_hh, minlength=n) if n else np.zeros(0, np.int64)
        self.max_members = int(counts.max()) if n else 0
        self.starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if n else counts
        self.ends = self.starts + counts
        m = len(person_hh)
        #: Persons are grouped by household in order (both readers give them so): sums and
        #: counts are then segment sums, exact and without a lookup per person.
        self.grouped = bool(m < 2 or (person_hh[1:] >= person_hh[:-1]).all())
        #: Every household has at least one member (the segments are not empty).
        self.full = bool(n and (counts > 0).all())
        self.alive = np.asarray(pp["alive"], dtype=bool)
        self.all_alive = bool(self.alive.all()) if self.alive.size else True
        self.alive_counts = (
            counts.astype(np.int64)
            if self.all_alive
            else np.bincount(person_hh[self.alive], minlength=n).astype(np.int64)
        )
        self.eligible: dict[str, Any] = {}
        #: Per programme evaluated before, a function giving one of its quantities.
        self.peers: dict[str, Any] = {}

    # aggregation over living members ---------------------------------------------------------
    def sum_members(self, x: Any) -> Any:
        x = np.asarray(x)
        if x.ndim == 0:
            return self.alive_counts * np.int64(x)
        x = x.astype(np.int64, copy=False)
        if not self.all_alive:
            x = np.where(self.alive, x, 0)
        if self.grouped and self.full:
            return np.add.reduceat(x, self.starts)  # exact: int64 sums of each household
        bound = max(int(x.max()), -int(x.min())) if x.size else 0
        if x.size and bound * max(self.max_members, 1) < _EXACT_FLOAT:
            return np.bincount(self.person_hh, weights=x, minlength=self.n).astype(np.int64)
        if not x.size:
            return np.zeros(self.n, np.int64)
        return np.add.reduceat(x, self.starts)

    def sum_members_where(self, x: Any, who: Any) -> Any:
        """The sum of *x* over the living members where *who* holds (fast when few do)."""
        who = np.asarray(who, dtype=bool)
        if who.ndim == 0:
            return self.sum_members(x) if bool(who) else np.zeros(self.n, np.int64)
        if not self.all_alive:
            who = who & self.alive
        idx = np.flatnonzero(who)
        if idx.size == 0:
            return np.zeros(self.n, np.int64)
        if idx.size * 4 > who.size:  # most members: the full pass is cheaper
            return self.sum_members(np.where(who, x, 0))
        picked = np.asarray(x, dtype=np.int64)[idx]
        if int(np.abs(picked).max()) * max(self.max_members, 1) < _EXACT_FLOAT:
            return np.bincount(self.person_hh[idx], weights=picked, minlength=self.n).astype(
                np.int64
            )
        return self.sum_members(np.where(who, x, 0))  # exact, beyond float64's integers

    def count_members(self, x: Any) -> Any:
        x = np.asarray(x, dtype=bool)
        if x.ndim == 0:
            return self.alive_counts if bool(x) else np.zeros(self.n, np.int64)
        if not self.all_alive:
            x = x & self.alive
        if self.grouped:
            running = np.empty(x.size + 1, dtype=np.int64)
            running[0] = 0
            np.cumsum(x, dtype=np.int64, out=running[1:])
            return running[self.ends] - running[self.starts]
        return np.bincount(self.person_hh[x], minlength=self.n).astype(np.int64)

    def to_members(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.ndim:
            return x[self.person_hh]
        return x


class BatchRun:
    """Walks one version's trees over a batch."""

    def __init__(
        self,
        version: RuleVersion,
        env: BatchEnv,
        standards: Mapping[str, Opt],
        policies: Mapping[str, Any],
        pure: frozenset[int],
        checked: frozenset[int] = frozenset(),
    ) -> None:
        self.checked = checked
        self.version = version
        self.env = env
        self.standards = standards
        self.policies = policies
        self.refs: dict[str, Any] = {}
        self.memo: dict[int, Any] = {}
        self.pure = pure
        self.exprs = {q.name: q.expr for q in version.quantities}

    def value(self, node: Expr) -> Any:
        hit = self.memo.get(id(node))
        if hit is not None:
            return hit
        shared = id(node) in self.pure
        if shared:
            hit = self.env.cache.get(node.key)
            if hit is not None:
                return hit
        out = self._compute(node)
        self.memo[id(node)] = out
        if shared:
            self.env.cache[node.key] = out
        return out

    def quantity(self, name: str) -> Any:
        """A quantity of this version by name, evaluated on first use."""
        if name not in self.refs:
            self.refs[name] = self.value(self.exprs[name])
        return self.refs[name]

    def _lvl(self, node: Expr, v: Any, level: str) -> Any:
        if level == "person" and node.level == "household":
            return self.env.to_members(v)
        return v

    def _pair(self, node: Expr) -> tuple[Any, Any]:
        a, b = node.args
        va, vb = self.value(a), self.value(b)
        return self._lvl(a, va, node.level), self._lvl(b, vb, node.level)

    def _compute(self, node: Expr) -> Any:
        if id(node) in self.checked and node.op in _EXACT_OPS:
            return self._exact(node)
        return self._fast(node)

    def _exact(self, node: Expr) -> Any:
        """Arithmetic in Python integers for a node whose value could leave int64; a result
        beyond int64 is an error, never a wrapped number.

        The bound that made the node suspect is the worst case of its inputs; the values
        at hand are usually far smaller. When their own magnitudes show that no result
        can leave int64 (``|x| + |y|``, ``|x| × |y|``, ``|x| × members`` below 2**62), the
        int64 arithmetic is exact and is used; otherwise the values go through Python
        integers."""
        op = node.op
        if op == "total":
            x = np.asarray(self.value(node.args[0]))
            if _magnitude(x) * max(self.env.max_members, 1) < _EXACT_INT64:
                return self._fast(node)
            x = np.where(self.env.alive, self.env.to_members(x), 0).astype(object)
            out = np.zeros(self.env.n, dtype=object)
            np.add.at(out, self.env.person_hh, x)
        else:
            a, b = (np.asarray(v) for v in self._pair(node))
            mx, my = _magnitude(a), _magnitude(b)
            safe = mx + my if op in ("add", "sub") else mx * my
            if safe < _EXACT_INT64:
                return self._fast(node)  # these values cannot leave int64
            x, y = a.astype(object), b.astype(object)
            if op == "add":
                out = x + y
            elif op == "sub":
                out = x - y
            elif op == "mul":
                out = x * y
            else:  # rmul
                out = (x * y + 5000) // 10000
        return _to_int64(out, node)

    def _fast(self, node: Expr) -> Any:
        op = node.op
        env = self.env
        if op == "const":
            return node.meta
        if op == "name":
            return node.meta[1]
        if op == "input":
            if node.level == "household":
                col = env.hh[node.meta]
            else:
                col = env.pp[PERSON_COLUMNS.get(node.meta, node.meta)]
            # a column the input did not have holds one value: read as that value
            return col[0] if is_constant(col) else col
        if op == "std":
            v = self.standards[node.meta[0]]
            return v if node.optional else v.values
        if op == "policy":
            return self.policies[node.meta[1].name]
        if op == "ref":
            name = node.meta[1]
            if name not in self.refs:  # evaluated on first use: display-only values never are
                self.refs[name] = self.value(self.exprs[name])
            return self.refs[name]
        if op == "eligible":
            v = env.eligible[node.meta]
            if callable(v):  # a programme evaluated only for what others read: decide now
                v = env.eligible[node.meta] = v()
            return v
        if op == "peer":
            return env.peers[node.meta[0]](node.meta[1])
        if op in ("add", "sub", "mul"):
            x, y = self._pair(node)
            x, y = np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64)
            if op == "add":
                return x + y
            if op == "sub":
                return x - y
            return x * y
        if op == "rmul":
            fen, units = self._pair(node)
            fen = np.asarray(fen, dtype=np.int64)
            units = np.asarray(units, dtype=np.int64)
            if units.ndim == 0 and int(units) % 10000 == 0:  # a whole multiple: exact
                whole = int(units) // 10000
                if whole == 0:
                    return 0
                if abs(whole) * (int(np.abs(fen).max()) if fen.size else 0) < _EXACT_INT64:
                    return fen * whole
            bound = (int(np.abs(fen).max()) if fen.size else 0) * (
                int(np.abs(units).max()) if units.size else 0
            )
            if bound < _EXACT_INT64:
                return (fen * units + 5000) // 10000
            exact = (fen.astype(object) * units.astype(object) + 5000) // 10000
            return np.asarray(exact, dtype=np.int64)
        if op == "div":
            x, y = self._pair(node)
            y = np.maximum(np.asarray(y, dtype=np.int64), 1)
            return (np.asarray(x, dtype=np.int64) * 2 + y) // (2 * y)
        if op in ("lt", "le", "gt", "ge", "eq", "ne"):
            x, y = self._pair(node)
            return {
                "lt": np.less,
                "le": np.less_equal,
                "gt": np.greater,
                "ge": np.greater_equal,
                "eq": np.equal,
                "ne": np.not_equal,
            }[op](x, y)
        if op in ("and", "or"):
            a, b = node.args
            x = self.value(a)
            if np.ndim(x) == 0 and bool(x) == (op == "or"):
                return bool(x)  # decided for the whole batch: the other side is not needed
            if np.ndim(x) and (x.all() if op == "or" else not x.any()):
                return op == "or"  # the same for every row: the other side is not needed
            y = self.value(b)
            if np.ndim(y) == 0 and bool(y) == (op == "or"):
                return bool(y)
            if np.ndim(x) == 0:  # neutral: the result is the other side
                return self._lvl(b, y, node.level)
            if np.ndim(y) == 0:
                return self._lvl(a, x, node.level)
            x, y = self._lvl(a, x, node.level), self._lvl(b, y, node.level)
            return np.logical_and(x, y) if op == "and" else np.logical_or(x, y)
        if op == "not":
            return np.logical_not(self.value(node.args[0]))
        if op == "where":
            c, a, b = node.args
            lv = node.level
            cv = self.value(c)
            if np.ndim(cv) and (cv.all() or not cv.any()):
                cv = bool(cv.all())  # the same for every row: one branch only
            if np.ndim(cv) == 0:  # the same for the whole batch: one branch only
                chosen = a if cv else b
                return self._lvl(chosen, self.value(chosen), lv)
            return np.where(
                self._lvl(c, self.value(c), lv),
                self._lvl(a, self.value(a), lv),
                self._lvl(b, self.value(b), lv),
            )
        if op in ("max", "min"):
            x, y = self._pair(node)
            return (np.maximum if op == "max" else np.minimum)(x, y)
        # an aggregation that comes out the same for every household (no minor anywhere,
        # nobody covered alone) is one value, which the nodes above compute once
        if op == "count":
            return _one(env.count_members(self.value(node.args[0])))
        if op == "total":
            return _one(env.sum_members(self.value(node.args[0])))
        if op == "any":
            return _one(env.count_members(self.value(node.args[0])) > 0)
        if op == "all":
            return _one(env.count_members(np.logical_not(self.value(node.args[0]))) == 0)
        if op == "has":
            return (np.asarray(self.value(node.args[0]), dtype=np.int64) & node.meta) != 0
        if op == "is_set":
            v = self.value(node.args[0])
            return v.found if isinstance(v, Opt) else True
        if op == "or_else":
            v = self.value(node.args[0])
            d = self.value(node.args[1])
            if not isinstance(v, Opt):
                return v
            if np.ndim(v.found) == 0:
                return v.values if v.found else d
            return np.where(v.found, v.values, d)
        if op == "only":
            cond, x = node.args
            return Opt(self.value(x), self.value(cond))
        if op == "round":
            fen = np.asarray(self.value(node.args[0]), dtype=np.int64)
            code = np.asarray(self.value(node.args[1]))
            if code.ndim == 0:
                return _round(fen, int(code))
            # rounding differs by region: each way only on the rows that use it
            out = np.array(np.broadcast_to(fen, code.shape), dtype=np.int64)
            for way in (1, 2, 3):
                rows = np.flatnonzero(code == way)
                if rows.size:
                    out[rows] = _round(out[rows], way)
            return out
        if op == "income":
            return self._income(node)
        if op == "pincome":
            return self._person_income(self.value(node.args[0]))
        raise ProgramError(f"the compiler does not know operation {op!r}")  # pragma: no cover

    def _person_income(self, bits: Any) -> Any:
        """Each person's income over the kinds not in *bits* (shared per batch)."""
        env = self.env
        if isinstance(bits, (int, np.integer)):
            key = ("counted income per person", int(bits))
            hit = env.cache.get(key)
            if hit is None:
                hit = env.cache[key] = _income_sum(env, int(bits))
            return hit
        person_bits = env.to_members(np.asarray(bits, dtype=np.int64))
        total: Any = np.zeros(len(env.person_hh), dtype=np.int64)
        for k, kind in enumerate(INCOME_KINDS):
            col = env.pp[f"inc_{kind}"]
            if _zero(col):
                continue
            total = total + np.where((person_bits >> k) & 1, 0, col)
        return total

    def _income(self, node: Expr) -> Any:
        env = self.env
        bits = self.value(node.args[0])
        who = None if len(node.args) == 1 else self.value(node.args[1])
        if isinstance(bits, (int, np.integer)):
            b = int(bits)
            key = ("counted income per person", b)
            person_income = env.cache.get(key)
            if person_income is None:
                person_income = env.cache[key] = _income_sum(env, b)
            if who is None:
                hkey = ("counted income", b)
                hit = env.cache.get(hkey)
                if hit is None:
                    hit = env.cache[hkey] = env.sum_members(person_income)
                return hit
            return env.sum_members_where(person_income, who)
        total: Any = 0
        for k, kind in enumerate(INCOME_KINDS):
            col = env.pp[f"inc_{kind}"]
            if _zero(col):
                continue
            amount = env.sum_members(col if who is None else np.where(who, col, 0))
            total = total + np.where((np.asarray(bits) >> k) & 1, 0, amount)
        return total


def _one(values: Any) -> Any:
    """*values* (per household), or its one value when every household has the same."""
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.size:
        first = values[0]
        if (values == first).all():
            return first
    return values


def _round(fen: Any, way: int) -> Any:
    """*fen* rounded to whole yuan: 0 not at all, 1 up, 2 down, 3 half up (away from 0)."""
    if way == 1:
        return -((-fen) // 100) * 100
    if way == 2:
        return (fen // 100) * 100
    if way == 3:
        return np.sign(fen) * ((np.abs(fen) + 50) // 100) * 100
    return fen


def _magnitude(x: np.ndarray) -> int:
    """The largest absolute value in *x* (a Python int; 0 when empty)."""
    if not x.size:
        return 0
    if x.dtype == bool:
        return 1
    return max(abs(int(x.max())), abs(int(x.min())))


def _zero(col: Any) -> bool:
    """Whether a column is a constant zero (an income kind the input does not record)."""
    return is_constant(col) and int(col[0]) == 0


def _income_sum(env: BatchEnv, excluded: int) -> Any:
    """Each person's income over the kinds not in the bit set *excluded*."""
    out: Any = None
    for k, kind in enumerate(INCOME_KINDS):
        col = env.pp[f"inc_{kind}"]
        if (excluded >> k) & 1 or _zero(col):
            continue
        out = col if out is None else out + col
    if out is None:
        return np.zeros(len(env.person_hh), dtype=np.int64)
    return np.asarray(out, dtype=np.int64)


_EXACT_OPS = frozenset({"add", "sub", "mul", "rmul", "total"})
_INT64 = (-(2**63), 2**63 - 1)


def _to_int64(values: Any, node: Expr) -> Any:
    arr = np.asarray(values, dtype=object)
    if arr.size and (min(arr.flat) < _INT64[0] or max(arr.flat) > _INT64[1]):
        from civilaffairs.engine.render import render
        from civilaffairs.errors import AmountOutOfRange

        raise AmountOutOfRange(
            f"{render(node)} exceeds the range of exact amounts (about 9.2 × 10^16 yuan)",
            zh=f"{render(node)} 超出可精确计算的金额范围（约 9.2×10^16 元）",
        )
    return arr.astype(np.int64)


_IMPURE = frozenset({"std", "policy", "ref", "eligible", "peer"})


def is_pure(node: Expr) -> bool:
    """Whether *node* reads only inputs (so programmes of one batch can share it)."""
    if node.op in ("const", "name", "input"):
        return False  # too cheap to share
    return all(n.op not in _IMPURE for n in node.walk())


@attrs.frozen
class BatchOutcome:
    """Column-wise outputs of one version."""

    values: dict[str, Any]
    passed: list[Any]
    tested: list[Any]
    eligible: np.ndarray
    amount: np.ndarray
    first_failed: np.ndarray
    #: Whether the programme applies to each household (its ``skip_unless``).
    applies: np.ndarray
    #: The value of a quantity by name, evaluated on demand (for programmes read later).
    quantity: Any


def start_batch(
    version: RuleVersion,
    env: BatchEnv,
    standards: Mapping[str, Opt],
    policies: Mapping[str, Any],
    pure: frozenset[int],
    checked: frozenset[int] = frozenset(),
) -> BatchRun:
    """Set up the evaluation of *version* over a batch; nothing is computed until asked.

    *checked* holds the nodes computed in exact arithmetic (they could leave int64).
    """
    return BatchRun(version, env, standards, policies, pure, checked)


def applies(run: BatchRun) -> np.ndarray:
    """Whether the version applies to each household of the batch (its ``skip_unless``)."""
    n = run.env.n
    if run.version.applies is None:
        return np.ones(n, dtype=bool)
    return np.broadcast_to(np.asarray(run.value(run.version.applies), dtype=bool), (n,))


def finish(run: BatchRun) -> BatchOutcome:
    """Evaluate the version's conditions and amount."""
    version, n = run.version, run.env.n
    passed: list[Any] = []
    tested: list[Any] = []
    everyone = np.broadcast_to(np.True_, (n,))
    for c in version.conditions:
        ok = np.broadcast_to(np.asarray(run.value(c.test), dtype=bool), (n,))
        if c.when is not None:
            t = np.broadcast_to(np.asarray(run.value(c.when), dtype=bool), (n,))
            ok = ok | ~t
        else:
            t = everyone
        passed.append(ok)
        tested.append(t)
    eligible = np.ones(n, dtype=bool)
    for ok in passed:
        if not _all_true(ok):
            eligible &= ok
    amount_expr = version.quantity(version.amount).expr
    raw = np.broadcast_to(np.asarray(run.value(amount_expr), np.int64), (n,))
    amount = np.where(eligible, np.maximum(raw, 0), 0).astype(np.int64)
    # the first failing condition: only the households not yet decided are looked at
    first = np.full(n, -1, dtype=np.int16)
    pending = ~eligible
    for i, ok in enumerate(passed):
        if not pending.any():
            break
        if _all_true(ok):
            continue
        failed = pending & ~ok
        first[failed] = i
        pending &= ok
    return BatchOutcome(
        run.refs, passed, tested, eligible, amount, first, applies(run), run.quantity
    )


def _all_true(flags: np.ndarray) -> bool:
    """Whether *flags* is a broadcast ``True`` (a condition decided for the whole batch)."""
    return bool(flags.ndim == 1 and flags.strides[0] == 0 and flags.size and flags[0])
