"""The records commands end to end, on SQLite and PostgreSQL: record, pay, review with its
change, appeal with its deadlines and the decision that replaced the one appealed, reviews
due, the caseload and its audit, staff and declared relatives. No whole resident ID in any
output: stdout, stderr, logs, the files written, or the rows shown."""

from __future__ import annotations

import json
import logging
import pathlib
from typing import Any

import pyarrow.parquet as pq
import pytest

from civilaffairs.cli import main
from records.support import household_data, people

# every resident ID of the households and relatives used below
IDS = [rid for n in (1, 2, 3) for rid in people(2, start=n * 10)] + people(1, start=900)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.DEBUG)

    def invoke(*args: str, code: int = 0) -> tuple[str, str]:
        result = main(list(args))
        out, err = capsys.readouterr()
        shown = out + err + caplog.text
        for rid in IDS:
            assert rid not in shown, args
            assert rid.lower() not in shown
        assert "Traceback" not in shown
        assert result == code, (args, out, err)
        return out, err

    return invoke


def write(path: pathlib.Path, data: Any) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_record_review_appeal_due_audit(run: Any, db_url: str, tmp_path: pathlib.Path) -> None:
    db = ["--db", db_url]
    poor = write(tmp_path / "h1.json", household_data(1, wage="800.00"))
    others = write(tmp_path / "more.json", [household_data(2, wage="600.00"), household_data(3)])
    out, err = run("assess", poor, others, "--on", "2024-08", "--record", *db, "--format", "json")
    assert len(json.loads(out)) == 3  # the output contract is untouched
    assert err.startswith("已记录 30 项认定（账本第 0–29 条）")

    out, _ = run("records", "verify", *db, "--lang", "en")
    assert out.startswith("ledger intact: 30 entries")

    out, _ = run("records", "show", "HH-0001", *db, "--format", "json")
    case = json.loads(out)
    assert [m["person_masked"] for m in case["members"]] == [
        rid[:6] + "********" + rid[-4:] for rid in people(2, start=10)
    ]
    dibao = [d for d in case["decisions"] if d["program"] == "dibao"]
    assert dibao == [
        {
            "decision": dibao[0]["decision"],
            "ledger_entry": dibao[0]["ledger_entry"],
            "program": "dibao",
            "month": "2024-08",
            "eligible": True,
            "amount": "2100.00",
            "period": "monthly",
            "origin": "assess",
            "change": "start",
            "supersedes": None,
            "decided_on": "2024-08-01",
        }
    ]
    assert case["payments"] == [
        {
            "month": "2024-08",
            "program": "dibao",
            "amount": "2100.00",
            "decision": dibao[0]["decision"],
        }
    ]
    assert case["reviews"] == [
        {
            "program": "dibao",
            "category": "stable",
            "last_review": "2024-08-01",
            "due_on": "2025-08-01",
            "done_by_decision": None,
        }
    ]

    # staff, a declared relative who is a member of household 2, assignment
    run("records", "staff", "CW-01", "--role", "caseworker", *db)
    run("records", "staff", "AP-01", "--role", "approver", *db)
    relative = people(1, start=20)[0]
    out, _ = run("records", "relative", "CW-01", relative, "--relation", "spouse", *db)
    assert out == f"CW-01: spouse {relative[:6]}********{relative[-4:]}\n"
    run("records", "assign", "HH-0002", "--caseworker", "CW-01", "--approver", "AP-01", *db)

    # the next month paid from the decisions in force, then audited
    out, _ = run("records", "pay", "--on", "2024-09", *db, "--lang", "en")
    assert out.splitlines()[-1] == "2024-09: 3 payments, 6500.00 yuan"
    out, err = run("records", "audit", "--on", "2024-09", *db, "--lang", "en", "--format", "json")
    findings = json.loads(out)
    assert {(f["check_id"], f["household_id"]) for f in findings} == {
        ("audit.staff_relative", "HH-0002")
    }
    assert err == "2024-09: 6 caseload rows, 1 finding(s)\n"
    run("records", "caseload", "--on", "2024-09", "--out", str(tmp_path / "c.parquet"), *db)
    caseload = pq.read_table(tmp_path / "c.parquet")
    assert caseload.num_rows == 6
    assert set(caseload.column("caseworker_id").to_pylist()) == {None, "CW-01"}
    text = (tmp_path / "c.parquet").read_bytes()
    for rid in IDS:
        assert rid.encode() not in text

    # reviews due, then the review: household 1 earns more, its dibao is cut
    out, _ = run("records", "due", "--on", "2025-08", *db, "--format", "json")
    due = json.loads(out)
    assert [(d["household_id"], d["program"], d["due_on"]) for d in due] == [
        ("HH-0001", "dibao", "2025-08-01"),
        ("HH-0002", "dibao", "2025-08-01"),
        ("HH-0003", "dibao", "2025-08-01"),
    ]
    later = write(tmp_path / "h1-later.json", household_data(1, wage="1800.00"))
    out, _ = run("records", "review", "HH-0001", later, "--on", "2025-08", *db, "--lang", "en")
    assert "dibao: 2100.00 yuan → 1100.00 yuan (amount cut)" in out
    cut = next(
        d
        for d in json.loads(run("records", "show", "HH-0001", *db, "--format", "json")[0])[
            "decisions"
        ]
        if d["origin"] == "review" and d["program"] == "dibao"
    )
    assert cut["supersedes"] == dibao[0]["decision"]
    assert cut["change"] == "cut"
    out, _ = run("records", "due", "--on", "2025-08", *db, "--format", "json")
    assert [d["household_id"] for d in json.loads(out)] == ["HH-0002", "HH-0003"]

    # an appeal against the cut, in time; decided: changed, the household re-assessed
    out, _ = run(
        "records", "appeal", str(cut["decision"]), "--kind", "reconsideration",
        "--filed", "2025-09-10", *db, "--lang", "en",
    )  # fmt: skip
    assert "filed 2025-09-10, time limit 2025-09-30, in time" in out
    appeal_id = out.split()[1]
    fixed = write(tmp_path / "h1-fixed.json", household_data(1, wage="1500.00"))
    out, _ = run(
        "records", "appeal-outcome", appeal_id, "--outcome", "changed", "--decided",
        "2025-10-20", "--file", fixed, "--on", "2025-10", *db, "--lang", "en",
    )  # fmt: skip
    assert "outcome: changed" in out
    case = json.loads(run("records", "show", "HH-0001", *db, "--format", "json")[0])
    (appeal,) = case["appeals"]
    new = next(d for d in case["decisions"] if d["origin"] == "appeal")
    assert appeal["new_decision"] == new["decision"]
    assert new["supersedes"] == cut["decision"]
    assert (new["amount"], new["change"]) == ("1400.00", "raise")
    assert appeal["timely"] is True

    # a late appeal says so
    out, _ = run(
        "records", "appeal", str(dibao[0]["decision"]), "--kind", "lawsuit",
        "--filed", "2025-06-01", *db, "--lang", "en",
    )  # fmt: skip
    assert ", late" in out.splitlines()[0]

    out, _ = run("records", "verify", *db)
    assert out.startswith("账本完好：")
    for fmt in ("text", "json"):
        run("records", "show", "HH-0002", *db, "--format", fmt)


def test_input_errors_are_one_line(run: Any, db_url: str, tmp_path: pathlib.Path) -> None:
    db = ["--db", db_url]
    _, err = run("records", "verify", "--db", str(tmp_path / "none.sqlite"), code=1)
    assert err.startswith("错误：--db：") and err.count("\n") == 1
    poor = write(tmp_path / "h1.json", household_data(1))
    run("assess", poor, "--on", "2024-08", "--record", *db)
    _, err = run("records", "review", "HH-0009", poor, "--on", "2024-09", *db, code=1)
    assert err.count("\n") == 1 and "HH-0009" in err
    _, err = run(
        "records", "appeal", "999", "--kind", "lawsuit", "--filed", "2024-09-01", *db, code=1
    )
    assert err.count("\n") == 1
    _, err = run(
        "records", "appeal", "1", "--kind", "lawsuit", "--filed", "2024-13-01", *db, code=1
    )
    assert "--filed" in err and err.count("\n") == 1
    _, err = run(
        "records",
        "relative",
        "NOBODY",
        people(1, start=900)[0],
        "--relation",
        "spouse",
        *db,
        code=1,
    )
    assert err.count("\n") == 1
    _, err = run(
        "records", "relative", "NOBODY", "110105198501010000", "--relation", "x", *db, code=1
    )
    assert "110105198501010000" not in err and err.count("\n") == 1
    _, err = run("records", "prove", "5", *db, "--checkpoint", str(tmp_path / "no.json"), code=1)
    assert err.count("\n") == 1
    _, err = run("assess", poor, "--on", "2024-08", "--db", db_url, code=2)


def test_recording_needs_the_pseudonym_key(
    run: Any, db_url: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CIVILAFFAIRS_ID_KEY")
    poor = write(tmp_path / "h1.json", household_data(1))
    out, err = run("assess", poor, "--on", "2024-08", "--record", "--db", db_url, code=1)
    assert out == ""
    assert "CIVILAFFAIRS_ID_KEY" in err and err.count("\n") == 1


def test_the_default_database_is_records_sqlite_here(
    run: Any, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    poor = write(tmp_path / "h1.json", household_data(1))
    run("assess", poor, "--on", "2024-08", "--record")
    assert (tmp_path / "records.sqlite").is_file()
    monkeypatch.setenv("CIVILAFFAIRS_DATABASE_URL", str(tmp_path / "other.sqlite"))
    run("assess", poor, "--on", "2024-08", "--record")
    assert (tmp_path / "other.sqlite").is_file()
    out, _ = run("records", "verify", "--lang", "en")
    assert out.startswith("ledger intact: 10 entries")
