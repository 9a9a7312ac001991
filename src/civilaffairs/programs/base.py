"""The programme-definition API (救助项目定义): one rule definition, two back ends.

A :class:`Program` declares its legal basis, the standards it reads, its policy points,
its named quantities, its named conditions and its amount. Each formula is a function
``fn(q, p, ops)`` where

* ``q`` holds the household's inputs (see :mod:`civilaffairs.engine.frame`) and the
  quantities computed so far, by name (``q.size``, ``q.countable_income``);
* ``p`` gives the standards and policy points resolved for the household's region,
  residence and month (``p.standard("dibao.standard")``, ``p.policy("rounding")``);
* ``ops`` is the operation vocabulary (:mod:`civilaffairs.engine.ops`).

The same functions run for one household (ints; every value recorded for the
explanation) and for a batch (numpy arrays). A quantity may carry a ``formula``, a Python
expression over other quantity names that states the arithmetic for the decision's steps;
tests recompute every step from its operands, so a formula cannot drift from its code.

A plugin defines a local programme the same way and registers it with
``civilaffairs_register_programs``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

import attrs

from civilaffairs.programs.points import PolicyPoint

__all__ = ["Basis", "Condition", "Program", "Quantity", "Rule", "Unit"]

Rule = Callable[[Any, Any, Any], Any]
Unit = Literal["fen", "limit", "count", "flag", "ratio", "years", "choice", "rounding"]
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@attrs.frozen
class Basis:
    """A legal basis (法律依据): the instrument and its articles."""

    title: str
    articles: str = ""
    document: str | None = None

    def __str__(self) -> str:
        doc = f"（{self.document}）" if self.document else ""
        return f"《{self.title}》{doc}{self.articles}"


@attrs.frozen
class Quantity:
    """A named intermediate value of a programme (计算项)."""

    name: str
    zh: str
    en: str
    fn: Rule
    unit: Unit = "fen"
    level: Literal["household", "person"] = "household"
    formula: str | None = None
    display_only: bool = False


@attrs.frozen
class Condition:
    """A named eligibility condition (认定条件) with its legal basis.

    ``zh`` and ``en`` are templates over quantity names: ``"人均收入 {per_capita} 元"``.
    """

    id: str
    zh: str
    en: str
    fn: Rule
    basis: str = ""

    @property
    def compares(self) -> tuple[str, ...]:
        """The quantity names the condition shows (from its label templates)."""
        return tuple(dict.fromkeys(re.findall(r"{(\w+)}", self.zh + self.en)))


class Program:
    """A social-assistance or welfare programme (救助/福利项目), defined once.

    >>> from civilaffairs.programs.base import Program, Basis
    >>> demo = Program("demo", zh="示例", en="Demo", area="demo",
    ...                basis=Basis("示例办法", "第一条"))
    >>> @demo.quantity(zh="人数", en="size", unit="count")
    ... def members(q, p, ops):
    ...     return q.size
    >>> @demo.condition(zh="家庭有 {members} 人", en="{members} members")
    ... def has_members(q, p, ops):
    ...     return q.members > 0
    >>> [c.id for c in demo.conditions]
    ['has_members']
    """

    def __init__(
        self,
        id: str,
        *,
        zh: str,
        en: str,
        area: str,
        basis: Basis,
        standards: tuple[str, ...] = (),
        optional_standards: tuple[str, ...] = (),
        level: Literal["household", "person"] = "household",
        description_zh: str = "",
        description_en: str = "",
    ) -> None:
        if not _NAME.match(id):
            raise ValueError(f"programme id {id!r} must be lowercase letters, digits and _")
        self.id = id
        self.zh = zh
        self.en = en
        self.area = area
        self.basis = basis
        self.standards = standards
        self.optional_standards = optional_standards
        self.level = level
        self.description_zh = description_zh
        self.description_en = description_en
        self.policy_points: dict[str, PolicyPoint] = {}
        self.quantities: dict[str, Quantity] = {}
        self.conditions: list[Condition] = []
        self.amount_quantity: str | None = None
        self.depends_on: tuple[str, ...] = ()
        self.period: Literal["monthly", "one_off_max"] = "monthly"

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.zh}>"

    # declaration ------------------------------------------------------------------------
    def point(self, point: PolicyPoint) -> PolicyPoint:
        """Declare a policy point a province may override."""
        if point.name in self.policy_points:
            raise ValueError(f"{self.id}: policy point {point.name!r} declared twice")
        point.validate(point.default)
        self.policy_points[point.name] = point
        return point

    def quantity(
        self,
        *,
        zh: str,
        en: str,
        unit: Unit = "fen",
        level: Literal["household", "person"] = "household",
        formula: str | None = None,
        display_only: bool = False,
        name: str | None = None,
    ) -> Callable[[Rule], Rule]:
        """Declare a named quantity; its name is *name*, or else the function's name (so one
        rule function can serve several programmes)."""

        def deco(fn: Rule) -> Rule:
            qname = name or fn.__name__
            self._check_name(qname)
            self.quantities[qname] = Quantity(qname, zh, en, fn, unit, level, formula, display_only)
            return fn

        return deco

    def condition(self, *, zh: str, en: str, basis: str = "") -> Callable[[Rule], Rule]:
        """Declare a named condition; all conditions must hold for eligibility."""

        def deco(fn: Rule) -> Rule:
            if any(c.id == fn.__name__ for c in self.conditions):
                raise ValueError(f"{self.id}: condition {fn.__name__!r} declared twice")
            cond = Condition(fn.__name__, zh, en, fn, basis)
            unknown = [n for n in cond.compares if n not in self.quantities]
            if unknown:
                raise ValueError(f"{self.id}.{cond.id}: label names unknown quantities {unknown}")
            self.conditions.append(cond)
            return fn

        return deco

    def amount(
        self, *, formula: str, zh: str = "月补助金额", en: str = "monthly amount"
    ) -> Callable[[Rule], Rule]:
        """Declare the monthly amount (fen) paid when every condition holds.

        The *formula* is required: the decision shows the amount's arithmetic.
        """

        def deco(fn: Rule) -> Rule:
            self.quantity(zh=zh, en=en, unit="fen", formula=formula)(fn)
            self.amount_quantity = fn.__name__
            return fn

        return deco

    def excluded_by(self, winner: str, *, zh: str, en: str, basis: str) -> None:
        """Refuse this programme when *winner* is granted to the household (不得重复享受).

        Adds the dependency and a condition ``not_<winner>`` reading ``eligible_<winner>``.
        """
        self.depends_on = (*self.depends_on, winner)
        flag = f"eligible_{winner}"

        def rule(q: Any, p: Any, ops: Any) -> Any:
            return ops.not_(q[flag])

        rule.__name__ = f"not_{winner}"
        self.condition(zh=zh, en=en, basis=basis)(rule)

    def requires(self, *programs: str) -> None:
        """Read ``eligible_<id>`` of other programmes (evaluated first)."""
        self.depends_on = tuple(dict.fromkeys((*self.depends_on, *programs)))

    def _check_name(self, name: str) -> None:
        if not _NAME.match(name):
            raise ValueError(f"{self.id}: quantity name {name!r} must be snake_case")
        if name in self.quantities:
            raise ValueError(f"{self.id}: quantity {name!r} declared twice")

    # introspection ----------------------------------------------------------------------
    def steps(self) -> Iterator[Quantity]:
        """Quantities that state their arithmetic."""
        return (q for q in self.quantities.values() if q.formula)

    def defaults(self) -> Mapping[str, Any]:
        """The national default of every policy point."""
        return {name: pt.default for name, pt in self.policy_points.items()}
