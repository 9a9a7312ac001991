"""The scalar back end (单户求值): Python source generated from the expression trees.

:func:`build_scalar` generates one function per rule version. It takes the household's
inputs (``H``: household values; ``P``: one list per person column), the standards and
policies resolved for the household's group (``S``, ``C``; ``None`` for not set) and the
eligibility of programmes evaluated before (``E``), and returns every quantity, whether each
condition passed and whether it was tested. Person expressions become list comprehensions
over the members; aggregations run over the living members ``M``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.engine.expr import INCOME_KINDS, PERSON_COLUMNS, Expr
from civilaffairs.engine.render import SYMBOLS
from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    from civilaffairs.programs.base import RuleVersion

__all__ = ["ScalarResult", "build_scalar", "needed_quantities"]


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


#: The income columns counted, by (income kinds, mask of the excluded ones).
_COUNTED: dict[tuple[tuple[str, ...], int], tuple[str, ...]] = {}


def _income(
    P: Mapping[str, list[int]], kinds: tuple[str, ...], bits: int, who: Sequence[int]
) -> int:
    names = _COUNTED.get((kinds, bits))
    if names is None:
        names = tuple("inc_" + kind for k, kind in enumerate(kinds) if not (bits >> k) & 1)
        _COUNTED[(kinds, bits)] = names
    total = 0
    for name in names:
        col = P[name]
        for i in who:
            total += col[i]
    return total


def _or_else(value: Any, default: Any) -> Any:
    return default if value is None else value


#: The value of an aggregation not yet computed (see :meth:`_Gen._once`).
_UNSET = object()

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
        #: Aggregations met inside a per-member expression, by source: computed once, on
        #: first use, into the variable named here (see :meth:`_once`).
        self.once: dict[str, str] = {}

    def _once(self, source: str, each: bool) -> str:
        """*source*, an aggregation over the living members, as written where it is met.

        Inside a per-member expression an aggregation does not depend on the member (its
        own ``i`` hides the outer one), so it is computed the first time it is needed and
        kept: ``(a0 if a0 is not _U else (a0 := ...))``. Evaluated only when needed, as
        written, it reads the same values and notes the same reads; only the repeats go.
        """
        if not each:
            return source
        var = self.once.setdefault(source, f"a{len(self.once)}")
        return f"({var} if {var} is not _U else ({var} := {source}))"

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
            var = self.std.setdefault(key, f"S{len(self.std)}")
            return f"(_read({key!r}) or {var})"  # noted as read where it is evaluated
        if op == "policy":
            name = node.meta[1].name
            var = self.pol.setdefault(name, f"C{len(self.pol)}")
            return f"(_read({'policy:' + name!r}) or {var})"
        if op == "ref":
            name = node.meta[1]
            if name in self.person_q:
                return f"q_{name}[i]"
            return f"q_{name}"
        if op == "eligible":
            self.elig.add(node.meta)
            return f"E[{node.meta!r}]"
        if op == "peer":
            return f"E[{node.meta[0] + '.' + node.meta[1]!r}][i]"
        if op in ("add", "sub", "mul"):
            sym = {"add": "+", "sub": "-", "mul": "*"}[op]
            return f"({self.expr(a[0], each)} {sym} {self.expr(a[1], each)})"
        if op == "rmul":
            return f"_rmul({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op == "div":
            return f"_div({self.expr(a[0], each)}, {self.expr(a[1], each)})"
        if op in ("lt", "le", "gt", "ge", "eq", "ne"):
            return f"({self.expr(a[0], each)} {SYMBOLS[op]} {self.expr(a[1], each)})"
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
            return self._once(f"sum([1 for i in M if {self.expr(a[0], True)}])", each)
        if op == "total":
            return self._once(f"sum([{self.expr(a[0], True)} for i in M])", each)
        if op == "any":
            return self._once(f"any([{self.expr(a[0], True)} for i in M])", each)
        if op == "all":
            return self._once(f"all([{self.expr(a[0], True)} for i in M])", each)
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
        if op == "pincome":
            self.kinds = INCOME_KINDS
            return f"_income(P, KINDS, {self.expr(a[0], each)}, (i,))"
        if op == "income":
            self.kinds = INCOME_KINDS
            bits = self.expr(a[0], each)
            who = "M" if len(a) == 1 else f"[i for i in M if {self.expr(a[1], True)}]"
            return self._once(f"_income(P, KINDS, {bits}, {who})", each)
        raise ProgramError(f"the compiler does not know operation {op!r}")  # pragma: no cover


@attrs.define
class ScalarResult:
    """What the scalar evaluator computed for one household (not frozen: one is made per
    programme per household, and nothing changes it once made)."""

    values: dict[str, Any]
    passed: list[bool]
    tested: list[bool]
    #: The standard keys, and ``policy:<name>`` for policy points, whose values were read
    #: (a value behind a branch not taken is not).
    read: set[str] = attrs.field(factory=set)
    #: Whether the programme applies at all (its ``skip_unless`` holds).
    applies: bool = True
    #: Whether each of the version's notes applies.
    notes: list[bool] = attrs.field(factory=list)


def needed_quantities(version: RuleVersion, wanted: frozenset[str]) -> frozenset[str]:
    """The quantities of *version* that *wanted* (and whether the version applies) are
    computed from, *wanted* included."""
    by_name = {q.name: q.expr for q in version.quantities}
    todo = [by_name[n] for n in wanted]
    if version.applies is not None:
        todo.append(version.applies)
    keep = set(wanted)
    while todo:
        for node in todo.pop().walk():
            if node.op == "ref" and node.meta[1] not in keep:
                keep.add(node.meta[1])
                todo.append(by_name[node.meta[1]])
    return frozenset(keep)


_AGGREGATIONS = frozenset({"count", "total", "any", "all", "income"})


def _aggregated(expr: Expr) -> set[str]:
    """The quantities *expr* reads inside an aggregation over the members (every member's
    value, not only the current one's)."""
    names: set[str] = set()
    for node in expr.walk():
        if node.op in _AGGREGATIONS:
            names.update(n.meta[1] for n in node.walk() if n.op == "ref")
    return names


def build_scalar(
    version: RuleVersion, wanted: frozenset[str] | None = None
) -> tuple[Callable[..., Any], Any, str]:
    """Generate, compile and return the scalar evaluator of *version*, the generator that
    records what it reads, and the source text.

    With *wanted*, the evaluator computes only those quantities and what they are computed
    from (and whether the version applies), and tests no condition: the form used for a
    programme evaluated only because another one reads some of its per-member quantities.
    """
    gen = _Gen()
    body: list[str] = []
    keep = None if wanted is None else needed_quantities(version, wanted)
    # Consecutive per-member quantities are computed in one loop over the members (a list
    # comprehension each costs a call); one that aggregates over a quantity of the loop
    # (reads every member's value) starts a new loop after it.
    fused: list[tuple[str, str]] = []

    def flush() -> None:
        if len(fused) == 1:
            name, source = fused[0]
            body.append(f"    q_{name} = [{source} for i in N]")
        elif fused:
            body.extend(f"    q_{name} = []" for name, _ in fused)
            body.append("    for i in N:")
            body.extend(f"        q_{name}.append({source})" for name, source in fused)
        fused.clear()

    for q in version.quantities:
        if keep is not None and q.name not in keep:
            continue
        if q.level == "person":
            if fused and _aggregated(q.expr) & {name for name, _ in fused}:
                flush()
            gen.person_q.add(q.name)
            fused.append((q.name, gen.expr(q.expr, True)))
        else:
            flush()
            body.append(f"    q_{q.name} = {gen.expr(q.expr, False)}")
    flush()
    conds = []
    whens = []
    for k, c in enumerate(version.conditions if keep is None else ()):
        if c.when is None:
            conds.append(f"bool({gen.expr(c.test, False)})")
            whens.append("True")
        else:
            body.append(f"    w{k} = bool({gen.expr(c.when, False)})")
            conds.append(f"(not w{k} or bool({gen.expr(c.test, False)}))")
            whens.append(f"w{k}")
    head = ["def _scalar(H, P, S, C, E, R):", "    _read = R.add"]
    for name in sorted(gen.hh):
        head.append(f"    H_{name} = H[{name!r}]")
    for col in sorted(gen.pp | {"alive"}):
        head.append(f"    P_{col} = P[{col!r}]")
    head.append("    N = range(len(P_alive))")
    head.append("    M = [i for i in N if P_alive[i]]")
    for var in gen.once.values():
        head.append(f"    {var} = _U")
    for key, var in gen.std.items():
        head.append(f"    {var} = S[{key!r}]")
    for name, var in gen.pol.items():
        head.append(f"    {var} = C[{name!r}]")
    applies = "True" if version.applies is None else f"bool({gen.expr(version.applies, False)})"
    notes = ", ".join(
        f"bool({gen.expr(n.when, False)})" for n in (version.notes if keep is None else ())
    )
    values = ", ".join(
        f"{q.name!r}: q_{q.name}" for q in version.quantities if keep is None or q.name in keep
    )
    tail = [
        f"    return {{{values}}}, [{', '.join(conds)}], [{', '.join(whens)}], "
        f"{applies}, [{notes}]",
    ]
    source = "\n".join(head + body + tail) + "\n"
    namespace: dict[str, Any] = dict(_HELPERS)
    namespace["KINDS"] = gen.kinds
    namespace["_U"] = _UNSET
    exec(compile(source, f"<rules {version.label}>", "exec"), namespace)
    return namespace["_scalar"], gen, source
