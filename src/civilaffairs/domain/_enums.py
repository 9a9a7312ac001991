"""Code lists of the household model (代码表): residence, relation, hukou, care, schooling, work.

Every enumeration has lowercase string values (the JSON form) and a Chinese label
:attr:`LabelledEnum.zh`.
"""

import enum
from collections.abc import Mapping
from typing import ClassVar


class LabelledEnum(enum.Enum):
    """An enumeration whose members carry a Chinese label (中文名称), :attr:`zh`.

    Values are the lowercase strings used in JSON.
    """

    _zh_labels: ClassVar[Mapping[str, str]]

    @property
    def zh(self) -> str:
        """The Chinese label, e.g. ``Residence.URBAN.zh == "城镇"``."""
        return type(self)._zh_labels[self.name]

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The JSON values of all members, in definition order."""
        return tuple(str(m.value) for m in cls)


def label(cls: type[LabelledEnum], **labels: str) -> None:
    """Attach Chinese labels to every member of *cls* (all members, no extras)."""
    names = {m.name for m in cls}
    if set(labels) != names:
        raise RuntimeError(
            f"{cls.__name__}: labels do not match members: {sorted(names ^ set(labels))}"
        )
    type.__setattr__(cls, "_zh_labels", dict(labels))


class Residence(LabelledEnum):
    """Urban or rural residence of a household (城乡属性); selects the urban or rural standard."""

    URBAN = "urban"
    RURAL = "rural"


label(Residence, URBAN="城镇", RURAL="农村")


class Relation(LabelledEnum):
    """Relation of a member to the head of household (与户主关系)."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    OTHER = "other"


label(
    Relation,
    HEAD="户主",
    SPOUSE="配偶",
    CHILD="子女",
    PARENT="父母",
    GRANDPARENT="（外）祖父母",
    GRANDCHILD="（外）孙子女",
    SIBLING="兄弟姐妹",
    OTHER="其他",
)


class HukouType(LabelledEnum):
    """Household-registration type (户口性质).

    ``UNIFIED`` is the residents' hukou (居民户口) that replaced the agricultural /
    non-agricultural split after the 2014 reform; older records keep the split.
    """

    AGRICULTURAL = "agricultural"
    NON_AGRICULTURAL = "non_agricultural"
    UNIFIED = "unified"


label(HukouType, AGRICULTURAL="农业户口", NON_AGRICULTURAL="非农业户口", UNIFIED="居民户口")


class SelfCare(LabelledEnum):
    """Self-care band from the six-activity assessment (生活自理能力).

    The six activities are eating, dressing, moving in and out of bed, using the toilet,
    walking indoors and bathing. The thresholds between bands are set locally; this type
    records the band the assessment reached.
    """

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


label(SelfCare, FULL="完全自理", PARTIAL="部分自理（半护理）", NONE="完全不能自理（全护理）")


class SchoolLevel(LabelledEnum):
    """Level of full-time education a member is enrolled in (在读学段)."""

    PRESCHOOL = "preschool"
    PRIMARY = "primary"
    JUNIOR_SECONDARY = "junior_secondary"
    SENIOR_SECONDARY = "senior_secondary"
    VOCATIONAL = "vocational"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    POSTGRADUATE = "postgraduate"


label(
    SchoolLevel,
    PRESCHOOL="学前教育",
    PRIMARY="小学",
    JUNIOR_SECONDARY="初中",
    SENIOR_SECONDARY="普通高中",
    VOCATIONAL="中等职业教育",
    JUNIOR_COLLEGE="高等职业教育（专科）",
    BACHELOR="本科",
    POSTGRADUATE="研究生",
)


class Employment(LabelledEnum):
    """Employment status (就业状况)."""

    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    RETIRED = "retired"
    NOT_IN_LABOUR_FORCE = "not_in_labour_force"


label(
    Employment,
    EMPLOYED="就业",
    SELF_EMPLOYED="自主经营（灵活就业）",
    UNEMPLOYED="失业",
    RETIRED="退休",
    NOT_IN_LABOUR_FORCE="非劳动力",
)
