"""Special statuses of a person (特殊身份与困境情形) and their legal supporters (法定义务人)."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    UNREAD,
    bool_field,
    choice_field,
    date_field,
    enum_field,
    int_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError

#: The values of ``Status.parent``.
FATHER = "father"
MOTHER = "mother"
PARENTS = (FATHER, MOTHER)

#: Longest term a ``Status.term_months`` may give, in months (100 years).
MAX_TERM_MONTHS = 1200


class StatusKind(LabelledEnum):
    """A special status of a person (特殊情形).

    The kinds from ``orphan`` to ``parent_seriously_ill`` are the grounds of the de-facto
    unsupported child rule (事实无人抚养儿童, 民发〔2019〕62号); each ``parent_*`` kind says
    something about *a* parent, and ``Status.parent`` says which one, so the rule can
    tell whether both parents are affected. ``parent_working_away`` feeds the rural
    left-behind child rule (农村留守儿童).

    ``chose_tekun`` records the choice of a child who meets both the conditions of
    extremely poor persons (特困人员) and those of an orphan or a de-facto unsupported
    child, and chose to be supported as 特困: 特困人员认定办法 (民发〔2021〕43号) does not
    recognise as 特困 a child who chose the children's basic living allowance instead.

    ``sudden_major_illness``, ``accident`` and ``other_sudden_hardship`` are the grounds of
    temporary assistance (临时救助, 社会救助暂行办法 art. 47): a sudden major illness, a
    fire, traffic accident or other mishap, or another special hardship.

    New kinds are appended at the end, so the bit of each existing kind in the rule
    inputs' status masks (its position) stays the same.
    """

    ORPHAN = "orphan"
    PARENT_IMPRISONED = "parent_imprisoned"
    PARENT_MISSING = "parent_missing"
    PARENT_DEPORTED = "parent_deported"
    PARENT_GUARDIANSHIP_REVOKED = "parent_guardianship_revoked"
    PARENT_DEAD = "parent_dead"
    PARENT_SEVERELY_DISABLED = "parent_severely_disabled"
    PARENT_SERIOUSLY_ILL = "parent_seriously_ill"
    PARENT_WORKING_AWAY = "parent_working_away"
    SERIOUSLY_ILL = "seriously_ill"
    LEFT_BEHIND = "left_behind"
    IN_INSTITUTION = "in_institution"
    SUPPORTED_AS_TEKUN = "supported_as_tekun"
    WORK_INJURY_NURSING = "work_injury_nursing"
    CHOSE_TEKUN = "chose_tekun"
    SUDDEN_MAJOR_ILLNESS = "sudden_major_illness"
    ACCIDENT = "accident"
    OTHER_SUDDEN_HARDSHIP = "other_sudden_hardship"

    @property
    def concerns_parent(self) -> bool:
        """Whether the status describes a parent (the ``parent_*`` kinds)."""
        return self.value.startswith("parent_")


label(
    StatusKind,
    ORPHAN="孤儿",
    PARENT_IMPRISONED="父母服刑在押或被强制隔离戒毒",
    PARENT_MISSING="父母失联",
    PARENT_DEPORTED="父母被遣送（驱逐）出境",
    PARENT_GUARDIANSHIP_REVOKED="父母被撤销监护资格",
    PARENT_DEAD="父母死亡",
    PARENT_SEVERELY_DISABLED="父母重度残疾",
    PARENT_SERIOUSLY_ILL="父母重病",
    PARENT_WORKING_AWAY="父母外出务工",
    SERIOUSLY_ILL="本人患重病",
    LEFT_BEHIND="农村留守儿童",
    IN_INSTITUTION="在福利机构养育或供养",
    SUPPORTED_AS_TEKUN="已纳入特困人员救助供养",
    WORK_INJURY_NURSING="领取工伤保险生活护理费",
    CHOSE_TEKUN="选择纳入特困人员救助供养（而非孤儿或事实无人抚养儿童基本生活保障）",
    SUDDEN_MAJOR_ILLNESS="突发重大疾病",
    ACCIDENT="遭遇火灾、交通事故等意外事件",
    OTHER_SUDDEN_HARDSHIP="遭遇其他特殊困难",
)


@attrs.frozen(kw_only=True)
class Status:
    """A special status of a person, and since when (特殊情形及起始日期).

    :param kind: what the status is.
    :param since: since when it holds, where known (起始日期); the de-facto unsupported
        child rule asks for six months of disappearance, counted from this date.
    :param parent: for a ``parent_*`` kind, which parent it concerns: ``"father"`` or
        ``"mother"``, or ``None`` when not recorded. Must be ``None`` for other kinds.
    :param term_months: for ``parent_imprisoned`` only, the length in months of the
        sentence or measure (服刑在押、强制隔离戒毒、被执行其他限制人身自由的措施的期限),
        where known: a whole number from 1 to 1200. The de-facto unsupported child rule
        (民发〔2019〕62号) counts a *term* of six months or more, not the time served.

    >>> from civilaffairs.domain import Status, StatusKind
    >>> Status(kind=StatusKind.PARENT_IMPRISONED, parent="father").concerns("father")
    True
    >>> Status(kind=StatusKind.PARENT_IMPRISONED, parent="father", term_months=18).term_months
    18
    """

    kind: StatusKind = enum_field(StatusKind)
    since: _dt.date | None = date_field(optional=True)
    parent: str | None = choice_field(PARENTS, optional=True)
    term_months: int | None = int_field(minimum=1, maximum=MAX_TERM_MONTHS, optional=True)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules(
            {"kind": self.kind, "parent": self.parent, "term_months": self.term_months}
        )
        if errors:
            raise ValidationError(errors, what="status")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields (see :meth:`Person.check_rules`): only a ``parent_*`` kind
        names a parent, and only ``parent_imprisoned`` has a term."""
        kind = fields.get("kind", UNREAD)
        parent = fields.get("parent", UNREAD)
        term = fields.get("term_months", UNREAD)
        if not isinstance(kind, StatusKind):
            return []
        errors = []
        if isinstance(parent, str) and not kind.concerns_parent:
            errors.append(
                FieldError(
                    "parent",
                    f"only a parent_* status names a parent, not {kind.value} "
                    "(仅父母相关情形可填写父或母)",
                    zh=f"仅父母相关情形可填写父或母，此处情形为 {kind.value}",
                )
            )
        if term is not None and term is not UNREAD and kind is not StatusKind.PARENT_IMPRISONED:
            errors.append(
                FieldError(
                    "term_months",
                    f"only a parent_imprisoned status has a term, not {kind.value} "
                    "(仅服刑在押、强制隔离戒毒等情形可填写期限)",
                    zh=f"仅服刑在押、强制隔离戒毒等情形可填写期限，此处情形为 {kind.value}",
                )
            )
        return errors

    def concerns(self, parent: str) -> bool:
        """Whether this status is recorded for *parent* (``"father"`` or ``"mother"``)."""
        return self.parent == parent


@attrs.frozen(kw_only=True)
class Supporter:
    """A legal supporter outside the household (家庭外的法定赡养、抚养、扶养义务人).

    :param relation: relation to the person, free text or a :class:`Relation` value,
        e.g. ``"child"`` or ``"女儿"`` (与本人关系).
    :param able: whether the supporter is able to support (是否有赡养、抚养、扶养能力).
    :param reason: why not, where recorded, e.g. ``"重度残疾"`` (无能力原因).
    """

    relation: str = text_field(max_length=32)
    able: bool = bool_field()
    reason: str | None = text_field(max_length=200, optional=True)
