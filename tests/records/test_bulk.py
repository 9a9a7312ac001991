"""Recording a bulk run: ``synth`` makes a registry, ``assess-bulk`` assesses it, ``records
import-bulk`` records every decision (COPY or Core inserts of many rows); a second run supersedes
the first, the ledger verifies, and the month's payments are those of the results."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from civilaffairs.cli import main


@pytest.fixture(scope="module")
def bulk_results(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """An assess-bulk run over a synthetic registry of 120 households (installed plugins)."""
    where = tmp_path_factory.mktemp("bulk")
    assert main(["synth", "120", "--out", str(where / "reg"), "--on", "2024-08"]) == 0
    out = where / "results.parquet"
    assert main(["assess-bulk", str(where / "reg"), "--on", "2024-08", "--out", str(out)]) == 0
    return out


def test_a_bulk_run_is_recorded_and_verifies(
    capsys: pytest.CaptureFixture[str], db_url: str, bulk_results: pathlib.Path
) -> None:
    capsys.readouterr()
    table = pq.read_table(bulk_results)
    programs = [n[: -len("_status")] for n in table.schema.names if n.endswith("_status")]
    assessed = sum(pc.sum(pc.equal(table.column(f"{p}_status"), 0)).as_py() for p in programs)
    paid = sum(
        pc.sum(table.column(f"{p}_amount_fen")).as_py() for p in programs if p != "temporary"
    )
    db = ["--db", db_url]
    assert (
        main(["records", "import-bulk", str(bulk_results), *db, "--batch", "50", "--lang", "en"])
        == 0
    )
    out = capsys.readouterr().out
    assert out == f"recorded {assessed} decisions (120 households, 2024-08)\n"
    assert main(["records", "import-bulk", str(bulk_results), *db, "--batch", "70"]) == 0
    assert main(["records", "verify", *db, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"ledger intact: {2 * assessed} entries" in out

    from civilaffairs.records.store import Store

    with Store.open(db_url) as store, store.engine.connect() as c:
        total = c.execute(text("SELECT sum(amount_fen) FROM payments WHERE month = '2024-08'"))
        assert total.scalar_one() == paid
        changes = dict(
            c.execute(
                text(
                    "SELECT change, count(*) FROM decisions WHERE supersedes_id IS NOT NULL "
                    "GROUP BY change"
                )
            ).all()
        )
        assert set(changes) <= {"same", "none"} and sum(changes.values()) == assessed
        versions = c.execute(text("SELECT versions FROM decisions LIMIT 1")).scalar_one()
        versions = json.loads(versions) if isinstance(versions, str) else versions
        assert "civilaffairs" in versions
    # bulk records have no members: the caseload leaves them out and says so
    assert main(["records", "audit", "--on", "2024-08", *db, "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "payment(s) without a household snapshot (bulk records) are not in the caseload" in (
        captured.err
    )


def test_recording_some_programmes_keeps_the_others_payments(store: Any) -> None:
    import pyarrow as pa

    from civilaffairs.records.recording import record_bulk
    from civilaffairs.records.verify import verify

    def results(dibao_fen: int) -> pa.Table:
        return pa.table(
            {
                "row": [0, 1],
                "household_id": ["B-1", "B-2"],
                "region": ["110105", "110105"],
                "residence": ["urban", "urban"],
                "dibao_eligible": [True, False],
                "dibao_amount_fen": [dibao_fen, 0],
                "dibao_first_failed": [None, "income_below_standard"],
                "dibao_status": pa.array([0, 0], pa.int8()),
                "tekun_eligible": [False, True],
                "tekun_amount_fen": [0, 198000],
                "tekun_first_failed": ["no_labour_capacity", None],
                "tekun_status": pa.array([0, 0], pa.int8()),
            }
        )

    common = {"month": "2024-08", "versions": {"civilaffairs": "x"}, "periods": {}}
    assert record_bulk(store, results(75000), **common) == 4
    assert record_bulk(store, results(50000), programs=["dibao"], **common) == 2
    with store.engine.connect() as c:
        paid = c.execute(text("SELECT program, amount_fen FROM payments ORDER BY program")).all()
        cut = c.execute(text("SELECT change FROM decisions WHERE supersedes_id IS NOT NULL")).all()
    assert [tuple(r) for r in paid] == [("dibao", 50000), ("tekun", 198000)]
    assert [r[0] for r in cut] == ["cut", "none"]
    assert verify(store).ok
