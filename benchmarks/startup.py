"""The first assessment in a fresh process, all installed plugins, as a user meets it.

    python benchmarks/startup.py [--repeat 7] [--household PATH] [--month 2024-08]

Each run is a new interpreter that imports ``civilaffairs``, reads one household with
``civilaffairs.convert.load_json`` and calls ``assess(household, month)`` with every installed
plugin. The wall clock counts from just before the child is started until it exits, so it
includes interpreter start-up. Bytecode caching is on, as it is for an installed package
(``PYTHONDONTWRITEBYTECODE`` is removed from the child's environment), and one uncounted warm-up
run writes the ``.pyc`` files first. ``import_ms`` is measured inside the child, from the
moment the parent launched it to ``civilaffairs`` (with ``Household``, ``assess`` and
``civilaffairs.convert``) imported.

:func:`measure_first_assessment` returns the medians; the ``__main__`` block prints them as
JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOUSEHOLD = ROOT / "examples" / "households" / "beijing-3.json"

# The child reports how long it took from its start to ``civilaffairs`` imported. Its start is
# the moment the parent launched it (``CIVILAFFAIRS_BENCH_T0``, wall-clock seconds), so process
# creation and interpreter start-up are counted, as a user waits for them.
_CHILD = r"""
import os, sys, time
import civilaffairs
from civilaffairs import Household, assess
import civilaffairs.convert
_import_s = time.time() - float(os.environ["CIVILAFFAIRS_BENCH_T0"])
_h = civilaffairs.convert.load_json(sys.argv[1], Household)
_a = assess(_h, sys.argv[2])
if not len(_a.decisions):
    raise SystemExit("no decisions")
print(_import_s * 1000.0)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _run_once(python: str, household: Path, month: str, env: dict[str, str]) -> tuple[float, float]:
    env = dict(env)
    env["CIVILAFFAIRS_BENCH_T0"] = repr(time.time())
    t0 = time.perf_counter()
    done = subprocess.run(
        [python, "-c", _CHILD, str(household), month],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = (time.perf_counter() - t0) * 1000.0
    if done.returncode != 0:
        raise RuntimeError(f"the child failed ({done.returncode}):\n{done.stderr}")
    return wall, float(done.stdout.strip().splitlines()[-1])


def measure_first_assessment(
    repeat: int = 7,
    *,
    household: Path = HOUSEHOLD,
    month: str = "2024-08",
    python: str = sys.executable,
) -> dict[str, Any]:
    """Time the first assessment of *household* in ``repeat`` fresh processes.

    :param repeat: how many counted runs (one more uncounted warm-up run writes the ``.pyc``).
    :param household: the household JSON file (default: ``examples/households/beijing-3.json``).
    :param month: the month assessed.
    :param python: the interpreter of the environment with civilaffairs and its plugins.
    :returns: ``{"first_assessment_ms": median wall clock of a whole run,
        "import_ms": median time from interpreter start to civilaffairs imported,
        "runs_ms": [wall clock of each run]}``.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    env = _env()
    _run_once(python, household, month, env)  # warm-up: writes the bytecode cache
    walls: list[float] = []
    imports: list[float] = []
    for _ in range(repeat):
        wall, imported = _run_once(python, household, month, env)
        walls.append(wall)
        imports.append(imported)
    return {
        "first_assessment_ms": statistics.median(walls),
        "import_ms": statistics.median(imports),
        "runs_ms": walls,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--household", type=Path, default=HOUSEHOLD)
    parser.add_argument("--month", default="2024-08")
    args = parser.parse_args()
    result = measure_first_assessment(args.repeat, household=args.household, month=args.month)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
