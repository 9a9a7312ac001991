"""Bulk outputs are all or nothing: temporary files renamed on completion, a manifest, and
nothing at --out after an interruption or a failure."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bulk_support import bundled_registry
from civilaffairs.bulk.run import (
    ChunkResult,
    assess_bulk,
    errors_path_for,
    manifest_path_for,
    staged_directory,
)
from civilaffairs.bulk.schema import BulkOutputError
from civilaffairs.bulk.simulate import simulate
from civilaffairs.cli import main
from civilaffairs.synth import MAX_HOUSEHOLDS, synth_tables

MONTH = "2024-08"


def _registry_dir(path: Path, n: int = 60, seed: int = 3) -> Path:
    hh, pp = synth_tables(n, seed=seed)
    path.mkdir()
    pq.write_table(hh, path / "households.parquet")
    pq.write_table(pp, path / "persons.parquet")
    return path


def _names(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_completed_run_writes_results_errors_and_manifest(tmp_path: Path) -> None:
    source = _registry_dir(tmp_path / "reg")
    out = tmp_path / "out" / "results.parquet"
    out.parent.mkdir()
    summary = assess_bulk(source, MONTH, out, registry=bundled_registry(), chunk_size=16)
    assert _names(out.parent) == {
        "results.parquet",
        "results.errors.parquet",
        "results.manifest.json",
    }
    manifest = json.loads(manifest_path_for(out).read_text(encoding="utf-8"))
    assert manifest["households"] == summary.households == 60
    assert manifest["assessed"] == summary.assessed == pq.read_table(out).num_rows
    assert manifest["errors"] == summary.errors == pq.read_table(errors_path_for(out)).num_rows
    assert manifest["month"] == MONTH and manifest["programs"] == summary.programs
    digests = {Path(i["path"]).name: i["sha256"] for i in manifest["inputs"]}
    for name in ("households.parquet", "persons.parquet"):
        assert digests[name] == hashlib.sha256((source / name).read_bytes()).hexdigest()
    assert manifest["civilaffairs_version"]
    assert isinstance(manifest["plugins"], dict)
    assert manifest["completed_at"].endswith("Z")


def test_interrupted_run_leaves_nothing_at_out(tmp_path: Path) -> None:
    source = _registry_dir(tmp_path / "reg")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    seen: list[int] = []

    def interrupt(done: ChunkResult) -> None:
        seen.append(done.results.num_rows)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        assess_bulk(
            source,
            MONTH,
            out_dir / "results.parquet",
            registry=bundled_registry(),
            chunk_size=10,
            on_chunk=interrupt,
        )
    assert _names(out_dir) == set()


def test_a_failed_write_leaves_nothing_and_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _registry_dir(tmp_path / "reg")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def full(self: Any, table: pa.Table, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(BulkOutputError, match="No space left on device"):
        assess_bulk(source, MONTH, out_dir / "r.parquet", registry=bundled_registry())
    assert _names(out_dir) == set()


def test_an_earlier_result_is_kept_when_a_new_run_is_interrupted(tmp_path: Path) -> None:
    source = _registry_dir(tmp_path / "reg")
    out = tmp_path / "r.parquet"
    assess_bulk(source, MONTH, out, registry=bundled_registry())
    before = out.read_bytes(), manifest_path_for(out).read_bytes()

    def interrupt(done: ChunkResult) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        assess_bulk(source, MONTH, out, registry=bundled_registry(), on_chunk=interrupt)
    assert (out.read_bytes(), manifest_path_for(out).read_bytes()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signalled_assess_bulk_exits_130_or_143_and_leaves_nothing_at_out(
    tmp_path: Path, signum: int, code: int
) -> None:
    # enough chunks that the run is still going when the signal arrives
    source = _registry_dir(tmp_path / "reg", n=20_000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civilaffairs",
            "assess-bulk",
            str(source),
            "--on",
            MONTH,
            "--out",
            str(out_dir / "results.parquet"),
            "--chunk-size",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.endswith(".part") for p in out_dir.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.1)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    lines = [line for line in err.splitlines() if line.strip() and line.strip() != "assess"]
    assert len(lines) == 1 and "nothing was written" in lines[0]
    assert _names(out_dir) == set()


def test_out_that_is_an_input_or_inside_the_input_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _registry_dir(tmp_path / "reg")
    before = {p.name: p.read_bytes() for p in source.iterdir()}
    for out in (source / "households.parquet", source / "results.parquet"):
        assert main(["assess-bulk", str(source), "--on", MONTH, "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert "internal error" not in err
        assert len([x for x in err.splitlines() if x.startswith("error")]) == 1
    sim = ["simulate", str(source), "--on", MONTH, "--set", "dibao.standard@110000=1500"]
    assert main([*sim, "--out", str(source / "sim")]) == 1
    assert "inside the input directory" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in source.iterdir()} == before


def test_unwritable_out_is_one_line_and_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _registry_dir(tmp_path / "reg")
    for out in ("/dev/full", str(tmp_path / "missing" / "r.parquet")):
        assert main(["assess-bulk", str(source), "--on", MONTH, "--out", out]) == 1
        err = capsys.readouterr().err
        assert "internal error" not in err
        assert len([x for x in err.splitlines() if x.startswith("error")]) == 1
    assert not (tmp_path / "missing").exists()


def test_interrupted_simulation_leaves_no_directory(tmp_path: Path) -> None:
    source = _registry_dir(tmp_path / "reg")
    out = tmp_path / "sim" / "deeper"

    def interrupt(*args: Any) -> Any:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        simulate(
            source,
            ["dibao.standard@110000=1500"],
            MONTH,
            registry=bundled_registry(),
            out=out,
            evaluate=interrupt,
        )
    assert not (tmp_path / "sim").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(KeyboardInterrupt):
        simulate(
            source,
            ["dibao.standard@110000=1500"],
            MONTH,
            registry=bundled_registry(),
            out=existing,
            evaluate=interrupt,
        )
    assert _names(existing) == set()


def test_completed_simulation_writes_its_files_and_manifest(tmp_path: Path) -> None:
    source = _registry_dir(tmp_path / "reg")
    out = tmp_path / "sim"
    result = simulate(
        source, ["dibao.standard@110000=1500"], MONTH, registry=bundled_registry(), out=out
    )
    names = _names(out)
    assert {"diff.parquet", "errors.parquet", "summary.json", "summary.txt"} <= names
    assert "manifest.json" in names and not [n for n in names if n.startswith(".")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["households"] == result.households == 60
    assert manifest["assessed"] + manifest["errors"] == 60
    assert len(manifest["inputs"]) == 2


def test_staged_directory_moves_files_only_on_success(tmp_path: Path) -> None:
    with staged_directory(tmp_path / "a") as stage:
        (stage / "x.txt").write_text("x")
    assert _names(tmp_path / "a") == {"x.txt"}

    def fail() -> None:
        with staged_directory(tmp_path / "b" / "c") as stage:
            (stage / "x.txt").write_text("x")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert not (tmp_path / "b").exists()


def test_synth_bad_month_creates_no_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reg"
    assert main(["synth", "5", "--out", str(out), "--on", "2024-13"]) == 1
    assert not out.exists()
    assert "internal error" not in capsys.readouterr().err


def test_synth_count_has_a_maximum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reg"
    assert main(["synth", str(MAX_HOUSEHOLDS + 1), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "100,000,000" in err[0]
    assert not out.exists()
    assert main(["synth", "7", "--out", str(out)]) == 0
    assert _names(out) == {"households.parquet", "persons.parquet"}


def test_interrupted_synth_leaves_no_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import civilaffairs.synth as synth

    real = synth.write_synth

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        def progress(n: int) -> None:
            raise KeyboardInterrupt

        kwargs["progress"] = progress
        return real(*args, **kwargs)

    monkeypatch.setattr(synth, "write_synth", interrupted)
    out = tmp_path / "reg"
    assert main(["synth", "10", "--out", str(out)]) == 130
    assert not out.exists()
    assert os.listdir(tmp_path) == []
