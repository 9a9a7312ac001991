"""Recording a bulk run: ``synth`` makes a registry, ``assess-bulk`` assesses it, ``records
import-bulk`` records every decision (Core inserts of many rows); a second run supersedes
the first, the ledger verifies, and the month's payments are those of the results."""

from __future__ import annotations

import json
import pathlib

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
