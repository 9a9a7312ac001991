"""The dibao peer benchmark (``benchmarks/peer.py``) at 100,000 households under
pytest-benchmark (``nox -s bench``).

Read → result, Parquet in and a result file out, for the hand-written numpy rule and
``civilaffairs assess-bulk`` (dibao only, every programme). Each library round gets a new
registry (untimed), as each command run builds its own. The dibao round also checks that
every household's amount equals numpy's, to the fen. The 1M and 10M runs, side by side in
one process with peak RSS, are ``scripts/peer_scale.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

N = 100_000
SEED = 2024


def _peer() -> Any:
    name = "civilaffairs_peer_benchmark_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("peer.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    peer = _peer()
    directory: Path = peer.generate(N, tmp_path_factory.mktemp("peer") / "data", SEED)
    return directory


@pytest.fixture(scope="module")
def numpy_amounts(data: Path, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    amounts: np.ndarray = _peer().numpy_dibao(data, tmp_path_factory.mktemp("np") / "n.parquet")
    return amounts


def _fresh_registry() -> None:
    import civilaffairs.registry

    civilaffairs.registry._registry = _peer().peer_registry(SEED)


@pytest.fixture(autouse=True)
def _installed_registry_back() -> Any:
    import civilaffairs.registry

    before = civilaffairs.registry._registry
    yield
    civilaffairs.registry._registry = before


def test_bench_peer_numpy_read_result(benchmark: Any, data: Path, tmp_path: Path) -> None:
    peer = _peer()
    benchmark.pedantic(
        peer.numpy_dibao, args=(data, tmp_path / "numpy.parquet"), rounds=3, warmup_rounds=1
    )


def test_bench_peer_dibao_read_result(
    benchmark: Any, data: Path, tmp_path: Path, numpy_amounts: np.ndarray
) -> None:
    peer = _peer()
    out = tmp_path / "dibao.parquet"
    benchmark.pedantic(
        peer.library,
        args=(data, out, ["dibao"]),
        setup=_fresh_registry,
        rounds=3,
        warmup_rounds=1,
    )
    amounts = peer.library_amounts(out, N)
    assert amounts is not None
    assert np.array_equal(amounts, numpy_amounts)  # checksum_match, to the fen


def test_bench_peer_all_programmes_read_result(benchmark: Any, data: Path, tmp_path: Path) -> None:
    peer = _peer()
    benchmark.pedantic(
        peer.library,
        args=(data, tmp_path / "all.parquet", None),
        setup=_fresh_registry,
        rounds=3,
        warmup_rounds=1,
    )
