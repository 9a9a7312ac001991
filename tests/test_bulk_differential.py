"""Bulk and single-case assessment agree field by field on generated households."""

from __future__ import annotations

import json
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulk_support import bundled_registry, fixture_registry
from civilaffairs.bulk.arrow import frame_from_arrow, households_to_arrow
from civilaffairs.bulk.run import assess_table
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.single import assess
from civilaffairs.errors import MissingStandard
from civilaffairs.periods import Month
from civilaffairs.testing._programs import BULK_TEST_REGIONS, household_lists
from civilaffairs.testing.strategies import households, months
from test_frame_derive import reference_row

MONTH = Month(2024, 8)


def assert_same_frame(frame: Frame, expected: Frame) -> None:
    """Every column, and the household keys, of *frame* equal those of *expected*."""
    assert frame.n == expected.n
    assert frame.month == expected.month
    for got, want in ((frame.hh, expected.hh), (frame.pp, expected.pp)):
        assert list(got) == list(want)
        for name, column in want.items():
            assert got[name].dtype == column.dtype, name
            assert np.array_equal(got[name], column), name
    assert frame.person_hh.dtype == expected.person_hh.dtype
    assert np.array_equal(frame.person_hh, expected.person_hh)
    assert frame.household_ids == expected.household_ids
    assert frame.regions == expected.regions
    assert frame.residences == expected.residences
    assert frame.groups is not None
    assert expected.groups is not None
    assert frame.groups[0] == expected.groups[0]
    assert np.array_equal(frame.groups[1], expected.groups[1])


@given(household_lists())
def test_frame_from_arrow_builds_the_same_columns_as_from_households(hs: list[Any]) -> None:
    expected = Frame.from_households(hs, MONTH)
    hh, pp = households_to_arrow(hs)
    frame, errors, rows = frame_from_arrow(hh, pp, MONTH, first_row=10)
    assert errors.num_rows == 0
    assert rows.tolist() == list(range(10, 10 + len(hs)))
    assert frame.n == len(hs)
    assert_same_frame(frame, expected)


@given(
    st.lists(households(), min_size=1, max_size=6, unique_by=lambda h: h.id),
    months(Month(1990, 1), Month(2040, 12)),
)
def test_both_readers_agree_on_any_valid_household_and_month(hs: list[Any], month: Month) -> None:
    """Resident IDs, retired county codes, newborns and deaths, in any month: the bulk
    reader keeps every household and builds the columns the domain reader builds."""
    hh, pp = households_to_arrow(hs)
    frame, errors, rows = frame_from_arrow(hh, pp, month)
    assert errors.to_pylist() == []
    assert rows.tolist() == list(range(len(hs)))
    assert_same_frame(frame, Frame.from_households(hs, month))


@given(household_lists(max_size=10), st.data())
def test_households_left_out_do_not_shift_the_others(hs: list[Any], data: Any) -> None:
    """Bad rows are left out before deriving; the rest, with their persons and statuses,
    give the frame the domain reader builds from the good households alone."""
    bad = data.draw(st.sets(st.integers(0, len(hs) - 1), max_size=len(hs)))
    hh, pp = households_to_arrow(hs)
    relations = pp.column("relation").to_pylist()
    owners = pp.column("household_id").to_pylist()
    bad_ids = {hs[i].id for i in bad}
    relations = ["cousin" if o in bad_ids else r for o, r in zip(owners, relations, strict=True)]
    i = pp.schema.get_field_index("relation")
    pp = pp.set_column(i, pp.schema.field(i), pa.array(relations, pa.string()))
    frame, errors, rows = frame_from_arrow(hh, pp, MONTH, first_row=3)
    assert errors.column("row").to_pylist() == [3 + i for i in sorted(bad)]
    assert rows.tolist() == [3 + i for i in range(len(hs)) if i not in bad]
    assert frame.n + errors.num_rows == len(hs)
    good = [h for i, h in enumerate(hs) if i not in bad]
    assert_same_frame(frame, Frame.from_households(good, MONTH))


_STATUS_COLUMNS = ("own", "father", "mother", "father_6m", "mother_6m")
_TERM_COLUMNS = ("father_term6", "mother_term6")


@given(household_lists(), months(Month(2023, 1), Month(2026, 12)))
def test_status_masks_from_arrow_match_the_domain_objects(hs: list[Any], month: Month) -> None:
    """The status masks the bulk reader builds, the six-month and the six-month-term ones
    included, are those read off the domain objects (recorded starts and terms)."""
    hh, pp = households_to_arrow(hs)
    frame, errors, _ = frame_from_arrow(hh, pp, month)
    assert errors.num_rows == 0
    want = [reference_row(p, month.first_day) for h in hs for p in h.members]
    for name in (*_STATUS_COLUMNS, *_TERM_COLUMNS):
        assert frame.pp[name].tolist() == [r[name] for r in want], name


def _without_terms(h: Any) -> Any:
    members = tuple(
        attrs.evolve(p, statuses=tuple(attrs.evolve(s, term_months=None) for s in p.statuses))
        for p in h.members
    )
    return attrs.evolve(h, members=members)


#: The ``statuses`` type of files written before statuses had a ``term_months``.
_OLD_STATUS_TYPE = pa.list_(
    pa.struct([("kind", pa.string()), ("parent", pa.string()), ("since", pa.date32())])
)


@given(household_lists(), st.integers(1, 4))
def test_files_without_terms_are_read_as_statuses_without_a_term(
    hs: list[Any], pieces: int
) -> None:
    """A persons table whose statuses lack ``term_months`` (an older file) is read, in one
    chunk or several, as if no term were recorded."""
    hh, pp = households_to_arrow(hs)
    old = [
        [{k: v for k, v in s.items() if k != "term_months"} for s in row]
        for row in pp.column("statuses").to_pylist()
    ]
    column = pa.array(old, _OLD_STATUS_TYPE)
    size = -(-len(column) // pieces)
    chunks = [column.slice(i, size) for i in range(0, len(column), size)]
    i = pp.schema.get_field_index("statuses")
    pp = pp.set_column(i, "statuses", pa.chunked_array(chunks, _OLD_STATUS_TYPE))
    frame, errors, _ = frame_from_arrow(hh, pp, MONTH)
    assert errors.num_rows == 0
    expected = Frame.from_households([_without_terms(h) for h in hs], MONTH)
    assert_same_frame(frame, expected)
    for name in _TERM_COLUMNS:
        assert not frame.pp[name].any()


@given(household_lists())
def test_statuses_as_json_text_keep_their_terms(hs: list[Any]) -> None:
    """A text ``statuses`` column (CSV) holding JSON lists reads the terms too."""
    hh, pp = households_to_arrow(hs)
    text = [json.dumps(row, default=str) for row in pp.column("statuses").to_pylist()]
    i = pp.schema.get_field_index("statuses")
    pp = pp.set_column(i, "statuses", pa.array(text, pa.string()))
    frame, errors, _ = frame_from_arrow(hh, pp, MONTH)
    assert errors.num_rows == 0
    assert_same_frame(frame, Frame.from_households(hs, MONTH))


def _agree(hs: list[Any], registry: Any) -> None:
    hh, pp = households_to_arrow(hs)
    results, errors = assess_table((hh, pp), MONTH, registry=registry, chunk_size=3)
    assert results.num_rows + errors.num_rows == len(hs)
    by_id = {r["household_id"]: r for r in results.to_pylist()}
    failed = {r["household_id"]: r for r in errors.to_pylist()}
    for row, household in enumerate(hs):
        if household.id in failed:
            assert household.id not in by_id
            assert failed[household.id]["row"] == row
            with pytest.raises(MissingStandard) as raised:
                assess(household, MONTH, registry=registry)
            assert raised.value.key in failed[household.id]["reason"]
            continue
        single = assess(household, MONTH, registry=registry)
        got = by_id[household.id]
        assert got["row"] == row
        skipped = single.skipped_reasons()
        decisions = {d.program: d for d in single.decisions}
        for pid in registry.programs:
            if pid in skipped:
                assert got[f"{pid}_status"] == 1, (pid, skipped[pid])
                assert not got[f"{pid}_eligible"]
                assert got[f"{pid}_amount_fen"] == 0
                assert got[f"{pid}_first_failed"] is None
                continue
            decision = decisions[pid]
            assert got[f"{pid}_status"] == 0, pid
            assert got[f"{pid}_eligible"] == decision.eligible, pid
            assert got[f"{pid}_amount_fen"] == decision.amount.fen, pid
            assert got[f"{pid}_first_failed"] == decision.first_failed, pid


@given(household_lists())
def test_bulk_agrees_with_single_case_on_the_bundled_plugins(hs: list[Any]) -> None:
    _agree(hs, bundled_registry())


@given(st.data())
def test_bulk_agrees_with_single_case_where_every_standard_is_published(data: Any) -> None:
    from civilaffairs.testing._programs import assessable_households

    regions = ("110105", "110108", "110115", *BULK_TEST_REGIONS[-3:])
    hs = data.draw(
        st.lists(
            assessable_households(MONTH.first_day, regions),
            min_size=1,
            max_size=8,
            unique_by=lambda h: h.id,
        )
    )
    _agree(hs, fixture_registry())
