"""Hypothesis strategies aimed at the programme rules: households whose members span the
ages, disabilities, statuses, incomes and assets the national programmes test."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from hypothesis import strategies as st

from civilaffairs.money import Money

__all__ = ["assessable_households", "assessable_persons"]

_INCOME_KINDS = (
    "wage",
    "business",
    "property",
    "transfer",
    "pension_basic",
    "veterans_care",
    "family_planning",
    "scholarship",
    "assistance",
    "heroism_reward",
    "support",
    "other",
)
_PARENT_KINDS = (
    "parent_imprisoned",
    "parent_missing",
    "parent_deported",
    "parent_guardianship_revoked",
    "parent_dead",
    "parent_severely_disabled",
    "parent_seriously_ill",
)


@st.composite
def assessable_persons(
    draw: st.DrawFn, relation: str = "other", on: _dt.date = _dt.date(2024, 8, 1)
) -> object:
    """A :class:`~civilaffairs.domain.Person` without an ID, shaped for the programmes."""
    from civilaffairs.domain import (
        Disability,
        DisabilityCategory,
        IncomeItem,
        IncomeKind,
        Person,
        Relation,
        SchoolLevel,
        SelfCare,
        Status,
        StatusKind,
        Supporter,
    )
    from civilaffairs.ids import Sex

    age = draw(st.one_of(st.integers(0, 17), st.integers(18, 59), st.integers(60, 104)))
    born = _dt.date(on.year - age - 1, 1, 1) + _dt.timedelta(days=draw(st.integers(0, 364)))
    incomes = tuple(
        IncomeItem(kind=IncomeKind(kind), monthly=Money.from_fen(fen))
        for kind, fen in draw(
            st.lists(
                st.tuples(st.sampled_from(_INCOME_KINDS), st.integers(0, 500_000)),
                max_size=3,
                unique_by=lambda t: t[0],
            )
        )
    )
    disability = None
    if draw(st.integers(0, 4)) == 0:
        disability = Disability(
            category=draw(st.sampled_from(list(DisabilityCategory))),
            grade=draw(st.integers(1, 4)),
        )
    statuses: list[object] = []
    if age < 18 and draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            statuses.append(Status(kind=StatusKind.ORPHAN))
        else:
            for parent in ("father", "mother"):
                if draw(st.booleans()):
                    kind = StatusKind(draw(st.sampled_from(_PARENT_KINDS)))
                    since = on - _dt.timedelta(days=draw(st.integers(0, 800)))
                    statuses.append(Status(kind=kind, since=since, parent=parent))
    if draw(st.integers(0, 9)) == 0:
        statuses.append(
            Status(
                kind=StatusKind(
                    draw(
                        st.sampled_from(["seriously_ill", "in_institution", "work_injury_nursing"])
                    )
                )
            )
        )
    supporters = tuple(
        Supporter(relation="child", able=able) for able in draw(st.lists(st.booleans(), max_size=2))
    )
    return Person(
        birth_date=born,
        sex=draw(st.sampled_from(list(Sex))),
        relation=Relation(relation),
        disability=disability,
        self_care=draw(st.none() | st.sampled_from(list(SelfCare))),
        labour_capacity=draw(st.none() | st.booleans()) if draw(st.integers(0, 5)) == 0 else None,
        in_school=draw(st.sampled_from(list(SchoolLevel)))
        if 6 <= age <= 24 and draw(st.booleans())
        else None,
        incomes=incomes,
        supporters=supporters,
        statuses=tuple(statuses),  # type: ignore[arg-type]
    )


@st.composite
def assessable_households(
    draw: st.DrawFn,
    regions: Sequence[str] = ("110105",),
    on: _dt.date = _dt.date(2024, 8, 1),
    max_members: int = 5,
) -> object:
    """A :class:`~civilaffairs.domain.Household` for the programme tests."""
    from civilaffairs.domain import (
        AssetItem,
        AssetKind,
        ExpenseItem,
        ExpenseKind,
        Household,
        Residence,
    )

    size = draw(st.integers(1, max_members))
    members = [draw(assessable_persons("head", on))]
    for _ in range(size - 1):
        rel = draw(st.sampled_from(["spouse", "child", "parent", "grandchild", "sibling"]))
        members.append(draw(assessable_persons(rel, on)))
    assets = []
    if draw(st.booleans()):
        assets.append(
            AssetItem(
                kind=AssetKind.DEPOSIT, value=Money.from_fen(draw(st.integers(0, 20_000_000)))
            )
        )
    if draw(st.integers(0, 5)) == 0:
        assets.append(AssetItem(kind=AssetKind.VEHICLE, count=1))
    expenses = []
    if draw(st.integers(0, 3)) == 0:
        expenses.append(
            ExpenseItem(
                kind=ExpenseKind(draw(st.sampled_from(["medical", "education"]))),
                monthly=Money.from_fen(draw(st.integers(0, 800_000))),
            )
        )
    return Household(
        id=f"H{draw(st.integers(0, 10**6))}",
        region=draw(st.sampled_from(list(regions))),
        residence=draw(st.sampled_from(list(Residence))),
        members=tuple(members),  # type: ignore[arg-type]
        assets=tuple(assets),
        expenses=tuple(expenses),
    )
