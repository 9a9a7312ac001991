"""The programme compiler (规则编译): one expression tree, three back ends.

:func:`compile_version` turns a :class:`~civilaffairs.programs.base.RuleVersion` into a
:class:`Compiled` with

* ``scalar``: a plain Python function generated from the trees, for one household. It
  takes the household's inputs and the standards and policies resolved once per (region,
  residence, month), and returns every quantity and condition;
* :meth:`Compiled.evaluate_batch`: the column-wise evaluator, which walks the same trees
  with numpy over a batch;
* :func:`render`: the formula text of a node, from which a decision's steps are made
  (:mod:`civilaffairs.engine.explain`).

No formula is written twice: the explanation and both evaluators read the same tree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from civilaffairs.engine.expr import PERSON_COLUMNS, Expr
from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    from civilaffairs.programs.base import RuleVersion

__all__ = ["Compiled", "Opt", "compile_version", "render"]

RATIO = 10_000
_EXACT_FLOAT = 2**53
_EXACT_INT64 = 2**62
ROUNDING = ("none", "up", "down", "half_up")


# -- rendering ---------------------------------------------------------------------------

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
_SYM = {
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
    if op in ("ref", "input", "std", "policy", "eligible"):
        return leaf_name(node)
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
    text = f"{left} {_SYM[op]} {right}"
    return f"({text})" if parent > prec or (parent == prec and prec == 4) else text


# -- scalar code generation ---------------------------------------------------------------


def _rmul(fen: int, units: int) -> int:
    return (fen * units + 5000) // 10000


def _div(a: int, b: int) -> int:
    b = b if b > 0 else 1
    return (a * 2 + b) // (2 * b)


def _round(fen: int, code: int) -> int:
    if code == 1:
        return -((-fen) // 100) * 100
    if code == 2:
        return (fen // 100) * 100
    if code == 3:
        sign = -1 if fen < 0 else 1
        return sign * ((abs(fen) + 50) // 100) * 100
    return fen


def _income(P: Mapping[str, list[int]], kinds: tuple[str, ...], bits: int, who: list[int]) -> int:
    total = 0
    for k, kind in enumerate(kinds):
        if not (bits >> k) & 1:
            col = P["inc_" + kind]
            for i in who:
                total += col[i]
    return total


def _or_else(value: Any, default: Any) -> Any:
    return default if value is None else value


_HELPERS: dict[str, Any] = {
    "_rmul": _rmul,
    "_div": _div,
    "_round": _round,
    "_income": _income,
    "_or_else": _or_else,
}


class _Gen:
    """Generates the Python source of one version's scalar evaluator."""

    def __init__(self) -> None:
        self.std: dict[str, str] = {}
        self.pol: dict[str, str] = {}
        self.hh: set[str] = set()
        self.pp: set[str] = set()
        self.elig: set[str] = set()
        self.person_q: set[str] = set()
        self.kinds: tuple[str, ...] = ()

    def expr(self, node: Expr, each: bool) -> str:
        """Source of *node*; *each*: inside a per-member expression (index ``i``)."""
        op = node.op
        a = node.args
        if op == "const":
            return repr(node.meta)
        if op == "name":
            return repr(node.meta[1])
        if op == "input":
            name = node.meta
            if node.level == "household":
                self.hh.add(name)
                return f"H_{name}"
            col = PERSON_COLUMNS.get(name, name)
            self.pp.add(col)
            return f"P_{col}[i]"
        if op == "std":
            key = node.meta[0]
            return self.std.setdefault(key, f"S{len(self.std)}")
        if op == "policy":
            name = node.meta[1].name
            return self.pol.setdefault(name, f"C{len(self.pol)}")
        if op == "ref":
            name = node.meta[1]
            if name in self.person_q:
                return f"q_{name}[i]"
            return f"q_{name}"
        if op == "eligible":
            self.elig.add(node.meta)
            return f"E[{node.meta!r}]"
        if op in ("add", "sub", "mul"):
            sym = {"add": "+", "sub": "-", "mul": "*"}[op]
            return f"({self.expr(a[0], each)} {sym} {self.expr(a[1], each)})"
        if op == "rmul":
            return f"_rmul({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op == "div":
            return f"_div({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op in ("lt", "le", "gt", "ge", "eq", "ne"):
            return f"({self.expr(a[0], each)} {_SYM[op]} {self.expr(a[1], each)})"
        if op == "and":
            return f"({self.expr(a[0], each)} and {self.expr(a[1], each)})"
        if op == "or":
            return f"({self.expr(a[0], each)} or {self.expr(a[1], each)})"
        if op == "not":
            return f"(not {self.expr(a[0], each)})"
        if op == "where":
            c, x, y = (self.expr(n, each) for n in a)
            return f"({x} if {c} else {y})"
        if op in ("max", "min"):
            return f"{op}({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op == "count":
            return f"sum([1 for i in M if {self.expr(a[0], True)}])"
        if op == "total":
            return f"sum([{self.expr(a[0], True)} for i in M])"
        if op == "any":
            return f"any([{self.expr(a[0], True)} for i in M])"
        if op == "all":
            return f"all([{self.expr(a[0], True)} for i in M])"
        if op == "has":
            return f"(({self.expr(a[0], each)} & {node.meta}) != 0)"
        if op == "is_set":
            return f"({self.expr(a[0], each)} is not None)"
        if op == "or_else":
            return f"_or_else({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op == "only":
            return f"({self.expr(a[1], each)} if {self.expr(a[0], each)} else None)"
        if op == "round":
            return f"_round({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op == "income":
            from civilaffairs.programs.common import INCOME_KINDS

            self.kinds = INCOME_KINDS
            bits = self.expr(a[0], each)
            who = "M" if len(a) == 1 else f"[i for i in M if {self.expr(a[1], True)}]"
            return f"_income(P, KINDS, {bits}, {who})"
        raise ProgramError(f"the compiler does not know operation {op!r}")  # pragma: no cover


@attrs.frozen
class ScalarResult:
    """What the scalar evaluator computed for one household."""

    values: dict[str, Any]
    passed: list[bool]
    tested: list[bool]


def _build_scalar(version: RuleVersion) -> tuple[Callable[..., Any], _Gen, str]:
    gen = _Gen()
    body: list[str] = []
    for q in version.quantities:
        if q.level == "person":
            gen.person_q.add(q.name)
            body.append(f"    q_{q.name} = [{gen.expr(q.expr, True)} for i in N]")
        else:
            body.append(f"    q_{q.name} = {gen.expr(q.expr, False)}")
    conds = []
    whens = []
    for k, c in enumerate(version.conditions):
        if c.when is None:
            conds.append(f"bool({gen.expr(c.test, False)})")
            whens.append("True")
        else:
            body.append(f"    w{k} = bool({gen.expr(c.when, False)})")
            conds.append(f"(not w{k} or bool({gen.expr(c.test, False)}))")
            whens.append(f"w{k}")
    head = ["def _scalar(H, P, S, C, E):"]
    for name in sorted(gen.hh):
        head.append(f"    H_{name} = H[{name!r}]")
    for col in sorted(gen.pp | {"alive"}):
        head.append(f"    P_{col} = P[{col!r}]")
    head.append("    N = range(len(P_alive))")
    head.append("    M = [i for i in N if P_alive[i]]")
    for key, var in gen.std.items():
        head.append(f"    {var} = S[{key!r}]")
    for name, var in gen.pol.items():
        head.append(f"    {var} = C[{name!r}]")
    values = ", ".join(f"{q.name!r}: q_{q.name}" for q in version.quantities)
    tail = [
        f"    return {{{values}}}, [{', '.join(conds)}], [{', '.join(whens)}]",
    ]
    source = "\n".join(head + body + tail) + "\n"
    namespace: dict[str, Any] = dict(_HELPERS)
    namespace["KINDS"] = gen.kinds
    exec(compile(source, f"<rules {version.label}>", "exec"), namespace)
    return namespace["_scalar"], gen, source


# -- column-wise evaluation ---------------------------------------------------------------


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
        self.alive = np.asarray(pp["alive"], dtype=bool)
        self.all_alive = bool(self.alive.all()) if self.alive.size else True
        self.eligible: dict[str, Any] = {}

    # aggregation over living members ---------------------------------------------------------
    def sum_members(self, x: Any) -> Any:
        x = np.asarray(x)
        if x.ndim == 0:
            x = np.full(self.person_hh.shape, x)
        x = x.astype(np.int64, copy=False)
        if not self.all_alive:
            x = np.where(self.alive, x, 0)
        bound = max(int(x.max()), -int(x.min())) if x.size else 0
        if x.size and bound * max(self.max_members, 1) < _EXACT_FLOAT:
            return np.bincount(self.person_hh, weights=x, minlength=self.n).astype(np.int64)
        if not x.size:
            return np.zeros(self.n, np.int64)
        return np.add.reduceat(x, self.starts)

    def count_members(self, x: Any) -> Any:
        x = np.asarray(x, dtype=bool)
        if x.ndim == 0:
            x = np.full(self.person_hh.shape, bool(x))
        if not self.all_alive:
            x = x & self.alive
        return np.bincount(self.person_hh, weights=x, minlength=self.n).astype(np.int64)

    def to_members(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.ndim:
            return x[self.person_hh]
        return x


class _BatchRun:
    """Walks one version's trees over a batch."""

    def __init__(
        self,
        version: RuleVersion,
        env: BatchEnv,
        standards: Mapping[str, Opt],
        policies: Mapping[str, Any],
        pure: frozenset[int],
    ) -> None:
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

    def _lvl(self, node: Expr, v: Any, level: str) -> Any:
        if level == "person" and node.level == "household":
            return self.env.to_members(v)
        return v

    def _pair(self, node: Expr) -> tuple[Any, Any]:
        a, b = node.args
        va, vb = self.value(a), self.value(b)
        return self._lvl(a, va, node.level), self._lvl(b, vb, node.level)

    def _compute(self, node: Expr) -> Any:
        op = node.op
        env = self.env
        if op == "const":
            return node.meta
        if op == "name":
            return node.meta[1]
        if op == "input":
            if node.level == "household":
                return env.hh[node.meta]
            return env.pp[PERSON_COLUMNS.get(node.meta, node.meta)]
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
            return env.eligible[node.meta]
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
        if op == "count":
            return env.count_members(self.value(node.args[0]))
        if op == "total":
            return env.sum_members(self.value(node.args[0]))
        if op == "any":
            return env.count_members(self.value(node.args[0])) > 0
        if op == "all":
            return env.count_members(np.logical_not(self.value(node.args[0]))) == 0
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
                if code == 0:
                    return fen
                if code == 1:
                    return -((-fen) // 100) * 100
                if code == 2:
                    return (fen // 100) * 100
                return np.sign(fen) * ((np.abs(fen) + 50) // 100) * 100
            up = -((-fen) // 100) * 100
            down = (fen // 100) * 100
            half = np.sign(fen) * ((np.abs(fen) + 50) // 100) * 100
            return np.where(
                code == 1, up, np.where(code == 2, down, np.where(code == 3, half, fen))
            )
        if op == "income":
            return self._income(node)
        raise ProgramError(f"the compiler does not know operation {op!r}")  # pragma: no cover

    def _income(self, node: Expr) -> Any:
        from civilaffairs.programs.common import INCOME_KINDS

        env = self.env
        bits = self.value(node.args[0])
        who = None if len(node.args) == 1 else self.value(node.args[1])
        if isinstance(bits, (int, np.integer)):
            b = int(bits)

            def per_person() -> Any:
                out: Any = 0
                for k, kind in enumerate(INCOME_KINDS):
                    if not (b >> k) & 1:
                        out = out + env.pp[f"inc_{kind}"]
                return out

            key = ("counted income per person", b)
            person_income = env.cache.get(key)
            if person_income is None:
                person_income = env.cache[key] = per_person()
            if who is None:
                hkey = ("counted income", b)
                hit = env.cache.get(hkey)
                if hit is None:
                    hit = env.cache[hkey] = env.sum_members(person_income)
                return hit
            return env.sum_members(np.where(who, person_income, 0))
        total: Any = 0
        for k, kind in enumerate(INCOME_KINDS):
            col = env.pp[f"inc_{kind}"]
            amount = env.sum_members(col if who is None else np.where(who, col, 0))
            total = total + np.where((np.asarray(bits) >> k) & 1, 0, amount)
        return total


_IMPURE = frozenset({"std", "policy", "ref", "eligible"})


def _pure(node: Expr) -> bool:
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


@attrs.define
class Compiled:
    """A compiled rule version."""

    version: RuleVersion
    scalar: Callable[..., Any]
    source: str
    standards: tuple[str, ...]
    points: tuple[str, ...]
    households: tuple[str, ...]
    persons: tuple[str, ...]
    #: Ids of the nodes that read inputs only (shared between the programmes of a batch).
    pure: frozenset[int]
    #: Standard keys read as required (not ``optional=True``).
    required: frozenset[str]

    def evaluate(self, H: Any, P: Any, S: Any, C: Any, E: Any) -> ScalarResult:
        """Run the scalar evaluator for one household."""
        values, passed, tested = self.scalar(H, P, S, C, E)
        return ScalarResult(values, passed, tested)

    def evaluate_batch(
        self, env: BatchEnv, standards: Mapping[str, Opt], policies: Mapping[str, Any]
    ) -> BatchOutcome:
        """Run the column-wise evaluator over a batch."""
        run = _BatchRun(self.version, env, standards, policies, self.pure)
        n = env.n
        passed: list[Any] = []
        tested: list[Any] = []
        for c in self.version.conditions:
            ok = np.broadcast_to(np.asarray(run.value(c.test), dtype=bool), (n,))
            if c.when is not None:
                t = np.broadcast_to(np.asarray(run.value(c.when), dtype=bool), (n,))
                ok = ok | ~t
            else:
                t = np.ones(n, dtype=bool)
            passed.append(ok)
            tested.append(t)
        eligible = np.ones(n, dtype=bool)
        for ok in passed:
            eligible = eligible & ok
        amount_expr = self.version.quantity(self.version.amount).expr
        raw = np.broadcast_to(np.asarray(run.value(amount_expr), np.int64), (n,))
        amount = np.where(eligible, np.maximum(raw, 0), 0).astype(np.int64)
        first = np.full(n, -1, dtype=np.int16)
        for i in range(len(passed) - 1, -1, -1):
            first = np.where(passed[i], first, i).astype(np.int16)
        return BatchOutcome(run.refs, passed, tested, eligible, amount, first)


def compile_version(version: RuleVersion) -> Compiled:
    """Compile *version*: check its names, generate its scalar evaluator."""
    names: dict[str, str] = {}
    for node in version.nodes():
        if node.op in ("std", "policy"):
            names.setdefault(leaf_name(node), node.op)
    clash = [q.name for q in version.quantities if q.name in names]
    if clash:
        raise ProgramError(
            f"quantity {clash[0]!r} has the name of a {names[clash[0]]} the rules read inline; "
            "rename one of them so formulas stay unambiguous"
        )
    fn, gen, source = _build_scalar(version)
    return Compiled(
        version=version,
        scalar=fn,
        source=source,
        standards=tuple(gen.std),
        points=tuple(gen.pol),
        households=tuple(sorted(gen.hh)),
        persons=tuple(sorted(gen.pp)),
        pure=frozenset(id(n) for n in version.nodes() if _pure(n)),
        required=frozenset(n.meta[0] for n in version.nodes() if n.op == "std" and not n.optional),
    )
