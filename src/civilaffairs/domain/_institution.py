"""Civil-affairs institutions (民政服务机构): care homes, welfare homes, stations, funeral homes."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._privacy import scrubbed_repr
from civilaffairs.domain._validators import (
    ANY_LEVEL,
    ID_PATTERN,
    UNREAD,
    date_field,
    enum_field,
    identifier_field,
    int_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import CreditCode

#: Upper bound of beds and residents of one institution; more is a data error.
MAX_CAPACITY = 100_000


class InstitutionKind(LabelledEnum):
    """Kind of institution (机构类别)."""

    ELDERLY_CARE = "elderly_care"
    CHILD_WELFARE = "child_welfare"
    VAGRANT_ASSISTANCE = "vagrant_assistance"
    FUNERAL = "funeral"
    CEMETERY = "cemetery"
    PSYCHIATRIC_WELFARE = "psychiatric_welfare"
    OTHER = "other"


label(
    InstitutionKind,
    ELDERLY_CARE="养老机构",
    CHILD_WELFARE="儿童福利机构",
    VAGRANT_ASSISTANCE="流浪乞讨人员救助管理站",
    FUNERAL="殡仪馆",
    CEMETERY="公墓",
    PSYCHIATRIC_WELFARE="精神卫生福利机构",
    OTHER="其他机构",
)


class OperatorType(LabelledEnum):
    """Who runs the institution (举办主体)."""

    PUBLIC = "public"
    PRIVATE_NON_PROFIT = "private_non_profit"
    FOR_PROFIT = "for_profit"


label(OperatorType, PUBLIC="公办", PRIVATE_NON_PROFIT="民办非营利", FOR_PROFIT="营利性")


@attrs.frozen(kw_only=True)
class Institution:
    """An institution that provides civil-affairs services (民政服务机构).

    :param id: the institution's identifier in the source system (机构编号).
    :param kind: what kind of institution it is (机构类别).
    :param name: its registered name (机构名称).
    :param credit_code: unified social credit code (统一社会信用代码), if registered.
    :param region: the GB/T 2260 code of where it is, of any level (a city's welfare home
        may be registered at prefecture level), current or retired.
    :param beds: number of beds (床位数).
    :param residents: number of people living there now (在住人数). More residents than beds
        is recorded as given; :attr:`vacant_beds` is then 0.
    :param operator: who runs it (举办主体).
    :param filed_on: date of filing with the county civil-affairs office (备案日期), where
        filed (老年人权益保障法 art. 43 for elderly care).
    :param grade: GB/T 37276-2018 grade 1-5 (养老机构等级), for graded elderly-care
        institutions only.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN, repr=scrubbed_repr)
    kind: InstitutionKind = enum_field(InstitutionKind)
    name: str = text_field(max_length=200)
    credit_code: CreditCode | None = identifier_field(CreditCode)
    region: str = region_field(levels=ANY_LEVEL)
    beds: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    residents: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    operator: OperatorType = enum_field(OperatorType)
    filed_on: _dt.date | None = date_field(optional=True)
    grade: int | None = int_field(minimum=1, maximum=5, optional=True)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules({"kind": self.kind, "grade": self.grade})
        if errors:
            raise ValidationError(errors, what="institution")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields (see :meth:`Person.check_rules`): only elderly care is graded."""
        kind = fields.get("kind", UNREAD)
        grade = fields.get("grade", UNREAD)
        ungradable = isinstance(kind, InstitutionKind) and kind is not InstitutionKind.ELDERLY_CARE
        if ungradable and isinstance(grade, int):
            return [
                FieldError(
                    "grade",
                    "GB/T 37276 grades elderly-care institutions only; "
                    f"this is {kind.value} (仅养老机构评定等级)",
                    zh=f"GB/T 37276 仅评定养老机构的等级，此机构类型为 {kind.value}",
                )
            ]
        return []

    @property
    def vacant_beds(self) -> int:
        """Beds not taken (空余床位), never negative."""
        return max(self.beds - self.residents, 0)
