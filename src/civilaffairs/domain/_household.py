"""A household (家庭): its members, assets and essential expenses."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Collection, Sequence
from typing import Protocol

import attrs

from civilaffairs.domain._enums import Relation, Residence
from civilaffairs.domain._items import AssetItem, AssetKind, ExpenseItem, ExpenseKind, IncomeKind
from civilaffairs.domain._person import Person
from civilaffairs.domain._validators import (
    ID_PATTERN,
    enum_field,
    items_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError
from civilaffairs.ids import ResidentId, mask_text
from civilaffairs.money import ZERO, Money

#: Most members a household may have. Larger "households" are refused as data errors
#: (a registry export that merged a whole village, a loop in a join): real households,
#: even extended rural ones, are far smaller, and the cap bounds the work one record costs.
MAX_MEMBERS = 100
MAX_ASSETS = 200
MAX_EXPENSES = 100

#: Age bands of :meth:`Household.age_bands`: (label, lowest age, highest age or ``None``).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-15", 0, 15),
    ("16-59", 16, 59),
    ("60-79", 60, 79),
    ("80+", 80, None),
)


def _id_repr(value: str) -> str:
    """``repr`` of a household id, with any resident ID in it masked (also with separators)."""
    return repr(mask_text(value))


class MemberView(Protocol):
    """What :func:`member_problems` reads of a member."""

    @property
    def relation(self) -> Relation | None: ...

    @property
    def id_number(self) -> ResidentId | None: ...


def member_problems(members: Sequence[MemberView | None]) -> list[FieldError]:
    """The rules over a household's members: exactly one head (户主), no resident ID twice.

    Paths are relative to the list (``"[1].relation"``). The converter also runs this on
    members it could only partly read, to report these errors next to the members' own: a
    member that could not be read at all is ``None``, one whose relation could not be read
    has ``relation`` ``None``. Neither counts as a head or as a non-head, so "no head" is
    only reported when every relation was read.
    """
    errors: list[FieldError] = []
    heads = [i for i, m in enumerate(members) if m is not None and m.relation is Relation.HEAD]
    unknown = any(m is None or m.relation is None for m in members)
    if not heads and members and not unknown:
        errors.append(
            FieldError(
                "",
                "no member is the head of household (缺少户主)",
                "no_head",
                zh="缺少户主：没有成员的关系为户主",
            )
        )
    for i in heads[1:]:
        errors.append(
            FieldError(
                f"[{i}].relation",
                f"a second head; members[{heads[0]}] is already the head (户主只能有一人)",
                "two_heads",
                zh=f"户主只能有一人，members[{heads[0]}] 已是户主",
            )
        )
    seen: dict[str, int] = {}
    for i, m in enumerate(members):
        if m is None or m.id_number is None:
            continue
        first = seen.setdefault(m.id_number.unmasked, i)
        if first != i:
            errors.append(
                FieldError(
                    f"[{i}].id_number",
                    f"{m.id_number.masked} is also members[{first}] (成员身份证号码重复)",
                    "duplicate",
                    zh=f"成员身份证号码重复：{m.id_number.masked} 与 members[{first}] 相同",
                )
            )
    return errors


@attrs.frozen(kw_only=True)
class Household:
    """A household applying for or receiving assistance (家庭), as registered.

    :param id: the household's identifier in the source system (家庭编号).
    :param region: the county-level GB/T 2260 code (县级行政区划代码) where the household
        is registered, current or retired, e.g. ``"110105"``; standards are resolved from it.
    :param residence: urban or rural (城乡属性).
    :param members: the members living together (共同生活的家庭成员): at least one, at most
        100, exactly one of them the head (户主), no resident ID twice.
    :param assets: household assets (家庭财产), at most 200.
    :param expenses: monthly essential expenses (刚性支出), at most 100.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN, repr=_id_repr)
    region: str = region_field()
    residence: Residence = enum_field(Residence)
    members: tuple[Person, ...] = items_field(
        Person, min_items=1, max_items=MAX_MEMBERS, check=member_problems
    )
    assets: tuple[AssetItem, ...] = items_field(AssetItem, max_items=MAX_ASSETS)
    expenses: tuple[ExpenseItem, ...] = items_field(ExpenseItem, max_items=MAX_EXPENSES)

    # members ----------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of members (家庭人口数)."""
        return len(self.members)

    @property
    def head(self) -> Person:
        """The head of household (户主)."""
        return next(m for m in self.members if m.relation is Relation.HEAD)

    def members_alive_on(self, day: _dt.date) -> tuple[Person, ...]:
        """Members born on or before *day* and not dead by then."""
        return tuple(m for m in self.members if m.is_alive_on(day))

    def age_bands(self, on: _dt.date) -> dict[str, int]:
        """Members alive on *on* counted by age band: ``0-15``, ``16-59``, ``60-79``, ``80+``.

        Every band is present, with 0 when empty.
        """
        counts = {band: 0 for band, _, _ in AGE_BANDS}
        for m in self.members_alive_on(on):
            age = m.age_on(on)
            for band, low, high in AGE_BANDS:
                if age >= low and (high is None or age <= high):
                    counts[band] += 1
                    break
        return counts

    def monthly_income(
        self, kinds: Collection[IncomeKind] | None = None, *, on: _dt.date | None = None
    ) -> Money:
        """Total monthly income of the members, of *kinds* (all when ``None``).

        With *on*, only members alive on that day count.
        """
        members = self.members if on is None else self.members_alive_on(on)
        return sum((m.monthly_income(kinds) for m in members), ZERO)

    # assets and expenses ----------------------------------------------------------------------
    def total_assets(self, kind: AssetKind | None = None) -> Money:
        """Total value of the assets of *kind* (all kinds when ``None``) that have a value."""
        return sum(
            (a.value for a in self.assets if a.value is not None and kind in (None, a.kind)),
            ZERO,
        )

    def asset_count(self, kind: AssetKind | None = None) -> int:
        """Number of assets of *kind* (all when ``None``); an item without a count is one."""
        return sum(a.quantity for a in self.assets if kind in (None, a.kind))

    def monthly_expenses(self, kind: ExpenseKind | None = None) -> Money:
        """Total monthly essential expenses of *kind* (all when ``None``)."""
        return sum((e.monthly for e in self.expenses if kind in (None, e.kind)), ZERO)
