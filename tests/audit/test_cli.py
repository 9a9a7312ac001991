"""``civilaffairs audit``: the bundled example end to end, file formats, error rows, and no
whole resident ID in any output (stdout, stderr, findings, errors, deduplication report)."""

from __future__ import annotations

import csv
import json
import pathlib
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civilaffairs.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "audit"
KEY = "example-only-key-do-not-use-in-production"


def _ids_in_examples() -> set[str]:
    ids: set[str] = set()
    for name in ("caseload.csv", "relatives.csv", "matches.csv"):
        with (EXAMPLES / name).open(encoding="utf-8") as fh:
            ids |= {r["resident_id"] for r in csv.DictReader(fh)}
    return ids


IDS = _ids_in_examples()


def _example_rows() -> list[dict[str, str]]:
    with (EXAMPLES / "caseload.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


WHOLE_ID = re.compile(r"[0-9]{17}[0-9Xx]")


@pytest.fixture(autouse=True)
def id_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILAFFAIRS_ID_KEY", KEY)


def _scan(*texts: str) -> None:
    for text in texts:
        for secret in IDS:
            assert secret not in text
        assert not WHOLE_ID.search(text), WHOLE_ID.search(text)


def _scan_parquet(path: pathlib.Path) -> None:
    table = pq.read_table(path)
    _scan(json.dumps(table.to_pylist(), ensure_ascii=False, default=str))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["audit", *args])
    out, err = capsys.readouterr()
    _scan(out, err)
    assert "Traceback" not in out + err
    return code, out, err


def test_the_bundled_example(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "findings.parquet"
    dup = tmp_path / "duplicates.parquet"
    code, stdout, _ = _run(
        capsys,
        str(EXAMPLES / "caseload.csv"),
        "--relatives",
        str(EXAMPLES / "relatives.csv"),
        "--matches",
        str(EXAMPLES / "matches.csv"),
        "--out",
        str(out),
        "--duplicates",
        str(dup),
        "--lang",
        "en",
    )
    assert code == 0
    assert stdout.strip() == (
        "2024-08 · 11 rows, 10 audited, 1 with errors; 12 findings "
        "(high 7, medium 4, low 1) → findings.parquet"
    )
    findings = pq.read_table(out)
    by_check: dict[str, int] = {}
    for cid in findings.column("check_id").to_pylist():
        by_check[cid] = by_check.get(cid, 0) + 1
    assert by_check == {
        "audit.duplicate_person": 4,
        "audit.paid_after_death": 1,
        "audit.income_above_standard": 1,
        "audit.overlapping_tiers": 2,
        "audit.staff_relative": 1,
        "audit.asset_match": 2,
        "audit.review_overdue": 1,
    }
    errors = pq.read_table(tmp_path / "findings.errors.parquet").to_pylist()
    assert errors == [
        {
            "row": 10,
            "field": "caseload[10].paid_fen",
            "message": "must be a whole number of fen, 0 or more",
            "message_zh": "应为非负整数（分）",
        }
    ]
    report = pq.read_table(dup).to_pylist()
    assert [r["households"] for r in report] == [
        ["BJ-DB-0001", "BJ-DB-0107"],
        ["BJ-DB-0004", "BJ-TK-0004"],
    ]
    assert all(len(r["person"]) == 12 for r in report)
    for path in (out, tmp_path / "findings.errors.parquet", dup):
        _scan_parquet(path)


def test_json_summary_and_the_audit_month(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "f.parquet"
    code, stdout, _ = _run(
        capsys,
        str(EXAMPLES / "caseload.csv"),
        "--out",
        str(out),
        "--on",
        "2024-09",
        "--format",
        "json",
    )
    assert code == 0
    summary = json.loads(stdout)
    assert summary["on"] == "2024-09"
    assert summary["rows_with_errors"] == 1
    # month-bound checks read the audit month only: nothing is paid in 2024-09 here
    assert "audit.review_overdue" not in summary["by_check"]


def test_parquet_and_json_lines_with_bad_lines(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _example_rows()
    jsonl = tmp_path / "caseload.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in rows[:3]]
    lines.insert(1, "{not json")
    lines.append(json.dumps(["a", "list"]))
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, _ = _run(capsys, str(jsonl), "--out", str(tmp_path / "j.parquet"), "--lang", "en")
    assert code == 0
    assert stdout.startswith("2024-08 · 5 rows, 3 audited, 2 with errors")
    fields = pq.read_table(tmp_path / "j.errors.parquet").column("field").to_pylist()
    assert "caseload[1]" in fields and "caseload[4]" in fields
    pq.write_table(pa.Table.from_pylist(rows[:3]), tmp_path / "c.parquet")
    code, stdout, _ = _run(
        capsys, str(tmp_path / "c.parquet"), "--out", str(tmp_path / "p.parquet")
    )
    assert code == 0
    _scan_parquet(tmp_path / "p.parquet")


def test_input_errors_are_one_line_and_exit_1(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _run(capsys, str(tmp_path / "missing.csv"), "--out", str(tmp_path / "f.parquet"))
    assert code == 1 and len(err.strip().splitlines()) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("month,household_id\n2024-08,H1\n", encoding="utf-8")
    code, _, err = _run(capsys, str(bad), "--out", str(tmp_path / "f.parquet"), "--on", "2024-08")
    assert code == 1 and "region" in err
    assert not (tmp_path / "f.parquet").exists()
    monkeypatch.delenv("CIVILAFFAIRS_ID_KEY")
    code, _, err = _run(
        capsys, str(EXAMPLES / "caseload.csv"), "--out", str(tmp_path / "f.parquet")
    )
    assert code == 1 and "CIVILAFFAIRS_ID_KEY" in err
    code, _, err = _run(
        capsys, str(EXAMPLES / "caseload.csv"), "--out", str(EXAMPLES / "caseload.csv")
    )
    assert code == 1


def test_invalid_ids_become_error_rows_without_the_number(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _example_rows()
    broken = rows[0]["resident_id"][:-1] + ("0" if rows[0]["resident_id"][-1] != "0" else "1")
    rows[0]["resident_id"] = broken
    path = tmp_path / "c.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    code, out, err = _run(capsys, str(path), "--out", str(tmp_path / "f.parquet"))
    assert code == 0
    errors = pq.read_table(tmp_path / "f.errors.parquet")
    assert "caseload[0].resident_id" in errors.column("field").to_pylist()
    text = json.dumps(errors.to_pylist(), ensure_ascii=False)
    assert broken not in text and broken not in out + err
    _scan_parquet(tmp_path / "f.parquet")
