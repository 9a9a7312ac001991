"""The frame's columns mean what the domain objects say (规则输入与领域对象一致).

Both readers end in :func:`civilaffairs.engine.frame.derive`, so the differential test of
the two readers cannot see a mistake in it; these tests hold the columns against the
domain methods (``Person.age_on``, ``is_alive_on``, ``monthly_income``, the household's
asset and expense totals) and a plain reference for the status masks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.bulk.schema import HOUSEHOLD_AMOUNTS, INCOME_COLUMNS
from civilaffairs.convert import load_json
from civilaffairs.domain import (
    AssetKind,
    ExpenseKind,
    Household,
    IncomeKind,
    Person,
    Relation,
    Residence,
    StatusKind,
)
from civilaffairs.engine.frame import (
    AMOUNT_FIELDS,
    HH_FIELDS,
    PERSON_FIELDS,
    Frame,
    code_of,
    derive,
    household_amounts,
    raw_from_households,
)
from civilaffairs.ids import Sex
from civilaffairs.periods import Month
from civilaffairs.testing._programs import assessable_households, household_lists
from civilaffairs.testing.strategies import households, months

EXAMPLE = Path(__file__).parents[1] / "examples" / "households" / "beijing-3.json"


def _months_between(start: dt.date, day: dt.date) -> int:
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return months


def reference_row(p: Person, day: dt.date) -> dict[str, int]:
    """The person columns of *p* on *day*, straight from the domain object."""
    kinds = list(StatusKind)
    own = father = mother = father6 = mother6 = father_term = mother_term = 0
    for s in p.statuses:
        if s.since is not None and s.since > day:
            continue
        bit = 1 << kinds.index(s.kind)
        lasted = s.since is not None and _months_between(s.since, day) >= 6
        long_term = s.term_months is not None and s.term_months >= 6
        if s.parent == "father":
            father |= bit
            father6 |= bit if lasted else 0
            father_term |= bit if long_term else 0
        elif s.parent == "mother":
            mother |= bit
            mother6 |= bit if lasted else 0
            mother_term |= bit if long_term else 0
        else:
            own |= bit
    row = {
        "alive": int(p.is_alive_on(day)),
        "age": p.age_on(day),
        "female": int(p.sex is Sex.FEMALE),
        "relation": code_of(p.relation),
        "dis_cat": code_of(p.disability.category) if p.disability else 0,
        "dis_grade": p.disability.grade if p.disability else 0,
        "self_care": code_of(p.self_care),
        "labour": -1 if p.labour_capacity is None else int(p.labour_capacity),
        "school": code_of(p.in_school),
        "employment": code_of(p.employment),
        "able_supporters": sum(1 for s in p.supporters if s.able),
        "own": own,
        "father": father,
        "mother": mother,
        "father_6m": father6,
        "mother_6m": mother6,
        "father_term6": father_term,
        "mother_term6": mother_term,
    }
    for kind in IncomeKind:
        row[f"inc_{kind.value}"] = p.monthly_income([kind]).fen
    return row


def reference_household(h: Household, day: dt.date) -> dict[str, int]:
    return {
        "size": len(h.members_alive_on(day)),
        "rural": int(h.residence is Residence.RURAL),
        "deposits": h.total_assets(AssetKind.DEPOSIT).fen
        + h.total_assets(AssetKind.SECURITIES).fen,
        "vehicles": h.asset_count(AssetKind.VEHICLE),
        "real_estate": h.asset_count(AssetKind.REAL_ESTATE),
        "businesses": h.asset_count(AssetKind.BUSINESS_REGISTRATION),
        "other_assets": h.total_assets(AssetKind.OTHER).fen,
        "medical": h.monthly_expenses(ExpenseKind.MEDICAL).fen,
        "education": h.monthly_expenses(ExpenseKind.EDUCATION).fen,
    }


def _check(hs: list[Household], month: Month) -> None:
    day = month.first_day
    frame = Frame.from_households(hs, month)
    assert frame.n == len(hs)
    assert list(frame.hh) == list(HH_FIELDS)
    names = [*PERSON_FIELDS, *(f"inc_{k.value}" for k in IncomeKind)]
    assert list(frame.pp) == names
    for name, column in frame.hh.items():
        assert column.dtype == np.int64, name
        assert column.tolist() == [reference_household(h, day)[name] for h in hs], name
    rows = [reference_row(p, day) for h in hs for p in h.members]
    for name in names:
        column = frame.pp[name]
        expected_dtype = np.bool_ if name in ("alive", "female") else np.int64
        assert column.dtype == expected_dtype, name
        assert [int(v) for v in column.tolist()] == [r[name] for r in rows], name
    owners = [i for i, h in enumerate(hs) for _ in h.members]
    assert frame.person_hh.tolist() == owners
    assert frame.household_ids == [h.id for h in hs]
    assert frame.regions == [h.region for h in hs]
    assert frame.residences == [h.residence.value for h in hs]
    assert frame.groups is not None
    index: dict[tuple[str, str], int] = {}
    pairs = zip(frame.regions, frame.residences, strict=True)
    inverse = [index.setdefault(pair, len(index)) for pair in pairs]
    assert frame.groups[0] == list(index)
    assert frame.groups[1].tolist() == inverse


@given(household_lists(), months(Month(2023, 1), Month(2026, 12)))
def test_columns_match_the_domain_objects(hs: list[Household], month: Month) -> None:
    _check(hs, month)


@given(st.lists(households(), max_size=5), months(Month(1900, 1)))
def test_columns_match_the_domain_objects_for_any_household(
    hs: list[Household], month: Month
) -> None:
    _check(hs, month)


@given(households())
def test_household_amounts_are_the_household_totals(h: Household) -> None:
    expected = reference_household(h, dt.date(2024, 1, 1))
    assert household_amounts(h) == tuple(expected[name] for name in AMOUNT_FIELDS)


def test_the_bulk_schema_has_the_frame_amounts_and_incomes_in_order() -> None:
    assert tuple(HOUSEHOLD_AMOUNTS) == AMOUNT_FIELDS
    assert tuple(f"income_{k.value}" for k in IncomeKind) == INCOME_COLUMNS


def test_one_household_has_python_ints_for_household_columns() -> None:
    h = load_json(EXAMPLE.read_bytes(), Household)
    month = Month(2024, 8)
    frame = Frame.from_household(h, month)
    assert frame.n == 1
    assert all(type(v) is int for v in frame.hh.values())
    assert frame.hh == reference_household(h, month.first_day)
    assert all(isinstance(v, np.ndarray) for v in frame.pp.values())
    assert frame.pp["age"].tolist() == [p.age_on(month.first_day) for p in h.members]
    assert frame.groups is not None
    assert frame.groups[0] == [("110105", "urban")]
    assert frame.groups[1].tolist() == [0]


def test_no_households() -> None:
    frame = Frame.from_households([], Month(2024, 8))
    assert frame.n == 0
    assert all(v.size == 0 for v in (*frame.hh.values(), *frame.pp.values(), frame.person_hh))
    assert frame.groups is not None
    assert frame.groups[0] == []


def test_a_29_february_birthday_falls_on_1_march() -> None:
    born = dt.date(2000, 2, 29)
    h = Household(
        id="H-1",
        region="110105",
        residence=Residence.URBAN,
        members=(Person(birth_date=born, sex=Sex.MALE, relation=Relation.HEAD),),
    )
    ages = {
        m: Frame.from_household(h, Month.parse(m)).pp["age"].tolist()
        for m in ("2023-02", "2023-03", "2024-02", "2024-03")
    }
    assert ages == {"2023-02": [22], "2023-03": [23], "2024-02": [23], "2024-03": [24]}


@given(st.lists(assessable_households(), min_size=1, max_size=6), st.data())
def test_take_keeps_persons_and_statuses_with_their_households(
    hs: list[Household], data: Any
) -> None:
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(hs), max_size=len(hs))))
    month = Month(2024, 8)
    got = derive(raw_from_households(hs).take(keep), month)
    want = Frame.from_households([h for h, k in zip(hs, keep, strict=True) if k], month)
    for name, column in want.pp.items():
        assert np.array_equal(got.pp[name], column), name
    for name, column in want.hh.items():
        assert np.array_equal(got.hh[name], column), name
    assert np.array_equal(got.person_hh, want.person_hh)
    assert got.household_ids == want.household_ids
    assert got.regions == want.regions


def test_six_months_are_whole_months_to_the_first_day() -> None:
    from civilaffairs.domain import Status

    def masks(since: dt.date, month: str) -> tuple[int, int]:
        status = Status(kind=StatusKind.PARENT_IMPRISONED, parent="father", since=since)
        head = Person(
            birth_date=dt.date(1890, 1, 1), sex=Sex.MALE, relation=Relation.HEAD, statuses=(status,)
        )
        h = Household(id="H-1", region="110105", residence=Residence.URBAN, members=(head,))
        pp = Frame.from_household(h, Month.parse(month)).pp
        return int(pp["father"][0]), int(pp["father_6m"][0])

    bit = 1 << list(StatusKind).index(StatusKind.PARENT_IMPRISONED)
    assert masks(dt.date(1899, 7, 1), "1900-01") == (bit, bit)
    assert masks(dt.date(1899, 7, 2), "1900-01") == (bit, 0)
    assert masks(dt.date(1900, 1, 1), "1900-01") == (bit, 0)
    assert masks(dt.date(1900, 1, 2), "1900-01") == (0, 0)
    assert masks(dt.date(2024, 2, 1), "2024-08") == (bit, bit)
    assert masks(dt.date(2024, 2, 29), "2024-08") == (bit, 0)


def _parent_masks(*statuses: Any, month: str = "2024-08") -> dict[str, int]:
    head = Person(
        birth_date=dt.date(2015, 1, 1),
        sex=Sex.MALE,
        relation=Relation.HEAD,
        statuses=tuple(statuses),
    )
    h = Household(id="H-1", region="110105", residence=Residence.URBAN, members=(head,))
    pp = Frame.from_household(h, Month.parse(month)).pp
    names = ("father", "mother", "father_6m", "mother_6m", "father_term6", "mother_term6")
    return {name: int(pp[name][0]) for name in names}


def test_a_status_without_a_start_date_is_in_force_but_not_for_six_months() -> None:
    from civilaffairs.domain import Status

    bit = 1 << list(StatusKind).index(StatusKind.PARENT_MISSING)
    got = _parent_masks(Status(kind=StatusKind.PARENT_MISSING, parent="mother"))
    assert got == {**dict.fromkeys(got, 0), "mother": bit}


def test_a_term_of_six_months_counts_from_the_first_day_whatever_was_served() -> None:
    from civilaffairs.domain import Status

    bit = 1 << list(StatusKind).index(StatusKind.PARENT_IMPRISONED)

    def jailed(parent: str | None, term: int | None, since: dt.date | None = None) -> Status:
        return Status(
            kind=StatusKind.PARENT_IMPRISONED, parent=parent, term_months=term, since=since
        )

    started = dt.date(2024, 7, 15)
    assert _parent_masks(jailed("father", 6, started)) == {
        "father": bit,
        "mother": 0,
        "father_6m": 0,
        "mother_6m": 0,
        "father_term6": bit,
        "mother_term6": 0,
    }
    got = _parent_masks(jailed("father", 5, dt.date(2020, 1, 1)), jailed("mother", 120))
    assert (got["father_term6"], got["father_6m"]) == (0, bit)
    assert (got["mother"], got["mother_6m"], got["mother_term6"]) == (bit, 0, bit)
    # not yet in force: no mask holds it, whatever its term
    assert set(_parent_masks(jailed("father", 24, dt.date(2024, 8, 2))).values()) == {0}
    # the person's own statuses and those of no recorded parent are not parents' terms
    assert _parent_masks(jailed(None, 24))["father_term6"] == 0
