"""Hypothesis strategies for the programmes, single-case and bulk (认定测试数据).

:func:`assessable_households` draws valid :class:`~civilaffairs.domain.Household` objects
that exercise every input the programmes read: ages on both sides of 16, 18, 60 and the
elderly bands, deaths, disabilities of every category and grade, self-care bands, stated
labour capacity, schooling, every income kind at amounts around the local standards,
supporters, statuses of the child-welfare rules (with parents, six-month dates, start
dates left out, terms of imprisonment under and over six months, children who chose
特困) and the grounds of temporary assistance, deposits, vehicles and essential costs.
Regions are drawn from :data:`BULK_TEST_REGIONS`, which covers the bundled plugins,
including regions without a dibao standard.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from hypothesis import strategies as st

from civilaffairs.money import Money

__all__ = ["BULK_TEST_REGIONS", "assessable_households", "household_lists"]

#: Counties of the bundled plugins' provinces (Beijing, Shanghai, Shenzhen, Hangzhou,
#: Guizhou) and one county no bundled plugin covers.
BULK_TEST_REGIONS: tuple[str, ...] = (
    "110105",
    "110108",
    "310101",
    "310115",
    "440303",
    "440305",
    "330102",
    "330106",
    "520102",
    "520111",
    "130102",
)

_AMOUNTS = st.one_of(
    st.integers(0, 300_000),
    st.sampled_from([0, 90_000, 133_000, 145_000, 290_000]),
)


@st.composite
def _person(draw: st.DrawFn, relation: Any, on: _dt.date) -> Any:
    from civilaffairs.domain import (
        Disability,
        DisabilityCategory,
        Employment,
        IncomeItem,
        IncomeKind,
        Person,
        SchoolLevel,
        SelfCare,
        Status,
        StatusKind,
        Supporter,
    )
    from civilaffairs.ids import Sex

    age_days = draw(
        st.one_of(
            st.integers(0, 105 * 366),
            st.sampled_from([16, 18, 60, 80, 90, 100]).map(lambda y: y * 365 + 4),
            st.sampled_from([16, 18, 60, 80]).map(lambda y: y * 365 - 3),
        )
    )
    birth = on - _dt.timedelta(days=age_days)
    if draw(st.booleans()):
        birth = on + _dt.timedelta(days=draw(st.integers(-400, 400)))
    died = None
    if draw(st.integers(0, 9)) == 0:
        died = birth + _dt.timedelta(days=draw(st.integers(0, 40_000)))
    disability = None
    if draw(st.integers(0, 2)) == 0:
        disability = Disability(
            category=draw(st.sampled_from(list(DisabilityCategory))), grade=draw(st.integers(1, 4))
        )
    incomes = tuple(
        IncomeItem(kind=kind, monthly=Money.from_fen(draw(_AMOUNTS)))
        for kind in draw(st.lists(st.sampled_from(list(IncomeKind)), max_size=4))
    )
    statuses = []
    kinds = draw(st.lists(st.sampled_from(list(StatusKind)), max_size=4))
    if on.year - birth.year < 18 and draw(st.integers(0, 3)) == 0:
        # a child who chose 特困 over the children's allowance, often an orphan as well
        kinds.append(StatusKind.CHOSE_TEKUN)
        if draw(st.booleans()):
            kinds.append(StatusKind.ORPHAN)
    for kind in kinds:
        parent = draw(st.sampled_from(["father", "mother", None])) if kind.concerns_parent else None
        since = draw(
            st.one_of(
                st.none(),
                st.integers(-400, 400).map(lambda d: on - _dt.timedelta(days=d)),
                st.sampled_from([6, 5]).map(
                    lambda months: _dt.date(
                        on.year - (on.month <= months), (on.month - months - 1) % 12 + 1, 1
                    )
                ),
            )
        )
        term = None
        if kind is StatusKind.PARENT_IMPRISONED:
            term = draw(st.one_of(st.none(), st.integers(1, 5), st.sampled_from([6, 7, 24, 120])))
        statuses.append(Status(kind=kind, parent=parent, since=since, term_months=term))
    supporters = tuple(
        Supporter(relation="child", able=able) for able in draw(st.lists(st.booleans(), max_size=3))
    )
    return Person(
        birth_date=birth,
        sex=draw(st.sampled_from(list(Sex))),
        relation=relation,
        disability=disability,
        self_care=draw(st.none() | st.sampled_from(list(SelfCare))),
        labour_capacity=draw(st.sampled_from([None, None, True, False])),
        in_school=draw(st.none() | st.sampled_from(list(SchoolLevel))),
        employment=draw(st.none() | st.sampled_from(list(Employment))),
        incomes=incomes,
        supporters=supporters,
        statuses=tuple(statuses),
        died_on=died,
    )


@st.composite
def assessable_households(
    draw: st.DrawFn,
    on: _dt.date = _dt.date(2024, 8, 1),
    regions: tuple[str, ...] = BULK_TEST_REGIONS,
    max_members: int = 5,
) -> Any:
    """A valid household of 1 to *max_members* members, for assessment on *on*."""
    from civilaffairs.domain import (
        AssetItem,
        AssetKind,
        ExpenseItem,
        ExpenseKind,
        Household,
        Relation,
        Residence,
    )

    n = draw(st.integers(1, max_members))
    others = [r for r in Relation if r is not Relation.HEAD]
    members = [draw(_person(Relation.HEAD, on))]
    members += [draw(_person(draw(st.sampled_from(others)), on)) for _ in range(n - 1)]
    assets = []
    for kind in draw(st.lists(st.sampled_from(list(AssetKind)), max_size=3)):
        value = draw(st.none() | _AMOUNTS.map(lambda f: Money.from_fen(f * 10)))
        count = (
            draw(st.none() | st.integers(0, 3)) if value is not None else draw(st.integers(0, 3))
        )
        assets.append(AssetItem(kind=kind, value=value, count=count))
    expenses = [
        ExpenseItem(kind=kind, monthly=Money.from_fen(draw(_AMOUNTS)))
        for kind in draw(st.lists(st.sampled_from(list(ExpenseKind)), max_size=2))
    ]
    return Household(
        id=f"H-{draw(st.integers(0, 10**9))}",
        region=draw(st.sampled_from(regions)),
        residence=draw(st.sampled_from(list(Residence))),
        members=tuple(members),
        assets=tuple(assets),
        expenses=tuple(expenses),
    )


def household_lists(
    on: _dt.date = _dt.date(2024, 8, 1), max_size: int = 8
) -> st.SearchStrategy[list[Any]]:
    """Lists of households with distinct ids (for building a batch)."""
    return st.lists(
        assessable_households(on), min_size=1, max_size=max_size, unique_by=lambda h: h.id
    )
