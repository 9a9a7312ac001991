"""Services (服务): the catalogue of what is offered and the record of what was provided."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._institution import InstitutionKind
from civilaffairs.domain._privacy import scrubbed_repr
from civilaffairs.domain._validators import (
    CODE_PATTERN,
    ID_PATTERN,
    UNREAD,
    date_field,
    enum_field,
    identifier_field,
    items_field,
    money_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import ResidentId
from civilaffairs.money import ZERO, Money


class WorkArea(LabelledEnum):
    """An area of civil-affairs work (民政业务领域)."""

    DIBAO = "dibao"
    TEKUN = "tekun"
    LOW_INCOME = "low_income"
    TEMPORARY = "temporary"
    DISASTER = "disaster"
    MEDICAL = "medical"
    ELDERLY = "elderly"
    CHILDREN = "children"
    DISABILITY = "disability"
    VAGRANTS = "vagrants"
    FUNERAL = "funeral"
    MARRIAGE = "marriage"
    GRASSROOTS = "grassroots"
    SOCIAL_ORGANIZATIONS = "social_organizations"
    SOCIAL_WORK = "social_work"
    CHARITY = "charity"
    VETERANS = "veterans"
    OTHER = "other"


label(
    WorkArea,
    DIBAO="城乡最低生活保障",
    TEKUN="特困人员救助供养",
    LOW_INCOME="低保边缘家庭与低收入人口",
    TEMPORARY="临时救助",
    DISASTER="灾害救助",
    MEDICAL="医疗救助",
    ELDERLY="养老服务",
    CHILDREN="儿童福利与未成年人保护",
    DISABILITY="残疾人福利",
    VAGRANTS="流浪乞讨人员救助管理",
    FUNERAL="殡葬服务",
    MARRIAGE="婚姻登记",
    GRASSROOTS="基层群众自治",
    SOCIAL_ORGANIZATIONS="社会组织管理",
    SOCIAL_WORK="社会工作与志愿服务",
    CHARITY="慈善事业",
    VETERANS="优抚安置",
    OTHER="其他",
)


@attrs.frozen(kw_only=True)
class ServiceCatalogueEntry:
    """One entry of a service catalogue (服务目录条目).

    :param id: a stable code such as ``"elderly.day_care"``.
    :param zh: the Chinese name (中文名称).
    :param en: the English name.
    :param area: the area of work it belongs to (业务领域).
    :param provided_by: the kinds of institution that provide it (提供机构类别); empty when
        it is provided at home or by the office itself.
    :param eligibility: who may receive it: a programme id or a reference to the document
        that defines eligibility (服务对象依据), e.g. ``"tekun"``.
    """

    id: str = text_field(max_length=64, pattern=CODE_PATTERN)
    zh: str = text_field(max_length=100)
    en: str = text_field(max_length=200)
    area: WorkArea = enum_field(WorkArea)
    provided_by: tuple[InstitutionKind, ...] = items_field(InstitutionKind, max_items=10)
    eligibility: str | None = text_field(max_length=200, optional=True)


@attrs.frozen(kw_only=True)
class ServiceRecord:
    """A service provided to someone (服务记录): who received what, when, where, for how much.

    :param id: the record's identifier (记录编号).
    :param service: the ``id`` of a :class:`ServiceCatalogueEntry` of the service provided.
    :param recipient: the recipient's resident ID (服务对象身份证号码), if known.
    :param household: the recipient's household id, if known.
    :param case_ref: a case number for a recipient without ID or household, such as a
        person helped at a vagrant assistance station (个案编号).
    :param provided_on: the day the service started (服务日期).
    :param ended_on: the day it ended, for a stay or a course (结束日期).
    :param region: the GB/T 2260 county-level code of where it was provided.
    :param institution: the id of the institution that provided it, if any.
    :param amount: what it cost (费用), not negative; 0 when free.

    At least one of *recipient*, *household* and *case_ref* is given.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN, repr=scrubbed_repr)
    service: str = text_field(max_length=64, pattern=CODE_PATTERN)
    recipient: ResidentId | None = identifier_field(ResidentId)
    household: str | None = text_field(
        max_length=64, pattern=ID_PATTERN, optional=True, repr=scrubbed_repr
    )
    case_ref: str | None = text_field(
        max_length=64, pattern=ID_PATTERN, optional=True, repr=scrubbed_repr
    )
    provided_on: _dt.date = date_field()
    ended_on: _dt.date | None = date_field(optional=True)
    region: str = region_field()
    institution: str | None = text_field(max_length=64, pattern=ID_PATTERN, optional=True)
    amount: Money = money_field(default=ZERO)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules(
            {
                "recipient": self.recipient,
                "household": self.household,
                "case_ref": self.case_ref,
                "provided_on": self.provided_on,
                "ended_on": self.ended_on,
            }
        )
        if errors:
            raise ValidationError(errors, what="service record")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields (see :meth:`Person.check_rules`): someone is named; the end is
        not before the start."""
        errors: list[FieldError] = []
        if all(fields.get(k, UNREAD) is None for k in ("recipient", "household", "case_ref")):
            errors.append(
                FieldError(
                    "recipient",
                    "give the recipient, the household or a case_ref (服务对象至少填写一项)",
                    "missing",
                    zh="服务对象至少填写一项：recipient、household 或 case_ref",
                )
            )
        start = fields.get("provided_on", UNREAD)
        end = fields.get("ended_on", UNREAD)
        if isinstance(start, _dt.date) and isinstance(end, _dt.date) and end < start:
            errors.append(
                FieldError(
                    "ended_on",
                    "is before provided_on (结束日期早于服务日期)",
                    "order",
                    zh="结束日期早于服务日期（provided_on）",
                )
            )
        return errors
