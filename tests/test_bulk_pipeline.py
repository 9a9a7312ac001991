"""The fast bulk pipeline gives what the plain one gives.

Each shortcut of the pipeline is held against the slower way it replaces: persons split
off by position against matching by id, standards and policies resolved from lookup arrays
against the per-group resolution of the single case, ages from a table of days against
month arithmetic, columns the input does not have (held as constants) and columns read as
dictionaries against the full columns, the reading and writing threads against a plain
loop. No test here is timed.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulk_support import bundled_registry
from civilaffairs.bulk.arrow import frame_from_arrow, households_to_arrow
from civilaffairs.bulk.run import Pipeline, assess_bulk, assess_table
from civilaffairs.bulk.schema import PERSONS_SCHEMA, BulkInputError
from civilaffairs.bulk.sources import Chunk, open_source
from civilaffairs.engine import batch as batch_module
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.engine.columns import BatchEnv
from civilaffairs.engine.frame import Frame, _whole_years, constant, is_constant
from civilaffairs.periods import Month
from civilaffairs.synth import synth_tables
from civilaffairs.testing._programs import household_lists

MONTH = Month(2024, 8)


# -- persons split off by position ------------------------------------------------------------


def _by_id(households: pa.Table, persons: pa.Table, size: int) -> list[tuple[int, int]]:
    """(households, persons) per chunk as matching by id splits them: each chunk takes the
    persons up to the first one whose household is not among the chunk's."""
    out = []
    ids = persons.column("household_id").to_pylist()
    at = 0
    for start in range(0, households.num_rows, size):
        chunk = set(households.column("household_id").slice(start, size).to_pylist())
        end = at
        while end < len(ids) and ids[end] in chunk:
            end += 1
        out.append((min(size, households.num_rows - start), end - at))
        at = end
    return out


@st.composite
def _registries(draw: st.DrawFn) -> tuple[pa.Table, pa.Table]:
    """Small registries with the shapes matching by id has to handle: households without
    members, ids repeated next to each other or far apart, persons of a household split
    in two runs."""
    n = draw(st.integers(1, 12))
    names = draw(st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=n, max_size=n))
    households = pa.table({"household_id": pa.array(names, pa.string())})
    owners: list[str] = []
    for name in names:
        owners += [name] * draw(st.integers(0, 3))
    if owners and draw(st.booleans()):  # one person moved elsewhere
        i = draw(st.integers(0, len(owners) - 1))
        j = draw(st.integers(0, len(owners) - 1))
        owners.insert(j, owners.pop(i))
    persons = pa.table({"household_id": pa.array(owners, pa.string())})
    return households, persons


@settings(max_examples=300)
@given(_registries(), st.integers(1, 5), st.integers(1, 4))
def test_chunks_split_by_position_as_matching_by_id_does(
    tables: tuple[pa.Table, pa.Table], size: int, batch: int
) -> None:
    households, persons = tables
    reader = pa.RecordBatchReader.from_batches(
        persons.schema, persons.to_batches(max_chunksize=batch) or []
    )
    source = open_source((households, reader), chunk_size=size)
    expected = _by_id(households, persons, size)
    got: list[tuple[int, int]] = []
    rows = 0
    try:
        for chunk in source.chunks():
            assert isinstance(chunk, Chunk)
            assert chunk.person_first_row == rows
            rows += chunk.persons.num_rows
            got.append((chunk.households.num_rows, chunk.persons.num_rows))
    except BulkInputError:
        # persons left over: matching by id leaves the same ones
        assert sum(p for _, p in expected) < persons.num_rows
        assert got == expected[: len(got)]
        return
    assert got == expected
    assert rows == persons.num_rows


def test_a_household_without_members_is_an_error_row_whatever_the_chunk_size() -> None:
    hh, pp = synth_tables(40, seed=4)
    gone = hh.column("household_id")[17].as_py()
    pp = pp.filter(pc.not_equal(pp.column("household_id"), gone))
    for size in (1, 7, 17, 18, 40):
        results, errors = assess_table(
            (hh, pp), "2024-08", registry=bundled_registry(), chunk_size=size
        )
        assert errors.column("row").to_pylist() == [17]
        assert "no members" in errors.column("reason")[0].as_py()
        assert results.num_rows == 39


# -- ages ------------------------------------------------------------------------------------


def _ages_by_month_arithmetic(birth: np.ndarray, month: Month) -> np.ndarray:
    b = birth.astype("datetime64[D]")
    birth_month = b.astype("datetime64[M]")
    months = (month.index - 1970 * 12) - birth_month.astype(np.int64)
    months -= birth_month.astype("datetime64[D]") != b
    out: np.ndarray = months // 12
    return out


@given(
    st.lists(st.integers(-80_000, 80_000), min_size=1, max_size=60),
    st.integers(1900, 2100),
    st.integers(1, 12),
    st.booleans(),
)
def test_ages_from_the_table_of_days_are_whole_years(
    days: list[int], year: int, month: int, far: bool
) -> None:
    feb29 = (dt.date(2000, 2, 29) - dt.date(1970, 1, 1)).days
    birth = np.array([*days, feb29, feb29 + 1] + ([3_000_000] if far else []), dtype=np.int64)
    m = Month(year, month)
    assert _whole_years(birth, m).tolist() == _ages_by_month_arithmetic(birth, m).tolist()
    many = np.resize(birth, 5000)  # a batch: the table of days (or, dates far apart, not)
    assert _whole_years(many, m).tolist() == _ages_by_month_arithmetic(many, m).tolist()


# -- constants and dictionaries -----------------------------------------------------------


def test_columns_the_input_lacks_are_constants_equal_to_the_full_columns() -> None:
    hh, pp = synth_tables(60, seed=12)
    slim_pp = pp.select(["household_id", "birth_date", "sex", "relation", "income_wage"])
    slim_hh = hh.select(["household_id", "region", "residence"])
    full_pp = slim_pp
    for field in PERSONS_SCHEMA:
        if field.name not in full_pp.schema.names and field.name != "statuses":
            default = (
                0 if field.name.startswith("income_") or field.name == "able_supporters" else None
            )
            values = (
                pa.nulls(pp.num_rows, field.type)
                if default is None
                else pa.array(np.zeros(pp.num_rows, dtype=np.int64), field.type)
            )
            full_pp = full_pp.append_column(field, values)
    slim = frame_from_arrow(slim_hh, slim_pp, MONTH)
    full = frame_from_arrow(hh.select(["household_id", "region", "residence"]), full_pp, MONTH)
    assert slim.frame.n == full.frame.n == 60
    for name, column in full.frame.pp.items():
        assert np.array_equal(slim.frame.pp[name], column), name
    assert is_constant(slim.frame.pp["inc_business"]) and is_constant(slim.frame.pp["own"])
    reg = bundled_registry()
    a = evaluate_frame(slim.frame, reg)
    b = evaluate_frame(full.frame, reg)
    for pid in a.programs:
        assert np.array_equal(a.amount[pid], b.amount[pid]), pid
        assert np.array_equal(a.eligible[pid], b.eligible[pid]), pid
        assert np.array_equal(a.first_failed[pid], b.first_failed[pid]), pid
        assert np.array_equal(a.status[pid], b.status[pid]), pid


def test_a_constant_takes_no_memory_and_reads_as_one_value() -> None:
    col = constant(7, 1_000_000)
    assert col.strides == (0,) and col.dtype == np.int64 and int(col[123]) == 7
    assert is_constant(col) and not is_constant(np.zeros(3)) and not is_constant(constant(1, 0))


_CODED = ("region", "residence", "sex", "relation", "disability_category", "self_care")


@given(household_lists(max_size=8), st.sampled_from(["relation", "sex", "residence", "region"]))
def test_dictionary_columns_read_as_their_text_with_the_same_errors(
    hs: list[Any], bad: str
) -> None:
    hh, pp = households_to_arrow(hs)
    table = hh if bad in ("residence", "region") else pp
    values = table.column(bad).to_pylist()
    values[0] = "cousin"  # an unknown code, reported by its text
    table = table.set_column(table.schema.get_field_index(bad), bad, pa.array(values, pa.string()))
    hh, pp = (table, pp) if bad in ("residence", "region") else (hh, table)

    def coded(t: pa.Table) -> pa.Table:
        for name in _CODED:
            if name in t.schema.names:
                i = t.schema.get_field_index(name)
                t = t.set_column(i, name, pc.dictionary_encode(t.column(name)))
        return t

    plain = frame_from_arrow(hh, pp, MONTH)
    dictionary = frame_from_arrow(coded(hh), coded(pp), MONTH)
    assert dictionary.errors.equals(plain.errors)
    assert "cousin" in dictionary.errors.column("reason")[0].as_py()
    assert np.array_equal(dictionary.rows, plain.rows)
    for name, column in plain.frame.pp.items():
        assert np.array_equal(dictionary.frame.pp[name], column), name


def test_parquet_is_read_with_dictionaries_and_gives_the_results_of_the_tables(
    tmp_path: Path,
) -> None:
    hh, pp = synth_tables(300, seed=21, bad_fraction=0.1)
    pq.write_table(hh, tmp_path / "households.parquet")
    pq.write_table(pp, tmp_path / "persons.parquet")
    chunk = next(open_source(tmp_path, chunk_size=100).chunks())
    assert pa.types.is_dictionary(chunk.households.schema.field("region").type)
    assert pa.types.is_dictionary(chunk.persons.schema.field("relation").type)
    reg = bundled_registry()
    from_files = assess_table(tmp_path, "2024-08", registry=reg, chunk_size=100)
    from_tables = assess_table((hh, pp), "2024-08", registry=reg, chunk_size=100)
    assert from_files.results.equals(from_tables.results)
    assert from_files.errors.equals(from_tables.errors)


# -- standards and policies from lookup arrays ----------------------------------------------


@settings(max_examples=40, deadline=None)
@given(household_lists(max_size=10))
def test_lookup_arrays_give_the_values_of_the_per_group_resolution(hs: list[Any]) -> None:
    reg = bundled_registry()
    hh, pp = households_to_arrow(hs)
    frame = frame_from_arrow(hh, pp, MONTH).frame
    dense = evaluate_frame(frame, reg)
    original = batch_module._dense
    try:
        batch_module._dense = lambda *args, **kwargs: None  # type: ignore[assignment]
        per_group = evaluate_frame(frame, reg)
    finally:
        batch_module._dense = original  # type: ignore[assignment]
    assert dense.failures == per_group.failures
    for pid in dense.programs:
        for got, want in (
            (dense.eligible, per_group.eligible),
            (dense.amount, per_group.amount),
            (dense.first_failed, per_group.first_failed),
            (dense.status, per_group.status),
        ):
            assert np.array_equal(got[pid], want[pid]), pid


def test_a_batch_lets_its_arrays_go_without_the_cycle_collector() -> None:
    hh, pp = synth_tables(50, seed=2)
    frame = frame_from_arrow(hh, pp, MONTH).frame
    reg = bundled_registry()
    evaluate_frame(frame, reg)  # compile first
    gc.collect()
    gc.disable()
    try:
        evaluate_frame(frame, reg)
        alive = [o for o in gc.get_objects() if isinstance(o, BatchEnv)]
    finally:
        gc.enable()
    assert alive == []


def test_frame_groups_number_regions_by_first_appearance() -> None:
    hh, pp = synth_tables(80, seed=6)
    frame = frame_from_arrow(hh, pp, MONTH).frame
    keys, inverse = frame.groups
    pairs = list(zip(frame.regions, frame.residences, strict=True))
    assert keys == list(dict.fromkeys(pairs))
    assert [keys[i] for i in inverse.tolist()] == pairs
    codes, index = frame.group_codes
    assert (np.diff(codes) > 0).all()
    assert [(f"{c // 2:06d}", ("urban", "rural")[c % 2]) for c in codes[index].tolist()] == pairs
    assert isinstance(frame, Frame) and isinstance(frame.ids, pa.Array)


# -- the reading and writing threads ----------------------------------------------------------


def test_the_pipeline_hands_results_on_in_order_and_raises_where_the_loop_would() -> None:
    seen: list[int] = []
    written: list[int] = []

    def prepare(i: int) -> int:
        if i == 5:
            raise BulkInputError("row 5 is bad")
        return i * 10

    def loop() -> None:
        with Pipeline() as pipe:
            for i, prepared in pipe.read(range(10), prepare):
                assert prepared == i * 10
                seen.append(i)
                pipe.write(lambda x: x + 1, (i,), lambda out, j: written.append(out - 1), i)

    with pytest.raises(BulkInputError, match="row 5"):
        loop()
    assert seen == [0, 1, 2, 3, 4]
    assert written == [0, 1, 2, 3]  # the last write is waited for only by finish()

    done: list[int] = []
    with Pipeline() as pipe:
        for i, _ in pipe.read(range(6), lambda i: i):
            pipe.write(lambda x: x, (i,), lambda out, j: done.append(out), i)
        pipe.finish()
    assert done == list(range(6))


def test_an_error_while_writing_is_raised_in_the_run(tmp_path: Path, monkeypatch: Any) -> None:
    hh, pp = synth_tables(30, seed=3)
    calls: list[int] = []
    original = pq.ParquetWriter.write_table

    def fail_on_second(self: Any, table: pa.Table, *args: Any, **kwargs: Any) -> None:
        calls.append(table.num_rows)
        if len(calls) == 2:
            raise BulkInputError("writing failed")
        original(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", fail_on_second)
    with pytest.raises(BulkInputError, match="writing failed"):
        assess_bulk(
            (hh, pp), "2024-08", tmp_path / "r.parquet", registry=bundled_registry(), chunk_size=10
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_groups_of_a_large_batch_are_those_of_sorting() -> None:
    hh, pp = synth_tables(12_000, seed=9)
    chunk = next(open_source((hh, pp), chunk_size=12_000).chunks())
    assert chunk.members is not None and int(chunk.members.sum()) == pp.num_rows
    frame = frame_from_arrow(hh, pp, MONTH, members=chunk.members).frame
    assert frame.n == 12_000
    codes, index = frame.group_codes
    keys = frame.region_codes * 2 + np.asarray(frame.hh["rural"])
    uniq, inverse = np.unique(keys, return_inverse=True)
    assert np.array_equal(codes, uniq) and np.array_equal(index, inverse)
    same = frame_from_arrow(hh, pp, MONTH).frame
    assert np.array_equal(same.person_hh, frame.person_hh)


def _registering(name: str, amount: str) -> Any:
    """A plugin module registering Beijing's dibao standard from 2024-01-01 at *amount*."""
    import types

    from civilaffairs.hookspecs import hookimpl

    @hookimpl
    def civilaffairs_register_standards(register: Any) -> None:
        register.add(
            "dibao.standard",
            "110000",
            "2024-01-01",
            amount,
            source={"issuer": f"{name} (test)", "title": "conflicting test value"},
        )

    module = types.ModuleType(name)
    module.civilaffairs_register_standards = civilaffairs_register_standards  # type: ignore[attr-defined]
    return module


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_a_disabled_value_makes_error_rows_where_the_single_case_raises(data: Any) -> None:
    """Two plugins claim one slot: the registry disables both; bulk reports the households
    that read it as errors with the conflict the single case raises, and assesses the rest
    (the lookup arrays hand such a batch to the per-group resolution)."""
    import attrs

    from civilaffairs.engine.single import assess
    from civilaffairs.errors import StandardConflict
    from civilaffairs.testing._programs import assessable_households

    reg = _conflicting_registry()
    homes = [
        data.draw(assessable_households(regions=("110105",))),
        data.draw(assessable_households(regions=("310101",))),
    ]
    homes = [attrs.evolve(h, id=f"H{i}") for i, h in enumerate(homes)]
    hh, pp = households_to_arrow(homes)
    results, errors = assess_table((hh, pp), "2024-08", registry=reg)
    with pytest.raises(StandardConflict) as raised:
        assess(homes[0], MONTH, registry=reg)
    assert errors.column("row").to_pylist() == [0]
    assert errors.column("reason")[0].as_py() == str(raised.value)
    assert results.column("row").to_pylist() == [1]


_CONFLICTING: list[Any] = []


def _conflicting_registry() -> Any:
    if not _CONFLICTING:
        from civilaffairs.testing import isolated_registry

        reg = isolated_registry(
            {"first": _registering("first", "1400"), "second": _registering("second", "1500")},
            strict=False,
        )
        assert reg.warnings  # the conflict is reported, both values disabled
        _CONFLICTING.append(reg)
    return _CONFLICTING[0]
