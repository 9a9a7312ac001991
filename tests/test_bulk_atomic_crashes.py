"""Odd inputs that used to end bulk runs as internal errors (exit 70): an empty registry,
CSV statuses that are not what they should be. Each is now an error row, a clean empty
result or one clear error line."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from civilaffairs.bulk.schema import HOUSEHOLDS_SCHEMA, PERSONS_SCHEMA
from civilaffairs.cli import main
from civilaffairs.synth import synth_tables

MONTH = "2024-08"


@pytest.fixture(autouse=True)
def _bundled_plugins() -> None:
    for name in ("civilaffairs_beijing", "civilaffairs_shanghai", "civilaffairs_guangdong"):
        pytest.importorskip(name)


def _csv_registry(directory: Path, first_statuses: str) -> Path:
    hh, pp = synth_tables(5, seed=1)
    statuses = [json.dumps(v, default=str) for v in pp.column("statuses").to_pylist()]
    statuses[0] = first_statuses
    pp = pp.drop_columns(["statuses"]).append_column("statuses", pa.array(statuses))
    directory.mkdir()
    pcsv.write_csv(hh, directory / "households.csv")
    pcsv.write_csv(pp, directory / "persons.csv")
    return directory


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_empty_registry_gives_empty_results_not_an_internal_error(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "reg"
    source.mkdir()
    if fmt == "parquet":
        pq.write_table(HOUSEHOLDS_SCHEMA.empty_table(), source / "households.parquet")
        pq.write_table(PERSONS_SCHEMA.empty_table(), source / "persons.parquet")
    else:
        (source / "households.csv").write_text("household_id,region,residence\n")
        (source / "persons.csv").write_text("household_id,birth_date,sex,relation\n")
    out = tmp_path / "r.parquet"
    assert main(["assess-bulk", str(source), "--on", MONTH, "--out", str(out)]) == 0
    assert "0 households: 0 assessed, 0 errors" in capsys.readouterr().out
    assert pq.read_table(out).num_rows == 0
    assert json.loads(out.with_name("r.manifest.json").read_text())["households"] == 0
    sim = tmp_path / "sim"
    args = ["simulate", str(source), "--on", MONTH, "--set", "dibao.standard@110000=1500"]
    assert main([*args, "--out", str(sim)]) == 0
    assert (sim / "manifest.json").is_file()


@pytest.mark.parametrize(
    ("statuses", "reason"),
    [
        ('[{"kind": 5}]', "unknown status kind '5'"),
        ('[{"kind": true}]', "unknown status kind 'true'"),
        ('[{"kind": ' + '{"a": ' * 200 + "1" + "}" * 200 + "}]", "unknown status kind"),
    ],
)
def test_a_status_kind_that_is_not_text_is_an_error_row(
    tmp_path: Path, statuses: str, reason: str
) -> None:
    source = _csv_registry(tmp_path / "reg", statuses)
    out = tmp_path / "r.parquet"
    assert main(["assess-bulk", str(source), "--on", MONTH, "--out", str(out)]) == 0
    errors = pq.read_table(out.with_name("r.errors.parquet")).to_pylist()
    assert [e["row"] for e in errors] == [0]
    assert reason in errors[0]["reason"] and len(errors[0]["reason"]) < 200
    assert pq.read_table(out).num_rows == 4


def test_nan_statuses_are_no_statuses(tmp_path: Path) -> None:
    source = _csv_registry(tmp_path / "reg", "NaN")
    out = tmp_path / "r.parquet"
    assert main(["assess-bulk", str(source), "--on", MONTH, "--out", str(out)]) == 0
    assert pq.read_table(out).num_rows == 5


@pytest.mark.parametrize(
    "statuses", ["[" * 100_000 + "]" * 100_000, "[[[[1]]]]", "[1, 2]", '{"kind": "orphan"}']
)
def test_deeply_nested_or_misshapen_statuses_are_one_clear_error(
    tmp_path: Path, statuses: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _csv_registry(tmp_path / "reg", statuses)
    out = tmp_path / "r.parquet"
    assert main(["assess-bulk", str(source), "--on", MONTH, "--out", str(out)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and "statuses" in err[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg"]
