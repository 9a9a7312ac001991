"""JSON Lines as the source of assess-bulk and simulate: one household per line, in chunks."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulk_support import bundled_registry
from civilaffairs.bulk.arrow import households_to_arrow
from civilaffairs.bulk.run import DUPLICATE_REASON, assess_bulk, assess_table, manifest_path_for
from civilaffairs.bulk.sources import JsonLinesSource, open_source
from civilaffairs.cli import main
from civilaffairs.convert import read_jsonl
from civilaffairs.convert._jsonio import MAX_LINE_BYTES
from civilaffairs.domain import Household

MONTH = "2024-08"
SAMPLE = Path(__file__).parent.parent / "examples" / "households" / "registry-sample.jsonl"
LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
#: The sample's line 3 is invalid on purpose.
BAD = 2


def _with_id(line: str, hid: str) -> str:
    data = json.loads(line)
    data["id"] = hid
    return json.dumps(data, ensure_ascii=False)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_the_sample_gives_four_assessed_and_one_error_naming_line_3(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    summary = assess_bulk(SAMPLE, MONTH, out, registry=bundled_registry(), chunk_size=2)
    assert (summary.households, summary.assessed, summary.errors) == (5, 4, 1)
    results = pq.read_table(out)
    assert results.column("row").to_pylist() == [0, 1, 3, 4]
    (error,) = pq.read_table(tmp_path / "out.errors.parquet").to_pylist()
    assert error["row"] == 2
    assert error["household_id"] == "HN-430121-007765"
    # every problem starts with the line number, so the problems are told apart by it
    problems = re.split(r"; (?=line 3: )", error["reason"])
    assert [p.split(": ")[:2] for p in problems] == [
        ["line 3", "members[0].incomes[0].monthly"],
        ["line 3", "members[1].incomes[0].monthly"],
        ["line 3", "members[1].relation"],
    ]
    assert "must not be negative" in problems[0]
    manifest = json.loads(manifest_path_for(out).read_text(encoding="utf-8"))
    (entry,) = manifest["inputs"]
    assert entry["path"].endswith("registry-sample.jsonl")
    assert entry["bytes"] == SAMPLE.stat().st_size
    assert len(entry["sha256"]) == 64
    assert (manifest["households"], manifest["assessed"], manifest["errors"]) == (5, 4, 1)


def test_results_equal_those_of_the_same_households_as_parquet(tmp_path: Path) -> None:
    homes = [r.value for r in read_jsonl(SAMPLE, Household) if r.ok]
    households, persons = households_to_arrow(homes)
    directory = tmp_path / "registry"
    directory.mkdir()
    pq.write_table(households, directory / "households.parquet")
    pq.write_table(persons, directory / "persons.parquet")
    as_jsonl = assess_table(SAMPLE, MONTH, registry=bundled_registry())
    as_parquet = assess_table(directory, MONTH, registry=bundled_registry())
    assert as_parquet.errors.num_rows == 0
    assert as_jsonl.results.column("row").to_pylist() == [0, 1, 3, 4]
    assert as_jsonl.results.drop_columns(["row"]).equals(as_parquet.results.drop_columns(["row"]))


#: Lines a generated file is made of: the sample's (with their ids varied, so that some
#: repeat), blank lines, lines that are not JSON and JSON that is not a household object.
_LINE = st.one_of(
    st.tuples(st.integers(0, len(LINES) - 1), st.integers(0, 3)).map(
        lambda t: _with_id(LINES[t[0]], f"H-{t[0]}-{t[1]}")
    ),
    st.sampled_from(["", "   ", "{not json", "[1, 2]", '{"id": "H-0-0"}', '{"id": 7}']),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, max_size=14), chunk_size=st.integers(1, 16))
def test_chunk_size_never_changes_the_result(lines: list[str], chunk_size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "registry.jsonl", lines)
        records = sum(1 for line in lines if line.strip())
        src = open_source(path, chunk_size=chunk_size)
        assert isinstance(src, JsonLinesSource)
        assert src.num_households == records
        sizes = [c.num_rows for c in src.chunks()]
        assert all(0 < n <= chunk_size for n in sizes)
        assert sum(sizes) == records
        got = assess_table(path, MONTH, registry=bundled_registry(), chunk_size=chunk_size)
        whole = assess_table(path, MONTH, registry=bundled_registry(), chunk_size=1000)
    assert got.results.equals(whole.results)
    assert got.errors.equals(whole.errors)
    assert got.results.num_rows + got.errors.num_rows == records
    rows = got.results.column("row").to_pylist() + got.errors.column("row").to_pylist()
    assert sorted(rows) == list(range(records))


def test_a_duplicate_id_across_chunks_is_an_error_twice(tmp_path: Path) -> None:
    good = [i for i in range(len(LINES)) if i != BAD]
    lines = [_with_id(LINES[i], f"H-{n}") for n, i in enumerate(good)]
    lines.append(_with_id(LINES[good[1]], "H-0"))  # the first line's id, two chunks later
    path = _write(tmp_path / "dup.jsonl", lines)
    done = assess_table(path, MONTH, registry=bundled_registry(), chunk_size=2)
    errors = done.errors.to_pylist()
    assert [(e["row"], e["household_id"]) for e in errors] == [(0, "H-0"), (4, "H-0")]
    assert {e["reason"] for e in errors} == {DUPLICATE_REASON}
    assert done.results.column("row").to_pylist() == [1, 2, 3]


def test_a_huge_line_is_one_error_and_the_rest_are_assessed(tmp_path: Path) -> None:
    huge = json.dumps({"id": "HUGE", "pad": "x" * (MAX_LINE_BYTES + 10)})
    lines = [LINES[0], huge, LINES[1], LINES[3]]
    path = _write(tmp_path / "huge.jsonl", lines)
    out = tmp_path / "out.parquet"
    summary = assess_bulk(path, MONTH, out, registry=bundled_registry(), chunk_size=2)
    assert (summary.households, summary.assessed, summary.errors) == (4, 3, 1)
    (error,) = pq.read_table(tmp_path / "out.errors.parquet").to_pylist()
    assert error["row"] == 1
    assert error["household_id"] is None
    assert error["reason"].startswith("line 2: line is longer than 1024 KiB")
    assert pq.read_table(out).column("row").to_pylist() == [0, 2, 3]


def test_bad_lines_keep_their_id_when_it_can_be_read(tmp_path: Path) -> None:
    lines = ['{"id": "X-1", "region": "110105"}', "{not json", '{"id": 5}', "[]", LINES[0]]
    path = _write(tmp_path / "bad.jsonl", ["", *lines[:2], "  ", *lines[2:]])
    done = assess_table(path, MONTH, registry=bundled_registry())
    errors = done.errors.to_pylist()
    assert [(e["row"], e["household_id"]) for e in errors] == [
        (0, "X-1"),
        (1, None),
        (2, None),
        (3, None),
    ]
    # line numbers count every line of the file, rows only the non-blank ones
    assert [e["reason"].split(":")[0] for e in errors] == ["line 2", "line 3", "line 5", "line 6"]
    assert done.results.column("row").to_pylist() == [4]


def test_identifiers_in_bad_lines_are_masked(tmp_path: Path) -> None:
    resident = "11010519491231002X"
    path = _write(tmp_path / "ids.jsonl", [json.dumps({"id": resident, "region": resident})])
    out = tmp_path / "out.parquet"
    assess_bulk(path, MONTH, out, registry=bundled_registry())
    (error,) = pq.read_table(tmp_path / "out.errors.parquet").to_pylist()
    assert resident not in json.dumps(error, ensure_ascii=False)
    assert error["household_id"] is not None and error["household_id"].startswith("110105")


def test_an_empty_file_assesses_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.ndjson", ["", ""])
    out = tmp_path / "out.parquet"
    summary = assess_bulk(path, MONTH, out, registry=bundled_registry())
    assert (summary.households, summary.assessed, summary.errors) == (0, 0, 0)
    assert pq.read_table(out).num_rows == 0


def test_the_existing_formats_keep_their_row_numbers() -> None:
    homes = [r.value for r in read_jsonl(SAMPLE, Household) if r.ok]
    households, persons = households_to_arrow(homes)
    done = assess_table((households, persons), MONTH, registry=bundled_registry(), chunk_size=3)
    assert done.results.column("row").to_pylist() == [0, 1, 2, 3]
    assert isinstance(done.errors, pa.Table)


@pytest.fixture
def _bundled_plugins() -> None:
    for name in ("civilaffairs_beijing", "civilaffairs_shanghai", "civilaffairs_guangdong"):
        pytest.importorskip(name)


@pytest.mark.usefixtures("_bundled_plugins")
def test_cli_assess_bulk_and_simulate_read_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.parquet"
    assert main(["assess-bulk", str(SAMPLE), "--on", MONTH, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "5 households: 4 assessed, 1 errors (2024-08)" in printed
    assert pq.read_table(out).num_rows == 4
    assert pq.read_table(tmp_path / "out.errors.parquet").num_rows == 1
    ndjson = tmp_path / "registry.ndjson"
    ndjson.write_bytes(SAMPLE.read_bytes())
    sim = tmp_path / "sim"
    argv = ["simulate", str(ndjson), "--on", MONTH, "--set", "dibao.standard@110000=1500"]
    assert main([*argv, "--out", str(sim), "--chunk-size", "2"]) == 0
    printed = capsys.readouterr().out
    assert "5 households, 4 assessed, 1 errors" in printed
    summary = json.loads((sim / "summary.json").read_text(encoding="utf-8"))
    assert summary["households"] == 5
    (error,) = pq.read_table(sim / "errors.parquet").to_pylist()
    assert error["row"] == 2 and error["reason"].startswith("line 3: ")
    manifest = json.loads((sim / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(i["path"]).name for i in manifest["inputs"]] == ["registry.ndjson"]


def test_a_missing_json_lines_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.jsonl"
    assert main(["assess-bulk", str(missing), "--on", MONTH, "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "nowhere.jsonl: no such file" in err
    assert len(err.strip().splitlines()) == 1
