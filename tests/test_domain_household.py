"""Household: one head, distinct IDs, a county code, bounded size, derived helpers."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import regions
from civilaffairs.domain import (
    AGE_BANDS,
    MAX_MEMBERS,
    AssetItem,
    AssetKind,
    ExpenseItem,
    ExpenseKind,
    Household,
    IncomeItem,
    IncomeKind,
    Person,
    Relation,
    Residence,
)
from civilaffairs.errors import ValidationError
from civilaffairs.ids import ResidentId, Sex
from civilaffairs.money import Money
from civilaffairs.testing import _domain as dst

HEAD = Person(id_number=ResidentId.parse("110105198503120178"), relation=Relation.HEAD)
SPOUSE = Person(id_number=ResidentId.parse("110105198707220242"), relation=Relation.SPOUSE)
CHILD = Person(id_number=ResidentId.parse("110105201509010468"), relation=Relation.CHILD)


def household(*members: Person, **kwargs: object) -> Household:
    fields: dict[str, object] = {
        "id": "BJ-1",
        "region": "110105",
        "residence": Residence.URBAN,
        "members": members,
    }
    fields.update(kwargs)
    return Household(**fields)  # type: ignore[arg-type]


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.path for e in exc.value.errors]


def test_a_household_of_three() -> None:
    h = household(HEAD, SPOUSE, CHILD)
    assert h.size == 3
    assert h.head is HEAD
    assert h.age_bands(dt.date(2024, 8, 1)) == {"0-15": 1, "16-59": 2, "60-79": 0, "80+": 0}


def test_no_head_is_an_error_on_members() -> None:
    with pytest.raises(ValidationError) as exc:
        household(SPOUSE, CHILD)
    assert str(exc.value) == "members: no member is the head of household (缺少户主)"


def test_every_extra_head_is_named() -> None:
    second = attrs.evolve(SPOUSE, relation=Relation.HEAD)
    third = attrs.evolve(CHILD, relation=Relation.HEAD)
    with pytest.raises(ValidationError) as exc:
        household(HEAD, second, third)
    assert paths(exc) == ["members[1].relation", "members[2].relation"]
    assert "members[0] is already the head" in str(exc.value)


def test_a_resident_id_may_appear_once() -> None:
    twin = attrs.evolve(HEAD, relation=Relation.SIBLING)
    with pytest.raises(ValidationError) as exc:
        household(HEAD, SPOUSE, twin)
    assert paths(exc) == ["members[2].id_number"]
    assert "110105********0178" in str(exc.value)
    assert "110105198503120178" not in str(exc.value)


def test_members_without_id_are_never_duplicates() -> None:
    baby = Person(birth_date=dt.date(2025, 1, 1), sex=Sex.MALE, relation=Relation.CHILD)
    assert household(HEAD, baby, baby).size == 3


def test_size_limits() -> None:
    with pytest.raises(ValidationError) as exc:
        household()
    assert paths(exc) == ["members"]
    babies = [
        Person(birth_date=dt.date(2020, 1, 1), sex=Sex.FEMALE, relation=Relation.CHILD)
        for _ in range(MAX_MEMBERS)
    ]
    assert household(HEAD, *babies[:-1]).size == MAX_MEMBERS
    with pytest.raises(ValidationError) as exc:
        household(HEAD, *babies)
    assert (
        str(exc.value)
        == f"members: has {MAX_MEMBERS + 1} items; at most 100 are allowed (最多100项)"
    )


def _retired_county() -> str:
    return next(r.code for r in regions.all_regions(level=regions.Level.COUNTY) if not r.is_current)


def test_region_is_a_county_level_code_current_or_retired() -> None:
    assert household(HEAD, region=_retired_county()).region == _retired_county()
    for code, words in [
        ("110100", "prefecture-level"),
        ("110000", "province-level"),
        ("000000", "not a GB/T 2260"),
        ("999999", "not a GB/T 2260"),
        ("11010", "6-digit"),
        ("１１０１０５", "6-digit"),
        (110105, "as text"),
    ]:
        with pytest.raises(ValidationError) as exc:
            household(HEAD, region=code)
        assert paths(exc) == ["region"]
        assert words in str(exc.value)


def test_household_id_is_plain_text() -> None:
    for bad in ["", " HH-1", "HH-1\n", "x" * 65]:
        with pytest.raises(ValidationError) as exc:
            household(HEAD, id=bad)
        assert paths(exc) == ["id"]


def test_repr_masks_identifiers_even_in_the_household_id() -> None:
    h = household(HEAD, id="110105198503120178")
    assert "110105198503120178" not in repr(h)


def test_households_pickle_and_compare_by_value() -> None:
    h = household(HEAD, SPOUSE, CHILD)
    assert pickle.loads(pickle.dumps(h)) == h
    assert type(pickle.loads(pickle.dumps(h))) is Household
    assert h == household(HEAD, SPOUSE, CHILD)
    assert hash(h) == hash(household(HEAD, SPOUSE, CHILD))


@given(dst.households(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
def test_age_bands_count_the_living_members_once(h: Household, day: dt.date) -> None:
    bands = h.age_bands(day)
    assert list(bands) == [b for b, _, _ in AGE_BANDS]
    alive = h.members_alive_on(day)
    assert sum(bands.values()) == len(alive)
    ages = [m.age_on(day) for m in alive]
    assert bands["0-15"] == sum(a <= 15 for a in ages)
    assert bands["16-59"] == sum(16 <= a <= 59 for a in ages)
    assert bands["60-79"] == sum(60 <= a <= 79 for a in ages)
    assert bands["80+"] == sum(a >= 80 for a in ages)
    assert all(m.is_alive_on(day) for m in alive)


@given(dst.households())
def test_exactly_one_head_and_distinct_ids(h: Household) -> None:
    assert sum(m.relation is Relation.HEAD for m in h.members) == 1
    ids = [m.id_number for m in h.members if m.id_number is not None]
    assert len(ids) == len(set(ids))
    assert h.head.relation is Relation.HEAD
    assert h.size == len(h.members) >= 1


@given(dst.households(), st.sampled_from([None, *AssetKind]), st.sampled_from([None, *ExpenseKind]))
def test_asset_and_expense_totals(
    h: Household, asset: AssetKind | None, expense: ExpenseKind | None
) -> None:
    chosen = [a for a in h.assets if asset is None or a.kind is asset]
    assert h.total_assets(asset).fen == sum(a.value.fen for a in chosen if a.value is not None)
    assert h.asset_count(asset) == sum(1 if a.count is None else a.count for a in chosen)
    assert h.monthly_expenses(expense).fen == sum(
        e.monthly.fen for e in h.expenses if expense is None or e.kind is expense
    )


@given(dst.households(), st.sets(st.sampled_from(IncomeKind)), st.dates())
def test_household_income_is_the_sum_over_members(
    h: Household, kinds: set[IncomeKind], day: dt.date
) -> None:
    assert h.monthly_income(kinds) == sum((m.monthly_income(kinds) for m in h.members), Money(0))
    alive = sum((m.monthly_income(kinds) for m in h.members_alive_on(day)), Money(0))
    assert h.monthly_income(kinds, on=day) == alive


def test_income_of_the_dead_is_left_out_when_a_day_is_given() -> None:
    wage = (IncomeItem(kind=IncomeKind.WAGE, monthly=Money.parse("2600")),)
    late = attrs.evolve(SPOUSE, incomes=wage, died_on=dt.date(2024, 3, 10))
    h = household(HEAD, late)
    assert h.monthly_income() == Money.parse("2600")
    assert h.monthly_income(on=dt.date(2024, 3, 9)) == Money.parse("2600")
    assert h.monthly_income(on=dt.date(2024, 3, 10)) == Money(0)


def test_asset_items_need_a_value_or_a_count() -> None:
    assert AssetItem(kind=AssetKind.VEHICLE, count=2).quantity == 2
    assert AssetItem(kind=AssetKind.DEPOSIT, value=Money.parse("100")).quantity == 1
    with pytest.raises(ValidationError) as exc:
        AssetItem(kind=AssetKind.VEHICLE)
    assert paths(exc) == ["value"]
    with pytest.raises(ValidationError) as exc:
        AssetItem(kind=AssetKind.VEHICLE, count=-1)
    assert paths(exc) == ["count"]
    with pytest.raises(ValidationError) as exc:
        ExpenseItem(kind=ExpenseKind.MEDICAL, monthly=Money(-1))
    assert paths(exc) == ["monthly"]
