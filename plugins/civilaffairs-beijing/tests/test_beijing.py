"""Tests of the Beijing plugin (北京市插件), through its installed entry point.

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

PLUGIN = "beijing"
PROVINCE = "110000"
DATA: dict[str, Any] = tomllib.loads(
    (files("civilaffairs_beijing") / "standards.toml").read_text(encoding="utf-8")
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
    assert entry_point.value == "civilaffairs_beijing"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "civilaffairs-beijing"


def test_the_plugin_loads_through_its_entry_point(registry: Any) -> None:
    record = registry.plugin(PLUGIN)
    assert record.status == "loaded"
    assert record.module == "civilaffairs_beijing"
    assert record.counts["standards"] == len(DATA["standard"])
    assert record.counts["policies"] == len(DATA.get("policy", []))


def test_every_value_is_cited_and_nothing_conflicts(registry: Any) -> None:
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    # Stricter than the default: even the provisional values name their source.
    assert_all_cited(registry, plugin=PLUGIN, allow_provisional=False)


def test_only_third_party_figures_are_provisional() -> None:
    provisional = {
        (e["key"], e["effective_from"]) for e in DATA["standard"] if e.get("provisional")
    }
    assert provisional == {
        ("dibao.standard", "2024-07-01"),
        ("elderly.allowance.80", "2025-01-01"),
        ("elderly.allowance.90", "2025-01-01"),
        ("elderly.allowance.100", "2025-01-01"),
    }


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2020-07-01", "1170"),
        ("2022-06-30", "1170"),
        ("2022-07-01", "1320"),
        ("2022-08-01", "1320"),
        ("2024-06-30", "1320"),
        ("2024-07-01", "1450"),
        ("2024-08-01", "1450"),
    ],
)
def test_dibao_standard_on_known_dates(registry: Any, on: str, amount: str, residence: str) -> None:
    value = registry.resolve("dibao.standard", "110105", on, residence)
    assert value.value == Money.parse(amount)
    assert value.plugin == PLUGIN
    assert value.region == PROVINCE
    assert value.provisional is (amount == "1450")


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


def test_old_age_allowance_bands(registry: Any) -> None:
    amounts = {
        band: registry.resolve(f"elderly.allowance.{band}", "110108", "2025-03-01").value
        for band in (80, 90, 100)
    }
    assert amounts == {80: Money.parse("100"), 90: Money.parse("500"), 100: Money.parse("800")}
    with pytest.raises(MissingStandard):
        registry.resolve("elderly.allowance.80", "110108", "2024-12-31")


def test_values_do_not_leak_into_other_provinces(registry: Any) -> None:
    with pytest.raises(MissingStandard):
        registry.resolve("dibao.standard", "120101", "2024-08-01", "urban")


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


@pytest.mark.parametrize(("on", "amount"), [("2024-08-01", "1450.00"), ("2022-08-01", "1320.00")])
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
