"""The dibao peer benchmark: civilaffairs against a hand-written numpy rule, read → result.

    python benchmarks/peer.py --n 1000000 --json
    python benchmarks/peer.py --n 100000 --repeat 5 --data /var/tmp/peer

**Data** (seeded; the same ``--n`` and ``--seed`` always give the same files): 3,000
county-level divisions drawn from GB/T 2260, each with dated dibao standards (urban and
rural, from 2023-01-01 and 2024-01-01, and for a third of them a value from 2024-09-01 that
is *not yet* in force in the month assessed); the rounding policy of a few provinces set to
``up`` or ``half_up``. The values are synthetic, for measurement only, and registered by an
in-process plugin (``peer``), not by any real notice. Households and persons are written to
Parquet in the library's bulk input schema (:mod:`civilaffairs.bulk.schema`), restricted to
what the dibao rule reads, so the hand-written rule can be short and still honest: every
member is an adult of working age, alive, without disability or status, with a wage and
perhaps the residents' basic pension (an income kind the national rule excludes); the other
columns are left out and read as their defaults (no assets, no other income).

**The rule** (:mod:`civilaffairs.programs.dibao` with those inputs): countable income =
the sum of the members' incomes except the excluded kinds; threshold = standard × members
(no minors, so no minors' standard); eligible where income < threshold; amount =
threshold − income, rounded as the province says (``none``, ``up``, ``half_up``).
Nobody is 特困 (no one lacks labour capacity), nobody may be covered alone (no severe
disability or illness), no asset limit is registered and vehicles are allowed.

**Implementations**, each from the Parquet files to a result file, interleaved in one
process and repeated (``--repeat``):

* ``numpy``: read the needed columns with pyarrow, resolve the standard in force per
  (county, residence) with numpy, group members by the run of their household id, compute,
  write ``household_id``, eligibility and amount to Parquet;
* ``dibao``: ``civilaffairs assess-bulk DIR --on 2024-08 --out F --program dibao``, run
  in this process through the command's entry point (:func:`civilaffairs.cli.main`) with
  the registry of the national baseline and the ``peer`` plugin;
* ``all``: the same command for every programme.

The amounts of the library's results file are compared with numpy's household by
household (``checksum_match``: every household assessed and every dibao amount equal to
numpy's, to the fen). With ``--json`` one JSON object is printed: the medians of each
implementation's seconds (``numpy_read_result_s``, ``dibao_read_result_s``,
``all_read_result_s``), the medians of the per-repeat ratios (``dibao_vs_numpy``,
``all_vs_numpy``), every repeat's seconds, the process's peak RSS (``peak_rss_mib``,
``ru_maxrss``) and each implementation's own peak (``*_peak_rss_mib``: the high-water mark
reset through ``/proc/self/clear_refs`` before each run, so it includes what the process
held when the run began), ``checksum_match`` and the checksums.

The single-household measures follow (``--no-single`` skips them): with the installed
plugins, ``examples/households/beijing-3.json`` in August 2024, the medians of
``single_all_us`` (every programme, the decision built lazily), ``single_dibao_us`` (dibao
only), ``single_render_us`` (every programme rendered as text) and ``single_to_dict_us``
(as JSON), each after a first call in this process; and ``first_assessment_ms``, the first
assessment in a fresh process with every installed plugin, interpreter start included
(``benchmarks/startup.py``).

``--extra reform`` adds a one-province reform (``simulate``) against the baseline run of
every programme, side by side; ``--extra dask`` adds ``civilaffairs.dask`` on a local
cluster of 2 worker processes against 1 (each ``--repeat`` times, a new cluster each
time): ``dask_2_vs_1_speedup`` compares the second run on each cluster (warm workers),
``dask_2_vs_1_cold_speedup`` the first (the workers import the library).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MONTH = "2024-08"
DAY = _dt.date(2024, 8, 1)
COUNTIES = 3_000
#: Bump when the generated data changes (cached data of another version is regenerated).
DATA_VERSION = 2
#: Households written per block (bounded memory while generating ten million).
BLOCK = 1_000_000
#: Standards: effective dates, and the one after the month assessed (a third of counties).
DATES = ("2023-01-01", "2024-01-01")
LATER = "2024-09-01"
#: Rounding set by province (GB/T 2260 province codes); the others keep the default, none.
ROUNDING = {"110000": "up", "320000": "up", "440000": "half_up", "510000": "up"}
_ROUNDING_CODE = {"none": 0, "up": 1, "down": 2, "half_up": 3}
#: Income kinds written: wage is counted, the residents' basic pension is excluded.
INCOMES = ("income_wage", "income_pension_basic")
SOURCE = {
    "issuer": "civilaffairs peer benchmark (synthetic)",
    "title": "synthetic standards for measurement, not an official value (合成数据，仅用于测速)",
}


# -- data -------------------------------------------------------------------------------


def counties(seed: int) -> np.ndarray:
    """:data:`COUNTIES` county-level division codes (int), drawn with *seed*, sorted."""
    from civilaffairs import regions

    codes = sorted(int(r.code) for r in regions.all_regions() if r.level is regions.Level.COUNTY)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(np.array(codes, dtype=np.int64), COUNTIES, replace=False))


def standards_table(seed: int) -> dict[str, np.ndarray]:
    """The generated dibao standards: ``county``, ``rural`` (0/1), ``start`` (days since
    1970-01-01) and ``fen``, one row per value."""
    rng = np.random.default_rng([seed, 1])
    codes = counties(seed)
    rows: list[tuple[int, int, int, int]] = []
    for code in codes.tolist():
        urban = int(rng.integers(60_000, 150_000))
        for rural in (0, 1):
            base = urban if not rural else int(urban * rng.uniform(0.7, 1.0))
            fen = base
            for date in DATES:
                rows.append((code, rural, _day(date), fen))
                fen += int(rng.integers(1_000, 8_000))
            if code % 3 == 0:  # a rise announced for after the month assessed
                rows.append((code, rural, _day(LATER), fen))
    arr = np.array(rows, dtype=np.int64)
    return {"county": arr[:, 0], "rural": arr[:, 1], "start": arr[:, 2], "fen": arr[:, 3]}


def _day(text: str) -> int:
    return (_dt.date.fromisoformat(text) - _dt.date(1970, 1, 1)).days


def _block(seed: int, block: int, first: int, n: int, codes: np.ndarray) -> tuple[Any, Any]:
    rng = np.random.default_rng([seed, 2, block])
    ids = pc.binary_join_element_wise(
        "H", pc.utf8_lpad(pc.cast(pa.array(np.arange(first, first + n)), pa.string()), 10, "0"), ""
    )
    region = pc.cast(pa.array(codes[rng.integers(0, codes.size, n)]), pa.string())
    rural = rng.random(n) < 0.45
    residence = pa.DictionaryArray.from_arrays(
        pa.array(rural.astype(np.int8)), pa.array(["urban", "rural"])
    ).cast(pa.string())
    size = rng.choice(np.arange(1, 6), n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    m = int(size.sum())
    owner = np.repeat(np.arange(n), size)
    starts = np.concatenate(([0], np.cumsum(size)[:-1]))
    position = np.arange(m) - starts[owner]
    relation = np.where(position == 0, 0, np.where(position == 1, 1, 2))
    births = rng.integers(_day("1965-01-01"), _day("2006-07-01"), m).astype("datetime64[D]")
    working = rng.random(m) < 0.6
    wage = np.where(working, rng.integers(0, 300_000, m), 0)
    pension = np.where(rng.random(m) < 0.2, rng.integers(10_000, 30_000, m), 0)
    households = pa.table(
        {"household_id": ids, "region": region, "residence": residence},
    )
    persons = pa.table(
        {
            "household_id": pc.take(ids, pa.array(owner)),
            "birth_date": pa.array(births, pa.date32()),
            "sex": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 2, m).astype(np.int8)), pa.array(["male", "female"])
            ).cast(pa.string()),
            "relation": pa.DictionaryArray.from_arrays(
                pa.array(relation.astype(np.int8)), pa.array(["head", "spouse", "child"])
            ).cast(pa.string()),
            "income_wage": pa.array(wage, pa.int64()),
            "income_pension_basic": pa.array(pension, pa.int64()),
        }
    )
    return households, persons


def generate(n: int, directory: Path, seed: int) -> Path:
    """Write households.parquet and persons.parquet of *n* households to *directory*
    (kept and reused when a previous run wrote the same data)."""
    stamp = directory / "peer.json"
    want = {"n": n, "seed": seed, "version": DATA_VERSION, "counties": COUNTIES}
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    codes = counties(seed)
    writers: dict[str, Any] = {}
    try:
        for block, first in enumerate(range(0, n, BLOCK)):
            hh, pp = _block(seed, block, first, min(BLOCK, n - first), codes)
            for name, table in (("households", hh), ("persons", pp)):
                if name not in writers:
                    writers[name] = pq.ParquetWriter(directory / f"{name}.parquet", table.schema)
                writers[name].write_table(table)
        if not writers:
            hh, pp = _block(seed, 0, 0, 0, codes)
            pq.write_table(hh, directory / "households.parquet")
            pq.write_table(pp, directory / "persons.parquet")
    finally:
        for writer in writers.values():
            writer.close()
    pq.write_table(pa.table(standards_table(seed)), directory / "standards.parquet")
    stamp.write_text(json.dumps(want))
    return directory


# -- the registry the library reads -------------------------------------------------------


def peer_plugin(seed: int) -> Any:
    """The ``peer`` plugin: registers the generated standards and rounding policies (a
    plugin handed over in code, so it may register in every province)."""
    import types

    from civilaffairs.hookspecs import hookimpl

    @hookimpl
    def civilaffairs_register_standards(register: Any) -> None:
        table = standards_table(seed)
        epoch = _dt.date(1970, 1, 1)
        for code, rural, start, fen in zip(
            table["county"].tolist(),
            table["rural"].tolist(),
            table["start"].tolist(),
            table["fen"].tolist(),
            strict=True,
        ):
            register.add(
                "dibao.standard",
                f"{code:06d}",
                epoch + _dt.timedelta(days=start),
                f"{fen // 100}.{fen % 100:02d}",
                residence="rural" if rural else "urban",
                source=SOURCE,
            )

    @hookimpl
    def civilaffairs_register_policies(register: Any) -> None:
        for province, choice in ROUNDING.items():
            register.add("dibao", "rounding", province, "2020-01-01", choice, source=SOURCE)

    module = types.ModuleType("civilaffairs_peer_benchmark", "synthetic standards")
    module.civilaffairs_register_standards = civilaffairs_register_standards  # type: ignore[attr-defined]
    module.civilaffairs_register_policies = civilaffairs_register_policies  # type: ignore[attr-defined]
    return module


def peer_registry(seed: int) -> Any:
    """A new registry of the national baseline and the ``peer`` plugin (no installed
    plugin). Each library run gets a new one, as each command run builds its own: nothing
    resolved by an earlier run is reused."""
    from civilaffairs.plugin_manager import make_plugin_manager
    from civilaffairs.registry import build_registry

    pm = make_plugin_manager(
        load_entrypoints=False, plugins={"peer": peer_plugin(seed)}, strict=True
    )
    return build_registry(pm, strict=True)


# -- the hand-written rule ------------------------------------------------------------------


#: The income kinds the national dibao rule does not count (its ``excluded_income`` point;
#: :func:`run` checks that the library's default is the same).
EXCLUDED = frozenset(
    {"veterans_care", "family_planning", "scholarship", "assistance", "heroism_reward"}
    | {"pension_basic"}
)


def numpy_dibao(directory: Path, out: Path) -> np.ndarray:
    """Dibao by hand, Parquet in (households, persons and the standards table), Parquet
    out; returns the amounts in fen."""
    hh = pq.read_table(
        directory / "households.parquet", columns=["household_id", "region", "residence"]
    )
    names = pq.ParquetFile(directory / "persons.parquet").schema_arrow.names
    excluded = {f"income_{k}" for k in EXCLUDED}
    counted = [c for c in names if c.startswith("income_") and c not in excluded]
    pp = pq.read_table(directory / "persons.parquet", columns=["household_id", *counted])
    # the standard in force on the day, per (county, residence): the latest start <= day
    table = pq.read_table(directory / "standards.parquet")
    std = {name: table[name].to_numpy() for name in table.column_names}
    live = std["start"] <= (DAY - _dt.date(1970, 1, 1)).days
    key = std["county"][live] * 2 + std["rural"][live]
    order = np.lexsort((std["start"][live], key))
    last = np.append(key[order][1:] != key[order][:-1], True)
    lookup = np.zeros(2_000_000, dtype=np.int64)
    lookup[key[order][last]] = std["fen"][live][order][last]
    rounding = np.zeros(100, dtype=np.int8)
    for province, choice in ROUNDING.items():
        rounding[int(province) // 10000] = _ROUNDING_CODE[choice]
    # households
    code = pc.cast(hh["region"], pa.int32()).to_numpy()
    rural = pc.equal(hh["residence"], "rural").to_numpy(zero_copy_only=False)
    standard = lookup[code * 2 + rural]
    # members: persons are grouped by household, in the households' order
    pid = pp["household_id"].combine_chunks()
    changed = pc.not_equal(pid[1:], pid[:-1]).to_numpy(zero_copy_only=False)
    starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
    assert starts.size == hh.num_rows, "persons are not grouped by household"
    income_p = np.zeros(pp.num_rows, dtype=np.int64)
    for c in counted:
        income_p += pp[c].to_numpy()
    income = np.add.reduceat(income_p, starts) if starts.size else income_p[:0]
    size = np.diff(np.append(starts, pp.num_rows))
    threshold = standard * size
    eligible = income < threshold
    amount = np.where(eligible, threshold - income, 0)
    how = rounding[code // 10000]
    amount = np.where(how == 1, -((-amount) // 100) * 100, amount)
    amount = np.where(how == 3, (amount + 50) // 100 * 100, amount)
    pq.write_table(
        pa.table(
            {
                "household_id": hh["household_id"],
                "dibao_eligible": pa.array(eligible),
                "dibao_amount_fen": pa.array(amount, pa.int64()),
            }
        ),
        out,
    )
    return amount


# -- the library, as the command line runs it ------------------------------------------------


def library(directory: Path, out: Path, programs: list[str] | None) -> str:
    """``civilaffairs assess-bulk`` in this process; returns what it printed."""
    from civilaffairs.cli import main

    args = ["assess-bulk", str(directory), "--on", MONTH, "--out", str(out)]
    for pid in programs or ():
        args += ["--program", pid]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(args)
    if code:
        raise SystemExit(f"assess-bulk exited with {code}: {printed.getvalue()}")
    return printed.getvalue()


def library_amounts(out: Path, n: int) -> np.ndarray | None:
    """The dibao amounts of a results file in household order (``None`` unless every
    household was assessed, in order)."""
    table = pq.read_table(out, columns=["row", "dibao_amount_fen", "dibao_status"])
    rows = table["row"].to_numpy()
    if table.num_rows != n or not np.array_equal(rows, np.arange(n)):
        return None
    if pc.any(pc.not_equal(table["dibao_status"], 0)).as_py():
        return None
    amounts: np.ndarray = table["dibao_amount_fen"].to_numpy()
    return amounts


# -- measuring ----------------------------------------------------------------------------------


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Any, *args: Any, reset: bool = True) -> tuple[float, float, Any]:
    """Seconds, peak RSS (MiB) and the result of ``fn(*args)`` (the peak since the
    high-water mark was reset just before, or since the process began without *reset*)."""
    if reset:
        _reset_peak()
    t = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - t
    return seconds, _peak_mib(), result


#: The one-province reform of ``--extra reform``: Guangdong's rounding down (the counties'
#: own standards would win over a provincial standard, so a standard would change nothing).
REFORM = "dibao.rounding@440000=down"


def _reform(directory: Path, work: Path, fresh: Any) -> tuple[float, float]:
    """Seconds of the baseline (``assess_bulk``, every programme) and of the simulation of
    :data:`REFORM` (``simulate``, which runs the baseline too), each with a new registry."""
    from civilaffairs.bulk.run import assess_bulk
    from civilaffairs.bulk.simulate import simulate

    work.mkdir()
    registry = fresh()
    t = time.perf_counter()
    assess_bulk(directory, MONTH, work / "baseline.parquet", registry=registry)
    base = time.perf_counter() - t
    registry = fresh()
    t = time.perf_counter()
    simulate(directory, [REFORM], MONTH, out=work / "reform", registry=registry)
    return base, time.perf_counter() - t


def _dask(directory: Path, workers: int, registry: Any) -> tuple[float, float]:
    """Seconds of ``civilaffairs.dask`` on a new local cluster of *workers* processes:
    the first run (the workers import the library and receive the registry) and the
    second, on warm workers."""
    from distributed import Client, LocalCluster

    import civilaffairs.dask as cdask

    with (
        LocalCluster(
            n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        households, persons = cdask.read_registry(directory, partition_size=100_000)
        runs = []
        for _ in range(2):
            t = time.perf_counter()
            result = cdask.assess(households, persons, MONTH, registry=registry)
            int(result.map_partitions(len).compute().sum())
            runs.append(time.perf_counter() - t)
        return runs[0], runs[1]


#: The household of the single-household measures (every bundled plugin installed).
SINGLE_HOUSEHOLD = (
    Path(__file__).resolve().parents[1] / "examples" / "households" / "beijing-3.json"
)


def _median_us(fn: Any, n: int, warmup: int = 50) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1e6, 1)


def single(n: int = 2000) -> dict[str, Any]:
    """One household (``examples/households/beijing-3.json``, August 2024) with the
    installed plugins, in this process after a first call: medians of *n* calls of
    ``assess`` for every programme (the decision built lazily), dibao only, every programme
    rendered as text and as JSON (``to_dict``); and the first assessment in a fresh process
    (``benchmarks/startup.py``)."""
    import civilaffairs.registry
    from civilaffairs import Household, assess
    from civilaffairs.convert import load_json

    sys.path.insert(0, str(Path(__file__).parent))
    try:
        from startup import measure_first_assessment
    finally:
        sys.path.pop(0)
    civilaffairs.registry.reset_registry()  # the installed plugins, not the peer one
    household = load_json(SINGLE_HOUSEHOLD, Household)
    out: dict[str, Any] = {
        "single_household": SINGLE_HOUSEHOLD.name,
        "single_all_us": _median_us(lambda: assess(household, "2024-08"), n),
        "single_dibao_us": _median_us(lambda: assess(household, "2024-08", ["dibao"]), n),
        "single_render_us": _median_us(lambda: assess(household, "2024-08").render(), n // 4),
        "single_to_dict_us": _median_us(lambda: assess(household, "2024-08").to_dict(), n // 4),
    }
    out.update(measure_first_assessment(7))
    civilaffairs.registry.reset_registry()
    return out


def _child(args: argparse.Namespace, impl: str) -> dict[str, Any]:
    """This script for *impl* alone, once, in a new process (for its peak RSS: the
    process's VmHWM, never reset there)."""
    import subprocess

    argv = [sys.executable, __file__, "--n", str(args.n), "--seed", str(args.seed)]
    argv += ["--only", impl, "--repeat", "1", "--warmup", "0", "--json", "--child"]
    if args.data:
        argv += ["--data", args.data]
    if args.work:
        argv += ["--work", args.work]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"{impl} alone failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    import civilaffairs.registry
    from civilaffairs.programs.common import EXCLUDED_INCOME

    assert set(EXCLUDED_INCOME.default) == EXCLUDED, "the numpy rule's exclusions are stale"

    directory = generate(
        args.n,
        Path(args.data or Path(tempfile.gettempdir()) / "civilaffairs-peer")
        / f"n{args.n}-s{args.seed}",
        args.seed,
    )

    def fresh() -> Any:
        # what `civilaffairs assess-bulk` reads (a new one each run, as a new process has)
        registry = civilaffairs.registry._registry = peer_registry(args.seed)
        return registry

    impls = [i for i in ("numpy", "dibao", "all") if i in args.only.split(",")]
    seconds: dict[str, list[float]] = {i: [] for i in impls}
    peaks: dict[str, list[float]] = {i: [] for i in impls}
    out: dict[str, Any] = {
        "n": args.n,
        "counties": COUNTIES,
        "month": MONTH,
        "data": str(directory),
    }
    match: bool | None = None
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        hand = lib = None
        for r in range(-args.warmup, args.repeat):
            # rotate the order so that no implementation always runs first; runs before
            # the first (r < 0) warm up (imports, first reads) and are not counted
            for impl in impls[r % len(impls) :] + impls[: r % len(impls)]:
                target = work / f"{impl}.parquet"
                reset = not args.child  # alone in a process: its whole peak
                if impl == "numpy":
                    s, peak, hand = timed(numpy_dibao, directory, target, reset=reset)
                else:
                    fresh()
                    s, peak, _ = timed(
                        library,
                        directory,
                        target,
                        ["dibao"] if impl == "dibao" else None,
                        reset=reset,
                    )
                    if impl == "dibao" or lib is None:
                        lib = library_amounts(target, args.n)
                print(
                    f"{'warm-up' if r < 0 else f'repeat {r + 1}'}: {impl} {s:.3f} s, "
                    f"peak {peak:.0f} MiB",
                    file=sys.stderr,
                )
                if r >= 0:
                    seconds[impl].append(s)
                    peaks[impl].append(peak)
        if hand is not None and lib is not None:
            match = bool(np.array_equal(hand, lib))
            out["numpy_checksum_fen"] = int(hand.sum())
            out["library_checksum_fen"] = int(lib.sum())
            out["eligible"] = int((hand > 0).sum())
        elif hand is not None and "dibao" in impls:
            match = False  # the library left a household out or skipped dibao somewhere
        extras = set(filter(None, args.extra.split(",")))
        if "reform" in extras:
            for r in range(args.warmup):  # the first simulation imports matplotlib
                _reform(directory, work / f"reform-warm-up{r}", fresh)
            pairs = [_reform(directory, work / f"reform{r}", fresh) for r in range(args.repeat)]
            out["reform_baseline_s"] = [b for b, _ in pairs]
            out["reform_s"] = [s for _, s in pairs]
            out["reform_vs_baseline"] = statistics.median(s / b for b, s in pairs)
        if "dask" in extras:
            pairs = [
                (_dask(directory, 1, fresh()), _dask(directory, 2, fresh()))
                for _ in range(args.repeat)
            ]
            out["dask_1_worker_s"] = [round(a[1], 3) for a, _ in pairs]
            out["dask_2_workers_s"] = [round(b[1], 3) for _, b in pairs]
            out["dask_2_vs_1_speedup"] = statistics.median(a[1] / b[1] for a, b in pairs)
            # the first run of each cluster, workers importing the library
            out["dask_1_worker_cold_s"] = [round(a[0], 3) for a, _ in pairs]
            out["dask_2_workers_cold_s"] = [round(b[0], 3) for _, b in pairs]
            out["dask_2_vs_1_cold_speedup"] = statistics.median(a[0] / b[0] for a, b in pairs)
    for impl in impls:
        out[f"{impl}_read_result_s"] = statistics.median(seconds[impl])
        out[f"{impl}_runs_s"] = [round(s, 4) for s in seconds[impl]]
        out[f"{impl}_in_process_peak_rss_mib"] = round(max(peaks[impl]), 1)
    if args.rss and not args.child:
        # each implementation alone in a new process: its own peak, nothing held before
        for impl in impls:
            child = _child(args, impl)
            # taken as the run ended, before its results are read back for the checksum
            out[f"{impl}_peak_rss_mib"] = child[f"{impl}_in_process_peak_rss_mib"]
        library_peaks = [out[f"{i}_peak_rss_mib"] for i in impls if i != "numpy"]
        if library_peaks:
            out["peak_rss_mib"] = max(library_peaks)
    if "numpy" in impls:
        for impl in ("dibao", "all"):
            if impl in impls:
                ratios = [a / b for a, b in zip(seconds[impl], seconds["numpy"], strict=True)]
                out[f"{impl}_vs_numpy"] = round(statistics.median(ratios), 3)
    # the high-water mark of this process's memory since it began (VmHWM, without a reset
    # in a child); not ru_maxrss, which a child started by fork and exec inherits from its
    # parent
    out["process_peak_rss_mib"] = round(
        max([_peak_mib(), *(p for ps in peaks.values() for p in ps)]), 1
    )
    out.setdefault("peak_rss_mib", out["process_peak_rss_mib"])
    out["checksum_match"] = match
    if args.single and not args.child:
        out.update(single())
    out["repeat"] = args.repeat
    out["warmup"] = args.warmup
    out["cpus"] = os.cpu_count()
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="households (default 100,000)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--repeat", type=int, default=3, help="runs of each implementation")
    p.add_argument("--warmup", type=int, default=1, help="uncounted runs first (default 1)")
    p.add_argument("--data", help="directory for the generated data (kept between runs)")
    p.add_argument("--work", help="directory for the result files (default: a temporary one)")
    p.add_argument("--only", default="numpy,dibao,all", help="implementations to run")
    p.add_argument("--extra", default="", help="also measure: reform, dask (comma-separated)")
    p.add_argument(
        "--no-rss",
        dest="rss",
        action="store_false",
        help="skip the peak RSS runs (each implementation once more, alone in a new process)",
    )
    p.add_argument(
        "--no-single",
        dest="single",
        action="store_false",
        help="skip the single-household measures (in this process, and in fresh processes)",
    )
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<28} {value}")
    return 0 if result["checksum_match"] in (True, None) else 1


if __name__ == "__main__":
    raise SystemExit(main())
