"""Tests of the Beijing plugin (北京市插件), through its installed entry point.

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

PLUGIN = "beijing"
PROVINCE = "110000"
DATA = read_plugin_data("civilaffairs_beijing")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


def test_only_third_party_figures_are_provisional() -> None:
    provisional = {
        (e["key"], e["effective_from"]) for e in DATA["standard"] if e.get("provisional")
    }
    assert provisional == {
        ("dibao.standard", "2021-07-01"),
        ("dibao.standard", "2023-07-01"),
        ("dibao.standard", "2024-07-01"),
        ("elderly.allowance.80", "2019-10-01"),
        ("elderly.allowance.90", "2019-10-01"),
        ("elderly.allowance.100", "2019-10-01"),
        ("temporary.max_multiple", "2020-07-27"),
        ("minimum_wage", "2019-07-01"),
        ("minimum_wage", "2021-08-01"),
        ("minimum_wage", "2023-09-01"),
        ("minimum_wage", "2025-09-01"),
        ("high_spending.disposable_income", "2022-01-01"),
        ("high_spending.disposable_income", "2023-01-01"),
        ("high_spending.disposable_income", "2024-01-01"),
        ("high_spending.disposable_income", "2025-01-01"),
        ("elderly_care.care_subsidy.by_level.severe", "2019-10-01"),
        ("elderly_care.care_subsidy.by_level.total", "2019-10-01"),
        ("elderly_care.service_subsidy.by_status.dibao", "2019-10-01"),
        ("elderly_care.service_subsidy.by_status.marginal", "2019-10-01"),
        ("vagrancy.identification.notice_hours", "2016-02-17"),
    }


def test_every_provisional_entry_says_why() -> None:
    for entry in DATA["standard"]:
        if entry.get("provisional"):
            assert entry.get("note"), entry["key"]
            assert entry["source"].get("note"), entry["key"]


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2020-07-01", "1170"),
        ("2021-06-30", "1170"),
        ("2021-07-01", "1245"),
        ("2022-06-30", "1245"),
        ("2022-07-01", "1320"),
        ("2022-08-01", "1320"),
        ("2023-06-30", "1320"),
        ("2023-07-01", "1395"),
        ("2024-06-30", "1395"),
        ("2024-07-01", "1450"),
        ("2024-08-01", "1450"),
        ("2025-08-01", "1450"),
    ],
)
def test_dibao_standard_on_known_dates(registry: Any, on: str, amount: str, residence: str) -> None:
    value = registry.resolve("dibao.standard", "110105", on, residence)
    assert value.value == Money.parse(amount)
    assert value.plugin == PLUGIN
    assert value.region == PROVINCE
    assert value.provisional is (amount in {"1245", "1395", "1450"})


def test_no_dibao_standard_before_the_first_registered_one(registry: Any) -> None:
    with pytest.raises(MissingStandard) as info:
        registry.resolve("dibao.standard", "110105", "2020-06-30", "urban")
    assert info.value.key == "dibao.standard"
    assert info.value.region == "110105"


def test_every_district_is_covered(registry: Any) -> None:
    for on in ("2020-07-01", "2022-08-01", "2024-08-01"):
        assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on=on)
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=("tekun.basic_living", "tekun.basic_living_multiple"),
        on="2022-08-01",
    )


def test_every_district_has_a_dibao_standard_in_2024_and_2025(registry: Any) -> None:
    for on in ("2024-08-01", "2025-08-01"):
        assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on=on)


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2021-01-01", "2200"),
        ("2021-07-31", "2200"),
        ("2021-08-01", "2320"),
        ("2023-08-31", "2320"),
        ("2023-09-01", "2420"),
        ("2025-08-31", "2420"),
        ("2025-09-01", "2540"),
    ],
)
def test_minimum_wage_on_known_dates(registry: Any, on: str, amount: str) -> None:
    value = registry.resolve("minimum_wage", "110108", on)
    assert value.value == Money.parse(amount)
    assert (value.plugin, value.region, value.provisional) == (PLUGIN, PROVINCE, True)


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2022-06-01", "75002"),
        ("2023-06-01", "77415"),
        ("2024-06-01", "81752"),
        ("2025-06-01", "85415"),
    ],
)
@pytest.mark.parametrize("residence", ["urban", "rural"])
def test_last_years_disposable_income(registry: Any, on: str, amount: str, residence: str) -> None:
    value = registry.resolve("high_spending.disposable_income", "110105", on, residence)
    assert value.value == Money.parse(amount)
    assert value.provisional
    with pytest.raises(MissingStandard):
        registry.resolve("high_spending.disposable_income", "110105", "2021-12-31", residence)


def test_tekun_basic_living_is_one_and_a_half_times_the_2022_dibao(registry: Any) -> None:
    basic = registry.resolve("tekun.basic_living", "110105", "2022-08-01", "rural")
    multiple = registry.resolve("tekun.basic_living_multiple", "110105", "2022-08-01")
    dibao = registry.resolve("dibao.standard", "110105", "2022-08-01", "rural")
    assert basic.value == Money.parse("1980")
    assert multiple.value == Decimal("1.5")
    assert basic.value.fen == dibao.value.fen * 3 // 2


def test_beijing_multiple_overrides_the_national_one_from_2022_07(registry: Any) -> None:
    before = registry.resolve("tekun.basic_living_multiple", "110105", "2022-06-30")
    after = registry.resolve("tekun.basic_living_multiple", "110105", "2022-07-01")
    assert before.plugin == "national"
    assert (after.plugin, after.value) == (PLUGIN, Decimal("1.5"))


def test_old_age_allowance_bands_from_2019_10(registry: Any) -> None:
    for on in ("2019-10-01", "2025-03-01"):
        amounts = {
            band: registry.resolve(f"elderly.allowance.{band}", "110108", on).value
            for band in (80, 90, 100)
        }
        assert amounts == {
            80: Money.parse("100"),
            90: Money.parse("500"),
            100: Money.parse("800"),
        }
    with pytest.raises(MissingStandard):
        registry.resolve("elderly.allowance.80", "110108", "2019-09-30")


def test_temporary_assistance_multiple_from_2020_07_27(registry: Any) -> None:
    value = registry.resolve("temporary.max_multiple", "110105", "2021-01-01")
    assert (value.plugin, value.value, value.provisional) == (PLUGIN, Decimal("3"), True)
    with pytest.raises(MissingStandard):
        registry.resolve("temporary.max_multiple", "110105", "2020-07-26")
    with pytest.raises(MissingStandard):
        registry.resolve("temporary.max_multiple_special", "110105", "2024-01-01")


def test_values_do_not_leak_into_other_provinces(registry: Any) -> None:
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", "120101", "2024-08-01", "urban")


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2024-08-01", "1450.00"),
        ("2023-08-01", "1395.00"),
        ("2022-08-01", "1320.00"),
        ("2021-08-01", "1245.00"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_command_line_shows_the_value_and_its_source(
    capsys: pytest.CaptureFixture[str], on: str, amount: str, lang: str
) -> None:
    from civilaffairs.cli import main

    code = main(["standards", "110105", "--on", on, "--key", "dibao.standard", "--lang", lang])
    out = capsys.readouterr().out
    assert code == 0
    assert amount in out
    assert "北京市民政局" in out
    assert PLUGIN in out


def test_elderly_care_subsidies_from_2019_10(registry: Any) -> None:
    from civilaffairs.checks import run_check
    from civilaffairs.modules.elderly_care import SUBSIDY, SubsidyApplication

    for key, amount in [
        ("elderly_care.care_subsidy.by_level.severe", "600.00"),
        ("elderly_care.care_subsidy.by_level.total", "600.00"),
        ("elderly_care.service_subsidy.by_status.dibao", "300.00"),
        ("elderly_care.service_subsidy.by_status.marginal", "200.00"),
    ]:
        value = registry.resolve(key, "110105", "2024-01-01")
        assert (value.plugin, str(value.value), value.provisional) == (PLUGIN, amount, True)
        with pytest.raises(MissingStandard):
            registry.resolve(key, "110105", "2019-09-30")
    with pytest.raises(MissingStandard):
        registry.resolve("elderly_care.care_subsidy.by_level.mild", "110105", "2024-01-01")
    from civilaffairs.convert import structure

    applicant = structure(
        {
            "id": "SUB-1",
            "region": "110105",
            "resident_id": "110105194003150022",
            "ability_level": "severe",
            "economic_status": "dibao",
        },
        SubsidyApplication,
    )
    decision = run_check(SUBSIDY, applicant, "2024-06-01", registry=registry).decisions[0]
    assert decision.outcome == ("care_subsidy", "service_subsidy")
    assert decision.steps[-1].result == "900.00"


def test_every_provisional_value_is_listed_in_the_readme() -> None:
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    assert_provisional_listed(
        read_plugin_data("civilaffairs_beijing"), readme.read_text(encoding="utf-8")
    )
