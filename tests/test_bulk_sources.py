"""Every input format and chunk size gives the same results; chunks stay bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from bulk_support import bundled_registry
from civilaffairs.bulk.run import assess_bulk, assess_table, errors_path_for
from civilaffairs.bulk.schema import BulkInputError
from civilaffairs.bulk.sources import open_source
from civilaffairs.synth import synth_tables, write_synth

MONTH = "2024-08"


@pytest.fixture(scope="module")
def registry_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registry")
    write_synth(700, out, seed=11, bad_fraction=0.05)
    return out


@pytest.fixture(scope="module")
def expected(registry_dir: Path) -> tuple[pa.Table, pa.Table]:
    return assess_table(registry_dir, MONTH, registry=bundled_registry(), chunk_size=10_000)


def _same(got: tuple[pa.Table, pa.Table], expected: tuple[pa.Table, pa.Table]) -> None:
    assert got[0].equals(expected[0])
    assert got[1].equals(expected[1])


@pytest.mark.parametrize("chunk_size", [1, 33, 256, 699, 700, 5000])
def test_chunk_size_does_not_change_results(
    registry_dir: Path, expected: tuple[pa.Table, pa.Table], chunk_size: int
) -> None:
    src = open_source(registry_dir, chunk_size=chunk_size)
    sizes = [c.households.num_rows for c in src.chunks()]
    assert max(sizes) <= chunk_size
    assert sum(sizes) == 700
    got = assess_table(src, MONTH, registry=bundled_registry(), chunk_size=chunk_size)
    _same(got, expected)


def _csv(table: pa.Table, path: Path) -> None:
    if "statuses" in table.schema.names:
        text = [json.dumps(v, default=str) for v in table.column("statuses").to_pylist()]
        table = table.set_column(
            table.schema.get_field_index("statuses"), "statuses", pa.array(text)
        )
    pcsv.write_csv(table, path)


def test_csv_arrow_ipc_and_frames_give_the_same_results(
    tmp_path: Path, registry_dir: Path, expected: tuple[pa.Table, pa.Table]
) -> None:
    hh = pq.read_table(registry_dir / "households.parquet")
    pp = pq.read_table(registry_dir / "persons.parquet")
    reg = bundled_registry()
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    _csv(hh, csv_dir / "households.csv")
    _csv(pp, csv_dir / "persons.csv")
    _same(assess_table(csv_dir, MONTH, registry=reg, chunk_size=128), expected)
    ipc_dir = tmp_path / "ipc"
    ipc_dir.mkdir()
    for name, table in (("households", hh), ("persons", pp)):
        with pa.ipc.new_file(ipc_dir / f"{name}.arrow", table.schema) as writer:
            for batch in table.to_batches(max_chunksize=100):
                writer.write_batch(batch)
    _same(assess_table(ipc_dir, MONTH, registry=reg, chunk_size=128), expected)
    _same(assess_table((hh, pp), MONTH, registry=reg), expected)
    reader = pa.RecordBatchReader.from_batches(pp.schema, pp.to_batches(max_chunksize=50))
    _same(assess_table((hh, reader), MONTH, registry=reg, chunk_size=64), expected)


def test_pandas_and_polars_frames(registry_dir: Path, expected: tuple[pa.Table, pa.Table]) -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    hh = pq.read_table(registry_dir / "households.parquet")
    pp = pq.read_table(registry_dir / "persons.parquet")
    reg = bundled_registry()
    frames = (hh.to_pandas(types_mapper=pd.ArrowDtype), pp.to_pandas(types_mapper=pd.ArrowDtype))
    _same(assess_table(frames, MONTH, registry=reg, chunk_size=100), expected)
    _same(assess_table((pl.from_arrow(hh), pl.from_arrow(pp)), MONTH, registry=reg), expected)


def test_assess_bulk_writes_results_and_errors(
    tmp_path: Path, registry_dir: Path, expected: tuple[pa.Table, pa.Table]
) -> None:
    seen: list[int] = []
    out = tmp_path / "results.parquet"
    summary = assess_bulk(
        registry_dir, MONTH, out, registry=bundled_registry(), chunk_size=300, progress=seen.append
    )
    assert seen == [300, 300, 100]
    assert pq.read_table(out).equals(expected[0])
    assert pq.read_table(errors_path_for(out)).equals(expected[1])
    assert summary.households == 700 == summary.assessed + summary.errors
    assert summary.errors == expected[1].num_rows
    dibao = expected[0].column("dibao_eligible").to_pylist()
    assert summary.eligible["dibao"] == sum(dibao)
    assert summary.amount_fen["dibao"] == sum(expected[0].column("dibao_amount_fen").to_pylist())


def test_unreadable_sources_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(BulkInputError, match="not a directory"):
        open_source(tmp_path / "nowhere")
    with pytest.raises(BulkInputError, match="no households table"):
        open_source(tmp_path)
    (tmp_path / "households.parquet").write_text("not parquet")
    (tmp_path / "persons.parquet").write_text("not parquet")
    with pytest.raises(BulkInputError, match="not a Parquet file"):
        open_source(tmp_path)
    with pytest.raises(BulkInputError, match="cannot read a registry"):
        open_source(42)
    hh, _pp = synth_tables(2)
    with pytest.raises(BulkInputError, match="cannot read the persons table from a list"):
        open_source((hh, [1, 2]))
