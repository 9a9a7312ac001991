"""Properties of the ledger, on SQLite and PostgreSQL: it verifies after any sequence of
appends (households assessed, bulk batches, reviews, appeals, checkpoints), and every
single-byte change to any stored entry is detected and named."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from civilaffairs.periods import Month
from civilaffairs.records.models import Base
from records.support import record

PROGRAMS = ("dibao", "tekun", "temporary")


def _reset(store: Any) -> None:
    """Empty every table and the ledger head, keeping the schema and the ledger id."""
    with store.engine.begin() as c:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in ("meta", "ledger_head"):
                c.execute(table.delete())
        c.execute(text("UPDATE ledger_head SET size = 0, head_hash = :z"), {"z": "0" * 64})


def _bulk_table(start: int, n: int, seed: int) -> pa.Table:
    columns: dict[str, Any] = {
        "row": list(range(n)),
        "household_id": [f"B-{start + i:05d}" for i in range(n)],
        "region": ["110105"] * n,
        "residence": ["urban"] * n,
    }
    for k, p in enumerate(PROGRAMS):
        columns[f"{p}_eligible"] = [(i + seed + k) % 3 == 0 for i in range(n)]
        columns[f"{p}_amount_fen"] = [
            ((i * 7919 + seed) % 90000) if (i + seed + k) % 3 == 0 else 0 for i in range(n)
        ]
        columns[f"{p}_first_failed"] = [
            None if (i + seed + k) % 3 == 0 else "income_below_standard" for i in range(n)
        ]
        columns[f"{p}_status"] = pa.array([0 if (i + k) % 5 else 1 for i in range(n)], pa.int8())
    return pa.table(columns)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("assess"), st.integers(1, 6), st.sampled_from(["300.00", "2600.00"])),
        st.tuples(st.just("bulk"), st.integers(0, 20), st.integers(1, 12), st.integers(0, 9)),
        st.tuples(st.just("appeal"), st.integers(1, 30)),
        st.tuples(st.just("checkpoint")),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_any_sequence_of_appends_verifies(store: Any, ops: list[tuple[Any, ...]]) -> None:
    from civilaffairs.records.appeals import file_appeal
    from civilaffairs.records.config import signing_key
    from civilaffairs.records.errors import NotFound
    from civilaffairs.records.recording import record_bulk
    from civilaffairs.records.verify import create_checkpoint, verify

    _reset(store)
    months = iter(str(Month.parse("2024-08") + k) for k in range(12))
    for op in ops:
        if op[0] == "assess":
            record(store, op[1], wage=op[2], month=next(months, "2025-12"))
        elif op[0] == "bulk":
            record_bulk(
                store,
                _bulk_table(op[1], op[2], op[3]),
                month="2024-08",
                versions={"civilaffairs": "0.1.0"},
                periods={"temporary": "one_off_max"},
                batch_households=5,
            )
        elif op[0] == "appeal":
            with contextlib.suppress(NotFound):
                file_appeal(store, op[1], "reconsideration", dt.date(2025, 1, 6))
        else:
            create_checkpoint(store, signing_key())
    result = verify(store)
    assert result.ok, result.problem
    with store.engine.connect() as c:
        stored = c.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
        decisions = c.execute(text("SELECT count(*) FROM decisions")).scalar_one()
        appeals = c.execute(text("SELECT count(*) FROM appeals")).scalar_one()
    assert result.size == stored == decisions + appeals


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_single_byte_change_is_detected(store: Any, data: st.DataObject) -> None:
    from civilaffairs.records.verify import verify

    with store.engine.connect() as c:
        size = c.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
    if size == 0:
        record(store, 1)
        record(store, 2, wage="2600.00")
        size = 4
    seq = data.draw(st.integers(0, size - 1), label="entry")
    with store.engine.connect() as c:
        original = bytes(
            c.execute(
                text("SELECT entry FROM ledger_entries WHERE seq = :s"), {"s": seq}
            ).scalar_one()
        )
    position = data.draw(st.integers(0, len(original) - 1), label="byte")
    value = data.draw(st.integers(0, 255).filter(lambda b: b != original[position]), label="value")
    forged = original[:position] + bytes([value]) + original[position + 1 :]
    with store.engine.begin() as c:
        c.execute(
            text("UPDATE ledger_entries SET entry = :e WHERE seq = :s"), {"e": forged, "s": seq}
        )
    try:
        result = verify(store)
        assert result.problem is not None
        assert result.problem.entry == seq
        assert result.problem.code == "altered"
    finally:
        with store.engine.begin() as c:
            c.execute(
                text("UPDATE ledger_entries SET entry = :e WHERE seq = :s"),
                {"e": original, "s": seq},
            )
