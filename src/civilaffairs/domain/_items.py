"""Income, asset and expense items (收入、财产与支出项目).

Whether an income kind counts toward household income is **not** a property of these
types: it is a policy, with a national default that a province can override, and lives
with the programmes.
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import UNREAD, enum_field, int_field, money_field
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.money import Money

#: Upper bound of ``AssetItem.count``; more is a data error.
MAX_ASSET_COUNT = 10_000


class IncomeKind(LabelledEnum):
    """Kind of a monthly income item (收入类别).

    The first four are the statistical income groups (工资性、经营净、财产净、转移净收入);
    the others are the items the national texts single out, most of them excluded from
    means tests by default (民发〔2021〕57号).
    """

    WAGE = "wage"
    BUSINESS = "business"
    PROPERTY = "property"
    TRANSFER = "transfer"
    PENSION_BASIC = "pension_basic"
    VETERANS_CARE = "veterans_care"
    FAMILY_PLANNING = "family_planning"
    SCHOLARSHIP = "scholarship"
    ASSISTANCE = "assistance"
    HEROISM_REWARD = "heroism_reward"
    SUPPORT = "support"
    OTHER = "other"


label(
    IncomeKind,
    WAGE="工资性收入",
    BUSINESS="经营净收入",
    PROPERTY="财产净收入",
    TRANSFER="转移净收入",
    PENSION_BASIC="城乡居民基本养老保险基础养老金",
    VETERANS_CARE="优待抚恤金",
    FAMILY_PLANNING="计划生育奖励与扶助金",
    SCHOLARSHIP="奖学金",
    ASSISTANCE="政府发放的社会救助资金和物资",
    HEROISM_REWARD="见义勇为奖励",
    SUPPORT="赡养（抚养、扶养）费",
    OTHER="其他收入",
)


@attrs.frozen(kw_only=True)
class IncomeItem:
    """One monthly income item of a person (收入项目).

    :param kind: what kind of income it is.
    :param monthly: the monthly amount (月收入), not negative.

    >>> from civilaffairs.domain import IncomeItem, IncomeKind
    >>> from civilaffairs.money import Money
    >>> IncomeItem(kind=IncomeKind.WAGE, monthly=Money.parse("2600")).monthly
    Money('2600.00')
    """

    kind: IncomeKind = enum_field(IncomeKind)
    monthly: Money = money_field()


class AssetKind(LabelledEnum):
    """Kind of a household asset (财产类别)."""

    DEPOSIT = "deposit"
    SECURITIES = "securities"
    VEHICLE = "vehicle"
    REAL_ESTATE = "real_estate"
    BUSINESS_REGISTRATION = "business_registration"
    OTHER = "other"


label(
    AssetKind,
    DEPOSIT="存款",
    SECURITIES="有价证券",
    VEHICLE="机动车辆",
    REAL_ESTATE="房产",
    BUSINESS_REGISTRATION="工商登记（市场主体）",
    OTHER="其他财产",
)


@attrs.frozen(kw_only=True)
class AssetItem:
    """A household asset (家庭财产): a value, a count, or both.

    :param kind: what kind of asset it is.
    :param value: its value (价值), where assessed; not negative.
    :param count: how many (数量), e.g. two vehicles; an item without a count counts as one
        in :meth:`Household.asset_count`.

    At least one of *value* and *count* is given.
    """

    kind: AssetKind = enum_field(AssetKind)
    value: Money | None = money_field(optional=True)
    count: int | None = int_field(minimum=0, maximum=MAX_ASSET_COUNT, optional=True)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules({"value": self.value, "count": self.count})
        if errors:
            raise ValidationError(errors, what="asset")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields (see :meth:`Person.check_rules`): a value or a count is given."""
        if fields.get("value", UNREAD) is None and fields.get("count", UNREAD) is None:
            return [
                FieldError(
                    "value",
                    "give a value, a count or both (价值和数量至少填写一项)",
                    "missing",
                    zh="价值和数量至少填写一项",
                )
            ]
        return []

    @property
    def quantity(self) -> int:
        """``count``, or 1 when only a value is given."""
        return 1 if self.count is None else self.count


class ExpenseKind(LabelledEnum):
    """Kind of an essential household expense (刚性支出类别)."""

    MEDICAL = "medical"
    EDUCATION = "education"
    OTHER = "other"


label(ExpenseKind, MEDICAL="医疗支出", EDUCATION="教育支出", OTHER="其他刚性支出")


@attrs.frozen(kw_only=True)
class ExpenseItem:
    """A monthly essential expense of a household (刚性支出), for the high-spending test.

    :param kind: what the expense is for.
    :param monthly: the monthly amount, not negative (self-paid part, after insurance).
    """

    kind: ExpenseKind = enum_field(ExpenseKind)
    monthly: Money = money_field()
