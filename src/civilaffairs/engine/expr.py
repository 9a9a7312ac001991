"""Rule expressions (规则表达式): the one vocabulary programmes are written in.

A programme's quantities, conditions and amount are *expressions*: trees of
:class:`Expr` nodes built with ordinary Python operators and a few functions
(:func:`where`, :func:`maximum`, :func:`count`, ...). Nothing is computed when they are
written. The compiler (:mod:`civilaffairs.engine.compiler`) turns one tree into the scalar
evaluator, the column-wise evaluator and the explanation text, so a decision can never show
arithmetic that differs from what was computed.

Every node has a **unit**, checked as the tree is built:

========  =========================================  ==============================
unit      held as                                    shown as
========  =========================================  ==============================
money     whole fen (分)                              ``1450.00``
ratio     whole 1/10000                              ``1.5``
count     whole number (people, years, vehicles)     ``3``
flag      true / false                               ``true``
code      an enumeration member, compared by name    ``intellectual``
choice    a policy choice, compared by name          ``banded``
========  =========================================  ==============================

Money times a ratio is money, rounded half up to the fen; money times money, or money
compared with a bare number other than 0, is refused. A value that may be **not set** (an
optional standard, a policy with no value) cannot enter arithmetic until the rule says what
happens then: ``x.or_else(y)`` or ``is_set(x)``. So "not set" is a value the explanation
shows, never a silent ``0`` or ``-1``.

Every node also has a **level**: ``household`` or ``person``. Person values (a member's
age, income, disability) become household values only through an aggregation over the
household's living members: :func:`count`, :func:`total`, :func:`any_member`,
:func:`all_members`. A household value used beside a person value applies to each member.

>>> from civilaffairs.engine.expr import household, person, count, money
>>> minors = count(person.age < 18)
>>> minors.unit, minors.level
('count', 'household')
>>> household.deposits > money("5000")
<Expr deposits > 5000.00>
>>> household.deposits > 5000  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
civilaffairs.errors.ProgramError: cannot compare money with the bare number 5000: ...
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from civilaffairs.domain import IncomeKind, StatusKind
from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    from civilaffairs.programs.points import PolicyPoint

__all__ = [
    "INCOME_KINDS",
    "STATUS_KINDS",
    "Expr",
    "Level",
    "UnitName",
    "all_members",
    "any_member",
    "count",
    "eligible",
    "flag",
    "household",
    "is_set",
    "maximum",
    "member_income",
    "member_value",
    "minimum",
    "money",
    "number",
    "only_where",
    "person",
    "ratio",
    "round_to_yuan",
    "standard",
    "total",
    "where",
]

#: Income kinds, in the order of :class:`civilaffairs.domain.IncomeKind` (bit positions of
#: income-kind sets).
INCOME_KINDS: tuple[str, ...] = tuple(k.value for k in IncomeKind)

#: Status kinds, in the order of :class:`civilaffairs.domain.StatusKind` (bit positions in the
#: status inputs ``own``, ``father``, ``mother``, ...).
STATUS_KINDS: tuple[str, ...] = tuple(k.value for k in StatusKind)

UnitName = Literal["money", "ratio", "count", "flag", "code", "choice", "kinds", "rounding"]
Level = Literal["household", "person"]

_NUMERIC = ("money", "ratio", "count")
_ORDERED = ("money", "ratio", "count")


class Expr:
    """A node of a rule expression.

    ``op`` names the operation, ``args`` are child nodes, ``meta`` holds what a leaf needs
    (a value, an input name, a standard key, a policy point). Nodes compare by identity: the
    comparison operators build expressions.
    """

    __slots__ = ("_key", "args", "choices", "level", "meta", "op", "optional", "unit")

    def __init__(
        self,
        op: str,
        args: tuple[Expr, ...],
        unit: UnitName,
        level: Level,
        *,
        meta: Any = None,
        optional: bool = False,
        choices: tuple[str, ...] = (),
    ) -> None:
        self.op = op
        self.args = args
        self.unit: UnitName = unit
        self.level: Level = level
        self.meta = meta
        self.optional = optional
        self.choices = choices
        self._key: tuple[Any, ...] | None = None

    # identity --------------------------------------------------------------------------
    __hash__ = object.__hash__

    @property
    def key(self) -> tuple[Any, ...]:
        """A structural key: equal for equal trees (used to share work between programmes)."""
        if self._key is None:
            meta = self.meta
            if self.op == "policy":
                meta = (meta[0], meta[1].name)
            self._key = (self.op, meta, tuple(a.key for a in self.args))
        return self._key

    def __repr__(self) -> str:
        from civilaffairs.engine.render import render

        return f"<Expr {render(self)}>"

    def __bool__(self) -> bool:
        raise ProgramError(
            "a rule expression has no truth value while the rule is written: use where(), "
            "& (and), | (or) and ~ (not) instead of if/and/or/not"
        )

    def walk(self) -> Any:
        """This node and every node below it, depth first."""
        yield self
        for a in self.args:
            yield from a.walk()

    # arithmetic ------------------------------------------------------------------------
    def __add__(self, other: object) -> Expr:
        return _additive("add", self, _lift(other, self))

    def __radd__(self, other: object) -> Expr:
        return _additive("add", _lift(other, self), self)

    def __sub__(self, other: object) -> Expr:
        return _additive("sub", self, _lift(other, self))

    def __rsub__(self, other: object) -> Expr:
        return _additive("sub", _lift(other, self), self)

    def __mul__(self, other: object) -> Expr:
        return _multiply(self, _lift(other, None))

    def __rmul__(self, other: object) -> Expr:
        return _multiply(_lift(other, None), self)

    def __truediv__(self, other: object) -> Expr:
        return divide(self, _lift(other, None))

    def __neg__(self) -> Expr:
        return _additive("sub", _zero(self), self)

    # comparison ------------------------------------------------------------------------
    def __lt__(self, other: object) -> Expr:
        return _compare("lt", self, other)

    def __le__(self, other: object) -> Expr:
        return _compare("le", self, other)

    def __gt__(self, other: object) -> Expr:
        return _compare("gt", self, other)

    def __ge__(self, other: object) -> Expr:
        return _compare("ge", self, other)

    def __eq__(self, other: object) -> Expr:  # type: ignore[override]
        return _compare("eq", self, other)

    def __ne__(self, other: object) -> Expr:  # type: ignore[override]
        return _compare("ne", self, other)

    def isin(self, names: Sequence[str]) -> Expr:
        """Whether a code or choice is one of *names*."""
        if not names:
            raise ProgramError("isin() needs at least one name")
        out = self == names[0]
        for name in names[1:]:
            out = out | (self == name)
        return out

    # logic -----------------------------------------------------------------------------
    def __and__(self, other: object) -> Expr:
        return _logic("and", self, _lift(other, None))

    def __rand__(self, other: object) -> Expr:
        return _logic("and", _lift(other, None), self)

    def __or__(self, other: object) -> Expr:
        return _logic("or", self, _lift(other, None))

    def __ror__(self, other: object) -> Expr:
        return _logic("or", _lift(other, None), self)

    def __invert__(self) -> Expr:
        _need(self, "flag", "~")
        return Expr("not", (self,), "flag", self.level)

    # not set ---------------------------------------------------------------------------
    def or_else(self, default: object) -> Expr:
        """This value where it is set, else *default* (of the same unit)."""
        if not self.optional:
            raise ProgramError(f"{_show(self)} is always set; or_else() is not needed")
        d = _lift(default, self)
        if d.optional:
            raise ProgramError("the default of or_else() may not itself be unset")
        _same_unit(self, d, "or_else")
        return Expr("or_else", (self, d), self.unit, _level(self, d), choices=self.choices)

    @property
    def is_set(self) -> Expr:
        """A flag: whether this optional value is set."""
        return is_set(self)

    # status bits -----------------------------------------------------------------------
    def has(self, *kinds: str) -> Expr:
        """For a status input (``person.own``, ``person.father``, ...): whether any of
        *kinds* is in force."""
        if self.op != "input" or self.meta not in _STATUS_INPUTS:
            raise ProgramError("has() applies to the status inputs own, father, mother, ...")
        names = list(STATUS_KINDS)
        mask = 0
        for kind in kinds:
            if kind not in names:
                raise ProgramError(f"unknown status kind {kind!r} (known: {', '.join(names)})")
            mask |= 1 << names.index(kind)
        return Expr("has", (self,), "flag", self.level, meta=mask)


# -- leaves ------------------------------------------------------------------------------


def _const(value: int, unit: UnitName) -> Expr:
    return Expr("const", (), unit, "household", meta=value)


def money(yuan: str | int | Decimal) -> Expr:
    """A constant amount of money, written in yuan: ``money("1450")``, ``money("0.50")``."""
    from civilaffairs.money import Money

    return _const(Money.parse(str(yuan)).fen, "money")


def ratio(value: str | int | Decimal) -> Expr:
    """A constant ratio, written as a decimal: ``ratio("1.5")``."""
    from civilaffairs.programs.points import ratio_to_units

    try:
        return _const(ratio_to_units(value), "ratio")
    except Exception as exc:
        raise ProgramError(str(exc)) from None


def number(value: int) -> Expr:
    """A constant count: ``number(60)``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProgramError(f"number() takes a whole number, got {value!r}")
    return _const(value, "count")


def flag(value: bool) -> Expr:
    """A constant true or false."""
    return Expr("const", (), "flag", "household", meta=bool(value))


def standard(key: str, *, optional: bool = False, kind: str | None = None) -> Expr:
    """A standard of the catalogue, resolved for the household's region, residence and month.

    :param key: the key, e.g. ``"dibao.standard"``; a key a plugin declares needs *kind*.
    :param optional: the region may not have published it; the value is then *not set*
        and the rule must say what happens (``or_else``, ``is_set``). A required standard
        that is missing means the programme cannot be assessed for that region.
    :param kind: ``"money"``, ``"ratio"`` or ``"number"``; taken from the built-in
        catalogue when omitted.
    """
    from civilaffairs.standards.catalogue import CATALOGUE

    spec = CATALOGUE.get(key)
    if kind is None:
        if spec is None:
            raise ProgramError(
                f"standard key {key!r} is not built in: pass kind='money', 'ratio' or "
                "'number' as declared with the key"
            )
        kind = spec.kind.value
    elif spec is not None and spec.kind.value != kind:
        raise ProgramError(f"standard {key!r} holds {spec.kind.value}, not {kind}")
    unit: UnitName = {"money": "money", "ratio": "ratio", "number": "ratio"}.get(  # type: ignore[assignment]
        kind, "money"
    )
    if kind not in ("money", "ratio", "number"):
        raise ProgramError(f"standard kind must be money, ratio or number, got {kind!r}")
    return Expr("std", (), unit, "household", meta=(key, kind), optional=optional)


def policy_node(program: str, point: PolicyPoint) -> Expr:
    """A policy point of *program* (built by :meth:`Rules.point`)."""
    from civilaffairs.programs import points as pts

    optional = False
    choices: tuple[str, ...] = ()
    unit: UnitName
    if isinstance(point, pts.BoolPoint):
        unit = "flag"
    elif isinstance(point, pts.IntPoint):
        unit, optional = "count", point.nullable
    elif isinstance(point, pts.RatioPoint):
        unit = "ratio"
    elif isinstance(point, pts.ChoicePoint):
        unit, choices = "choice", point.choices
        if point.name == "rounding" or set(point.choices) <= {"none", "up", "down", "half_up"}:
            unit = "rounding"
    elif isinstance(point, pts.KindSetPoint):
        unit = "kinds"
    else:
        raise ProgramError(f"policy point {point!r} is of no known kind")
    return Expr(
        "policy", (), unit, "household", meta=(program, point), optional=optional, choices=choices
    )


def eligible(program: str) -> Expr:
    """Whether the household is eligible for another programme (evaluated first)."""
    return Expr("eligible", (), "flag", "household", meta=program)


def member_value(program: str, quantity: str, *, unit: UnitName = "flag") -> Expr:
    """A person-level quantity of another programme (evaluated first), one value per member:
    ``member_value("tekun", "tekun_person")``. The registry checks that the programme has
    such a quantity, per member, of this unit."""
    if unit not in ("flag", "money", "count", "ratio"):
        raise ProgramError(f"member_value() reads a flag, money, count or ratio, not {unit}")
    return Expr("peer", (), unit, "person", meta=(program, quantity))


class _Inputs:
    """Named inputs of one level; ``household.size``, ``person.age``."""

    def __init__(self, level: Level, fields: dict[str, tuple[UnitName, tuple[str, ...]]]):
        self._level: Level = level
        self._fields = fields

    def __getattr__(self, name: str) -> Expr:
        spec = self._fields.get(name)
        if spec is None:
            known = ", ".join(sorted(self._fields))
            raise ProgramError(f"{self._level} has no input {name!r} (inputs: {known})")
        unit, choices = spec
        return Expr("input", (), unit, self._level, meta=name, choices=choices)

    def income(self, kind: str) -> Expr:
        """A member's monthly income of one kind."""
        return getattr(self, f"inc_{kind}")  # type: ignore[no-any-return]

    def names(self) -> tuple[str, ...]:
        """The input names of this level."""
        return tuple(self._fields)


_STATUS_INPUTS = (
    "own",
    "father",
    "mother",
    "father_6m",
    "mother_6m",
    "father_term6",
    "mother_term6",
)


def _person_fields() -> dict[str, tuple[UnitName, tuple[str, ...]]]:
    from civilaffairs.domain import (
        DisabilityCategory,
        Employment,
        IncomeKind,
        Relation,
        SchoolLevel,
        SelfCare,
    )

    def codes(enum: Any) -> tuple[str, ...]:
        return tuple(m.value for m in enum)

    fields: dict[str, tuple[UnitName, tuple[str, ...]]] = {
        "alive": ("flag", ()),
        "age": ("count", ()),
        "female": ("flag", ()),
        "relation": ("code", codes(Relation)),
        "disability_category": ("code", codes(DisabilityCategory)),
        "disability_grade": ("count", ()),
        "self_care": ("code", codes(SelfCare)),
        "labour": ("code", ("no", "yes")),
        "in_school": ("code", codes(SchoolLevel)),
        "employment": ("code", codes(Employment)),
        "able_supporters": ("count", ()),
    }
    for name in _STATUS_INPUTS:
        fields[name] = ("code", ())
    for kind in IncomeKind:
        fields[f"inc_{kind.value}"] = ("money", ())
    return fields


#: First code of an enumeration input where it is not 1 (labour: -1 not stated, 0 no, 1 yes).
_CODE_BASE = {"labour": 0}

#: Frame column of each person input whose name differs from the column.
PERSON_COLUMNS = {
    "disability_category": "dis_cat",
    "disability_grade": "dis_grade",
    "in_school": "school",
}

#: Household inputs (frame columns of the same name).
household = _Inputs(
    "household",
    {
        "size": ("count", ()),
        "rural": ("flag", ()),
        "deposits": ("money", ()),
        "vehicles": ("count", ()),
        "real_estate": ("count", ()),
        "businesses": ("count", ()),
        "other_assets": ("money", ()),
        "medical": ("money", ()),
        "education": ("money", ()),
    },
)


class _LazyPerson(_Inputs):
    def __init__(self) -> None:
        self._level = "person"
        self._loaded: dict[str, tuple[UnitName, tuple[str, ...]]] | None = None

    @property
    def _fields(self) -> dict[str, tuple[UnitName, tuple[str, ...]]]:
        if self._loaded is None:
            self._loaded = _person_fields()
        return self._loaded

    @_fields.setter
    def _fields(self, value: Any) -> None:  # pragma: no cover - not used
        self._loaded = value


#: Person inputs, one value per member.
person: _Inputs = _LazyPerson()


# -- functions ---------------------------------------------------------------------------


def where(cond: Expr, then: object, otherwise: object) -> Expr:
    """*then* where *cond* holds, else *otherwise* (same unit)."""
    _need(cond, "flag", "where")
    a = _lift(then, _other(otherwise))
    b = _lift(otherwise, a)
    _same_unit(a, b, "where")
    _settled(a, "where")
    _settled(b, "where")
    return Expr("where", (cond, a, b), a.unit, _level(cond, a, b), choices=a.choices)


def maximum(a: object, b: object) -> Expr:
    """The larger of two values of one unit."""
    return _extreme("max", a, b)


def minimum(a: object, b: object) -> Expr:
    """The smaller of two values of one unit."""
    return _extreme("min", a, b)


def divide(a: Expr, b: Expr) -> Expr:
    """*a* ÷ *b* for a count *b*, rounded half up (a per-capita amount); ÷ 0 counts as ÷ 1."""
    _settled(a, "/")
    _settled(b, "/")
    if b.unit != "count" or a.unit not in ("money", "count"):
        raise ProgramError(f"cannot divide {a.unit} by {b.unit}: divide money or counts by a count")
    return Expr("div", (a, b), a.unit, _level(a, b))


def count(x: Expr) -> Expr:
    """How many living members *x* holds for."""
    return _aggregate("count", x, "flag", "count")


def total(x: Expr) -> Expr:
    """The sum of *x* (money or a count) over the living members."""
    if x.unit not in ("money", "count"):
        raise ProgramError(f"total() adds money or counts, not {x.unit}")
    return _aggregate("total", x, x.unit, x.unit)


def any_member(x: Expr) -> Expr:
    """Whether *x* holds for at least one living member."""
    return _aggregate("any", x, "flag", "flag")


def all_members(x: Expr) -> Expr:
    """Whether *x* holds for every living member."""
    return _aggregate("all", x, "flag", "flag")


def is_set(x: Expr) -> Expr:
    """Whether an optional value is set."""
    if not x.optional:
        raise ProgramError(f"{_show(x)} is always set; is_set() is not needed")
    return Expr("is_set", (x,), "flag", x.level)


def only_where(cond: Expr, value: object) -> Expr:
    """*value* where *cond* holds, else **not set** (an optional value).

    >>> from civilaffairs.engine.expr import household, money, only_where
    >>> limit = only_where(household.size > 0, money("500") * household.size)
    >>> limit.optional
    True
    """
    _need(cond, "flag", "only_where")
    v = _lift(value, None)
    _settled(v, "only_where")
    return Expr("only", (cond, v), v.unit, _level(cond, v), optional=True, choices=v.choices)


def round_to_yuan(x: Expr, rounding: Expr) -> Expr:
    """Round money to whole yuan as the *rounding* policy says (none, up, down, half_up)."""
    _need(x, "money", "round_to_yuan")
    if rounding.unit != "rounding":
        raise ProgramError("round_to_yuan() takes a rounding policy point")
    return Expr("round", (x, rounding), "money", x.level)


def member_income(excluded: Expr) -> Expr:
    """Each member's own monthly income over the kinds not in *excluded* (a policy point of
    income kinds)."""
    if excluded.unit != "kinds":
        raise ProgramError("member_income() takes the policy point of excluded income kinds")
    return Expr("pincome", (excluded,), "money", "person")


def countable_income(excluded: Expr, who: Expr | None = None) -> Expr:
    """The household's monthly income over the kinds not in *excluded* (a policy point of
    income kinds), of the living members (or of those where *who* holds)."""
    if excluded.unit != "kinds":
        raise ProgramError("countable_income() takes the policy point of excluded income kinds")
    args: tuple[Expr, ...] = (excluded,)
    if who is not None:
        _need(who, "flag", "countable_income")
        if who.level != "person":
            raise ProgramError("countable_income(who=...) takes a flag per member")
        args = (excluded, who)
    return Expr("income", args, "money", "household")


# -- typing rules ------------------------------------------------------------------------


def _show(x: Expr) -> str:
    from civilaffairs.engine.render import render

    return render(x)


def _other(x: object) -> Expr | None:
    return x if isinstance(x, Expr) else None


def _zero(like: Expr) -> Expr:
    return _const(0, like.unit if like.unit in _NUMERIC else "count")


def _lift(value: object, like: Expr | None) -> Expr:
    """A Python value as a constant node, in the unit of *like* where that is safe."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        return flag(value)
    if isinstance(value, int):
        if like is None or like.unit in ("count", "code"):
            return _const(value, "count")
        if like.unit in ("money", "ratio") and value == 0:
            return _const(0, like.unit)
        if like.unit == "money":
            raise ProgramError(
                f'cannot compare money with the bare number {value}: write money("{value}") '
                "or a named quantity"
            )
        if like.unit == "ratio":
            raise ProgramError(f'write ratio("{value}") for a ratio constant, not {value}')
        return _const(value, "count")
    raise ProgramError(f"{value!r} cannot be part of a rule: use money(), ratio() or number()")


def _level(*xs: Expr) -> Level:
    return "person" if any(x.level == "person" for x in xs) else "household"


def _need(x: Expr, unit: str, what: str) -> None:
    _settled(x, what)
    if x.unit != unit:
        raise ProgramError(f"{what} needs a {unit}, got {x.unit} ({_show(x)})")


def _settled(x: Expr, what: str) -> None:
    if x.optional:
        raise ProgramError(
            f"{_show(x)} may be not set: say what applies then with .or_else(...) or "
            f"is_set(...) before using it in {what}"
        )


def _same_unit(a: Expr, b: Expr, what: str) -> None:
    if a.unit != b.unit:
        raise ProgramError(f"{what} mixes {a.unit} and {b.unit} ({_show(a)}, {_show(b)})")


def _additive(op: str, a: Expr, b: Expr) -> Expr:
    _settled(a, "+/-")
    _settled(b, "+/-")
    if a.unit not in _NUMERIC:
        raise ProgramError(f"cannot add or subtract {a.unit} ({_show(a)})")
    _same_unit(a, b, "+/-")
    return Expr(op, (a, b), a.unit, _level(a, b))


def _multiply(a: Expr, b: Expr) -> Expr:
    _settled(a, "*")
    _settled(b, "*")
    units = (a.unit, b.unit)
    if units == ("money", "ratio"):
        return Expr("rmul", (a, b), "money", _level(a, b))
    if units == ("ratio", "money"):
        return Expr("rmul", (b, a), "money", _level(a, b))
    if units in (("money", "count"), ("count", "money")):
        return Expr("mul", (a, b), "money", _level(a, b))
    if units == ("count", "count"):
        return Expr("mul", (a, b), "count", _level(a, b))
    raise ProgramError(f"cannot multiply {a.unit} by {b.unit} ({_show(a)} * {_show(b)})")


def _compare(op: str, a: Expr, other: object) -> Expr:
    _settled(a, "a comparison")
    if isinstance(other, str):
        if a.unit not in ("code", "choice", "rounding") or not a.choices:
            raise ProgramError(f"only codes and choices compare with a name, not {a.unit}")
        if other not in a.choices:
            raise ProgramError(f"{other!r} is not one of {', '.join(a.choices)} ({_show(a)})")
        if op not in ("eq", "ne"):
            raise ProgramError("codes and choices compare with == and != only")
        index = a.choices.index(other)
        if a.unit == "code":  # enumeration codes are position + 1 (0: not recorded)
            index += _CODE_BASE.get(a.meta if a.op == "input" else "", 1)
        b = Expr("name", (), a.unit, "household", meta=(other, index), choices=a.choices)
        return Expr(op, (a, b), "flag", a.level)
    b = _lift(other, a)
    _settled(b, "a comparison")
    if a.unit in ("code", "choice", "rounding") and op not in ("eq", "ne") and a.choices:
        raise ProgramError("codes and choices compare with == and != only")
    if a.unit in ("choice", "rounding"):
        raise ProgramError('choices compare with their names, e.g. == "banded"')
    if a.unit == "flag" and op not in ("eq", "ne"):
        raise ProgramError("flags compare with == and != only")
    zero = b.op == "const" and b.meta == 0 and op in ("eq", "ne")
    if zero and a.unit == "code" and a.choices:  # 0: not recorded
        b = Expr("name", (), "code", "household", meta=(None, 0), choices=a.choices)
        return Expr(op, (a, b), "flag", a.level)
    if a.unit != b.unit and not (
        a.unit == "code" and b.unit == "count" and (zero or not a.choices)
    ):
        raise ProgramError(f"cannot compare {a.unit} with {b.unit} ({_show(a)}, {_show(b)})")
    return Expr(op, (a, b), "flag", _level(a, b))


def _logic(op: str, a: Expr, b: Expr) -> Expr:
    _need(a, "flag", "&/|")
    _need(b, "flag", "&/|")
    return Expr(op, (a, b), "flag", _level(a, b))


def _extreme(op: str, a: object, b: object) -> Expr:
    x = _lift(a, _other(b))
    y = _lift(b, x)
    _settled(x, op)
    _settled(y, op)
    _same_unit(x, y, op)
    if x.unit not in _ORDERED:
        raise ProgramError(f"{op}() takes money, ratios or counts, not {x.unit}")
    return Expr(op, (x, y), x.unit, _level(x, y))


def _aggregate(op: str, x: Expr, need: str, unit: UnitName) -> Expr:
    _need(x, need, f"{op}()")
    if x.level != "person":
        raise ProgramError(f"{op}() aggregates a value per member; {_show(x)} is per household")
    return Expr(op, (x,), unit, "household")
