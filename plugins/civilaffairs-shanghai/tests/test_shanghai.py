"""Tests of the Shanghai plugin (上海市插件), through its installed entry point.

Each test builds an isolated registry holding only this plugin and the national baseline
(the ``civilaffairs_plugin_registry`` fixture of ``civilaffairs.testing``).
"""

from __future__ import annotations

import datetime as dt
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

PLUGIN = "shanghai"
PROVINCE = "310000"
DATA = read_plugin_data("civilaffairs_shanghai")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


def test_provisional_values_are_those_from_compilations_or_with_assumed_dates() -> None:
    provisional = {
        (e["key"], e["effective_from"]) for e in DATA["standard"] if e.get("provisional")
    }
    assert provisional == {
        ("dibao.standard", "2022-01-01"),
        ("dibao.standard.minor", "2022-01-01"),
        ("disability.living_subsidy", "2021-01-01"),
        ("disability.living_subsidy", "2025-07-01"),
        ("disability.nursing_subsidy", "2025-07-01"),
        ("temporary.max_multiple", "2024-01-01"),
        ("elderly.allowance.80", "2016-05-01"),
        ("elderly.allowance.90", "2016-05-01"),
        ("elderly.allowance.100", "2016-05-01"),
        ("minimum_wage", "2021-07-01"),
        ("minimum_wage", "2023-07-01"),
        ("minimum_wage", "2025-07-01"),
        ("high_spending.disposable_income", "2022-01-01"),
        ("high_spending.disposable_income", "2023-01-01"),
        ("high_spending.disposable_income", "2024-01-01"),
        ("high_spending.disposable_income", "2025-01-01"),
        ("funeral.covers.dibao", "2024-10-21"),
        ("funeral.covers.youfu", "2024-10-21"),
        ("funeral.requires_local_household", "2024-10-21"),
        ("funeral.waiver.cap", "2024-10-21"),
    }


def test_every_provisional_entry_says_why() -> None:
    for entry in DATA["standard"]:
        if entry.get("provisional"):
            assert entry.get("note"), entry["key"]
            assert entry["source"].get("note"), entry["key"]


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize("county", ["310101", "310104", "310151"])
def test_dibao_standard_from_2021_07(registry: Any, county: str, residence: str) -> None:
    for on in ("2021-07-01", "2021-12-31"):
        value = registry.resolve("dibao.standard", county, on, residence)
        assert value.value == Money.parse("1330")
        assert (value.plugin, value.region, value.provisional) == (PLUGIN, PROVINCE, False)
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", county, "2021-06-30", residence)


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize("county", ["310101", "310104", "310151"])
def test_dibao_standard_1420_from_2022_is_provisional(
    registry: Any, county: str, residence: str
) -> None:
    # Third-party report with the year only: entered from 1 January 2022; no later rise found.
    for on in ("2022-01-01", "2023-01-01", "2025-08-01"):
        value = registry.resolve("dibao.standard", county, on, residence)
        assert value.value == Money.parse("1420")
        assert (value.plugin, value.region, value.provisional) == (PLUGIN, PROVINCE, True)


def test_minors_have_their_own_standard(registry: Any) -> None:
    value = registry.resolve("dibao.standard.minor", "310104", "2021-07-01", "urban")
    assert value.value == Money.parse("1730")
    general = registry.resolve("dibao.standard", "310104", "2021-07-01", "urban")
    assert general.value == Money.parse("1330")
    minor_2022 = registry.resolve("dibao.standard.minor", "310104", "2022-08-01", "urban")
    assert (minor_2022.value, minor_2022.provisional) == (Money.parse("1850"), True)


def test_every_district_is_covered(registry: Any) -> None:
    assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on="2024-08-01")
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=("disability.living_subsidy", "disability.nursing_subsidy"),
        on="2025-07-01",
    )


def test_every_district_has_a_dibao_standard_in_2024_and_2025(registry: Any) -> None:
    for on in ("2024-08-01", "2025-08-01"):
        assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on=on)


def test_disability_subsidies_register_the_first_listed_tier(registry: Any) -> None:
    living = registry.resolve("disability.living_subsidy", "310115", "2025-07-01")
    nursing = registry.resolve("disability.nursing_subsidy", "310115", "2025-07-01")
    assert (living.value, nursing.value) == (Money.parse("450"), Money.parse("350"))
    assert living.provisional
    assert nursing.provisional
    assert "320" in (living.note or "")
    assert "180" in (nursing.note or "")
    with pytest.raises(MissingStandard):
        registry.resolve("disability.nursing_subsidy", "310115", "2025-06-30")


def test_disability_living_subsidy_of_2021(registry: Any) -> None:
    value = registry.resolve("disability.living_subsidy", "310115", "2021-01-01")
    assert value.value == Money.parse("410")
    assert value.provisional
    later = registry.resolve("disability.living_subsidy", "310115", "2025-06-30")
    assert later.value == Money.parse("410")
    with pytest.raises(MissingStandard):
        registry.resolve("disability.living_subsidy", "310115", "2020-12-31")


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2021-07-01", "2590"),
        ("2023-06-30", "2590"),
        ("2023-07-01", "2690"),
        ("2025-06-30", "2690"),
        ("2025-07-01", "2740"),
    ],
)
def test_minimum_wage_on_known_dates(registry: Any, on: str, amount: str) -> None:
    value = registry.resolve("minimum_wage", "310104", on)
    assert value.value == Money.parse(amount)
    assert (value.plugin, value.region, value.provisional) == (PLUGIN, PROVINCE, True)
    with pytest.raises(MissingStandard):
        registry.resolve("minimum_wage", "310104", "2021-06-30")


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2022-06-01", "78027"),
        ("2023-06-01", "79610"),
        ("2024-06-01", "84834"),
        ("2025-06-01", "88366"),
    ],
)
@pytest.mark.parametrize("residence", ["urban", "rural"])
def test_last_years_disposable_income(registry: Any, on: str, amount: str, residence: str) -> None:
    value = registry.resolve("high_spending.disposable_income", "310101", on, residence)
    assert value.value == Money.parse(amount)
    assert value.provisional


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


def test_old_age_allowance_bands_from_2016_05(registry: Any) -> None:
    """老年综合津贴 from May 2016; only the catalogue's 80/90/100 bands are registered."""
    for on in ("2016-05-01", "2025-03-01"):
        amounts = {
            band: registry.resolve(f"elderly.allowance.{band}", "310104", on)
            for band in (80, 90, 100)
        }
        assert {band: value.value for band, value in amounts.items()} == {
            80: Money.parse("180"),
            90: Money.parse("350"),
            100: Money.parse("600"),
        }
        assert all(value.provisional for value in amounts.values())
    with pytest.raises(MissingStandard):
        registry.resolve("elderly.allowance.80", "310104", "2016-04-30")


def test_basic_funeral_subsidy_for_registered_dibao_recipients(registry: Any) -> None:
    """Basic funeral services subsidy: dibao, 优抚 and 特困, registered in Shanghai, at most 980."""
    import attrs

    from civilaffairs.checks import run_check
    from civilaffairs.modules.funeral import ENTITLEMENT

    cap = registry.resolve("funeral.waiver.cap", "310104", "2024-10-21")
    assert (cap.value, cap.provisional) == (Money.parse("980"), True)
    with pytest.raises(MissingStandard):
        registry.resolve("funeral.waiver.cap", "310104", "2024-10-20")
    record = ENTITLEMENT.structure(
        {
            "id": "SH-1",
            "region": "310104",
            "died_on": "2025-03-01",
            "statuses": ["dibao"],
            "local_household": True,
            "disposal": "cremation",
            "charges": "760.50",
        }
    )
    decision = run_check(ENTITLEMENT, record, "2025-03-02", registry=registry).decisions[0]
    assert decision.passed
    assert decision.facts["total_waiver"] == "760.50"
    outsider = attrs.evolve(record, local_household=False)
    decision = run_check(ENTITLEMENT, outsider, "2025-03-02", registry=registry).decisions[0]
    assert (decision.passed, decision.outcome) == (False, "not_covered")


def test_every_provisional_value_is_listed_in_the_readme() -> None:
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    assert_provisional_listed(
        read_plugin_data("civilaffairs_shanghai"), readme.read_text(encoding="utf-8")
    )
