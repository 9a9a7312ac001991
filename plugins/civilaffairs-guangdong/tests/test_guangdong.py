"""Tests of the Guangdong plugin (广东省插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_plugin_registry`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

from typing import Any

import pytest

from civilaffairs import regions
from civilaffairs.errors import MissingStandard
from civilaffairs.money import Money
from civilaffairs.testing import (
    assert_counties_covered,
    check_data_file_plugin,
    read_plugin_data,
)

PLUGIN = "guangdong"
PROVINCE = "440000"
DATA = read_plugin_data("civilaffairs_guangdong")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


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
