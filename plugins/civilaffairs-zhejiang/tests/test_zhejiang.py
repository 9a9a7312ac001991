"""Tests of the Zhejiang plugin (浙江省插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_plugin_registry`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from civilaffairs import regions
from civilaffairs.errors import MissingStandard
from civilaffairs.testing import (
    assert_counties_covered,
    check_data_file_plugin,
    read_plugin_data,
)

PLUGIN = "zhejiang"
PROVINCE = "330000"
DATA = read_plugin_data("civilaffairs_zhejiang")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


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
