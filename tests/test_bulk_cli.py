"""The synth, assess-bulk and simulate commands."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from civilaffairs.cli import main


@pytest.fixture(autouse=True)
def _bundled_plugins() -> None:
    for name in ("civilaffairs_beijing", "civilaffairs_shanghai", "civilaffairs_guangdong"):
        pytest.importorskip(name)


def test_synth_assess_bulk_and_simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "registry"
    assert (
        main(["synth", "1500", "--out", str(registry), "--seed", "4", "--bad-fraction", "0.02"])
        == 0
    )
    assert "wrote 1500 households" in capsys.readouterr().out
    out = tmp_path / "results.parquet"
    assert (
        main(
            [
                "assess-bulk",
                str(registry),
                "--on",
                "2024-08",
                "--out",
                str(out),
                "--chunk-size",
                "400",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    results = pq.read_table(out)
    errors = pq.read_table(tmp_path / "results.errors.parquet")
    assert results.num_rows + errors.num_rows == 1500
    assert (
        f"1500 households: {results.num_rows} assessed, {errors.num_rows} errors (2024-08)"
        in printed
    )
    # 社会救助暂行办法第四十七条: temporary assistance is a one-off ceiling, never a monthly sum
    (temporary,) = [line for line in printed.splitlines() if line.strip().startswith("temporary")]
    assert "one-off max" in temporary and "monthly" not in temporary
    (dibao,) = [line for line in printed.splitlines() if line.strip().startswith("dibao ")]
    assert "monthly" in dibao
    sim = tmp_path / "sim"
    assert (
        main(
            [
                "simulate",
                str(registry),
                "--on",
                "2024-08",
                "--set",
                "dibao.standard@110000=1500",
                "--set",
                "dibao.standard@310000=1400 from 2024-08",
                "--out",
                str(sim),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    summary = json.loads((sim / "summary.json").read_text(encoding="utf-8"))
    assert summary["reform"] == [
        "dibao.standard@110000=1500",
        "dibao.standard@310000=1400 from 2024-08",
    ]
    assert summary["households"] == 1500
    assert "province   110000" in printed and "recomputed under the reform" in printed
    assert (sim / "diff.parquet").is_file()
    assert any((sim / name).is_file() for name in ("chart.png", "chart.svg"))


@pytest.mark.parametrize(
    "args",
    [
        ["assess-bulk", "{tmp}/missing", "--on", "2024-08", "--out", "{tmp}/r.parquet"],
        ["assess-bulk", "{tmp}", "--on", "2024-13", "--out", "{tmp}/r.parquet"],
        ["simulate", "{tmp}", "--on", "2024-08", "--set", "dibao.standard=1", "--out", "{tmp}/s"],
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    main(["synth", "5", "--out", str(tmp_path)])
    capsys.readouterr()
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    assert "Traceback" not in err[0]
