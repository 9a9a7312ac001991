"""Annual-report status of 100,000 synthetic organisations: ``annual_report_status`` end to
end (reading the deadlines from the registry, checking every row, building the result
tables) beside a hand-written numpy version of the same rule, in the same run.

    python benchmarks/social_orgs_annual_reports.py [N]

Prints both times and their ratio, after checking that the two agree row for row.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np
import pyarrow as pa

from civilaffairs.modules.social_orgs import annual_report_status
from civilaffairs.registry import get_registry

YEAR = 2024
ON = dt.date(2025, 6, 15)
KINDS = np.array(["social_organization", "social_service_organization", "foundation"])
DUE_MONTHS = np.array([5, 5, 3])  # the national values, for the hand-written version


def synthetic(n: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    epoch = dt.date(1970, 1, 1)
    start, stop = (dt.date(2000, 1, 1) - epoch).days, (dt.date(2025, 6, 1) - epoch).days
    registered = rng.integers(start, stop, n).astype("datetime64[D]")
    first, last = (dt.date(2025, 1, 2) - epoch).days, (ON - epoch).days
    submitted = rng.integers(first, last + 1, n).astype("datetime64[D]")
    missing = rng.random(n) < 0.3
    return pa.table(
        {
            "org_id": pa.array([f"ORG{i:07d}" for i in range(n)]),
            "kind": pa.array(KINDS[rng.integers(0, 3, n)]),
            "registered_on": pa.array(registered, type=pa.date32()),
            "report_submitted_on": pa.array(submitted, mask=missing, type=pa.date32()),
        }
    )


def by_hand(table: pa.Table) -> np.ndarray:
    """The same rule written directly in numpy (no checks of bad rows)."""
    kind = table.column("kind").to_numpy(zero_copy_only=False)
    idx = np.select([kind == k for k in KINDS], [0, 1, 2], -1)
    due_months = DUE_MONTHS[idx]
    # last day of month m of YEAR + 1
    first_of_next = (
        np.datetime64(f"{YEAR + 1}-01", "M") + due_months.astype("timedelta64[M]")
    ).astype("datetime64[D]")
    due = first_of_next - np.timedelta64(1, "D")
    reg = table.column("registered_on").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    sub_col = table.column("report_submitted_on")
    sub_missing = sub_col.is_null().to_numpy(zero_copy_only=False)
    sub = sub_col.fill_null(dt.date(1970, 1, 1)).to_numpy(zero_copy_only=False)
    sub = sub.astype("datetime64[D]")
    on = np.datetime64(ON, "D")
    return np.select(
        [
            reg > np.datetime64(f"{YEAR}-12-31", "D"),
            ~sub_missing & (sub <= due),
            ~sub_missing,
            on > due,
        ],
        ["not_required", "submitted_on_time", "submitted_late", "overdue"],
        "not_yet_due",
    )


def main(n: int = 100_000) -> None:
    table = synthetic(n)
    registry = get_registry()
    annual_report_status(table.slice(0, 10), YEAR, ON, registry=registry)  # warm up

    t0 = time.perf_counter()
    statuses, errors = annual_report_status(table, YEAR, ON, registry=registry, with_errors=True)
    t1 = time.perf_counter()
    expected = by_hand(table)
    t2 = time.perf_counter()

    assert errors.num_rows == 0, errors.slice(0, 5)
    got = np.array(statuses.column("status").to_pylist())
    assert (got == expected).all(), "the two versions disagree"
    library, hand = t1 - t0, t2 - t1
    counts = dict(zip(*np.unique(got, return_counts=True), strict=True))
    print(f"organisations: {n}")
    print(f"statuses: {counts}")
    print(f"annual_report_status (end to end): {library * 1000:.1f} ms")
    print(f"hand-written numpy:                {hand * 1000:.1f} ms")
    print(f"ratio: {library / hand:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
