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

__all__ = ["ScalarResult", "build_scalar"]


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


def _income(
    P: Mapping[str, list[int]], kinds: tuple[str, ...], bits: int, who: Sequence[int]
) -> int:
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
        if op == "pincome":
            self.kinds = INCOME_KINDS
            return f"_income(P, KINDS, {self.expr(a[0], each)}, (i,))"
        if op == "income":
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
    #: The standard keys, and ``policy:<name>`` for policy points, whose values were read
    #: (a value behind a branch not taken is not).
    read: set[str] = attrs.field(factory=set)
    #: Whether the programme applies at all (its ``skip_unless`` holds).
    applies: bool = True
    #: Whether each of the version's notes applies.
    notes: list[bool] = attrs.field(factory=list)


def build_scalar(version: RuleVersion) -> tuple[Callable[..., Any], Any, str]:
    """Generate, compile and return the scalar evaluator of *version*, the generator that
    records what it reads, and the source text."""
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
    head = ["def _scalar(H, P, S, C, E, R):", "    _read = R.add"]
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
    applies = "True" if version.applies is None else f"bool({gen.expr(version.applies, False)})"
    notes = ", ".join(f"bool({gen.expr(n.when, False)})" for n in version.notes)
    values = ", ".join(f"{q.name!r}: q_{q.name}" for q in version.quantities)
    tail = [
        f"    return {{{values}}}, [{', '.join(conds)}], [{', '.join(whens)}], "
        f"{applies}, [{notes}]",
    ]
    source = "\n".join(head + body + tail) + "\n"
    namespace: dict[str, Any] = dict(_HELPERS)
    namespace["KINDS"] = gen.kinds
    exec(compile(source, f"<rules {version.label}>", "exec"), namespace)
    return namespace["_scalar"], gen, source
