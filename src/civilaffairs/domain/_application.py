"""Applications (申请) for a programme, with their declarations (备案声明)."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._household import Household
from civilaffairs.domain._privacy import scrubbed_repr
from civilaffairs.domain._validators import (
    CODE_PATTERN,
    ID_PATTERN,
    UNREAD,
    date_field,
    enum_field,
    identifier_field,
    items_field,
    record_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import ResidentId

MAX_DECLARATIONS = 20


class DeclarationKind(LabelledEnum):
    """What an applicant declares (申报备案事项).

    Applications by village (community) or township (street) staff who handle assistance,
    or by their close relatives, must be declared and filed (备案) so they can be reviewed.
    """

    STAFF = "staff"
    RELATIVE_OF_STAFF = "relative_of_staff"
    OTHER = "other"


label(
    DeclarationKind,
    STAFF="申请人为村（居）委会或乡镇（街道）经办人员",
    RELATIVE_OF_STAFF="申请人为经办人员近亲属",
    OTHER="其他需备案事项",
)


@attrs.frozen(kw_only=True)
class Declaration:
    """A declaration made with an application (申报备案).

    :param kind: what is declared.
    :param member: the resident ID of the household member it concerns, if one does.
    :param staff_role: the staff post concerned, e.g. ``"村委会委员"`` (经办人员职务).
    :param declared_on: the day it was declared (申报日期).
    :param note: free-text detail (说明).
    """

    kind: DeclarationKind = enum_field(DeclarationKind)
    member: ResidentId | None = identifier_field(ResidentId)
    staff_role: str | None = text_field(max_length=64, optional=True)
    declared_on: _dt.date | None = date_field(optional=True)
    note: str | None = text_field(max_length=500, optional=True)


@attrs.frozen(kw_only=True)
class Application:
    """An application by a household for a programme (救助申请).

    :param id: the application's identifier (申请编号).
    :param household: the household applying.
    :param program: the id of the programme applied for, e.g. ``"dibao"`` (申请项目).
    :param applied_on: the day of application (申请日期).
    :param declarations: declarations made with it, at most 20; each names a member of
        *household* if it names anyone.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN, repr=scrubbed_repr)
    household: Household = record_field(Household)
    program: str = text_field(max_length=64, pattern=CODE_PATTERN)
    applied_on: _dt.date = date_field()
    declarations: tuple[Declaration, ...] = items_field(Declaration, max_items=MAX_DECLARATIONS)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules({"household": self.household, "declarations": self.declarations})
        if errors:
            raise ValidationError(errors, what="application")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields (see :meth:`Person.check_rules`): each declaration that names
        someone names a member of the household."""
        household = fields.get("household", UNREAD)
        declarations = fields.get("declarations", UNREAD)
        if not isinstance(household, Household) or not isinstance(declarations, tuple):
            return []
        ids = {m.id_number for m in household.members if m.id_number is not None}
        return [
            FieldError(
                f"declarations[{i}].member",
                f"{d.member.masked} is not a member of the household (非本户成员)",
                "not_a_member",
                zh=f"{d.member.masked} 不是本户成员",
            )
            for i, d in enumerate(declarations)
            if d.member is not None and d.member not in ids
        ]

    @property
    def needs_review(self) -> bool:
        """Whether any declaration concerns staff or their relatives (需备案审查)."""
        return any(
            d.kind in (DeclarationKind.STAFF, DeclarationKind.RELATIVE_OF_STAFF)
            for d in self.declarations
        )
