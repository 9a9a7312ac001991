"""Disability category and grade (残疾类别与等级), as on the disability certificate (残疾人证)."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import attrs

from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import enum_field, int_field


class DisabilityCategory(LabelledEnum):
    """Disability category (残疾类别) of GB/T 26341-2010."""

    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    MULTIPLE = "multiple"


label(
    DisabilityCategory,
    VISUAL="视力残疾",
    HEARING="听力残疾",
    SPEECH="言语残疾",
    PHYSICAL="肢体残疾",
    INTELLECTUAL="智力残疾",
    MENTAL="精神残疾",
    MULTIPLE="多重残疾",
)

#: Categories for which grade 3 also counts as severe in :attr:`Disability.is_severe`.
COGNITIVE = frozenset({DisabilityCategory.INTELLECTUAL, DisabilityCategory.MENTAL})


@attrs.frozen(kw_only=True)
class Disability:
    """A certified disability (残疾): category and grade 1-4 (一级最重, 四级最轻).

    :param category: the disability category (残疾类别).
    :param grade: the grade (残疾等级), 1 (most severe) to 4.

    >>> from civilaffairs.domain import Disability, DisabilityCategory
    >>> Disability(category=DisabilityCategory.MENTAL, grade=3).is_severe
    True
    >>> Disability(category=DisabilityCategory.PHYSICAL, grade=3).is_severe
    False
    """

    category: DisabilityCategory = enum_field(DisabilityCategory)
    grade: int = int_field(minimum=1, maximum=4)

    @property
    def is_severe(self) -> bool:
        """Severe disability (重度残疾): grade 1 or 2, or grade 3 intellectual or mental.

        This mirrors the wording the national texts use for 特困 labour capacity
        (特困人员认定办法, art. 5) and for covering one member alone (单人保). Other programmes
        draw the line elsewhere: the de-facto unsupported child rule counts grade 3 and 4
        intellectual or mental disability of a parent, and the nursing subsidy's local rules
        vary. Such programmes use their own policy points instead of this property.
        """
        return self.grade <= 2 or (self.grade == 3 and self.category in COGNITIVE)

    @property
    def zh(self) -> str:
        """Chinese description, e.g. ``智力残疾二级``."""
        return f"{self.category.zh}{'一二三四'[self.grade - 1]}级"
