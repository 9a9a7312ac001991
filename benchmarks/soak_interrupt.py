"""Soak: interrupt ``assess-bulk`` at random points and check that it never leaves output.

    python benchmarks/soak_interrupt.py --households 2000000 --runs 5 --seed 7

Generates a synthetic registry, then runs ``civilaffairs assess-bulk`` *runs* times, each
interrupted after a random delay (SIGINT and SIGTERM in turn), and checks each time that the
exit code is 130 or 143 and that nothing is left in the output directory. A last run goes to
completion and is checked: results + errors = households, and a manifest. Prints one line per
run and the timings.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "civilaffairs", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = args.dir or Path(tempfile.mkdtemp(prefix="civilaffairs-soak-"))
    registry = work / "registry"
    out_dir = work / "out"
    t = time.perf_counter()
    if not registry.exists():
        subprocess.run(
            _cli("synth", str(args.households), "--out", str(registry), "--seed", str(args.seed)),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"registry of {args.households} households in {time.perf_counter() - t:.1f} s")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "results.parquet"
    command = _cli("assess-bulk", str(registry), "--on", "2024-08", "--out", str(out))
    t = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    full = time.perf_counter() - t
    for leftover in out_dir.iterdir():
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    print(f"uninterrupted run: {full:.1f} s")
    failures = 0
    for k in range(args.runs):
        sig = signal.SIGINT if k % 2 == 0 else signal.SIGTERM
        delay = rng.uniform(0.5, max(full * 0.9, 1.0))
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(sig)
        proc.communicate(timeout=600)
        left = sorted(p.name for p in out_dir.iterdir())
        expected = 130 if sig == signal.SIGINT else 143
        ok = proc.returncode == expected and not left
        failures += not ok
        print(
            f"run {k + 1}: {sig.name} after {delay:.1f} s -> exit {proc.returncode} "
            f"(want {expected}), left at --out: {left or 'nothing'} {'ok' if ok else 'FAIL'}"
        )
    t = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    manifest = json.loads((out_dir / "results.manifest.json").read_text(encoding="utf-8"))
    complete = done.returncode == 0 and manifest.get("households") == args.households
    failures += not complete
    print(
        f"final run: exit {done.returncode} in {time.perf_counter() - t:.1f} s; manifest "
        f"households {manifest.get('households')}, assessed {manifest.get('assessed')}, "
        f"errors {manifest.get('errors')} {'ok' if complete else 'FAIL'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
