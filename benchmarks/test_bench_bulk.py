"""Bulk benchmarks on 100,000 synthetic households (``nox -s bench``).

The 1M / 10M side-by-side run with peak RSS per size is ``benchmarks/bulk_scale.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from civilaffairs.bulk.arrow import frame_from_arrow
from civilaffairs.bulk.run import assess_bulk
from civilaffairs.bulk.simulate import simulate
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.registry import get_registry
from civilaffairs.synth import synth_tables, write_synth

N = 100_000
MONTH = "2024-08"


@pytest.fixture(scope="module")
def tables() -> Any:
    return synth_tables(N, seed=2024)


@pytest.fixture(scope="module")
def frame(tables: Any) -> Any:
    return frame_from_arrow(tables[0], tables[1], MONTH).frame


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-registry")
    write_synth(N, out, seed=2024)
    return out


def test_bench_frame_from_arrow(benchmark: Any, tables: Any) -> None:
    benchmark(frame_from_arrow, tables[0], tables[1], MONTH)


def test_bench_all_programmes(benchmark: Any, frame: Any) -> None:
    benchmark(evaluate_frame, frame, get_registry())


def test_bench_dibao(benchmark: Any, frame: Any) -> None:
    benchmark(evaluate_frame, frame, get_registry(), ["dibao"])


def test_bench_dibao_by_hand_numpy(benchmark: Any, frame: Any) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "bulk_scale", Path(__file__).with_name("bulk_scale.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bulk_scale"] = module
    spec.loader.exec_module(module)
    table = get_registry().standards.compile("dibao.standard")

    def run() -> Any:
        values, _, _ = table.resolve_many(
            np.asarray(frame.regions), np.datetime64("2024-08-01"), frame.hh["rural"]
        )
        return module._numpy_dibao(frame, values)

    benchmark(run)


def test_bench_assess_bulk_parquet(benchmark: Any, directory: Path, tmp_path: Path) -> None:
    benchmark.pedantic(assess_bulk, args=(directory, MONTH, tmp_path / "r.parquet"), rounds=3)


def test_bench_one_province_reform(benchmark: Any, directory: Path) -> None:
    benchmark.pedantic(simulate, args=(directory, ["dibao.standard@310000=1500"], MONTH), rounds=3)
