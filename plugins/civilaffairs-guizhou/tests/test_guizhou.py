"""Tests of the Guizhou plugin (贵州省插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_plugin_registry`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from civilaffairs.errors import MissingStandard
from civilaffairs.money import Money
from civilaffairs.testing import (
    assert_counties_covered,
    assert_provisional_listed,
    check_data_file_plugin,
    read_plugin_data,
)

PLUGIN = "guizhou"
PROVINCE = "520000"
DATA = read_plugin_data("civilaffairs_guizhou")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


def test_every_value_is_provisional() -> None:
    provisional = {
        (e["key"], e["region"], e["effective_from"])
        for e in DATA["standard"]
        if e.get("provisional")
    }
    assert provisional == {
        ("dibao.standard", "520000", "2020-01-01"),
        ("tekun.basic_living_multiple", "520000", "2017-01-01"),
        ("disability.nursing_subsidy", "520000", "2023-07-01"),
    }
    assert len(DATA["standard"]) == 3


def test_the_multiple_is_dated_1_january_because_only_its_year_is_known() -> None:
    (entry,) = [e for e in DATA["standard"] if e["key"] == "tekun.basic_living_multiple"]
    assert "1 January" in entry["note"]


def test_nursing_subsidy_from_july_2023_covers_every_county(registry: Any) -> None:
    assert_counties_covered(
        registry, PROVINCE, keys=("disability.nursing_subsidy",), on="2023-07-01"
    )
    value = registry.resolve("disability.nursing_subsidy", "520102", "2024-08-01")
    assert (value.value, value.region, value.plugin, value.provisional) == (
        Money.parse("110"),
        PROVINCE,
        PLUGIN,
        True,
    )
    before = registry.standards.try_resolve("disability.nursing_subsidy", "520102", "2023-06-30")
    assert before is None or before.plugin != PLUGIN


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


@pytest.mark.parametrize("on", ["2020-01-01", "2024-08-01", "2025-08-01"])
@pytest.mark.parametrize("county", ["520102", "520322", "522301"])
def test_rural_dibao_is_the_provincial_average_and_urban_is_missing(
    registry: Any, county: str, on: str
) -> None:
    # Only the 2020 provincial average of the rural standards (4318 a year, divided by 12
    # and rounded down to the fen) is registered; no urban standard is.
    rural = registry.resolve("dibao.standard", county, on, "rural")
    assert (rural.value, rural.region, rural.plugin, rural.provisional) == (
        Money.parse("359.83"),
        PROVINCE,
        PLUGIN,
        True,
    )
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", county, on, "urban")


def test_rural_dibao_average_covers_every_county_from_2020(registry: Any) -> None:
    assert_counties_covered(
        registry, PROVINCE, keys=("dibao.standard",), on="2020-01-01", residences=("rural",)
    )
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", "520102", "2019-12-31", "rural")


def test_the_average_is_named_for_what_it_is() -> None:
    (entry,) = [e for e in DATA["standard"] if e["key"] == "dibao.standard"]
    assert entry["residence"] == "rural"
    assert "AVERAGE" in entry["note"]
    assert "rounded DOWN" in entry["note"]
    assert Money.parse(entry["value"]) * 12 <= Money.parse("4318")


def test_every_provisional_value_is_listed_in_the_readme() -> None:
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    assert_provisional_listed(
        read_plugin_data("civilaffairs_guizhou"), readme.read_text(encoding="utf-8")
    )
