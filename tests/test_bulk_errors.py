"""Bad rows are reported with their row and reason; every other row is assessed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulk_support import bundled_registry
from civilaffairs import assess
from civilaffairs.bulk.arrow import frame_from_arrow, households_to_arrow
from civilaffairs.bulk.run import assess_table
from civilaffairs.bulk.schema import BulkInputError
from civilaffairs.synth import synth_tables

MONTH = "2024-08"


def _tables(n: int = 12, seed: int = 5) -> tuple[pa.Table, pa.Table]:
    hh, pp = synth_tables(n, seed=seed)
    return hh, pp


def _set(table: pa.Table, column: str, row: int, value: Any) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    i = table.schema.get_field_index(column)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def _first_person(pp: pa.Table, household_id: str) -> int:
    return pp.column("household_id").to_pylist().index(household_id)


BAD_HOUSEHOLD = [
    ("region", "999999", "region '999999' is not a GB/T 2260 division code"),
    ("region", "110000", "is not a county-level division code"),
    ("region", None, "region is missing"),
    ("residence", "suburban", "residence must be urban or rural, got 'suburban'"),
    ("deposits", -5, "deposits is negative (-5)"),
]
BAD_PERSON = [
    ("income_wage", -100, "member 1: income_wage is negative (-100 fen)"),
    ("disability_grade", 7, "member 1: disability_grade 7 is out of range 1-4"),
    ("sex", "x", "member 1: sex must be male or female, got 'x'"),
    ("relation", "cousin", "member 1: unknown relation 'cousin'"),
    ("employment", "astronaut", "member 1: unknown employment 'astronaut'"),
    ("self_care", "some", "member 1: unknown self_care 'some'"),
    ("birth_date", None, "member 1: birth_date is missing"),
    ("birth_date", dt.date(1800, 1, 1), "member 1: birth_date is before 1850-01-01"),
    ("died_on", dt.date(1900, 1, 1), "member 1: died_on is before the birth date"),
    (
        "statuses",
        [{"kind": "lost", "parent": None, "since": None}],
        "member 1: unknown status kind 'lost'",
    ),
    (
        "statuses",
        [{"kind": "orphan", "parent": "father", "since": None}],
        "member 1: only a parent_* status names a parent",
    ),
    (
        "statuses",
        [{"kind": "parent_dead", "parent": "uncle", "since": None}],
        "member 1: status parent must be father or mother",
    ),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_HOUSEHOLD)
def test_a_bad_household_row_is_reported_and_the_others_assessed(
    column: str, value: Any, reason: str
) -> None:
    hh, pp = _tables()
    hh = _set(hh, column, 4, value)
    results, errors = assess_table((hh, pp), MONTH, registry=bundled_registry())
    row = [e for e in errors.to_pylist() if e["row"] == 4]
    assert len(row) == 1
    assert reason in row[0]["reason"]
    assert 4 not in results.column("row").to_pylist()
    assert results.num_rows + errors.num_rows == hh.num_rows


@pytest.mark.parametrize(("column", "value", "reason"), BAD_PERSON)
def test_a_bad_person_row_fails_its_household_only(column: str, value: Any, reason: str) -> None:
    hh, pp = _tables()
    target = hh.column("household_id")[6].as_py()
    pp = _set(pp, column, _first_person(pp, target), value)
    frame, errors, rows = frame_from_arrow(hh, pp, MONTH)
    assert errors.to_pylist() == [
        {"row": 6, "household_id": target, "reason": errors.column("reason")[0].as_py()}
    ]
    assert reason in errors.column("reason")[0].as_py()
    assert frame.n == hh.num_rows - 1
    assert 6 not in rows.tolist()


def test_household_structure_errors() -> None:
    hh, pp = _tables()
    ids = pp.column("household_id").to_pylist()
    no_members = hh.column("household_id")[2].as_py()
    keep = pa.array([i != no_members for i in ids])
    _frame, errors, _ = frame_from_arrow(hh, pp.filter(keep), MONTH)
    assert errors.column("reason").to_pylist() == [
        "the household has no members in the persons table (无成员)"
    ]
    _, errors, _ = frame_from_arrow(_set(hh, "household_id", 2, ""), pp.filter(keep), MONTH)
    assert errors.column("reason").to_pylist() == ["household_id is missing (缺少家庭编号)"]
    head = _first_person(pp, hh.column("household_id")[3].as_py())
    _, errors, _ = frame_from_arrow(hh, _set(pp, "relation", head, "child"), MONTH)
    assert errors.column("reason").to_pylist() == ["no member is the head of household (缺少户主)"]
    dup = _set(hh, "household_id", 1, hh.column("household_id")[0].as_py())
    dup_pp = _set(pp, "household_id", ids.index(hh.column("household_id")[1].as_py()), "x")
    with pytest.raises(BulkInputError):
        frame_from_arrow(dup, dup_pp, MONTH)


def test_duplicate_household_ids_are_errors_for_every_occurrence() -> None:
    hh, pp = _tables(3)
    first = hh.column("household_id")[0].as_py()
    hh = pa.concat_tables([hh, hh.slice(0, 1)])
    frame, errors, _ = frame_from_arrow(hh, pp, MONTH)
    assert errors.column("row").to_pylist() == [0, 3]
    assert set(errors.column("household_id").to_pylist()) == {first}
    assert frame.n == 2


def test_persons_out_of_order_are_an_error_naming_the_row() -> None:
    hh, pp = _tables(4)
    order = list(range(pp.num_rows))
    ids = pp.column("household_id").to_pylist()
    last = max(i for i, h in enumerate(ids) if h == ids[0])
    moved = order[:last] + order[last + 1 :] + [last]
    with pytest.raises(BulkInputError, match=rf"persons row {pp.num_rows - 1} .*out of order"):
        frame_from_arrow(hh, pp.take(pa.array(moved)), MONTH)
    with pytest.raises(BulkInputError, match=r"persons row \d+ names household .* not in"):
        assess_table((hh.slice(0, 3), pp), MONTH, registry=bundled_registry(), chunk_size=2)


def test_a_missing_or_mistyped_column_is_one_clear_error() -> None:
    hh, pp = _tables(3)
    with pytest.raises(BulkInputError, match="no column 'region'"):
        frame_from_arrow(hh.drop_columns(["region"]), pp, MONTH)
    bad = hh.set_column(3, "deposits", pa.array(["a", "b", "c"]))
    with pytest.raises(BulkInputError, match="'deposits' has type string"):
        frame_from_arrow(bad, pp, MONTH)


@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.sampled_from([1, 7, 64]))
def test_counts_balance_with_bad_rows(seed: int, n: int, chunk: int) -> None:
    hh, pp = synth_tables(n, seed=seed, bad_fraction=0.3)
    results, errors = assess_table((hh, pp), MONTH, registry=bundled_registry(), chunk_size=chunk)
    assert results.num_rows + errors.num_rows == n
    rows = sorted(results.column("row").to_pylist() + errors.column("row").to_pylist())
    assert rows == list(range(n))
    bad_regions = pc.equal(hh.column("region"), "999999")
    for i in pc.indices_nonzero(bad_regions).to_pylist():
        assert i in errors.column("row").to_pylist()


@given(st.data())
def test_regions_without_a_dibao_standard_are_assessed_for_what_they_have(data: Any) -> None:
    """Each programme depends only on the standards it reads: a region without a dibao
    standard is not an error row; dibao and the programmes that read it are skipped (status
    1), as the single-case assessment lists them."""
    from civilaffairs.testing._programs import assessable_households

    household = data.draw(assessable_households(regions=("340102",)))
    hh, pp = households_to_arrow([household])
    results, errors = assess_table((hh, pp), MONTH, registry=bundled_registry())
    assert (results.num_rows, errors.num_rows) == (1, 0)
    assert results.column("dibao_status")[0].as_py() == 1
    single = assess(household, MONTH, registry=bundled_registry())
    assert "dibao" in single.skipped_reasons()
