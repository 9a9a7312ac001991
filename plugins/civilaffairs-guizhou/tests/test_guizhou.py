"""Tests of the Guizhou plugin (贵州省插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_plugin_registry`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from civilaffairs.errors import MissingStandard
from civilaffairs.testing import (
    assert_counties_covered,
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
