"""Tests of the Shanghai plugin (上海市插件), through its installed entry point.

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

PLUGIN = "shanghai"
PROVINCE = "310000"
DATA: dict[str, Any] = tomllib.loads(
    (files("civilaffairs_shanghai") / "standards.toml").read_text(encoding="utf-8")
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
    assert entry_point.value == "civilaffairs_shanghai"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "civilaffairs-shanghai"


def test_the_plugin_loads_through_its_entry_point(registry: Any) -> None:
    record = registry.plugin(PLUGIN)
    assert record.status == "loaded"
    assert record.module == "civilaffairs_shanghai"
    assert record.counts["standards"] == len(DATA["standard"])
    assert record.counts["policies"] == len(DATA.get("policy", []))


def test_every_value_is_cited_and_nothing_conflicts(registry: Any) -> None:
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    # Stricter than the default: even the provisional values name their source.
    assert_all_cited(registry, plugin=PLUGIN, allow_provisional=False)


def test_provisional_values_are_those_from_compilations_or_with_assumed_dates() -> None:
    provisional = {
        (e["key"], e["effective_from"]) for e in DATA["standard"] if e.get("provisional")
    }
    assert provisional == {
        ("disability.living_subsidy", "2025-07-01"),
        ("disability.nursing_subsidy", "2025-07-01"),
        ("temporary.max_multiple", "2024-01-01"),
    }


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize("county", ["310101", "310104", "310151"])
def test_dibao_standard_from_2021_07(registry: Any, county: str, residence: str) -> None:
    for on in ("2021-07-01", "2023-01-01", "2025-08-01"):
        value = registry.resolve("dibao.standard", county, on, residence)
        assert value.value == Money.parse("1330")
        assert (value.plugin, value.region, value.provisional) == (PLUGIN, PROVINCE, False)
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", county, "2021-06-30", residence)


def test_the_minors_standard_is_recorded_in_the_note(registry: Any) -> None:
    value = registry.resolve("dibao.standard", "310104", "2021-07-01", "urban")
    assert value.note is not None
    assert "1730" in value.note


def test_every_district_is_covered(registry: Any) -> None:
    assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on="2024-08-01")
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=("disability.living_subsidy", "disability.nursing_subsidy"),
        on="2025-07-01",
    )


def test_disability_subsidies_register_the_first_listed_tier(registry: Any) -> None:
    living = registry.resolve("disability.living_subsidy", "310115", "2025-07-01")
    nursing = registry.resolve("disability.nursing_subsidy", "310115", "2025-07-01")
    assert (living.value, nursing.value) == (Money.parse("450"), Money.parse("350"))
    assert living.provisional
    assert nursing.provisional
    assert "320" in (living.note or "")
    assert "180" in (nursing.note or "")
    with pytest.raises(MissingStandard):
        registry.resolve("disability.living_subsidy", "310115", "2025-06-30")


def test_temporary_assistance_is_three_months_of_the_standard(registry: Any) -> None:
    value = registry.resolve("temporary.max_multiple", "310104", "2024-03-01")
    assert value.value == Decimal("3")
    with pytest.raises(MissingStandard):
        registry.resolve("temporary.max_multiple_special", "310104", "2024-03-01")


@pytest.mark.parametrize(
    ("program", "point", "on"),
    [
        ("high_spending", "enabled", "2024-01-01"),
        ("high_spending", "work_income_exempt_up_to_minimum_wage", "2024-01-01"),
        ("tekun", "students_stay_covered_after_16", "2025-01-01"),
    ],
)
def test_policy_overrides_resolve_from_their_date(
    registry: Any, program: str, point: str, on: str
) -> None:
    day = dt.date.fromisoformat(on)
    for county in ("310101", "310230"):
        resolved = registry.policy(program, point, county, day, "urban")
        assert resolved.value is True
        assert resolved.override is not None
        assert resolved.override.plugin == PLUGIN
        earlier = registry.policy(program, point, county, day - dt.timedelta(days=1), "urban")
        assert earlier.is_default
        assert earlier.value is False
    elsewhere = registry.policy(program, point, "320102", day, "urban")
    assert elsewhere.is_default


def test_every_policy_entry_is_a_valid_value_of_its_point(registry: Any) -> None:
    for entry in DATA["policy"]:
        spec = registry.programs[entry["program"]].policy_points[entry["point"]]
        resolved = registry.policy(
            entry["program"], entry["point"], entry["region"], entry["effective_from"]
        )
        assert resolved.override is not None
        assert resolved.override.plugin == PLUGIN
        assert resolved.value == spec.validate(entry["value"])


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
