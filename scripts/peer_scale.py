"""The dibao peer benchmark at 1M and 10M households, and the targets it is held to.

    python scripts/peer_scale.py                          # 1M (3 repeats) and 10M (1 run)
    python scripts/peer_scale.py --sizes 1000000 --repeat 5 --extra reform,dask
    python scripts/peer_scale.py --data /var/tmp/peer --out /var/tmp/peer-results

Runs ``benchmarks/peer.py --json`` once per size (each size in its own process; inside it
the implementations run side by side, interleaved, and each once more alone in a new
process for its peak RSS), keeps every JSON object in ``--out`` (``peer-<n>.json``) and
prints one line per target with its number:

* 1M, dibao read → result ≤ 2× numpy read → result (median of the per-repeat ratios);
* 1M, all programmes ≤ 4× numpy dibao;
* 10M dibao ≤ 11× the 1M dibao time, with peak RSS ≤ 1 GiB at 10M and flat from 1M
  (the 10M peak at most 1.25× the 1M peak);
* with ``--extra reform``: a one-province reform ≤ 1.2× its baseline run (at 1M, and
  once at 10M, where the simulation's fixed costs, its chart and its totals for 3,000
  counties, weigh less);
* with ``--extra dask``: 2 local Dask workers ≥ 1.5× as fast as 1;
* one household (``benchmarks/peer.py``'s single-household measures, taken with the first
  size): every programme with the decision built lazily ≤ 100 µs, dibao only ≤ 30 µs, every
  programme rendered as text ≤ 300 µs; the first assessment in a fresh process with every
  installed plugin ≤ 150 ms.

Timings on a shared machine are noisy: only ratios measured side by side mean much, and
they are medians. Generated data is kept in ``--data`` and reused.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PEER = Path(__file__).resolve().parents[1] / "benchmarks" / "peer.py"


def measure(n: int, args: argparse.Namespace, repeat: int, extra: str) -> dict[str, Any]:
    argv = [sys.executable, str(PEER), "--n", str(n), "--json", "--repeat", str(repeat)]
    argv += ["--data", args.data, "--seed", str(args.seed)]
    if extra:
        argv += ["--extra", extra]
    print(
        f"peer.py --n {n:,} --repeat {repeat} {('--extra ' + extra) if extra else ''}", flush=True
    )
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if not lines:  # status 1 with a result is a checksum mismatch, reported as such
        sys.stderr.write(done.stderr)
        raise SystemExit(f"peer.py --n {n} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _row(label: str, value: float | None, limit: str, ok: bool | None) -> str:
    shown = "n/a" if value is None else f"{value:,.3f}"
    verdict = "n/a" if ok is None else ("met" if ok else "MISSED")
    return f"{label:<58} {shown:>12}  {limit:<12} {verdict}"


def _bound(label: str, value: float | None, limit: float, *, at_least: bool = False) -> str:
    """The row of a target that *value* must not exceed (or, *at_least*, not fall short of)."""
    ok = None if value is None else (value >= limit if at_least else value <= limit)
    return _row(label, value, f"{'>=' if at_least else '<='} {limit:g}", ok)


def targets(results: dict[int, dict[str, Any]]) -> list[str]:
    lines = [f"{'target':<58} {'measured':>12}  {'limit':<12} verdict"]
    small = results.get(1_000_000)
    large = results.get(10_000_000)
    if small:
        lines += [
            _bound("1M dibao / numpy, read -> result", small.get("dibao_vs_numpy"), 2),
            _bound("1M all programmes / numpy dibao, read -> result", small.get("all_vs_numpy"), 4),
            _bound("1M one-province reform / baseline", small.get("reform_vs_baseline"), 1.2),
            _bound(
                "1M Dask 2 local workers vs 1 (speed-up)",
                small.get("dask_2_vs_1_speedup"),
                1.5,
                at_least=True,
            ),
            _row("1M checksum_match", None, "true", small.get("checksum_match")),
        ]
    if large and large.get("reform_vs_baseline") is not None:
        lines.append(_bound("10M one-province reform / baseline", large["reform_vs_baseline"], 1.2))
    if small and large:
        peak = large.get("dibao_peak_rss_mib")
        flat = None if peak is None else peak / small["dibao_peak_rss_mib"]
        lines += [
            _bound(
                "10M dibao time / 1M dibao time",
                large["dibao_read_result_s"] / small["dibao_read_result_s"],
                11,
            ),
            _bound("10M dibao peak RSS, MiB", peak, 1024),
            _bound("10M / 1M dibao peak RSS", flat, 1.25),
            _bound("10M all programmes peak RSS, MiB", large.get("all_peak_rss_mib"), 1024),
            _row("10M checksum_match", None, "true", large.get("checksum_match")),
        ]
    single = small or large
    if single and "single_all_us" in single:
        for key, label, limit in (
            ("single_all_us", "one household, all programmes, lazy decision, µs", 100),
            ("single_dibao_us", "one household, dibao only, µs", 30),
            ("single_render_us", "one household, all programmes rendered as text, µs", 300),
            ("first_assessment_ms", "first assessment in a fresh process, all plugins, ms", 150),
        ):
            lines.append(_bound(label, single.get(key), limit))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--repeat", type=int, default=3, help="repeats at 1M (10M: 1)")
    parser.add_argument(
        "--extra", default="reform,dask", help="extra measures at 1M (reform at 10M too)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "civilaffairs-peer"))
    parser.add_argument(
        "--out", default=str(Path(tempfile.gettempdir()) / "civilaffairs-peer-results")
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        big = n >= 5_000_000
        extra = (
            args.extra if not big else ",".join(e for e in args.extra.split(",") if e == "reform")
        )
        results[n] = measure(n, args, 1 if big else args.repeat, extra)
        (out / f"peer-{n}.json").write_text(json.dumps(results[n], indent=2) + "\n")
        keys = ("numpy_read_result_s", "dibao_read_result_s", "all_read_result_s")
        print(
            f"  {n:,}: "
            + ", ".join(f"{k} {results[n][k]:.3f}" for k in keys if k in results[n])
            + f", checksum_match {results[n].get('checksum_match')}",
            flush=True,
        )
    print("\n".join(targets(results)))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
