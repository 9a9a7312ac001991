"""Tests of the Zhejiang plugin (浙江省插件), through its installed entry point.

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

PLUGIN = "zhejiang"
PROVINCE = "330000"
DATA: dict[str, Any] = tomllib.loads(
    (files("civilaffairs_zhejiang") / "standards.toml").read_text(encoding="utf-8")
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
    assert entry_point.value == "civilaffairs_zhejiang"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "civilaffairs-zhejiang"


def test_the_plugin_loads_through_its_entry_point(registry: Any) -> None:
    record = registry.plugin(PLUGIN)
    assert record.status == "loaded"
    assert record.module == "civilaffairs_zhejiang"
    assert record.counts["standards"] == len(DATA["standard"])
    assert record.counts["policies"] == len(DATA.get("policy", []))


def test_every_value_is_cited_and_nothing_conflicts(registry: Any) -> None:
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    # Stricter than the default: even the provisional values name their source.
    assert_all_cited(registry, plugin=PLUGIN, allow_provisional=False)


def test_every_value_is_provisional_until_its_date_is_checked() -> None:
    # The values are confirmed, but the sources give only the year they took effect.
    assert all(e.get("provisional") for e in DATA["standard"])
    assert all("1 January" in e["note"] or "as above" in e["note"] for e in DATA["standard"])


@pytest.mark.parametrize(
    ("county", "on", "multiple", "region", "plugin"),
    [
        ("330102", "2019-12-31", "1.5", "000000", "national"),
        ("330102", "2020-01-01", "1.5", "330000", PLUGIN),
        ("330102", "2021-12-31", "1.5", "330000", PLUGIN),
        ("330102", "2022-01-01", "2.0", "330100", PLUGIN),
        ("330106", "2024-08-01", "2.0", "330100", PLUGIN),
        ("330203", "2024-08-01", "1.5", "330000", PLUGIN),
        ("331102", "2024-08-01", "1.5", "330000", PLUGIN),
    ],
)
def test_marginal_income_multiple(
    registry: Any, county: str, on: str, multiple: str, region: str, plugin: str
) -> None:
    value = registry.resolve("marginal.income_multiple", county, on, "urban")
    assert value.value == Decimal(multiple)
    assert (value.region, value.plugin) == (region, plugin)


def test_hangzhou_does_not_change_other_cities(registry: Any) -> None:
    for county in regions.counties_under(PROVINCE):
        value = registry.resolve("marginal.income_multiple", county.code, "2024-08-01", "rural")
        in_hangzhou = county.code.startswith("3301")
        assert value.value == Decimal("2.0" if in_hangzhou else "1.5")


def test_temporary_assistance_multiples_cover_every_county(registry: Any) -> None:
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=(
            "marginal.income_multiple",
            "temporary.max_multiple",
            "temporary.max_multiple_special",
        ),
        on="2024-08-01",
    )
    ordinary = registry.resolve("temporary.max_multiple", "330782", "2024-08-01")
    special = registry.resolve("temporary.max_multiple_special", "330782", "2024-08-01")
    assert (ordinary.value, special.value) == (Decimal("6"), Decimal("12"))


def test_no_dibao_standard_is_registered_so_an_assessment_reports_it_missing(
    registry: Any,
) -> None:
    assert not [e for e in DATA["standard"] if e["key"] == "dibao.standard"]
    with pytest.raises(MissingStandard) as info:
        registry.resolve("dibao.standard", "330102", "2024-08-01", "urban")
    assert info.value.region == "330102"


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
