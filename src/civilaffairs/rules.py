"""Writing programmes (编写救助项目规则): everything a rule author imports, in one place.

>>> from civilaffairs.rules import Rules, Basis, standard, household, money, where
>>> r = Rules("winter_fuel", zh="冬季取暖补贴", en="Winter fuel subsidy", area="demo",
...           basis=Basis("示例办法", "第三条"))
>>> rate = r.quantity("rate", standard("dibao.standard"), zh="标准", en="rate")
>>> size = r.quantity("size", household.size, zh="人数", en="members")
>>> r.condition("rural", household.rural, zh="农村家庭", en="rural household")
>>> _ = r.amount(where(size > 0, rate, money("0")), zh="补贴", en="subsidy")
>>> r.build().id
'winter_fuel'

See :mod:`civilaffairs.engine.expr` for the expression vocabulary and units, and
:mod:`civilaffairs.programs.base` for :class:`~civilaffairs.programs.base.Rules` and
:class:`~civilaffairs.programs.base.Program`.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    Expr,
    all_members,
    any_member,
    count,
    countable_income,
    eligible,
    flag,
    household,
    is_set,
    maximum,
    member_income,
    member_value,
    minimum,
    money,
    number,
    only_where,
    person,
    ratio,
    round_to_yuan,
    standard,
    total,
    where,
)
from civilaffairs.programs.base import Basis, Condition, Program, Quantity, Rules, RuleVersion
from civilaffairs.programs.module import ServiceModule
from civilaffairs.programs.points import (
    BoolPoint,
    ChoicePoint,
    IntPoint,
    KindSetPoint,
    PolicyPoint,
    RatioPoint,
)

__all__ = [
    "Basis",
    "BoolPoint",
    "ChoicePoint",
    "Condition",
    "Expr",
    "IntPoint",
    "KindSetPoint",
    "PolicyPoint",
    "Program",
    "Quantity",
    "RatioPoint",
    "RuleVersion",
    "Rules",
    "ServiceModule",
    "all_members",
    "any_member",
    "count",
    "countable_income",
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
