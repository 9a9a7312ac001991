"""Term-end report over 100,000 synthetic committees: ``due_report`` end to end (build the
Arrow table, then the report), beside a hand-written numpy version of the same rule (five-year
term, 29 February to 28 February, 90-day window) in the same run.

Run: ``python benchmarks/self_governance_due_dates.py [N]``. Prints both times, the ratio,
and checks that both give the same end dates, days left and statuses.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time

import numpy as np
import pyarrow as pa

from civilaffairs.modules.self_governance import due_report_with_errors
from civilaffairs.registry import get_registry

ON = _dt.date(2025, 6, 1)
WINDOW = 90
REGIONS = ("110105", "310104", "330106", "440305", "520102")


def synthetic(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Columns of *n* committees elected between 2019-01-01 and the report date."""
    rng = np.random.default_rng(seed)
    span = (ON - _dt.date(2019, 1, 1)).days
    elected = np.datetime64("2019-01-01") + rng.integers(0, span + 1, n).astype("timedelta64[D]")
    return {
        "committee_id": np.char.add("C", np.arange(n).astype(str)),
        "region": np.array(REGIONS)[rng.integers(0, len(REGIONS), n)],
        "kind": np.where(rng.random(n) < 0.7, "village", "residents"),
        "elected_on": elected.astype("datetime64[D]"),
    }


def with_library(columns: dict[str, np.ndarray], registry: object) -> pa.Table:
    table = pa.table({name: pa.array(values) for name, values in columns.items()})
    report, errors = due_report_with_errors(table, ON, window_days=WINDOW, registry=registry)
    assert errors.num_rows == 0, errors.slice(0, 5).to_pylist()
    return report


def by_hand(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same rule written directly: end = elected + 5 years (clamped to month end)."""
    elected = columns["elected_on"]
    month0 = elected.astype("datetime64[M]")
    day = (elected - month0).astype(np.int64)
    target = month0 + np.timedelta64(60, "M")
    length = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype(
        "datetime64[D]"
    )
    ends = target.astype("datetime64[D]") + np.minimum(day, length.astype(np.int64) - 1).astype(
        "timedelta64[D]"
    )
    days_left = (ends - np.datetime64(ON)).astype(np.int64)
    status = np.where(
        days_left < 0, "overdue", np.where(days_left <= WINDOW, "due_within_90_days", "in_term")
    )
    return ends, days_left, status


def main(n: int = 100_000) -> None:
    registry = get_registry()
    columns = synthetic(n)
    with_library(synthetic(100), registry)  # warm up imports and look-ups

    t0 = time.perf_counter()
    report = with_library(columns, registry)
    library = time.perf_counter() - t0

    t0 = time.perf_counter()
    ends, days_left, status = by_hand(columns)
    hand = time.perf_counter() - t0

    assert report.num_rows == n
    assert np.array_equal(report.column("term_ends_on").to_numpy().astype("datetime64[D]"), ends), (
        "end dates differ"
    )
    assert np.array_equal(report.column("days_left").to_numpy(), days_left), "days differ"
    assert report.column("status").to_pylist() == status.tolist(), "statuses differ"
    values, numbers = np.unique(status, return_counts=True)
    counts = {str(v): int(c) for v, c in zip(values, numbers, strict=True)}
    print(f"committees: {n}; statuses: {counts}")
    print(f"due_report (build table -> report): {library * 1000:.1f} ms")
    print(f"hand-written numpy:                 {hand * 1000:.1f} ms")
    print(f"ratio: {library / hand:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
