"""Registry-scale benchmark: 1 million and 10 million synthetic households side by side.

Run from the repository root with the bundled plugins installed::

    python benchmarks/bulk_scale.py                 # 1M and 10M
    python benchmarks/bulk_scale.py --sizes 1000000 --data /var/tmp/registries

Each measurement runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its own.
The synthetic registries are written once under ``--data`` and streamed from Parquet.

Measured, per size:

* ``all``: ``assess_bulk`` over every programme (Parquet in, Parquet out), households/s;
* ``dibao``: ``evaluate_frame(programs=["dibao"])`` (dibao depends on tekun, which runs
  too) against a hand-written numpy dibao on the same frames, evaluation time only;
* ``dask``: the same registry on a ``LocalCluster`` of 2 worker processes;
* ``reform``: a one-province reform (Shanghai's standard) against the baseline run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MONTH = "2024-08"
CHUNK = 200_000


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _numpy_dibao(frame: Any, standard: Any) -> Any:
    """Dibao by hand: countable income (national exclusions), difference, asset and vehicle
    rules as the defaults have them; *standard* is fen per household."""
    import numpy as np

    counted = ("wage", "business", "property", "transfer", "support", "other")
    pp, hh = frame.pp, frame.hh
    income_p = sum(pp[f"inc_{k}"] for k in counted) * pp["alive"]
    starts = np.concatenate(([0], np.cumsum(np.bincount(frame.person_hh, minlength=frame.n))[:-1]))
    income = np.add.reduceat(income_p, starts)
    threshold = standard * hh["size"]
    eligible = income < threshold
    return eligible, np.where(eligible, threshold - income, 0)


def run_all(data: str) -> dict[str, Any]:
    from civilaffairs.bulk.run import assess_bulk

    out = Path(tempfile.mkdtemp()) / "results.parquet"
    t = time.perf_counter()
    summary = assess_bulk(data, MONTH, out, chunk_size=CHUNK)
    seconds = time.perf_counter() - t
    return {
        "seconds": seconds,
        "households": summary.households,
        "per_second": summary.households / seconds,
        "rss_mib": _rss_mib(),
    }


def run_dibao(data: str) -> dict[str, Any]:
    import numpy as np

    from civilaffairs.bulk.arrow import frame_from_arrow
    from civilaffairs.bulk.sources import open_source
    from civilaffairs.engine.batch import evaluate_frame
    from civilaffairs.registry import get_registry

    reg = get_registry()
    table = reg.standards.compile("dibao.standard")
    engine = hand = 0.0
    n = 0
    for chunk in open_source(data, chunk_size=CHUNK).chunks():
        frame, _, _ = frame_from_arrow(chunk.households, chunk.persons, MONTH)
        t = time.perf_counter()
        result = evaluate_frame(frame, reg, ["dibao"])
        engine += time.perf_counter() - t
        t = time.perf_counter()
        values, _, _ = table.resolve_many(
            np.asarray(frame.regions), np.datetime64("2024-08-01"), frame.hh["rural"]
        )
        eligible, _ = _numpy_dibao(frame, values)
        hand += time.perf_counter() - t
        n += frame.n
        assert eligible.sum() >= 0
        assert result.eligible["dibao"].size == frame.n
    return {
        "engine_seconds": engine,
        "numpy_seconds": hand,
        "ratio": engine / hand,
        "households": n,
        "engine_per_second": n / engine,
        "rss_mib": _rss_mib(),
    }


def run_dask(data: str) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    import civilaffairs.dask as cdask

    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        households, persons = cdask.read_registry(data, partition_size=CHUNK)
        t = time.perf_counter()
        result = cdask.assess(households, persons, MONTH)
        n = int(result.map_partitions(len).compute().sum())
        seconds = time.perf_counter() - t
    return {"seconds": seconds, "households": n, "per_second": n / seconds, "rss_mib": _rss_mib()}


def run_reform(data: str) -> dict[str, Any]:
    from civilaffairs.bulk.simulate import simulate

    out = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    result = simulate(data, ["dibao.standard@310000=1500"], MONTH, out=out, chunk_size=CHUNK)
    seconds = time.perf_counter() - t
    return {
        "seconds": seconds,
        "households": result.households,
        "recomputed": result.recomputed,
        "rss_mib": _rss_mib(),
    }


TASKS = {"all": run_all, "dibao": run_dibao, "dask": run_dask, "reform": run_reform}


def _child(task: str, data: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--task", task, "--data", data],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "civilaffairs-bench"))
    parser.add_argument("--tasks", default="all,dibao,dask,reform")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        print(json.dumps(TASKS[args.task](args.data)))
        return
    from civilaffairs.synth import write_synth

    sizes = [int(s) for s in args.sizes.split(",")]
    tasks = args.tasks.split(",")
    table: dict[int, dict[str, Any]] = {}
    for n in sizes:
        directory = Path(args.data) / f"n{n}"
        if not (directory / "persons.parquet").is_file():
            t = time.perf_counter()
            write_synth(n, directory, seed=2024)
            print(f"synth {n}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
        table[n] = {task: _child(task, str(directory)) for task in tasks}
        print(f"{n}: {json.dumps(table[n])}", file=sys.stderr)
    rows = [
        ("all programmes, households/s", "all", "per_second", "{:,.0f}"),
        ("all programmes, seconds", "all", "seconds", "{:.1f}"),
        ("all programmes, peak RSS MiB", "all", "rss_mib", "{:,.0f}"),
        ("dibao engine, households/s", "dibao", "engine_per_second", "{:,.0f}"),
        ("dibao engine / hand numpy", "dibao", "ratio", "{:.2f}x"),
        ("dibao run, peak RSS MiB", "dibao", "rss_mib", "{:,.0f}"),
        ("dask 2 workers, households/s", "dask", "per_second", "{:,.0f}"),
        ("dask 2 workers, seconds", "dask", "seconds", "{:.1f}"),
        ("one-province reform, seconds", "reform", "seconds", "{:.1f}"),
        ("reform recomputed households", "reform", "recomputed", "{:,}"),
        ("reform peak RSS MiB", "reform", "rss_mib", "{:,.0f}"),
    ]
    print(f"{'measure':<32}" + "".join(f"{n:>16,}" for n in sizes))
    for label, task, key, fmt in rows:
        if task not in tasks:
            continue
        cells = []
        for n in sizes:
            value = table[n][task].get(key)
            cells.append(fmt.format(value) if value is not None else "error")
        print(f"{label:<32}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
