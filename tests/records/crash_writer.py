"""A writer for the crash test: records batches of bulk decisions into the store at
``argv[1]`` forever, printing ``appended N`` (N: the batch number) once a batch's ledger
entries are written inside its still open transaction, and ``committed N`` after the
commit. The test kills it with SIGKILL in the middle of a batch."""

from __future__ import annotations

import sys
import time
from typing import Any

import pyarrow as pa

import civilaffairs.records.recording as recording
from civilaffairs.records.store import Store

PROGRAMS = ("dibao", "tekun")


def batch_table(batch: int, n: int) -> pa.Table:
    columns: dict[str, Any] = {
        "row": list(range(n)),
        "household_id": [f"C-{batch:04d}-{i:04d}" for i in range(n)],
        "region": ["110105"] * n,
        "residence": ["urban"] * n,
    }
    for p in PROGRAMS:
        columns[f"{p}_eligible"] = [i % 2 == 0 for i in range(n)]
        columns[f"{p}_amount_fen"] = [10000 + i if i % 2 == 0 else 0 for i in range(n)]
        columns[f"{p}_first_failed"] = [None if i % 2 == 0 else "x" for i in range(n)]
        columns[f"{p}_status"] = pa.array([0] * n, pa.int8())
    return pa.table(columns)


def main() -> None:
    store = Store.open(sys.argv[1])
    batch = 0
    original = recording.append

    def append(*args: Any, **kwargs: Any) -> list[int]:
        seqs = original(*args, **kwargs)
        print(f"appended {batch}", flush=True)
        time.sleep(0.05)  # the rows of the batch are not yet written: a window to be killed in
        return seqs

    recording.append = append  # type: ignore[assignment]
    while True:
        batch += 1
        recording.record_bulk(
            store,
            batch_table(batch, 200),
            month="2024-08",
            versions={"civilaffairs": "test"},
            periods={},
            batch_households=200,
        )
        print(f"committed {batch}", flush=True)


if __name__ == "__main__":
    main()
