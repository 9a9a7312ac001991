"""Tests of the Guizhou plugin (贵州省插件), through its installed entry point.

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

PLUGIN = "guizhou"
PROVINCE = "520000"
DATA: dict[str, Any] = tomllib.loads(
    (files("civilaffairs_guizhou") / "standards.toml").read_text(encoding="utf-8")
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
    assert entry_point.value == "civilaffairs_guizhou"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "civilaffairs-guizhou"


def test_the_plugin_loads_through_its_entry_point(registry: Any) -> None:
    record = registry.plugin(PLUGIN)
    assert record.status == "loaded"
    assert record.module == "civilaffairs_guizhou"
    assert record.counts["standards"] == len(DATA["standard"])
    assert record.counts["policies"] == len(DATA.get("policy", []))


def test_every_value_is_cited_and_nothing_conflicts(registry: Any) -> None:
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    # Stricter than the default: even the provisional values name their source.
    assert_all_cited(registry, plugin=PLUGIN, allow_provisional=False)


def test_the_multiple_is_provisional_because_only_its_year_is_known() -> None:
    (entry,) = DATA["standard"]
    assert entry["provisional"] is True
    assert "1 January" in entry["note"]


def test_tekun_multiple_covers_every_county(registry: Any) -> None:
    assert_counties_covered(
        registry, PROVINCE, keys=("tekun.basic_living_multiple",), on="2017-01-01"
    )


@pytest.mark.parametrize("county", ["520102", "520322", "522301"])
def test_guizhou_multiple_replaces_the_national_default_from_2017(
    registry: Any, county: str
) -> None:
    before = registry.resolve("tekun.basic_living_multiple", county, "2016-12-31", "rural")
    after = registry.resolve("tekun.basic_living_multiple", county, "2017-01-01", "rural")
    assert before.plugin == "national"
    assert (after.plugin, after.region, after.value) == (PLUGIN, PROVINCE, Decimal("1.3"))


def test_no_dibao_standard_is_registered_so_an_assessment_reports_it_missing(
    registry: Any,
) -> None:
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", "520102", "2024-08-01", "rural")


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
