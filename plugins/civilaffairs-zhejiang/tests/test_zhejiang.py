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
from civilaffairs.money import Money
from civilaffairs.testing import (
    assert_counties_covered,
    assert_provisional_listed,
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


def test_only_the_yiwu_institution_allowance_is_not_provisional() -> None:
    # Every other figure is from a third-party page, a report rather than the notice, an
    # inference, or has only its year.
    provisional = {
        (e["key"], e["region"], e["effective_from"])
        for e in DATA["standard"]
        if e.get("provisional")
    }
    wage_districts = {
        "330502",
        "330503",
        "330602",
        "330603",
        "330604",
        "331002",
        "331003",
        "331004",
    }
    assert provisional == {
        ("marginal.income_multiple", "330000", "2020-01-01"),
        ("marginal.income_multiple", "330100", "2022-01-01"),
        ("temporary.max_multiple", "330000", "2020-01-01"),
        ("temporary.max_multiple_special", "330000", "2020-01-01"),
        *{
            ("dibao.standard", code, "2017-11-01")
            for code in ("330100", "330112", "330122", "330127", "330182")
        },
        *{("minimum_wage", code, "2021-08-01") for code in wage_districts},
        ("children.left_behind.unable_parent_counts", "330000", "2016-07-01"),
    }
    confirmed = [e for e in DATA["standard"] if not e.get("provisional")]
    assert [(e["key"], e["region"]) for e in confirmed] == [
        ("orphan.allowance.institution", "330782")
    ]


def test_year_only_values_say_1_january() -> None:
    for e in DATA["standard"]:
        if e["key"] in (
            "marginal.income_multiple",
            "temporary.max_multiple",
            "temporary.max_multiple_special",
        ):
            assert "1 January" in e["note"] or "as above" in e["note"]


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


@pytest.mark.parametrize(
    ("county", "amount", "region"),
    [
        ("330102", "917", "330100"),  # 上城区
        ("330105", "917", "330100"),  # 拱墅区
        ("330109", "917", "330100"),  # 萧山区
        ("330111", "917", "330100"),  # 富阳区
        ("330113", "917", "330100"),  # 临平区 (2021, from 余杭)
        ("330114", "917", "330100"),  # 钱塘区 (2021)
        ("330112", "780", "330112"),  # 临安区
        ("330122", "734", "330122"),  # 桐庐县
        ("330127", "734", "330127"),  # 淳安县
        ("330182", "734", "330182"),  # 建德市
    ],
)
@pytest.mark.parametrize("residence", ["urban", "rural"])
def test_hangzhou_dibao_tiers_from_november_2017(
    registry: Any, county: str, amount: str, region: str, residence: str
) -> None:
    value = registry.resolve("dibao.standard", county, "2017-11-01", residence)
    assert value.value == Money.parse(amount)
    assert (value.region, value.plugin, value.provisional) == (region, PLUGIN, True)
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", county, "2017-10-31", residence)


def test_every_hangzhou_county_has_a_dibao_standard(registry: Any) -> None:
    # Only the 2017-11 amounts are known, so later dates are answered with them (flagged
    # provisional); the rest of the province has no dibao standard yet.
    for on in ("2017-11-01", "2024-08-01", "2025-08-01"):
        assert_counties_covered(registry, "330100", keys=("dibao.standard",), on=on)


@pytest.mark.parametrize("county", ["330203", "330302", "330522", "330782", "331102"])
def test_outside_hangzhou_a_dibao_assessment_reports_the_standard_missing(
    registry: Any, county: str
) -> None:
    with pytest.raises(MissingStandard) as info:
        registry.resolve("dibao.standard", county, "2024-08-01", "urban")
    assert info.value.region == county


def test_minimum_wage_in_the_named_districts_only(registry: Any) -> None:
    for county in ("330502", "330503", "330602", "330603", "330604", "331002", "331003", "331004"):
        value = registry.resolve("minimum_wage", county, "2024-08-01")
        assert (value.value, value.region, value.provisional) == (Money.parse("2070"), county, True)
    for county in ("330102", "330521", "330681"):
        value = registry.standards.try_resolve("minimum_wage", county, "2024-08-01")
        assert value is None or value.plugin != PLUGIN


def test_yiwu_children_allowances_from_2023(registry: Any) -> None:
    on = "2023-01-01"
    institution = registry.resolve("orphan.allowance.institution", "330782", on)
    assert (institution.value, institution.provisional) == (Money.parse("2927"), False)
    # the source gives the community amount ambiguously: left unregistered, not guessed
    for key in ("orphan.allowance.community", "unsupported_child.allowance"):
        value = registry.standards.try_resolve(key, "330782", on)
        assert value is None or value.plugin != PLUGIN
    before = registry.standards.try_resolve("orphan.allowance.institution", "330782", "2022-12-31")
    assert before is None or before.plugin != PLUGIN


def test_a_parent_unable_to_fulfil_guardianship_counts_for_left_behind_children(
    registry: Any,
) -> None:
    # Zhejiang's 2016 definition adds "或者无法履行监护责任"; nationally it is not set
    value = registry.standards.try_resolve(
        "children.left_behind.unable_parent_counts", "330122", "2024-08-01"
    )
    assert (int(value.value), value.region, value.provisional, value.plugin) == (
        1,
        "330000",
        True,
        PLUGIN,
    )
    before = registry.standards.try_resolve(
        "children.left_behind.unable_parent_counts", "330122", "2016-06-30"
    )
    assert before is None
    elsewhere = registry.standards.try_resolve(
        "children.left_behind.unable_parent_counts", "520111", "2024-08-01"
    )
    assert elsewhere is None


def test_every_provisional_value_is_listed_in_the_readme() -> None:
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    assert_provisional_listed(
        read_plugin_data("civilaffairs_zhejiang"), readme.read_text(encoding="utf-8")
    )
