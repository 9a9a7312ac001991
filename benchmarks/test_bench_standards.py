"""Benchmarks of the plugin system and standards resolution (``nox -s bench``).

* discovery and loading of every installed plugin (entry points → registry);
* ``import civilaffairs`` plus the first resolution, in a fresh interpreter;
* one ``resolve()`` call;
* ``resolve_many`` over 1,000,000 (region, day, residence) triples.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import numpy as np
import pytest

from civilaffairs import regions
from civilaffairs.plugin_manager import make_plugin_manager
from civilaffairs.registry import build_registry
from civilaffairs.standards import StandardsTable, StandardValue

SRC = {"issuer": "民政厅", "title": "关于调整最低生活保障标准的通知"}


@pytest.fixture(scope="module")
def nationwide() -> StandardsTable:
    """A registry-scale table: every province has a dibao standard on five dates, urban
    and rural; every tenth county has its own override."""
    values = []
    provinces = regions.all_regions(level=regions.Level.PROVINCE, current_only=True)
    for i, province in enumerate(provinces):
        for year in range(2020, 2025):
            for residence, base in (("urban", 900), ("rural", 700)):
                values.append(
                    StandardValue.build(
                        "dibao.standard",
                        province.code,
                        datetime.date(year, 7, 1),
                        str(base + 10 * i + 50 * (year - 2020)),
                        residence=residence,
                        source=SRC,
                        plugin="bench",
                    )
                )
    counties = regions.all_regions(level=regions.Level.COUNTY, current_only=True)
    for county in counties[::10]:
        values.append(
            StandardValue.build(
                "dibao.standard", county.code, "2023-01-01", "1234", source=SRC, plugin="bench"
            )
        )
    return StandardsTable(values)


def test_bench_discovery_and_loading(benchmark) -> None:  # type: ignore[no-untyped-def]
    registry = benchmark(lambda: build_registry(make_plugin_manager()))
    assert registry.plugin("national").status == "loaded"


def test_bench_import_and_first_resolution(benchmark) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import civilaffairs; "
        "v = civilaffairs.get_registry().resolve('poverty_line', '110105', '2024-08-01'); "
        "assert v.value"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_")}

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True, env=env)

    benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)


def test_bench_one_resolution(benchmark, nationwide: StandardsTable) -> None:  # type: ignore[no-untyped-def]
    day = datetime.date(2024, 8, 1)
    nationwide.resolve("dibao.standard", "110105", day, "urban")
    value = benchmark(nationwide.resolve, "dibao.standard", "110105", day, "urban")
    assert value.value


def test_bench_resolve_many_1m(benchmark, nationwide: StandardsTable) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(20240801)
    counties = np.array(
        [r.code for r in regions.all_regions(level=regions.Level.COUNTY, current_only=True)]
    )
    n = 1_000_000
    codes = counties[rng.integers(0, counties.size, n)]
    start = np.datetime64("2019-01-01")
    days = start + rng.integers(0, 6 * 365, n).astype("timedelta64[D]")
    residences = rng.integers(0, 2, n).astype(np.uint8)
    compiled = nationwide.compile("dibao.standard")
    compiled.resolve_many(codes[:1000], days[:1000], residences[:1000])  # build timelines once

    values, found, _index = benchmark(compiled.resolve_many, codes, days, residences)
    assert values.shape == (n,)
    assert found.mean() > 0.5
    # spot-check against the scalar path
    for i in rng.integers(0, n, 50):
        day = days[i].astype(datetime.date)
        expected = nationwide.try_resolve(
            "dibao.standard", str(codes[i]), day, ("urban", "rural")[residences[i]]
        )
        assert (expected is None) == (not found[i])
        if expected is not None:
            assert values[i] == expected.scaled


def test_bench_register_200k_values(benchmark) -> None:  # type: ignore[no-untyped-def]
    """One plugin registering 200,000 values (every county, many dates, out of date order)
    through its registrar, up to the frozen registry: registration is linear (appending to
    a region's series and sorting once, not inserting in order one by one)."""
    from civilaffairs import hookimpl

    counties = [r.code for r in regions.all_regions(level=regions.Level.COUNTY, current_only=True)]
    start = datetime.date(1900, 1, 1)
    n = 200_000

    class Bulk:
        @hookimpl
        def civilaffairs_register_standards(self, register) -> None:  # type: ignore[no-untyped-def]
            for i in range(n):
                day = start + datetime.timedelta(days=(i * 7919) % 40_000)
                register.add("dibao.standard", counties[i % len(counties)], day, "1000", source=SRC)

    def run() -> int:
        pm = make_plugin_manager(load_entrypoints=False, plugins={"bulk": Bulk()}, strict=True)
        return len(build_registry(pm).standards)

    count = benchmark.pedantic(run, rounds=1, iterations=1)
    assert count >= n
