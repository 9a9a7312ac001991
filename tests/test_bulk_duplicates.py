"""Duplicate household ids are found over the whole input, whatever the chunk size, and
persons naming a household that does not exist are reported as exactly that."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulk_support import bundled_registry
from civilaffairs.bulk.run import DUPLICATE_REASON, assess_bulk, assess_table
from civilaffairs.bulk.schema import BulkInputError
from civilaffairs.bulk.sources import open_source
from civilaffairs.synth import synth_tables

MONTH = "2024-08"


def _with_duplicates(n: int, seed: int, pairs: list[tuple[int, int]]) -> tuple[pa.Table, pa.Table]:
    """*n* households where household j takes the id of household i for each (i, j);
    the persons of j are renamed with it, so they stay grouped in the households' order."""
    hh, pp = synth_tables(n, seed=seed)
    ids = hh.column("household_id").to_pylist()
    rename = {}
    for i, j in pairs:
        if i != j and ids[j] not in rename:
            rename[ids[j]] = ids[i]
    new_ids = [rename.get(x, x) for x in ids]
    person_ids = [rename.get(x, x) for x in pp.column("household_id").to_pylist()]
    hh = hh.set_column(0, "household_id", pa.array(new_ids, pa.string()))
    pp = pp.set_column(0, "household_id", pa.array(person_ids, pa.string()))
    return hh, pp


def _expected_duplicate_rows(hh: pa.Table) -> list[int]:
    ids = hh.column("household_id").to_pylist()
    return [r for r, x in enumerate(ids) if ids.count(x) > 1]


def test_duplicate_ids_in_different_chunks_are_errors_for_every_row() -> None:
    hh, pp = _with_duplicates(30, 1, [(2, 25)])
    results, errors = assess_table((hh, pp), MONTH, registry=bundled_registry(), chunk_size=10)
    dup = [
        r
        for r, reason in zip(errors["row"].to_pylist(), errors["reason"].to_pylist(), strict=True)
        if reason == DUPLICATE_REASON
    ]
    assert dup == [2, 25]
    assert 2 not in results["row"].to_pylist() and 25 not in results["row"].to_pylist()
    assert results.num_rows + errors.num_rows == 30


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n=st.integers(2, 40),
    pairs=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=4),
    chunk=st.integers(1, 45),
)
def test_results_and_errors_never_depend_on_the_chunk_size(
    seed: int, n: int, pairs: list[tuple[int, int]], chunk: int
) -> None:
    pairs = [(i % n, j % n) for i, j in pairs]
    hh, pp = _with_duplicates(n, seed, pairs)
    reg = bundled_registry()
    whole = assess_table((hh, pp), MONTH, registry=reg, chunk_size=n)
    part = assess_table((hh, pp), MONTH, registry=reg, chunk_size=chunk)
    assert part.results.sort_by("row").equals(whole.results.sort_by("row"))
    assert part.errors.sort_by("row").equals(whole.errors.sort_by("row"))
    dup_rows = [
        r
        for r, reason in zip(
            part.errors["row"].to_pylist(), part.errors["reason"].to_pylist(), strict=True
        )
        if reason == DUPLICATE_REASON
    ]
    assert sorted(dup_rows) == _expected_duplicate_rows(hh)
    assert part.results.num_rows + part.errors.num_rows == n


@pytest.mark.parametrize("fmt", ["parquet", "csv", "arrow"])
def test_duplicates_are_found_in_files_of_every_format(tmp_path: Path, fmt: str) -> None:
    hh, pp = _with_duplicates(20, 4, [(0, 19), (5, 6)])
    source = tmp_path / "reg"
    source.mkdir()
    for name, table in (("households", hh), ("persons", pp)):
        path = source / f"{name}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path)
        elif fmt == "arrow":
            with pa.ipc.new_file(path, table.schema) as writer:
                writer.write_table(table)
        else:
            if "statuses" in table.schema.names:
                table = table.drop_columns(["statuses"])
            pcsv.write_csv(table, path)
    assert sorted(open_source(source).duplicates().to_pylist()) == sorted(
        {hh["household_id"][0].as_py(), hh["household_id"][5].as_py()}
    )
    out = tmp_path / "r.parquet"
    summary = assess_bulk(source, MONTH, out, registry=bundled_registry(), chunk_size=3)
    errors = pq.read_table(out.with_name("r.errors.parquet"))
    dup = [
        r
        for r, reason in zip(errors["row"].to_pylist(), errors["reason"].to_pylist(), strict=True)
        if reason == DUPLICATE_REASON
    ]
    assert dup == [0, 5, 6, 19]
    assert summary.households == 20 == summary.assessed + summary.errors


def test_a_one_shot_reader_is_checked_for_duplicates_too() -> None:
    hh, pp = _with_duplicates(12, 2, [(1, 10)])
    reader = pa.RecordBatchReader.from_batches(hh.schema, hh.to_batches(max_chunksize=4))
    results, errors = assess_table((reader, pp), MONTH, registry=bundled_registry(), chunk_size=4)
    assert [
        r
        for r, x in zip(errors["row"].to_pylist(), errors["reason"].to_pylist(), strict=True)
        if x == DUPLICATE_REASON
    ] == [1, 10]
    assert results.num_rows + errors.num_rows == 12


def test_a_person_of_a_household_that_does_not_exist_is_reported_as_such() -> None:
    hh, pp = synth_tables(6, seed=9)
    stray = pp.slice(0, 1).set_column(0, "household_id", pa.array(["NOSUCH"], pa.string()))
    k = pp["household_id"].to_pylist().index(hh["household_id"][3].as_py())
    pp = pa.concat_tables([pp.slice(0, k), stray, pp.slice(k)])
    for chunk in (1, 2, 6):
        with pytest.raises(
            BulkInputError,
            match=rf"persons row {k} names household 'NOSUCH' which is not in the households table",
        ):
            assess_table((hh, pp), MONTH, registry=bundled_registry(), chunk_size=chunk)
