"""The programme-definition API (救助项目定义): one definition, compiled once.

A programme is written with :class:`Rules`, a builder that reads like the regulation: each
quantity, condition and the amount is an expression over inputs, standards, policy points
and earlier quantities (see :mod:`civilaffairs.engine.expr`). :meth:`Rules.build` checks the
whole definition and returns a frozen :class:`Program`; the compiler
(:mod:`civilaffairs.engine.compiler`) turns it into the scalar evaluator, the column-wise
evaluator and the explanation.

>>> from civilaffairs.rules import Rules, Basis, person, count, money, standard
>>> r = Rules("demo", zh="示例补贴", en="Demo subsidy", area="demo",
...           basis=Basis("示例办法", "第一条"))
>>> rate = r.quantity("rate", standard("dibao.standard"), zh="标准", en="rate")
>>> elders = r.quantity("elders", count(person.age >= 80), zh="高龄人数", en="members 80+")
>>> r.condition("has_elder", elders > 0, zh="有高龄老人 {elders} 名", en="{elders} members 80+")
>>> _ = r.amount(rate * elders, zh="月补贴", en="monthly subsidy")
>>> demo = r.build()
>>> demo.id, demo.standard_keys, [c.id for c in demo.versions[0].conditions]
('demo', ('dibao.standard',), ['has_elder'])

Rule logic can change by date, like values: build each version with its ``since`` date and
join them with :meth:`Program.then`; a decision names the version it applied.
"""

from __future__ import annotations

import datetime as _dt
import re
import types
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from civilaffairs.engine.expr import (
    PERSON_COLUMNS,
    Expr,
    eligible,
    household,
    person,
    policy_node,
)
from civilaffairs.errors import ProgramError
from civilaffairs.programs.points import PolicyPoint

__all__ = ["Basis", "Condition", "NoteRule", "Program", "Quantity", "RuleVersion", "Rules"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LEAVES = frozenset(
    {"std", "policy", "input", "ref", "eligible", "peer", "const", "income", "pincome", "name"}
)
_EARLIEST = _dt.date(1949, 10, 1)
Period = Literal["monthly", "one_off_max"]


@attrs.frozen
class Basis:
    """A legal basis (法律依据): the instrument and its articles."""

    title: str
    articles: str = ""
    document: str | None = None

    def __str__(self) -> str:
        doc = f"（{self.document}）" if self.document else ""
        return f"《{self.title}》{doc}{self.articles}"


@attrs.frozen(eq=False)
class Quantity:
    """A named value of a programme (计算项): ``name = expr``."""

    name: str
    zh: str
    en: str
    expr: Expr
    #: Listed among the decision's values (person-level quantities are not).
    shown: bool = True

    @property
    def unit(self) -> str:
        """The expression's unit."""
        return self.expr.unit

    @property
    def level(self) -> str:
        """``household`` or ``person``."""
        return self.expr.level

    @property
    def is_step(self) -> bool:
        """Whether the decision shows its arithmetic (it computes, rather than reads); a
        person-level step shows one value per living member."""
        return self.expr.op not in _LEAVES


@attrs.frozen(eq=False)
class Condition:
    """A named eligibility condition (认定条件) with its legal basis.

    ``zh`` and ``en`` are templates over quantity names: ``"人均收入 {per_capita}"``.
    Where *when* is given and does not hold, the condition is **not tested** (it neither
    passes nor fails, and the decision says so with ``untested_zh``/``untested_en``).
    """

    id: str
    zh: str
    en: str
    test: Expr
    basis: str = ""
    when: Expr | None = None
    untested_zh: str = ""
    untested_en: str = ""

    compares: tuple[str, ...] = attrs.field(init=False, repr=False)
    """The quantity names the condition shows (from its label templates)."""

    def __attrs_post_init__(self) -> None:
        names = tuple(dict.fromkeys(re.findall(r"{(\w+)}", self.zh + self.en)))
        object.__setattr__(self, "compares", names)


@attrs.frozen(eq=False)
class NoteRule:
    """A note a decision carries where *when* holds (e.g. a care standard not set)."""

    id: str
    when: Expr
    zh: str
    en: str


@attrs.frozen(eq=False)
class RuleVersion:
    """The rules of a programme in force from *since* (inclusive) until *until* (exclusive)."""

    since: _dt.date
    until: _dt.date | None
    quantities: tuple[Quantity, ...]
    conditions: tuple[Condition, ...]
    amount: str
    #: Where given and false, the programme is not assessed (it has nothing to apply).
    applies: Expr | None = None
    #: Why it is not assessed where ``applies`` is false, in Chinese and English.
    not_applicable: tuple[str, str] = ("", "")
    notes: tuple[NoteRule, ...] = ()
    _compiled: Any = attrs.field(default=None, init=False, repr=False)
    _by_name: dict[str, Quantity] | None = attrs.field(default=None, init=False, repr=False)

    @property
    def label(self) -> str:
        """The version's dates: ``"2021-07-01"`` (from), ``"…2021-06-30"`` for a first
        version whose start is not dated, ``""`` for a programme with one version."""
        if self.since == _EARLIEST:
            if self.until is None:
                return ""  # the only version: nothing to tell apart
            return f"…{(self.until - _dt.timedelta(days=1)).isoformat()}"
        return self.since.isoformat()

    def covers(self, day: _dt.date) -> bool:
        """Whether this version is in force on *day*."""
        return self.since <= day and (self.until is None or day < self.until)

    def quantity(self, name: str) -> Quantity:
        """The quantity *name*."""
        if self._by_name is None:
            object.__setattr__(self, "_by_name", {q.name: q for q in self.quantities})
        return self._by_name[name]  # type: ignore[index]

    def compiled(self) -> Any:
        """The compiled form (built once, on first use)."""
        if self._compiled is None:
            from civilaffairs.engine.compiler import compile_version

            object.__setattr__(self, "_compiled", compile_version(self))
        return self._compiled

    def nodes(self) -> Iterator[Expr]:
        """Every expression node of the version."""
        for q in self.quantities:
            yield from q.expr.walk()
        for c in self.conditions:
            yield from c.test.walk()
            if c.when is not None:
                yield from c.when.walk()
        if self.applies is not None:
            yield from self.applies.walk()
        for n in self.notes:
            yield from n.when.walk()


@attrs.frozen(eq=False)
class Program:
    """A social-assistance or welfare programme (救助/福利项目): a typed, frozen value.

    Build one with :class:`Rules`. ``versions`` are in date order and do not overlap.
    """

    id: str
    zh: str
    en: str
    area: str
    basis: Basis
    versions: tuple[RuleVersion, ...]
    policy_points: Mapping[str, PolicyPoint]
    period: Period = "monthly"
    description_zh: str = ""
    description_en: str = ""
    _deps: tuple[str, ...] = attrs.field(init=False, repr=False)
    _kinds: Mapping[str, str] = attrs.field(init=False, repr=False)
    _peers: Mapping[tuple[str, str], str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        deps: dict[str, None] = {}
        kinds: dict[str, str] = {}
        peers: dict[tuple[str, str], str] = {}
        for v in self.versions:
            for node in v.nodes():
                if node.op == "eligible":
                    deps[node.meta] = None
                elif node.op == "peer":
                    deps[node.meta[0]] = None
                    peers[node.meta] = node.unit
                elif node.op == "std":
                    kinds[node.meta[0]] = node.meta[1]
        object.__setattr__(self, "_deps", tuple(deps))
        object.__setattr__(self, "_peers", types.MappingProxyType(peers))
        object.__setattr__(self, "_kinds", types.MappingProxyType(kinds))

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.zh}>"

    def version_on(self, day: _dt.date) -> RuleVersion | None:
        """The version in force on *day*, or ``None`` before the first."""
        for v in self.versions:
            if v.covers(day):
                return v
        return None

    @property
    def latest(self) -> RuleVersion:
        """The most recent version."""
        return self.versions[-1]

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Programmes whose eligibility this one reads (``eligible(...)``)."""
        return self._deps

    @property
    def member_reads(self) -> Mapping[tuple[str, str], str]:
        """The person-level quantities of other programmes this one reads
        (``member_value``), with the unit it expects."""
        return self._peers

    def check_member_reads(self, programs: Mapping[str, Any]) -> list[str]:
        """Problems with :attr:`member_reads` against the registered *programs*."""
        problems = []
        for (pid, name), unit in self._peers.items():
            other = programs.get(pid)
            if other is None:
                continue  # reported as an unknown dependency
            for version in getattr(other, "versions", ()):
                q = next((q for q in version.quantities if q.name == name), None)
                if q is None or q.level != "person" or q.unit != unit:
                    problems.append(
                        f"programme {self.id!r} reads member_value({pid!r}, {name!r}) as a "
                        f"{unit} per member, which programme {pid!r} (version {version.label}) "
                        "does not have"
                    )
                    break
        return problems

    @property
    def standard_kinds(self) -> Mapping[str, str]:
        """Every standard key the programme reads, with the kind it expects."""
        return self._kinds

    @property
    def standard_keys(self) -> tuple[str, ...]:
        """Every standard key the programme reads."""
        return tuple(self.standard_kinds)

    def check_keys(self, keys: Mapping[str, Any]) -> list[str]:
        """Problems with the standard keys against a catalogue (``KeySpec`` by key)."""
        problems = []
        for key, kind in self.standard_kinds.items():
            spec = keys.get(key)
            if spec is None:
                problems.append(
                    f"programme {self.id!r} reads standard {key!r}, which no plugin declares"
                )
            elif spec.kind.value != kind:
                problems.append(
                    f"programme {self.id!r} reads standard {key!r} as {kind}, "
                    f"but it is declared as {spec.kind.value}"
                )
        return problems

    def then(self, later: Program) -> Program:
        """This programme with the versions of *later* appended (same id, later dates).

        The earlier version ends where the later one starts.
        """
        if later.id != self.id:
            raise ProgramError(f"cannot join versions of {self.id!r} and {later.id!r}")
        last = self.versions[-1]
        first = later.versions[0]
        if first.since <= last.since:
            raise ProgramError(
                f"{self.id}: version from {first.since} must start after {last.since}",
                path=f"{self.id}.versions",
            )
        ended = attrs.evolve(last, until=first.since)
        points = dict(self.policy_points)
        for name, point in later.policy_points.items():
            if name in points and points[name] != point:
                raise ProgramError(
                    f"{self.id}: policy point {name!r} differs between versions",
                    path=f"{self.id}.policy_points.{name}",
                )
            points[name] = point
        return attrs.evolve(
            later,
            versions=(*self.versions[:-1], ended, *later.versions),
            policy_points=types.MappingProxyType(points),
        )

    def defaults(self) -> Mapping[str, Any]:
        """The national default of every policy point."""
        return {name: pt.default for name, pt in self.policy_points.items()}


def std_name(key: str) -> str:
    """How a standard read inline is named in a formula: ``dibao.standard.minor`` ->
    ``dibao_standard_minor``."""
    return key.replace(".", "_")


class Rules:
    """The builder of a :class:`Program`: declare policy points, quantities, conditions and
    the amount in order, then :meth:`build`.

    Every method checks what it is given at once and raises
    :class:`~civilaffairs.errors.ProgramError` naming the programme and the part.
    """

    def __init__(
        self,
        id: str,
        *,
        zh: str,
        en: str,
        area: str,
        basis: Basis,
        period: Period = "monthly",
        description_zh: str = "",
        description_en: str = "",
    ) -> None:
        if not isinstance(id, str) or not _NAME.match(id):
            raise ProgramError(f"programme id {id!r} must be lowercase letters, digits and _")
        self.id = id
        self._meta: dict[str, Any] = {
            "zh": zh,
            "en": en,
            "area": area,
            "basis": basis,
            "period": period,
            "description_zh": description_zh,
            "description_en": description_en,
        }
        self._points: dict[str, PolicyPoint] = {}
        self._point_nodes: dict[str, Expr] = {}
        self._quantities: dict[str, Quantity] = {}
        self._refs: dict[str, Expr] = {}
        self._conditions: list[Condition] = []
        self._amount: str | None = None
        self._applies: tuple[Expr, tuple[str, str]] | None = None
        self._notes: list[NoteRule] = []

    def _error(self, message: str, part: str) -> ProgramError:
        return ProgramError(f"{self.id}: {message}", path=f"{self.id}.{part}")

    # declaration ---------------------------------------------------------------------------
    def point(self, point: PolicyPoint) -> Expr:
        """Declare a policy point a province may override; returns its value in rules."""
        if not isinstance(point, PolicyPoint):
            raise self._error(f"{point!r} is not a PolicyPoint", "policy_points")
        if point.name in self._points:
            raise self._error(f"policy point {point.name!r} declared twice", "policy_points")
        try:
            point.validate(point.default)
        except Exception as exc:
            raise self._error(f"default of {point.name!r}: {exc}", "policy_points") from None
        self._points[point.name] = point
        node = policy_node(self.id, point)
        self._point_nodes[point.name] = node
        return node

    def policy(self, name: str) -> Expr:
        """The value of a policy point declared earlier."""
        try:
            return self._point_nodes[name]
        except KeyError:
            raise self._error(f"no policy point {name!r}", "policy_points") from None

    def quantity(self, name: str, expr: Expr, *, zh: str, en: str, shown: bool = True) -> Expr:
        """Declare the quantity ``name = expr``; returns a reference to use in later rules."""
        part = f"quantities.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise self._error(f"quantity name {name!r} must be snake_case", part)
        if name in self._quantities:
            raise self._error(f"quantity {name!r} declared twice", part)
        plain_input = expr.op == "input" and expr.meta == name if isinstance(expr, Expr) else False
        shadows = (name in _reserved() and not plain_input) or name in self._points
        if shadows or name.startswith("eligible_"):
            raise self._error(
                f"quantity {name!r} would shadow an input or policy point of the same name "
                "(a quantity may bear an input's name only when it is exactly that input)",
                part,
            )
        if not isinstance(expr, Expr):
            raise self._error(f"quantity {name!r} must be a rule expression, got {expr!r}", part)
        self._check_expr(expr, part)
        q = Quantity(name, zh, en, expr, shown=shown and expr.level == "household")
        self._quantities[name] = q
        ref = Expr(
            "ref",
            (),
            expr.unit,
            expr.level,
            meta=(self.id, name),
            optional=expr.optional,
            choices=expr.choices,
        )
        self._refs[name] = ref
        return ref

    def condition(
        self,
        id: str,
        test: Expr,
        *,
        zh: str,
        en: str,
        basis: str = "",
        when: Expr | None = None,
        untested_zh: str = "",
        untested_en: str = "",
    ) -> None:
        """Declare a condition; every tested condition must hold for eligibility."""
        part = f"conditions.{id}"
        if not isinstance(id, str) or not _NAME.match(id):
            raise self._error(f"condition id {id!r} must be snake_case", part)
        if any(c.id == id for c in self._conditions):
            raise self._error(f"condition {id!r} declared twice", part)
        for what, e in (("test", test), ("when", when)):
            if e is None:
                continue
            if not isinstance(e, Expr):
                raise self._error(f"{what} must be a rule expression, got {e!r}", part)
            if e.unit != "flag" or e.level != "household" or e.optional:
                raise self._error(f"{what} must be a household flag that is always set", part)
            self._check_expr(e, part)
        cond = Condition(id, zh, en, test, basis, when, untested_zh, untested_en)
        unknown = [n for n in cond.compares if n not in self._quantities]
        if unknown:
            raise self._error(f"label names unknown quantities {unknown}", part)
        self._conditions.append(cond)

    def skip_unless(self, applies: Expr, *, zh: str, en: str) -> None:
        """Assess the programme only where *applies* holds; elsewhere it is listed as not
        assessed, with *zh*/*en* saying why (e.g. no allowance band published)."""
        if self._applies is not None:
            raise self._error("skip_unless declared twice", "applies")
        if not isinstance(applies, Expr) or applies.unit != "flag" or applies.level != "household":
            raise self._error("skip_unless takes a household flag", "applies")
        self._check_expr(applies, "applies")
        self._applies = (applies, (zh, en))

    def note(self, id: str, when: Expr, *, zh: str, en: str) -> None:
        """Add a note to the decision where *when* holds (a value not set, a limit applied)."""
        part = f"notes.{id}"
        if not isinstance(when, Expr) or when.unit != "flag" or when.level != "household":
            raise self._error("a note's condition must be a household flag", part)
        if any(n.id == id for n in self._notes):
            raise self._error(f"note {id!r} declared twice", part)
        self._check_expr(when, part)
        self._notes.append(NoteRule(id, when, zh, en))

    def excluded_by(self, winner: str, *, zh: str, en: str, basis: str) -> None:
        """Refuse this programme when the household is eligible for *winner*
        (不得重复享受): a condition ``not_<winner>``."""
        flag_name = f"in_{winner}"
        ref = self.quantity(flag_name, eligible(winner), zh=zh, en=en)
        self.condition(f"not_{winner}", ~ref, zh=zh, en=en, basis=basis)

    def amount(self, expr: Expr, *, zh: str = "月补助金额", en: str = "monthly amount") -> Expr:
        """Declare the amount (money per household) paid when every condition holds."""
        if self._amount is not None:
            raise self._error("amount declared twice", "amount")
        if not isinstance(expr, Expr) or expr.unit != "money" or expr.level != "household":
            raise self._error("the amount must be money per household", "amount")
        ref = self.quantity("amount", expr, zh=zh, en=en)
        self._amount = "amount"
        return ref

    # checks ------------------------------------------------------------------------------
    def _check_expr(self, expr: Expr, part: str) -> None:
        for node in expr.walk():
            if node.op == "ref":
                owner, name = node.meta
                if owner != self.id or name not in self._quantities:
                    raise self._error(
                        f"reads quantity {name!r} of programme {owner!r}, which is not "
                        "declared before it here",
                        part,
                    )
                if self._refs.get(name) is not node:
                    raise self._error(f"reads a stale reference to {name!r}", part)
            elif node.op == "policy":
                owner, point = node.meta
                if owner != self.id or self._points.get(point.name) is not point:
                    raise self._error(
                        f"reads policy point {point.name!r} of programme {owner!r}; declare it "
                        "here with point()",
                        part,
                    )
            elif node.op == "eligible" and node.meta == self.id:
                raise self._error("a programme cannot read its own eligibility", part)
            for child in node.args:
                if child.op in ("income", "pincome"):
                    raise self._error(
                        "countable_income() must be a quantity of its own (so the decision "
                        "lists the income items it counted); name it and use the name",
                        part,
                    )

    def build(
        self, since: str | _dt.date = _EARLIEST, until: str | _dt.date | None = None
    ) -> Program:
        """The frozen :class:`Program`, in force from *since* (and until *until*)."""
        if self._amount is None:
            raise self._error("no amount declared (use amount(...); money('0') if none)", "amount")
        start = _date(since, self.id)
        end = None if until is None else _date(until, self.id)
        if end is not None and end <= start:
            raise self._error(f"version ends ({end}) before it starts ({start})", "versions")
        applies, why = self._applies if self._applies is not None else (None, ("", ""))
        version = RuleVersion(
            start,
            end,
            tuple(self._quantities.values()),
            tuple(self._conditions),
            self._amount,
            applies,
            why,
            tuple(self._notes),
        )
        try:
            version.compiled()
        except ProgramError as exc:
            raise self._error(exc.message, "versions") from None
        return Program(
            id=self.id,
            versions=(version,),
            policy_points=types.MappingProxyType(dict(self._points)),
            **self._meta,
        )


def _date(value: str | _dt.date, pid: str) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ProgramError(f"{pid}: {value!r} is not a date (YYYY-MM-DD)") from None


def _reserved() -> frozenset[str]:
    names = set(household.names()) | set(person.names())
    names |= {PERSON_COLUMNS.get(n, n) for n in person.names()}
    return frozenset(names)
