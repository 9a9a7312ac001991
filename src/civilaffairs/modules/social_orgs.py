"""Social organisations and charity (社会组织与慈善): registration thresholds, annual reports,
public-fundraising eligibility and the spending rules of charities.

The rules and where they come from:

* **Registration** (``social_orgs.registration``): a 社会团体 needs 50 or more individual
  members or 30 or more unit members, or 50 or more in all when mixed, and activity funds of
  100,000 yuan (national) or 30,000 yuan (local and cross-region) — 社会团体登记管理条例
  (国务院令第250号, 1998, amended 2016-02-06) art. 10; a 基金会 an original fund of 8,000,000
  (national public-fundraising), 4,000,000 (local public-fundraising) or 2,000,000 yuan
  (non-public), paid in as money — 基金会管理条例 (国务院令第400号, 2004) art. 8; a 社会服务机构
  (民办非企业单位) the conditions of 民办非企业单位登记管理暂行条例 (国务院令第251号, 1998) art. 8,
  whose minimum opening funds are set locally. The kind comes from the record or from the
  second character of the unified social credit code (GB 32100: 5-1 社会团体, 5-2 社会服务机构,
  5-3 基金会).
* **Annual reports** (``social_orgs.annual_report`` for one organisation,
  :func:`annual_report_status` column-wise over a table): a 社会团体 or 社会服务机构 reports to
  the registration authority by 31 May of the next year (after its sponsor's review by 31
  March), a 基金会 by 31 March (基金会年度检查办法, 民政部令第30号, art. 3). The deadline is a
  number of months after the reporting year, a standard key per kind.
* **Public fundraising** (``social_orgs.public_fundraising_eligibility``): 慈善法 art. 22 — a
  charity registered for at least two years (2016 text) or one year (as amended on
  2023-12-29, in force 2024-09-05) may apply. The two versions are dated values of one key,
  chosen by the application date.
* **Charity spending** (``social_orgs.charity_spending``): 慈善法 (2016) art. 60 and the
  三部门 rules on annual spending and management costs (民政部 财政部 国家税务总局, 2016): a
  public-fundraising foundation spends on charitable activities at least 70% of last year's
  total income or of the average of the three previous years' income, and its management
  costs are at most 10% of the year's total spending; other public-fundraising charities at
  most 13%, and management costs under 200,000 yuan are exempt from that ratio.

Every threshold is a standard key of this module (national values in ``social_orgs.toml``,
each with its source); a value not registered leaves its condition not tested.

>>> import datetime
>>> from civilaffairs.checks import run_check
>>> from civilaffairs.money import Money
>>> app = OrgRegistration(id="SR-1", region="110105", kind=OrgKind.SOCIAL_ORGANIZATION,
...     scope=Scope.LOCAL, individual_members=48, unit_members=3,
...     activity_funds=Money.parse("30000"))
>>> result = run_check(REGISTRATION, app, "2025-03-01")
>>> [c.label("en") for c in result.decisions[0].conditions][:2]
['48 individual and 3 unit members: 51 in all, at least 50 when mixed', \
'activity funds 30000.00 yuan, at least 30000.00 (local)']
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal, overload

import attrs

from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    ANY_LEVEL,
    ID_PATTERN,
    UNREAD,
    bool_field,
    date_field,
    enum_field,
    identifier_field,
    int_field,
    money_field,
    text_field,
)
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.ids import CreditCode, OrgType, mask_text
from civilaffairs.money import Money
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "ANNUAL_REPORT",
    "CHARITY_SPENDING",
    "KEYS",
    "MODULE",
    "PUBLIC_FUNDRAISING",
    "REGISTRATION",
    "STATUSES",
    "AnnualReport",
    "CharityFinancials",
    "FoundationType",
    "FundraisingApplication",
    "OrgKind",
    "OrgRegistration",
    "Scope",
    "annual_report_status",
    "due_date",
    "kind_from_credit_code",
]

#: Where a national value applies when a record names no region.
NATIONAL = "000000"
#: Upper bound of members of one organisation; more is a data error.
MAX_MEMBERS = 10_000_000


class OrgKind(LabelledEnum):
    """Kind of social organisation (社会组织类型), as GB 32100 codes it under civil affairs."""

    SOCIAL_ORGANIZATION = "social_organization"
    SOCIAL_SERVICE_ORGANIZATION = "social_service_organization"
    FOUNDATION = "foundation"


label(
    OrgKind,
    SOCIAL_ORGANIZATION="社会团体",
    SOCIAL_SERVICE_ORGANIZATION="社会服务机构（民办非企业单位）",
    FOUNDATION="基金会",
)

_FROM_ORG_TYPE = {
    OrgType.SOCIAL_ORGANIZATION: OrgKind.SOCIAL_ORGANIZATION,
    OrgType.SOCIAL_SERVICE_ORGANIZATION: OrgKind.SOCIAL_SERVICE_ORGANIZATION,
    OrgType.FOUNDATION: OrgKind.FOUNDATION,
}


class Scope(LabelledEnum):
    """Whether a 社会团体 is national or local (全国性/地方性); cross-region ones count as
    local for the activity funds (社会团体登记管理条例 art. 10(5))."""

    NATIONAL = "national"
    LOCAL = "local"


label(Scope, NATIONAL="全国性", LOCAL="地方性（含跨行政区域）")


class FoundationType(LabelledEnum):
    """Category of a foundation under 基金会管理条例 art. 3 and 8."""

    NATIONAL_PUBLIC = "national_public"
    LOCAL_PUBLIC = "local_public"
    NON_PUBLIC = "non_public"


label(
    FoundationType,
    NATIONAL_PUBLIC="全国性公募基金会",
    LOCAL_PUBLIC="地方性公募基金会",
    NON_PUBLIC="非公募基金会",
)


def kind_from_credit_code(code: CreditCode) -> OrgKind:
    """The kind a unified social credit code gives: registered by civil affairs (first
    character 5) and the second character 1, 2 or 3.

    :raises ValidationError: (path ``credit_code``) for any other code.
    """
    found = _FROM_ORG_TYPE.get(code.org_type)
    if found is None:
        raise ValidationError.single(
            "credit_code",
            f"credit code {code.masked} is not that of a social organisation registered by "
            "civil affairs (its first two characters are not 51, 52 or 53) (非民政登记的社会组织)",
            "credit_code",
            zh=f"统一社会信用代码 {code.masked} 不是民政部门登记的社会组织代码"
            "（前两位应为 51、52 或 53）",
        )
    return found


def _region_of(record: Any) -> str:
    region = getattr(record, "region", None)
    return region if isinstance(region, str) else NATIONAL


def _kind_rules(fields: Mapping[str, Any]) -> list[FieldError]:
    """The kind must be given or follow from the credit code, and the two must agree."""
    kind, code = fields.get("kind", UNREAD), fields.get("credit_code", UNREAD)
    if kind is UNREAD or code is UNREAD:
        return []
    if kind is None and code is None:
        return [
            FieldError(
                "kind",
                "give the kind or a credit code to read it from (缺少组织类型)",
                "required",
                zh="须填写组织类型，或提供可从中读出类型的统一社会信用代码",
            )
        ]
    if isinstance(code, CreditCode):
        found = _FROM_ORG_TYPE.get(code.org_type)
        if found is None:
            return [
                FieldError(
                    "credit_code",
                    f"credit code {code.masked} is not that of a social organisation registered "
                    "by civil affairs (非民政登记的社会组织)",
                    zh=f"统一社会信用代码 {code.masked} 不是民政部门登记的社会组织代码",
                )
            ]
        if isinstance(kind, OrgKind) and kind is not found:
            return [
                FieldError(
                    "kind",
                    f"is {kind.value} but the credit code says {found.value} (与信用代码不符)",
                    zh=f"组织类型为 {kind.zh}，与统一社会信用代码所示的 {found.zh} 不符",
                )
            ]
    return []


def _org_kind(record: Any) -> OrgKind:
    kind: OrgKind | None = record.kind
    if kind is None:
        return kind_from_credit_code(record.credit_code)
    return kind


# ---------------------------------------------------------------------------------------------
# keys

_SOCIETY = "社会团体登记管理条例（国务院令第250号，2016年修订）"
_FOUNDATION = "基金会管理条例（国务院令第400号）"
_SERVICE = "民办非企业单位登记管理暂行条例（国务院令第251号）"
_CHARITY = "中华人民共和国慈善法"
_SPENDING = "民政部 财政部 国家税务总局关于慈善组织开展慈善活动年度支出和管理费用的规定（2016）"


def _key(key: str, zh: str, en: str, unit: Unit, description: str, basis: str) -> KeySpec:
    return KeySpec(key, zh, en, unit, description, basis)


#: The standard keys this module declares.
KEYS: tuple[KeySpec, ...] = (
    _key(
        "social_orgs.social_organization.min_individual_members",
        "社会团体个人会员最低数",
        "social organisation: minimum individual members",
        Unit.COUNT,
        "Individual members a social organisation made of individuals needs.",
        f"{_SOCIETY}第十条第一项",
    ),
    _key(
        "social_orgs.social_organization.min_unit_members",
        "社会团体单位会员最低数",
        "social organisation: minimum unit members",
        Unit.COUNT,
        "Unit members a social organisation made of units needs.",
        f"{_SOCIETY}第十条第一项",
    ),
    _key(
        "social_orgs.social_organization.min_mixed_members",
        "混合组成的社会团体会员总数最低数",
        "social organisation: minimum members in all when mixed",
        Unit.COUNT,
        "Members in all of a social organisation made of individuals and units.",
        f"{_SOCIETY}第十条第一项",
    ),
    _key(
        "social_orgs.social_organization.min_funds.national",
        "全国性社会团体活动资金最低额",
        "national social organisation: minimum activity funds",
        Unit.YUAN,
        "Activity funds a national social organisation needs.",
        f"{_SOCIETY}第十条第五项",
    ),
    _key(
        "social_orgs.social_organization.min_funds.local",
        "地方性、跨行政区域社会团体活动资金最低额",
        "local social organisation: minimum activity funds",
        Unit.YUAN,
        "Activity funds a local or cross-region social organisation needs.",
        f"{_SOCIETY}第十条第五项",
    ),
    _key(
        "social_orgs.foundation.min_fund.national_public",
        "全国性公募基金会原始基金最低额",
        "national public-fundraising foundation: minimum original fund",
        Unit.YUAN,
        "Original fund, paid in as money, of a national public-fundraising foundation.",
        f"{_FOUNDATION}第八条第二项",
    ),
    _key(
        "social_orgs.foundation.min_fund.local_public",
        "地方性公募基金会原始基金最低额",
        "local public-fundraising foundation: minimum original fund",
        Unit.YUAN,
        "Original fund, paid in as money, of a local public-fundraising foundation.",
        f"{_FOUNDATION}第八条第二项",
    ),
    _key(
        "social_orgs.foundation.min_fund.non_public",
        "非公募基金会原始基金最低额",
        "non-public foundation: minimum original fund",
        Unit.YUAN,
        "Original fund, paid in as money, of a non-public foundation.",
        f"{_FOUNDATION}第八条第二项",
    ),
    _key(
        "social_orgs.social_service_organization.min_opening_funds",
        "社会服务机构开办资金最低额",
        "social service organisation: minimum opening funds",
        Unit.YUAN,
        "Opening funds a social service organisation needs. The national regulation asks "
        "only for property suited to its activities (art. 8(4)); provinces set amounts.",
        f"{_SERVICE}第八条第四项",
    ),
    _key(
        "social_orgs.annual_report.due_months.social_organization",
        "社会团体年度工作报告报送期限",
        "social organisation: annual report due, months after the year",
        Unit.MONTHS,
        "Months after the end of the reporting year by whose last day the report reaches "
        "the registration authority (5: 31 May).",
        f"{_SOCIETY}（年度检查）",
    ),
    _key(
        "social_orgs.annual_report.due_months.social_service_organization",
        "社会服务机构年度工作报告报送期限",
        "social service organisation: annual report due, months after the year",
        Unit.MONTHS,
        "Months after the end of the reporting year by whose last day the report reaches "
        "the registration authority (5: 31 May).",
        "民办非企业单位年度检查办法",
    ),
    _key(
        "social_orgs.annual_report.due_months.foundation",
        "基金会年度工作报告报送期限",
        "foundation: annual report due, months after the year",
        Unit.MONTHS,
        "Months after the end of the reporting year by whose last day the report reaches "
        "the registration authority (3: 31 March).",
        "基金会年度检查办法（民政部令第30号）第三条",
    ),
    _key(
        "social_orgs.charity.public_fundraising_min_years",
        "申请公开募捐资格的登记年限",
        "years registered before applying for public fundraising",
        Unit.YEARS,
        "Whole years a charity must have been registered to apply for public-fundraising "
        "qualification: 2 under the 2016 text, 1 from 2024-09-05.",
        f"{_CHARITY}第二十二条",
    ),
    _key(
        "social_orgs.charity.min_activity_spending_ratio.public_foundation",
        "具有公开募捐资格的基金会年度慈善活动支出比例下限",
        "public-fundraising foundation: minimum charitable spending ratio",
        Unit.RATIO,
        "Share of last year's total income (or of the three previous years' average) to be "
        "spent on charitable activities in the year.",
        f"{_CHARITY}（2016）第六十条；{_SPENDING}",
    ),
    _key(
        "social_orgs.charity.max_management_ratio.public_foundation",
        "具有公开募捐资格的基金会年度管理费用比例上限",
        "public-fundraising foundation: maximum management cost ratio",
        Unit.RATIO,
        "Largest share of the year's total spending that management costs may take.",
        f"{_CHARITY}（2016）第六十条；{_SPENDING}",
    ),
    _key(
        "social_orgs.charity.min_activity_spending_ratio.public_other",
        "具有公开募捐资格的社会团体和社会服务机构年度慈善活动支出比例下限",
        "other public-fundraising charity: minimum charitable spending ratio",
        Unit.RATIO,
        "Share of last year's total income (or of the three previous years' average) to be "
        "spent on charitable activities by a public-fundraising social organisation or "
        "social service organisation.",
        _SPENDING,
    ),
    _key(
        "social_orgs.charity.max_management_ratio.public_other",
        "具有公开募捐资格的社会团体和社会服务机构年度管理费用比例上限",
        "other public-fundraising charity: maximum management cost ratio",
        Unit.RATIO,
        "Largest share of the year's total spending that management costs of a "
        "public-fundraising social organisation or social service organisation may take.",
        _SPENDING,
    ),
    _key(
        "social_orgs.charity.management_ratio_exempt_below",
        "不受管理费用比例限制的年度管理费用额",
        "management costs below which the ratio does not apply",
        Unit.YUAN,
        "A charity other than a public-fundraising foundation whose management costs for the "
        "year are below this amount is not held to the management cost ratio.",
        _SPENDING,
    ),
)

# ---------------------------------------------------------------------------------------------
# records


@attrs.frozen(kw_only=True)
class OrgRegistration:
    """An application to register a social organisation (社会组织成立登记).

    :param id: the application's identifier.
    :param region: GB/T 2260 code of the registration authority's area (any level); left
        out for a national organisation registered with the ministry.
    :param kind: the kind of organisation; may be left out when *credit_code* is given.
    :param credit_code: unified social credit code, where one was already assigned (its
        second character gives the kind).
    :param scope: national or local (社会团体 only).
    :param foundation_type: national/local public-fundraising or non-public (基金会 only).
    :param individual_members: individual members (社会团体).
    :param unit_members: unit members (社会团体).
    :param activity_funds: activity funds (社会团体活动资金).
    :param original_fund: original fund paid in as money (基金会原始基金).
    :param opening_funds: opening funds (社会服务机构开办资金).
    :param sponsor_approved: the business sponsor (业务主管单位) has approved, where one is
        required.
    :param standard_name: the name is regular (规范的名称).
    :param organs: it has the organs its kind needs (相应的组织机构).
    :param premises: it has fixed premises (固定的住所 / 必要的场所).
    :param staff: it has staff suited to its activities (专职工作人员 / 从业人员).
    :param civil_liability: it can bear civil liability on its own (独立承担民事责任).

    The yes/no conditions left out are reported as not tested.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str | None = attrs.field(default=None)
    kind: OrgKind | None = enum_field(OrgKind, optional=True)
    credit_code: CreditCode | None = identifier_field(CreditCode)
    scope: Scope | None = enum_field(Scope, optional=True)
    foundation_type: FoundationType | None = enum_field(FoundationType, optional=True)
    individual_members: int = int_field(minimum=0, maximum=MAX_MEMBERS, default=0)
    unit_members: int = int_field(minimum=0, maximum=MAX_MEMBERS, default=0)
    activity_funds: Money | None = money_field(optional=True)
    original_fund: Money | None = money_field(optional=True)
    opening_funds: Money | None = money_field(optional=True)
    sponsor_approved: bool | None = bool_field(optional=True)
    standard_name: bool | None = bool_field(optional=True)
    organs: bool | None = bool_field(optional=True)
    premises: bool | None = bool_field(optional=True)
    staff: bool | None = bool_field(optional=True)
    civil_liability: bool | None = bool_field(optional=True)

    @region.validator
    def _check_region(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _validate_region(attribute, value)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules(
            {
                "kind": self.kind,
                "credit_code": self.credit_code,
                "scope": self.scope,
                "foundation_type": self.foundation_type,
            }
        )
        if errors:
            raise ValidationError(errors, what="registration")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields: the kind is given or read from the credit code, the two
        agree, a 社会团体 says whether it is national or local and a 基金会 its category."""
        errors = _kind_rules(fields)
        kind, code = fields.get("kind", UNREAD), fields.get("credit_code", UNREAD)
        if kind is None and isinstance(code, CreditCode):
            kind = _FROM_ORG_TYPE.get(code.org_type)
        if kind is OrgKind.SOCIAL_ORGANIZATION and fields.get("scope", UNREAD) is None:
            errors.append(
                FieldError(
                    "scope",
                    "a social organisation is national or local (缺少全国性/地方性)",
                    "required",
                    zh="社会团体须注明全国性或地方性",
                )
            )
        if kind is OrgKind.FOUNDATION and fields.get("foundation_type", UNREAD) is None:
            errors.append(
                FieldError(
                    "foundation_type",
                    "a foundation is national public, local public or non-public (缺少基金会类别)",
                    "required",
                    zh="基金会须注明全国性公募、地方性公募或非公募",
                )
            )
        return errors


def _validate_region(attribute: attrs.Attribute[Any], value: Any) -> None:
    from civilaffairs.domain._validators import fail, region_problems

    if value is None:
        return
    if not isinstance(value, str):
        fail(attribute, "expected a region code (应为行政区划代码)", zh="应为行政区划代码")
    problem = region_problems(value, ANY_LEVEL)
    if problem:
        fail(attribute, problem[0], zh=problem[1])


@attrs.frozen(kw_only=True)
class AnnualReport:
    """One organisation's annual report for one year (年度工作报告).

    :param id: the organisation's identifier (``org_id`` in a table).
    :param kind: kind of organisation; may be left out when *credit_code* is given.
    :param credit_code: unified social credit code.
    :param region: GB/T 2260 code of the registration authority's area, if not national.
    :param registered_on: date of registration (成立登记日期).
    :param year: the year reported on.
    :param submitted_on: the day the report reached the registration authority, if it has.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    kind: OrgKind | None = enum_field(OrgKind, optional=True)
    credit_code: CreditCode | None = identifier_field(CreditCode)
    region: str | None = attrs.field(default=None)
    registered_on: _dt.date = date_field()
    year: int = int_field(minimum=1988, maximum=2200)
    submitted_on: _dt.date | None = date_field(optional=True)

    @region.validator
    def _check_region(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _validate_region(attribute, value)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules(
            {
                "kind": self.kind,
                "credit_code": self.credit_code,
                "year": self.year,
                "submitted_on": self.submitted_on,
            }
        )
        if errors:
            raise ValidationError(errors, what="annual report")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields: the kind (as for :class:`OrgRegistration`), and a report
        cannot reach the authority before the year it reports on has ended."""
        errors = _kind_rules(fields)
        year, submitted = fields.get("year", UNREAD), fields.get("submitted_on", UNREAD)
        if isinstance(year, int) and isinstance(submitted, _dt.date) and submitted.year <= year:
            errors.append(
                FieldError(
                    "submitted_on",
                    f"is before the end of the year {year} it reports on "
                    "(报送日期早于报告年度结束)",
                    zh=f"报送日期早于所报告的 {year} 年度结束",
                )
            )
        return errors


@attrs.frozen(kw_only=True)
class FundraisingApplication:
    """A charity's application for public-fundraising qualification (公开募捐资格申请).

    :param id: the application's identifier.
    :param region: GB/T 2260 code of the civil-affairs office it registered with.
    :param registered_on: the date the organisation was registered (依法登记).
    :param applied_on: the date of the application; it chooses the version of art. 22.
    :param charity: it is registered or recognised as a charity (慈善组织).
    :param statutory: a foundation or social organisation that law or regulation lets
        raise funds publicly from registration; it is given the certificate directly.
    :param governance_sound: sound internal governance and regular operation (内部治理结构
        健全、运作规范); left out: not tested.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str | None = attrs.field(default=None)
    registered_on: _dt.date = date_field()
    applied_on: _dt.date = date_field()
    charity: bool = bool_field()
    statutory: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    governance_sound: bool | None = bool_field(optional=True)

    @region.validator
    def _check_region(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _validate_region(attribute, value)

    def __attrs_post_init__(self) -> None:
        if self.applied_on < self.registered_on:
            raise ValidationError.single(
                "applied_on",
                "is before the registration date (申请日期早于登记日期)",
                "applied_on",
                zh="申请日期早于登记日期",
            )


@attrs.frozen(kw_only=True)
class CharityFinancials:
    """A public-fundraising charity's figures for one year, from its financial statements.

    :param id: the organisation's identifier.
    :param region: GB/T 2260 code of its registration authority's area, if not national.
    :param kind: kind of organisation.
    :param public_fundraising: it holds public-fundraising qualification.
    :param year: the year audited.
    :param prior_year_income: last year's total income (上年总收入, adjusted as the rules say).
    :param three_year_incomes: the total incomes of the three previous years, where given,
        for the alternative of their average.
    :param activity_spending: the year's spending on charitable activities.
    :param management_costs: the year's management costs (管理费用).
    :param total_spending: the year's total spending (当年总支出).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str | None = attrs.field(default=None)
    kind: OrgKind = enum_field(OrgKind)
    public_fundraising: bool = bool_field()
    year: int = int_field(minimum=2016, maximum=2200)
    prior_year_income: Money = money_field()
    three_year_incomes: tuple[Money, ...] = attrs.field(default=())
    activity_spending: Money = money_field()
    management_costs: Money = money_field()
    total_spending: Money = money_field()

    @region.validator
    def _check_region(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _validate_region(attribute, value)

    @three_year_incomes.validator
    def _check_three(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        from civilaffairs.domain._validators import fail

        if not isinstance(value, tuple) or not all(isinstance(v, Money) for v in value):
            fail(attribute, "expected a list of amounts (应为金额列表)", zh="应为金额列表")
        if len(value) not in (0, 3):
            fail(
                attribute,
                f"has {len(value)} amounts; give the three previous years' incomes or none "
                "(应为前三年的收入)",
                zh=f"共{len(value)}项，应为前三年各年的收入或不填",
            )
        if any(v.is_negative() for v in value):
            fail(attribute, "must not be negative (不得为负数)", "negative", zh="金额不得为负数")

    def __attrs_post_init__(self) -> None:
        errors: list[FieldError] = []
        if self.activity_spending + self.management_costs > self.total_spending:
            errors.append(
                FieldError(
                    "total_spending",
                    "is less than charitable spending and management costs together "
                    "(总支出小于慈善活动支出与管理费用之和)",
                    zh="总支出小于慈善活动支出与管理费用之和",
                )
            )
        if errors:
            raise ValidationError(errors, what="financial statements")


# ---------------------------------------------------------------------------------------------
# helpers


def _standard_on(ctx: Context, key: str, day: _dt.date) -> Any:
    """*key* as in force on *day* rather than on the check's date (recorded as used)."""
    saved = ctx.on
    ctx.on = day
    try:
        return ctx.standard(key)
    finally:
        ctx.on = saved


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


def _conclude(ctx: Context, subject: str) -> None:
    """Close the decision: ``meets_conditions`` when every condition passed, ``fails`` when
    any failed, ``not_all_tested`` when none failed but some could not be tested."""
    conditions = ctx._conditions
    if any(c.passed is False for c in conditions):
        ctx.decide(subject, "fails", passed=False)
    elif any(c.passed is None for c in conditions):
        ctx.decide(subject, "not_all_tested", passed=False)
    else:
        ctx.decide(subject, "meets_conditions", passed=True)


def _yes_no(ctx: Context, cid: str, value: bool | None, zh: str, en: str, basis: str) -> None:
    ctx.condition(
        cid,
        value,
        zh=zh + ("：未填写，未核查" if value is None else "：是" if value else "：否"),
        en=en + (": not given, not tested" if value is None else ": yes" if value else ": no"),
        basis=basis,
    )


def _not_set(ctx: Context, cid: str, key: str, basis: str) -> None:
    ctx.condition(
        cid,
        None,
        zh="标准 {key} 未设定，未核查",
        en="standard {key} is not set: not tested",
        basis=basis,
        key=key,
    )


# ---------------------------------------------------------------------------------------------
# registration


def _register(record: OrgRegistration, ctx: Context) -> None:
    kind = _org_kind(record)
    ctx.fact("kind", f"{kind.value} ({kind.zh})")
    if kind is OrgKind.SOCIAL_ORGANIZATION:
        _society(record, ctx)
    elif kind is OrgKind.FOUNDATION:
        _foundation(record, ctx)
    else:
        _service(record, ctx)
    _conclude(ctx, record.id)


def _society(record: OrgRegistration, ctx: Context) -> None:
    basis = f"{_SOCIETY}第十条"
    ind, unit = record.individual_members, record.unit_members
    if unit == 0 or ind == 0:
        which, n = ("individual", ind) if unit == 0 else ("unit", unit)
        key = f"social_orgs.social_organization.min_{which}_members"
        minimum = _count(ctx.standard(key))
        if minimum is None:
            _not_set(ctx, "members", key, basis)
        else:
            zh_which = "个人" if which == "individual" else "单位"
            ctx.condition(
                "members",
                n >= minimum,
                zh=f"{zh_which}会员 {{n}} 个，不少于 {{minimum}} 个",
                en=f"{{n}} {which} members, at least {{minimum}}",
                basis=basis + "第一项",
                n=n,
                minimum=minimum,
            )
    else:
        key = "social_orgs.social_organization.min_mixed_members"
        minimum = _count(ctx.standard(key))
        total = ctx.step(
            "members", "individual + unit", individual=ind, unit=unit, result=ind + unit
        )
        if minimum is None:
            _not_set(ctx, "members", key, basis)
        else:
            ctx.condition(
                "members",
                total >= minimum,
                zh="个人会员 {individual} 个、单位会员 {unit} 个，共 {total} 个，"
                "混合组成的不少于 {minimum} 个",
                en="{individual} individual and {unit} unit members: {total} in all, "
                "at least {minimum} when mixed",
                basis=basis + "第一项",
                individual=ind,
                unit=unit,
                total=total,
                minimum=minimum,
            )
    scope = record.scope or Scope.LOCAL
    key = f"social_orgs.social_organization.min_funds.{scope.value}"
    minimum_funds = ctx.standard(key)
    if minimum_funds is None:
        _not_set(ctx, "funds", key, basis)
    elif record.activity_funds is None:
        ctx.condition(
            "funds",
            None,
            zh="活动资金未填写，未核查（最低 {minimum} 元）",
            en="activity funds not given: not tested (at least {minimum} yuan)",
            basis=basis + "第五项",
            minimum=minimum_funds,
        )
    else:
        ctx.condition(
            "funds",
            record.activity_funds >= minimum_funds,
            zh="活动资金 {funds} 元，不少于 {minimum} 元（{scope}）",
            en="activity funds {funds} yuan, at least {minimum} ({scope_en})",
            basis=basis + "第五项",
            funds=record.activity_funds,
            minimum=minimum_funds,
            scope=scope.zh,
            scope_en=scope.value,
        )
    _yes_no(ctx, "name", record.standard_name, "有规范的名称", "regular name", basis + "第二项")
    _yes_no(ctx, "organs", record.organs, "有相应的组织机构", "organs", basis + "第二项")
    _yes_no(ctx, "premises", record.premises, "有固定的住所", "fixed premises", basis + "第三项")
    _yes_no(ctx, "staff", record.staff, "有专职工作人员", "full-time staff", basis + "第四项")
    _yes_no(
        ctx,
        "civil_liability",
        record.civil_liability,
        "有独立承担民事责任的能力",
        "can bear civil liability",
        basis + "第六项",
    )


def _foundation(record: OrgRegistration, ctx: Context) -> None:
    basis = f"{_FOUNDATION}第八条"
    ftype = record.foundation_type or FoundationType.NON_PUBLIC
    key = f"social_orgs.foundation.min_fund.{ftype.value}"
    minimum = ctx.standard(key)
    if minimum is None:
        _not_set(ctx, "original_fund", key, basis)
    elif record.original_fund is None:
        ctx.condition(
            "original_fund",
            None,
            zh="原始基金未填写，未核查（{type}最低 {minimum} 元）",
            en="original fund not given: not tested ({type_en}: at least {minimum} yuan)",
            basis=basis + "第二项",
            minimum=minimum,
            type=ftype.zh,
            type_en=ftype.value,
        )
    else:
        ctx.condition(
            "original_fund",
            record.original_fund >= minimum,
            zh="原始基金 {fund} 元，{type}不低于 {minimum} 元",
            en="original fund {fund} yuan, at least {minimum} for a {type_en} foundation",
            basis=basis + "第二项",
            fund=record.original_fund,
            minimum=minimum,
            type=ftype.zh,
            type_en=ftype.value,
        )
    _yes_no(ctx, "name", record.standard_name, "有规范的名称", "regular name", basis + "第三项")
    _yes_no(ctx, "organs", record.organs, "有必要的组织机构", "organs", basis + "第三项")
    _yes_no(ctx, "staff", record.staff, "有专职工作人员", "full-time staff", basis + "第四项")
    _yes_no(ctx, "premises", record.premises, "有固定的住所", "fixed premises", basis + "第四项")
    _yes_no(
        ctx,
        "civil_liability",
        record.civil_liability,
        "能够独立承担民事责任",
        "can bear civil liability",
        basis + "第五项",
    )


def _service(record: OrgRegistration, ctx: Context) -> None:
    basis = f"{_SERVICE}第八条"
    _yes_no(
        ctx,
        "sponsor",
        record.sponsor_approved,
        "经业务主管单位审查同意",
        "approved by the business sponsor",
        basis + "第一项",
    )
    _yes_no(ctx, "name", record.standard_name, "有规范的名称", "regular name", basis + "第二项")
    _yes_no(ctx, "organs", record.organs, "有必要的组织机构", "organs", basis + "第二项")
    _yes_no(ctx, "staff", record.staff, "有相适应的从业人员", "staff", basis + "第三项")
    key = "social_orgs.social_service_organization.min_opening_funds"
    minimum = ctx.standard(key)
    if minimum is None:
        _not_set(ctx, "opening_funds", key, basis + "第四项")
    elif record.opening_funds is None:
        ctx.condition(
            "opening_funds",
            None,
            zh="开办资金未填写，未核查（最低 {minimum} 元）",
            en="opening funds not given: not tested (at least {minimum} yuan)",
            basis=basis + "第四项",
            minimum=minimum,
        )
    else:
        ctx.condition(
            "opening_funds",
            record.opening_funds >= minimum,
            zh="开办资金 {funds} 元，不少于 {minimum} 元",
            en="opening funds {funds} yuan, at least {minimum}",
            basis=basis + "第四项",
            funds=record.opening_funds,
            minimum=minimum,
        )
    _yes_no(ctx, "premises", record.premises, "有必要的场所", "premises", basis + "第五项")


REGISTRATION = Check(
    "social_orgs.registration",
    "社会组织成立登记条件",
    "conditions for registering a social organisation",
    OrgRegistration,
    _register,
    type_name="org_registration",
    basis=f"{_SOCIETY}第十条；{_FOUNDATION}第八条；{_SERVICE}第八条",
    description_zh="按组织类型核对会员数、资金和其他成立条件；类型取自记录或统一社会信用代码。",
    description_en="Members, funds and the other conditions by kind of organisation; the "
    "kind comes from the record or the credit code.",
    region_of=_region_of,
)

# ---------------------------------------------------------------------------------------------
# annual reports

#: The statuses :func:`annual_report_status` and ``social_orgs.annual_report`` give.
STATUSES = (
    "submitted_on_time",
    "submitted_late",
    "overdue",
    "not_yet_due",
    "not_required",
    "deadline_not_set",
)


def due_date(year: int, months: int) -> _dt.date:
    """The last day of the *months*-th month after the end of *year*.

    >>> due_date(2024, 5), due_date(2024, 3), due_date(2023, 14)
    (datetime.date(2025, 5, 31), datetime.date(2025, 3, 31), datetime.date(2025, 2, 28))
    """
    if months < 1:
        raise CivilAffairsError(f"a report is due at least one month after the year, got {months}")
    y, m = year + 1 + (months - 1) // 12, (months - 1) % 12 + 1
    return _dt.date(y, m, calendar.monthrange(y, m)[1])


def _status(
    registered_on: _dt.date, year: int, due: _dt.date | None, submitted: _dt.date | None, on: Any
) -> str:
    if registered_on.year > year:
        return "not_required"
    if due is None:
        return "deadline_not_set"
    if submitted is not None:
        return "submitted_on_time" if submitted <= due else "submitted_late"
    return "overdue" if on > due else "not_yet_due"


def _annual(record: AnnualReport, ctx: Context) -> None:
    kind = _org_kind(record)
    if record.registered_on > ctx.on:
        raise CivilAffairsError(
            f"registered_on {record.registered_on} is after the check date {ctx.on}",
            path="registered_on",
            zh=f"登记日期 {record.registered_on} 晚于核查日期 {ctx.on}",
        )
    if record.submitted_on is not None and record.submitted_on > ctx.on:
        raise CivilAffairsError(
            f"submitted_on {record.submitted_on} is after the check date {ctx.on}",
            path="submitted_on",
            zh=f"报送日期 {record.submitted_on} 晚于核查日期 {ctx.on}",
        )
    key = f"social_orgs.annual_report.due_months.{kind.value}"
    basis = KEYS_BY_NAME[key].basis
    ctx.fact("kind", f"{kind.value} ({kind.zh})")
    if record.registered_on.year > record.year:
        ctx.condition(
            "required",
            True,
            zh="{registered} 登记，{year} 年度不须报告",
            en="registered on {registered}: no report for {year}",
            basis=basis,
            registered=record.registered_on,
            year=record.year,
        )
        ctx.decide(record.id, "not_required", passed=True)
        return
    months = _count(ctx.standard(key))
    if months is None:
        _not_set(ctx, "on_time", key, basis)
        ctx.decide(record.id, "deadline_not_set", passed=False)
        return
    due = ctx.step(
        "due_on",
        "last day of the month months after the end of year",
        months=months,
        year=record.year,
        result=due_date(record.year, months),
    )
    status = _status(record.registered_on, record.year, due, record.submitted_on, ctx.on)
    if record.submitted_on is not None:
        ctx.condition(
            "on_time",
            record.submitted_on <= due,
            zh="{submitted} 报送，期限 {due}",
            en="submitted on {submitted}, due {due}",
            basis=basis,
            submitted=record.submitted_on,
            due=due,
        )
    else:
        ctx.condition(
            "on_time",
            ctx.on <= due,
            zh="截至 {on} 未报送，期限 {due}",
            en="not submitted by {on}, due {due}",
            basis=basis,
            on=ctx.on,
            due=due,
        )
    ctx.decide(record.id, status, passed=status in ("submitted_on_time", "not_yet_due"))


ANNUAL_REPORT = Check(
    "social_orgs.annual_report",
    "社会组织年度工作报告期限",
    "annual report deadline of a social organisation",
    AnnualReport,
    _annual,
    type_name="annual_report",
    basis="社会团体登记管理条例；民办非企业单位年度检查办法；基金会年度检查办法第三条",
    description_zh="年度工作报告的报送期限与状态：按时、逾期报送、逾期未报、未到期、无须报告。",
    description_en="Due date and status of an annual report: on time, late, overdue, not yet "
    "due or not required.",
    region_of=_region_of,
)


_KINDS = tuple(k.value for k in OrgKind)


@overload
def annual_report_status(
    table: Any,
    year: int,
    on: _dt.date,
    *,
    registry: Any = ...,
    region: str = ...,
    with_errors: Literal[False] = ...,
) -> Any: ...


@overload
def annual_report_status(
    table: Any,
    year: int,
    on: _dt.date,
    *,
    registry: Any = ...,
    region: str = ...,
    with_errors: Literal[True],
) -> tuple[Any, Any]: ...


def annual_report_status(
    table: Any,
    year: int,
    on: _dt.date,
    *,
    registry: Any = None,
    region: str = NATIONAL,
    with_errors: bool = False,
) -> Any:
    """Due date and status of each organisation's annual report for *year*, as of *on*,
    computed column-wise over a :class:`pyarrow.Table`.

    :param table: columns ``org_id`` (text), ``kind`` (``social_organization``,
        ``social_service_organization`` or ``foundation``), ``registered_on`` (date) and
        ``report_submitted_on`` (date, null when not submitted).
    :param registry: standards (the installed plugins' by default).
    :param region: where the deadlines are read (national by default).
    :param with_errors: also return the table of bad rows.
    :returns: the statuses of the good rows (``org_id``, ``kind``, ``registered_on``,
        ``report_submitted_on``, ``due_on``, ``status``); with *with_errors*, a pair
        ``(statuses, errors)`` where *errors* has ``row``, ``org_id`` (masked), ``field``,
        ``message`` and ``message_zh``. Without it, the number of bad rows is in the
        statuses' schema metadata under ``civilaffairs.errors``.

    A row is bad when its ``org_id`` is empty, its kind unknown, its registration date
    missing or after *on*, or its submission date before the year ended or after *on*; the
    other rows are still reported.

    >>> import datetime, pyarrow as pa
    >>> t = pa.table({"org_id": ["A", "B", "C"],
    ...     "kind": ["social_organization", "foundation", "club"],
    ...     "registered_on": [datetime.date(2019, 1, 1)] * 3,
    ...     "report_submitted_on": [datetime.date(2025, 5, 20), None, None]})
    >>> good, bad = annual_report_status(t, 2024, datetime.date(2025, 6, 30), with_errors=True)
    >>> good.column("status").to_pylist(), bad.column("field").to_pylist()
    (['submitted_on_time', 'overdue'], ['kind'])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    missing = [
        c
        for c in ("org_id", "kind", "registered_on", "report_submitted_on")
        if c not in table.column_names
    ]
    if missing:
        raise CivilAffairsError(
            f"the table has no column(s) {', '.join(missing)}",
            path=missing[0],
            zh=f"表中缺少列：{'、'.join(missing)}",
        )
    n = table.num_rows
    ids = table.column("org_id").cast(pa.string())
    kinds = table.column("kind").cast(pa.string())
    reg = table.column("registered_on").cast(pa.date32())
    sub = table.column("report_submitted_on").cast(pa.date32())
    # days since the epoch; NaT-free: nulls become a sentinel, masks carry the nulls
    reg_null = pc.is_null(reg).to_numpy(zero_copy_only=False)
    sub_null = pc.is_null(sub).to_numpy(zero_copy_only=False)
    reg_days = pc.fill_null(reg, 0).cast(pa.int32()).to_numpy(zero_copy_only=False)
    sub_days = pc.fill_null(sub, 0).cast(pa.int32()).to_numpy(zero_copy_only=False)
    kind_index = pc.fill_null(pc.index_in(kinds, value_set=pa.array(_KINDS)), -1)
    kind_idx = kind_index.to_numpy(zero_copy_only=False)
    id_blank = pc.fill_null(
        pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(ids)), 0), True
    ).to_numpy(zero_copy_only=False)

    epoch = _dt.date(1970, 1, 1)
    on_day = (on - epoch).days
    year_end = (_dt.date(year, 12, 31) - epoch).days
    # due day per kind, -1 when the key is not set
    dues = np.full(len(_KINDS), -1, dtype=np.int64)
    for i, kind in enumerate(_KINDS):
        found = registry.standards.try_resolve(
            f"social_orgs.annual_report.due_months.{kind}", region, on, None
        )
        if found is not None:
            dues[i] = (due_date(year, int(found.value)) - epoch).days

    # the problems, first one per row wins: a code per row (0: none) and its texts
    problem = np.zeros(n, dtype=np.int8)
    texts: list[tuple[str, str, str]] = [("", "", "")]

    def flag(mask: Any, name: str, en: str, zh: str) -> None:
        texts.append((name, en, zh))
        problem[mask & (problem == 0)] = len(texts) - 1

    flag(id_blank, "org_id", "is empty (机构编号为空)", "机构编号为空")
    flag(
        kind_idx < 0,
        "kind",
        f"must be one of: {', '.join(_KINDS)} (组织类型无效)",
        f"组织类型无效，应为以下之一：{', '.join(_KINDS)}",
    )
    flag(reg_null, "registered_on", "is missing (缺少登记日期)", "缺少登记日期")
    flag(
        ~reg_null & (reg_days > on_day),
        "registered_on",
        f"is after {on.isoformat()} (登记日期晚于核查日期)",
        f"登记日期晚于核查日期 {on.isoformat()}",
    )
    flag(
        ~sub_null & (sub_days <= year_end),
        "report_submitted_on",
        f"is before the end of {year} (报送日期早于报告年度结束)",
        f"报送日期早于 {year} 年度结束",
    )
    flag(
        ~sub_null & (sub_days > on_day),
        "report_submitted_on",
        f"is after {on.isoformat()} (报送日期晚于核查日期)",
        f"报送日期晚于核查日期 {on.isoformat()}",
    )
    bad = problem != 0
    good = ~bad

    due = dues[np.where(kind_idx < 0, 0, kind_idx)]
    registered_later = reg_days > year_end
    # index into STATUSES, then a dictionary array: no per-row strings are built
    code = np.select(
        [
            registered_later,
            due < 0,
            ~sub_null & (sub_days <= due),
            ~sub_null,
            on_day > due,
        ],
        [4, 5, 0, 1, 2],
        default=3,
    ).astype(np.int8)
    due_known = (due >= 0) & ~registered_later
    keep = pa.array(good)
    due_col = pa.array(np.where(due_known, due, 0).astype(np.int32), type=pa.int32()).cast(
        pa.date32()
    )
    due_col = pc.if_else(pa.array(due_known), due_col, pa.scalar(None, pa.date32()))
    statuses = pa.table(
        {
            "org_id": ids.filter(keep),
            "kind": kinds.filter(keep),
            "registered_on": reg.filter(keep),
            "report_submitted_on": sub.filter(keep),
            "due_on": due_col.filter(keep),
            "status": pa.DictionaryArray.from_arrays(pa.array(code[good]), pa.array(STATUSES)).cast(
                pa.string()
            ),
        }
    )
    rows = np.nonzero(bad)[0]
    shown = [mask_text(str(v)) if v is not None else "" for v in ids.take(rows).to_pylist()]
    errors = pa.table(
        {
            "row": pa.array(rows.astype(np.int64), type=pa.int64()),
            "org_id": pa.array(shown, type=pa.string()),
            "field": pa.array([texts[k][0] for k in problem[bad]], type=pa.string()),
            "message": pa.array([texts[k][1] for k in problem[bad]], type=pa.string()),
            "message_zh": pa.array([texts[k][2] for k in problem[bad]], type=pa.string()),
        }
    )
    if with_errors:
        return statuses, errors
    return statuses.replace_schema_metadata({"civilaffairs.errors": str(len(rows))})


# ---------------------------------------------------------------------------------------------
# public fundraising


def _fundraising(record: FundraisingApplication, ctx: Context) -> None:
    basis = f"{_CHARITY}第二十二条"
    ctx.condition(
        "charity",
        record.charity,
        zh="登记或认定为慈善组织：{charity}",
        en="registered or recognised as a charity: {charity}",
        basis=basis,
        charity=record.charity,
    )
    if record.statutory:
        ctx.condition(
            "statutory",
            True,
            zh="法律、行政法规规定自登记之日起可以公开募捐，直接发给资格证书",
            en="law lets it raise funds publicly from registration: certificate given directly",
            basis=basis + "第二款",
        )
        _conclude(ctx, record.id)
        return
    key = "social_orgs.charity.public_fundraising_min_years"
    years_needed = _count(_standard_on(ctx, key, record.applied_on))
    years = ctx.step(
        "years_registered",
        "whole years from registered_on to applied_on",
        registered_on=record.registered_on,
        applied_on=record.applied_on,
        result=_whole_years(record.registered_on, record.applied_on),
    )
    if years_needed is None:
        _not_set(ctx, "years", key, basis)
    else:
        ctx.condition(
            "years",
            years >= years_needed,
            zh="{applied} 申请时登记满 {years} 年，须满 {needed} 年",
            en="registered {years} whole years when applying on {applied}; {needed} needed",
            basis=basis,
            applied=record.applied_on,
            years=years,
            needed=years_needed,
        )
    _yes_no(
        ctx,
        "governance",
        record.governance_sound,
        "内部治理结构健全、运作规范",
        "sound governance and regular operation",
        basis,
    )
    _conclude(ctx, record.id)


def _whole_years(start: _dt.date, end: _dt.date) -> int:
    from civilaffairs.ids import age_on

    return max(age_on(start, end), 0)


PUBLIC_FUNDRAISING = Check(
    "social_orgs.public_fundraising_eligibility",
    "公开募捐资格申请条件",
    "eligibility for public-fundraising qualification",
    FundraisingApplication,
    _fundraising,
    type_name="fundraising_application",
    basis=f"{_CHARITY}第二十二条（2016；2023年12月29日修正，2024年9月5日起施行）",
    description_zh="登记年限按申请日期适用：2024年9月5日前满二年，此后满一年。",
    description_en="Years registered by the application date: two before 2024-09-05, one "
    "from then.",
    region_of=_region_of,
)

# ---------------------------------------------------------------------------------------------
# charity spending


def _ratio_amount(amount: Money, ratio: Decimal, rounding: str) -> Money:
    fen = (Decimal(amount.fen) * Decimal(ratio)).to_integral_value(rounding=rounding)
    return Money.from_fen(int(fen))


def _spending(record: CharityFinancials, ctx: Context) -> None:
    if not record.public_fundraising:
        ctx.condition(
            "public_fundraising",
            None,
            zh="不具有公开募捐资格：本核查只适用于具有公开募捐资格的慈善组织，未核查",
            en="no public-fundraising qualification: this check covers only charities that "
            "hold one, not tested",
            basis=f"{_SPENDING}第八条、第九条",
        )
        ctx.decide(record.id, "not_covered", passed=False)
        return
    foundation = record.kind is OrgKind.FOUNDATION
    group = "public_foundation" if foundation else "public_other"
    basis = f"{_CHARITY}（2016）第六十条；{_SPENDING}第六条" if foundation else f"{_SPENDING}第七条"
    # charitable spending
    key = f"social_orgs.charity.min_activity_spending_ratio.{group}"
    ratio = ctx.standard(key)
    if ratio is None:
        _not_set(ctx, "activity_spending", key, basis)
    else:
        ratio = Decimal(ratio)
        minimum = ctx.step(
            "min_from_prior_year",
            "prior_year_income × ratio",
            prior_year_income=record.prior_year_income,
            ratio=ratio,
            result=_ratio_amount(record.prior_year_income, ratio, ROUND_CEILING),
        )
        base = "prior_year"
        if record.three_year_incomes:
            total3 = ctx.step(
                "three_year_total",
                "income(y-3) + income(y-2) + income(y-1)",
                incomes=list(record.three_year_incomes),
                result=sum(record.three_year_incomes, Money()),
            )
            minimum3 = ctx.step(
                "min_from_three_year_average",
                "three_year_total ÷ 3 × ratio",
                three_year_total=total3,
                ratio=ratio,
                result=_ratio_amount(total3, ratio / 3, ROUND_CEILING),
            )
            if minimum3 < minimum:
                minimum, base = minimum3, "three_year_average"
        ctx.condition(
            "activity_spending",
            record.activity_spending >= minimum,
            zh="慈善活动支出 {spending} 元，不低于 {minimum} 元（{base_zh}的 {ratio} 倍）",
            en="charitable spending {spending} yuan, at least {minimum} ({ratio} of {base})",
            basis=basis,
            spending=record.activity_spending,
            minimum=minimum,
            ratio=ratio,
            base=base.replace("_", " "),
            base_zh="上年总收入" if base == "prior_year" else "前三年收入平均数额",
        )
    # management costs
    key = f"social_orgs.charity.max_management_ratio.{group}"
    ratio = ctx.standard(key)
    exempt = (
        None if foundation else ctx.standard("social_orgs.charity.management_ratio_exempt_below")
    )
    if exempt is not None and record.management_costs < exempt:
        ctx.condition(
            "management_costs",
            True,
            zh="管理费用 {costs} 元，低于 {exempt} 元，不受比例限制",
            en="management costs {costs} yuan, below {exempt}: the ratio does not apply",
            basis=f"{_SPENDING}第十一条",
            costs=record.management_costs,
            exempt=exempt,
        )
    elif ratio is None:
        _not_set(ctx, "management_costs", key, basis)
    else:
        ratio = Decimal(ratio)
        maximum = ctx.step(
            "max_management_costs",
            "total_spending × ratio",
            total_spending=record.total_spending,
            ratio=ratio,
            result=_ratio_amount(record.total_spending, ratio, ROUND_FLOOR),
        )
        ctx.condition(
            "management_costs",
            record.management_costs <= maximum,
            zh="管理费用 {costs} 元，不超过当年总支出 {total} 元的 {ratio} 倍即 {maximum} 元",
            en="management costs {costs} yuan, at most {maximum} ({ratio} of total spending "
            "{total})",
            basis=basis,
            costs=record.management_costs,
            total=record.total_spending,
            ratio=ratio,
            maximum=maximum,
        )
    _conclude(ctx, record.id)


CHARITY_SPENDING = Check(
    "social_orgs.charity_spending",
    "慈善组织年度支出和管理费用",
    "annual spending and management costs of a charity",
    CharityFinancials,
    _spending,
    type_name="charity_financials",
    basis=f"{_CHARITY}（2016）第六十条；{_SPENDING}",
    description_zh="具有公开募捐资格的慈善组织：慈善活动支出比例下限与管理费用比例上限，逐项列出计算。",
    description_en="Public-fundraising charities: the minimum charitable spending and the "
    "maximum management costs, each computed line by line.",
    region_of=_region_of,
)

KEYS_BY_NAME: Mapping[str, KeySpec] = {k.key: k for k in KEYS}

#: The module as the core registers it.
MODULE = ServiceModule(
    id="social_orgs",
    zh="社会组织与慈善",
    en="Social organisations and charity",
    keys=KEYS,
    checks=(REGISTRATION, ANNUAL_REPORT, PUBLIC_FUNDRAISING, CHARITY_SPENDING),
    types=(OrgRegistration, AnnualReport, FundraisingApplication, CharityFinancials),
    description_zh="社会团体、基金会、社会服务机构的成立登记条件，年度工作报告期限，慈善组织的公开募捐资格与年度支出、管理费用。",
    description_en="Registration conditions of social organisations, foundations and social "
    "service organisations, annual report deadlines, and charities' public-fundraising "
    "eligibility, annual spending and management costs.",
)
