"""Integrity audit of a synthetic 1,000,000-row caseload, end to end (read Parquet -> findings
Parquet), beside a hand-written numpy/pyarrow version of two checks in the same run.

    pytest benchmarks/test_bench_audit_caseload.py --benchmark-only -p no:cacheprovider
    python benchmarks/test_bench_audit_caseload.py [--rows 1000000]

Engine: :func:`civilaffairs.audit.run_audit` with every bundled check (validation, the
seven checks, masking, findings) between reading and writing Parquet. Hand-written: the
same read, then paid-after-death and income-not-below-the-standard coded directly in
numpy and pyarrow compute, then the same write. The caseload: 1,000,000 rows of one month,
about 2 % of people twice, 1 % dead, 3 % with income not below the standard, 1 % in two
tiers, staff relatives and vehicle matches for a few hundred people, reviews spread over
the eleven months before the audit month (about 14 % overdue).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROWS = 1_000_000
MONTH = "2024-08"


def synthetic_caseload(rows: int = ROWS, seed: int = 2024) -> tuple[pa.Table, pa.Table, pa.Table]:
    """A caseload of *rows* rows, its declared relatives and its matches."""
    rng = np.random.default_rng(seed)
    people = rng.permutation(rows)
    twice = rng.random(rows) < 0.02
    people[twice] = people[rng.integers(0, rows, int(twice.sum()))]
    keys = np.array([f"{p:064x}" for p in range(rows)], dtype=object)
    person_key = pa.array(keys[people], pa.string())
    masked = pa.array([f"110105********{p % 10000:04d}" for p in people], pa.string())
    households = pa.array([f"H{i // 2:07d}" for i in range(rows)], pa.string())
    regions = np.array(["110105", "110106", "110108", "310101", "440304"], dtype=object)
    region = pa.array(regions[rng.integers(0, len(regions), rows)], pa.string())
    program = np.where(rng.random(rows) < 0.9, "dibao", "tekun").astype(object)
    program[rng.random(rows) < 0.01] = "tekun"
    standard = np.full(rows, 145_000, dtype=np.int64)
    income = rng.integers(0, 140_000, rows)
    above = rng.random(rows) < 0.03
    income[above] = rng.integers(145_000, 200_000, int(above.sum()))
    paid = (standard - income).clip(min=10_000)
    dead = rng.random(rows) < 0.01
    death_days = np.datetime64("2024-01-01") + rng.integers(0, 240, rows).astype("timedelta64[D]")
    death = pa.array(death_days.astype("datetime64[D]"), pa.date32()).to_numpy(zero_copy_only=False)
    death_date = pa.array(
        np.where(dead, death, np.datetime64("NaT")).astype("datetime64[D]"), pa.date32()
    )
    staff = np.array([f"W{i:04d}" for i in range(2000)], dtype=object)
    review_days = np.datetime64("2023-09-01") + rng.integers(0, 334, rows).astype("timedelta64[D]")
    category = np.where(rng.random(rows) < 0.7, "stable", "variable").astype(object)
    category[program == "tekun"] = "tekun"
    caseload = pa.table(
        {
            "month": pa.array([MONTH] * rows, pa.string()),
            "household_id": households,
            "region": region,
            "person_key": person_key,
            "person_masked": masked,
            "program": pa.array(program, pa.string()),
            "paid_fen": pa.array(paid, pa.int64()),
            "death_date": death_date,
            "income_pc_fen": pa.array(income, pa.int64()),
            "standard_fen": pa.array(standard, pa.int64()),
            "caseworker_id": pa.array(staff[rng.integers(0, len(staff), rows)], pa.string()),
            "approver_id": pa.array(staff[rng.integers(0, 50, rows)], pa.string()),
            "last_review": pa.array(review_days.astype("datetime64[D]"), pa.date32()),
            "review_category": pa.array(category, pa.string()),
        }
    )
    picked = rng.integers(0, rows, 500)
    relatives = pa.table(
        {
            "staff_id": pc.take(caseload.column("caseworker_id"), pa.array(picked)),
            "person_key": pc.take(person_key, pa.array(picked)),
            "relation": pa.array(["配偶"] * len(picked), pa.string()),
        }
    )
    cars = rng.integers(0, rows, 800)
    matches = pa.table(
        {
            "person_key": pc.take(person_key, pa.array(cars)),
            "kind": pa.array(["vehicle"] * len(cars), pa.string()),
            "detail": pa.array(["小型轿车"] * len(cars), pa.string()),
        }
    )
    return caseload, relatives, matches


def engine(path: Path, out: Path, relatives: pa.Table, matches: pa.Table) -> int:
    """Read, audit with every bundled check, write; the number of findings."""
    from civilaffairs.audit import run_audit

    table = pq.read_table(path)
    result = run_audit(table, on=MONTH, relatives=relatives, matches=matches)
    pq.write_table(result.findings, out)
    return int(result.findings.num_rows)


def hand_written(path: Path, out: Path) -> int:
    """Read, paid-after-death and income-not-below-the-standard in numpy/pyarrow, write."""
    table = pq.read_table(
        path,
        columns=[
            "month",
            "household_id",
            "program",
            "paid_fen",
            "death_date",
            "income_pc_fen",
            "standard_fen",
        ],
    )
    month = table.column("month").combine_chunks()
    paid = table.column("paid_fen").to_numpy()
    died = pc.strftime(pc.cast(table.column("death_date"), pa.timestamp("s")), format="%Y-%m")
    after = pc.fill_null(pc.greater(month, died), False).to_numpy(zero_copy_only=False)
    death_rows = np.flatnonzero(after & (paid > 0))
    income = table.column("income_pc_fen").to_numpy(zero_copy_only=False)
    standard = table.column("standard_fen").to_numpy(zero_copy_only=False)
    dibao = pc.equal(table.column("program"), "dibao").to_numpy(zero_copy_only=False)
    income_rows = np.flatnonzero(dibao & (paid > 0) & (income >= standard))
    rows = np.concatenate([death_rows, income_rows])
    check = np.concatenate([np.zeros(len(death_rows), np.int8), np.ones(len(income_rows), np.int8)])
    found = pa.table(
        {
            "check": pa.array(check),
            "household_id": pc.take(table.column("household_id"), pa.array(rows)),
            "paid_fen": pa.array(paid[rows]),
        }
    )
    pq.write_table(found, out)
    return int(found.num_rows)


# -- pytest-benchmark ------------------------------------------------------------------------


def _fixture() -> Any:
    import pytest

    @pytest.fixture(scope="module")
    def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pa.Table, pa.Table]:
        caseload, relatives, matches = synthetic_caseload()
        path = tmp_path_factory.mktemp("audit-bench") / "caseload.parquet"
        pq.write_table(caseload, path)
        return path, relatives, matches

    return data


data = _fixture()


def test_audit_engine_end_to_end(benchmark: Any, data: Any, tmp_path: Path) -> None:
    path, relatives, matches = data
    n = benchmark.pedantic(
        engine, args=(path, tmp_path / "findings.parquet", relatives, matches), rounds=3
    )
    assert n > 0


def test_hand_written_two_checks(benchmark: Any, data: Any, tmp_path: Path) -> None:
    path, _, _ = data
    n = benchmark.pedantic(hand_written, args=(path, tmp_path / "hand.parquet"), rounds=3)
    assert n > 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    caseload, relatives, matches = synthetic_caseload(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "caseload.parquet"
        pq.write_table(caseload, path)
        times: dict[str, list[float]] = {"engine": [], "hand": []}
        for _ in range(args.repeat):
            t = time.perf_counter()
            n_engine = engine(path, Path(tmp) / "f.parquet", relatives, matches)
            times["engine"].append(time.perf_counter() - t)
            t = time.perf_counter()
            n_hand = hand_written(path, Path(tmp) / "h.parquet")
            times["hand"].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in times.items()}
    print(
        f"{args.rows} rows: engine (7 checks) {best['engine']:.2f} s, {n_engine} findings; "
        f"hand-written (2 checks) {best['hand']:.2f} s, {n_hand} findings; "
        f"ratio {best['engine'] / best['hand']:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
