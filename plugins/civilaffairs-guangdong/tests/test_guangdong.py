"""Tests of the Guangdong plugin (广东省插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_registry_factory`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import tomllib
from decimal import Decimal
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs import regions
from civilaffairs.errors import MissingStandard
from civilaffairs.money import Money
from civilaffairs.standards import Kind, get_key
from civilaffairs.testing import (
    assert_all_cited,
    assert_counties_covered,
    assert_no_conflicts,
    assert_no_plugin_errors,
)

PLUGIN = "guangdong"
PROVINCE = "440000"
DATA: dict[str, Any] = tomllib.loads(
    (files("civilaffairs_guangdong") / "standards.toml").read_text(encoding="utf-8")
)
COUNTIES = [r.code for r in regions.counties_under(PROVINCE)]
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def registry(civilaffairs_registry_factory: Any) -> Any:
    return civilaffairs_registry_factory(PLUGIN)


def parsed(key: str, text: str) -> Money | Decimal:
    return Money.parse(text) if get_key(key).kind is Kind.MONEY else Decimal(text)


def expected_entry(key: str, county: str, day: dt.date) -> dict[str, Any] | None:
    """The data-file entry that should answer (key, county, day): most specific region
    first, then the latest effective date on or before *day* (computed from the file
    itself, independently of the registry)."""
    for code in regions.get(county).resolution_chain():
        candidates = [
            e
            for e in DATA["standard"]
            if e["key"] == key
            and e["region"] == code
            and dt.date.fromisoformat(e["effective_from"]) <= day
        ]
        if candidates:
            latest: dict[str, Any] = max(candidates, key=lambda e: e["effective_from"])
            return latest
    return None


def test_the_entry_point_is_installed() -> None:
    (entry_point,) = importlib.metadata.entry_points(group="civilaffairs", name=PLUGIN)
    assert entry_point.value == "civilaffairs_guangdong"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "civilaffairs-guangdong"


def test_the_plugin_loads_through_its_entry_point(registry: Any) -> None:
    record = registry.plugin(PLUGIN)
    assert record.status == "loaded"
    assert record.module == "civilaffairs_guangdong"
    assert record.counts["standards"] == len(DATA["standard"])
    assert record.counts["policies"] == len(DATA.get("policy", []))


def test_every_value_is_cited_and_nothing_conflicts(registry: Any) -> None:
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    # Stricter than the default: even the provisional values name their source.
    assert_all_cited(registry, plugin=PLUGIN, allow_provisional=False)


def test_every_value_is_provisional() -> None:
    # Disability subsidies: third-party compilation; Shenzhen dibao: the day is unknown.
    assert all(e.get("provisional") for e in DATA["standard"])


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize("county", [r.code for r in regions.counties_under("440300")])
def test_shenzhen_dibao_standard(registry: Any, county: str, residence: str) -> None:
    value = registry.resolve("dibao.standard", county, "2017-01-01", residence)
    assert value.value == Money.parse("900")
    assert (value.region, value.plugin, value.provisional) == ("440300", PLUGIN, True)
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", county, "2016-12-31", residence)


def test_shenzhen_is_covered_and_the_rest_of_the_province_is_not(registry: Any) -> None:
    assert_counties_covered(registry, "440300", keys=("dibao.standard",), on="2024-08-01")
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", "440103", "2024-08-01", "urban")  # Guangzhou


def test_disability_subsidies_from_2026(registry: Any) -> None:
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=("disability.living_subsidy", "disability.nursing_subsidy"),
        on="2026-01-01",
    )
    for county in ("440103", "440304", "445302"):
        living = registry.resolve("disability.living_subsidy", county, "2026-03-01")
        nursing = registry.resolve("disability.nursing_subsidy", county, "2026-03-01")
        assert (living.value, nursing.value) == (Money.parse("217"), Money.parse("290"))
        with pytest.raises(MissingStandard):
            registry.resolve("disability.living_subsidy", county, "2025-12-31")


def test_every_entry_of_the_data_file_resolves_to_itself(registry: Any) -> None:
    for entry in DATA["standard"]:
        residences = ["urban", "rural"] if entry["residence"] == "both" else [entry["residence"]]
        for residence in residences:
            value = registry.resolve(
                entry["key"], entry["region"], entry["effective_from"], residence
            )
            assert value.plugin == PLUGIN
            assert value.value == parsed(entry["key"], entry["value"])
            assert value.provisional is entry.get("provisional", False)


@SETTINGS
@given(
    county=st.sampled_from(COUNTIES),
    day=st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)),
    key=st.sampled_from(sorted({e["key"] for e in DATA["standard"]})),
    residence=st.sampled_from(["urban", "rural"]),
)
def test_resolution_matches_the_data_file(
    registry: Any, county: str, day: dt.date, key: str, residence: str
) -> None:
    entry = expected_entry(key, county, day)
    if entry is None:
        try:
            value = registry.resolve(key, county, day, residence)
        except MissingStandard:
            return
        assert value.plugin == "national"
        return
    value = registry.resolve(key, county, day, residence)
    assert (value.plugin, value.region) == (PLUGIN, entry["region"])
    assert value.value == parsed(key, entry["value"])
