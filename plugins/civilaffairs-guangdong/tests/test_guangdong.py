"""Tests of the Guangdong plugin (广东省插件), through its installed entry point.

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

PLUGIN = "guangdong"
PROVINCE = "440000"
GUANGZHOU, SHENZHEN, ZHONGSHAN = "440100", "440300", "442000"
DATA = read_plugin_data("civilaffairs_guangdong")


def test_generic_plugin_checks() -> None:
    """Loads through its entry point; no errors or conflicts; every value cited; every
    data-file entry answered as written in every county (civilaffairs.testing)."""
    check_data_file_plugin(PLUGIN, allow_provisional=False)


@pytest.fixture
def registry(civilaffairs_plugin_registry: Any) -> Any:
    return civilaffairs_plugin_registry


# --- which values are provisional ---------------------------------------------------------


def test_every_value_is_provisional_and_says_why() -> None:
    # Every figure comes from a news report, a reprint or a third-party page.
    for entry in DATA["standard"]:
        assert entry.get("provisional") is True, entry
        assert entry["note"].strip()
        assert entry["source"]["issuer"]
        assert "document" not in entry["source"]  # no 文号 was read from a document


def test_the_provisional_entries() -> None:
    provisional = {
        (e["key"], e["region"], e.get("residence", "both"), e["effective_from"])
        for e in DATA["standard"]
        if e.get("provisional")
    }
    dibao_floors = {
        ("dibao.standard", "440000", "urban", "2021-01-01"),
        ("dibao.standard", "440000", "rural", "2021-01-01"),
        *{("dibao.standard", c, "both", "2021-01-01") for c in ("440400", "440600", "441900")},
        *{("dibao.standard", c, "both", "2021-01-01") for c in ("441300", "440700", "441200")},
        *{
            ("dibao.standard", c, r, "2021-01-01")
            for c in ("440781", "440783", "440785", "441223", "441224", "441225", "441226")
            for r in ("urban", "rural")
        },
    }
    city_dibao = (
        {
            ("dibao.standard", GUANGZHOU, "both", d)
            for d in ("2021-01-01", "2022-01-01", "2023-01-01", "2025-01-01")
        }
        | {
            ("dibao.standard", SHENZHEN, "both", d)
            for d in ("2017-03-01", "2018-01-01", "2019-01-01", "2021-01-01", "2022-01-01")
        }
        | {("dibao.standard", ZHONGSHAN, "both", d) for d in ("2020-01-01", "2021-01-01")}
    )
    marginal = {
        ("marginal.income_multiple", GUANGZHOU, "both", "2022-01-01"),
        ("marginal.income_multiple", SHENZHEN, "both", "2021-01-01"),
        ("marginal.income_multiple", ZHONGSHAN, "both", "2020-01-01"),
    }
    tekun = {
        ("tekun.basic_living_multiple", SHENZHEN, "both", "2018-02-01"),
        ("tekun.basic_living", SHENZHEN, "both", "2021-01-01"),
        ("tekun.basic_living", SHENZHEN, "both", "2022-01-01"),
        ("tekun.basic_living_multiple", GUANGZHOU, "both", "2023-01-01"),
        ("tekun.basic_living", GUANGZHOU, "both", "2023-01-01"),
        ("tekun.basic_living", "440112", "rural", "2023-01-01"),
        ("tekun.basic_living", "440113", "rural", "2023-01-01"),
        ("tekun.basic_living", "440115", "rural", "2023-01-01"),
        ("tekun.basic_living_multiple", ZHONGSHAN, "both", "2020-01-01"),
        ("tekun.basic_living", ZHONGSHAN, "both", "2020-01-01"),
        ("tekun.basic_living", ZHONGSHAN, "both", "2021-01-01"),
    }
    children = {
        ("unsupported_child.allowance", PROVINCE, "both", "2020-01-01"),
        ("orphan.allowance.community", PROVINCE, "both", "2020-01-01"),
        ("orphan.allowance.community", GUANGZHOU, "both", "2023-01-01"),
        ("orphan.allowance.institution", GUANGZHOU, "both", "2023-01-01"),
        ("unsupported_child.allowance", GUANGZHOU, "both", "2023-01-01"),
        ("orphan.allowance.community", ZHONGSHAN, "both", "2020-01-01"),
        ("orphan.allowance.community", ZHONGSHAN, "both", "2021-01-01"),
        ("unsupported_child.allowance", ZHONGSHAN, "both", "2021-01-01"),
    }
    elderly = {
        (f"elderly.allowance.{band}", region, "both", date)
        for band in ("80", "90", "100")
        for region, date in ((GUANGZHOU, "2022-01-01"), (ZHONGSHAN, "2018-01-01"))
    }
    income = {
        ("high_spending.disposable_income", PROVINCE, "both", "2021-01-01"),
        ("high_spending.disposable_income", PROVINCE, "both", "2024-01-01"),
    }
    wage = {
        ("minimum_wage", c, "both", "2018-07-01")
        for c in (
            GUANGZHOU,
            SHENZHEN,
            "440400",
            "440600",
            "441900",
            ZHONGSHAN,  # group B
            "441300",
            "440700",
            "440500",
            "441200",  # group C
            "445100",
            "440900",
            "441800",  # group D, the cities the source names
        )
    } | {
        ("minimum_wage", c, "both", d)
        for c in (GUANGZHOU, SHENZHEN)
        for d in ("2023-01-01", "2025-03-01")
    }
    disability = {
        (key, PROVINCE, "both", d)
        for key in ("disability.living_subsidy", "disability.nursing_subsidy")
        for d in ("2025-01-01", "2026-01-01")
    }
    temporary = {
        ("temporary.max_multiple", GUANGZHOU, "both", "2023-01-01"),
        ("temporary.max_multiple_special", GUANGZHOU, "both", "2023-01-01"),
    }
    funeral = {
        ("funeral.covers.all_residents", "441300", "both", "2025-06-01"),
        ("funeral.waiver.cap", "441300", "both", "2025-06-01"),
    }
    assert provisional == (
        dibao_floors
        | city_dibao
        | marginal
        | tekun
        | temporary
        | children
        | elderly
        | income
        | wage
        | disability
        | funeral
    )
    assert len(provisional) == len(DATA["standard"])


def test_no_policy_is_overridden() -> None:
    # No Guangdong rule for asset limits or vehicles was found in a citable source.
    assert not DATA.get("policy")


# --- dibao standard -------------------------------------------------------------------------


def dibao(registry: Any, county: str, on: str, residence: str = "urban") -> Any:
    return registry.resolve("dibao.standard", county, on, residence)


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2017-03-01", "900"),
        ("2017-12-31", "900"),
        ("2018-01-01", "1070"),
        ("2019-06-01", "1250"),
        ("2021-01-01", "1300"),
        ("2022-01-01", "1365"),
        ("2024-08-01", "1365"),
        ("2025-08-01", "1365"),
    ],
)
@pytest.mark.parametrize("county", [r.code for r in regions.counties_under(SHENZHEN)])
def test_shenzhen_dibao_standard(
    registry: Any, county: str, on: str, amount: str, residence: str
) -> None:
    value = dibao(registry, county, on, residence)
    assert value.value == Money.parse(amount)
    assert (value.region, value.plugin, value.provisional) == (SHENZHEN, PLUGIN, True)


def test_shenzhen_900_took_effect_on_1_march_2017(registry: Any) -> None:
    assert dibao(registry, "440304", "2017-03-01").value == Money.parse("900")
    with pytest.raises(MissingStandard):
        dibao(registry, "440304", "2017-02-28")
    entry = next(
        e
        for e in DATA["standard"]
        if (e["key"], e["region"], e["value"]) == ("dibao.standard", SHENZHEN, "900")
    )
    assert entry["effective_from"] == "2017-03-01"
    assert entry["source"]["url"] == "http://english.sz.gov.cn/ln/201703/t20170302_6024429.htm"


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2021-06-01", "1120"),
        ("2022-06-01", "1196"),
        ("2023-06-01", "1238"),
        ("2024-08-01", "1238"),
        ("2025-01-01", "1309"),
        ("2025-08-01", "1309"),
    ],
)
def test_guangzhou_dibao_standard(registry: Any, on: str, amount: str, residence: str) -> None:
    for county in ("440103", "440112", "440118"):
        value = dibao(registry, county, on, residence)
        assert value.value == Money.parse(amount)
        assert value.region == GUANGZHOU


@pytest.mark.parametrize(
    ("county", "on", "urban", "rural", "region"),
    [
        # Zhongshan's own figures (above the category-2 floor of 967).
        ("442000", "2020-06-01", "1100", "1100", ZHONGSHAN),
        ("442000", "2024-08-01", "1120", "1120", ZHONGSHAN),
        # Category 2: Zhuhai, Foshan, Dongguan.
        ("440402", "2024-08-01", "967", "967", "440400"),
        ("440606", "2025-08-01", "967", "967", "440600"),
        ("441900", "2024-08-01", "967", "967", "441900"),
        # Category 3: Huizhou, Jiangmen (less three cities), Zhaoqing (less its counties).
        ("441302", "2024-08-01", "853", "853", "441300"),
        ("440703", "2024-08-01", "853", "853", "440700"),
        ("440784", "2024-08-01", "853", "853", "440700"),  # Heshan stays in category 3
        ("441202", "2025-08-01", "853", "853", "441200"),
        # Category 4 inside category-3 cities.
        ("440781", "2024-08-01", "800", "551", "440781"),
        ("441224", "2025-08-01", "800", "551", "441224"),
        # Category 4 elsewhere: the provincial floor.
        ("440507", "2024-08-01", "800", "551", PROVINCE),
        ("445202", "2025-08-01", "800", "551", PROVINCE),
        ("440203", "2021-01-01", "800", "551", PROVINCE),
    ],
)
def test_dibao_floors_and_city_figures(
    registry: Any, county: str, on: str, urban: str, rural: str, region: str
) -> None:
    for residence, amount in (("urban", urban), ("rural", rural)):
        value = dibao(registry, county, on, residence)
        assert value.value == Money.parse(amount), (county, residence)
        assert (value.region, value.plugin, value.provisional) == (region, PLUGIN, True)


def test_no_dibao_floor_before_2021(registry: Any) -> None:
    for county in ("440507", "440402", "441302", "440781"):
        with pytest.raises(MissingStandard):
            dibao(registry, county, "2020-12-31")


@pytest.mark.parametrize("on", ["2024-08-01", "2025-08-01"])
def test_every_county_has_a_dibao_standard(registry: Any, on: str) -> None:
    assert_counties_covered(registry, PROVINCE, keys=("dibao.standard",), on=on)


# --- other keys -------------------------------------------------------------------------------


def test_marginal_multiples(registry: Any) -> None:
    for county, on in (
        ("440103", "2024-08-01"),
        ("440304", "2024-08-01"),
        ("442000", "2021-06-01"),
    ):
        value = registry.resolve("marginal.income_multiple", county, on)
        assert value.value == Decimal("1.5")
        assert value.plugin == PLUGIN


def test_tekun_basic_living(registry: Any) -> None:
    def tekun(county: str, on: str, residence: str = "urban") -> Money:
        return registry.resolve("tekun.basic_living", county, on, residence).value

    assert tekun("440304", "2022-08-01") == Money.parse("2184")
    assert tekun("440304", "2021-06-01") == Money.parse("2080")
    assert tekun("440103", "2024-08-01", "rural") == Money.parse("1981")
    # Huangpu, Panyu, Nansha keep higher rural figures; their urban figure is the city's.
    assert tekun("440112", "2024-08-01", "rural") == Money.parse("2413")
    assert tekun("440113", "2024-08-01", "rural") == Money.parse("2512")
    assert tekun("440115", "2024-08-01", "rural") == Money.parse("2121")
    assert tekun("440115", "2024-08-01", "urban") == Money.parse("1981")
    assert tekun("442000", "2021-06-01") == Money.parse("1792")
    for county in ("440304", "440103", "442000"):
        multiple = registry.resolve("tekun.basic_living_multiple", county, "2024-08-01")
        assert multiple.value == Decimal("1.6")
        assert multiple.plugin == PLUGIN


def test_children(registry: Any) -> None:
    def amount(key: str, county: str, on: str) -> Money:
        return registry.resolve(key, county, on).value

    assert amount("unsupported_child.allowance", "440507", "2024-08-01") == Money.parse("1110")
    assert amount("orphan.allowance.community", "440507", "2024-08-01") == Money.parse("1110")
    for key in (
        "orphan.allowance.community",
        "orphan.allowance.institution",
        "unsupported_child.allowance",
    ):
        assert amount(key, "440106", "2024-08-01") == Money.parse("2875")
    assert amount("unsupported_child.allowance", "442000", "2024-08-01") == Money.parse("1578")


def test_elderly_allowances(registry: Any) -> None:
    for county, expected in (("440106", ("100", "200", "300")), ("442000", ("100", "200", "500"))):
        for band, amount in zip(("80", "90", "100"), expected, strict=True):
            value = registry.resolve(f"elderly.allowance.{band}", county, "2024-08-01")
            assert value.value == Money.parse(amount)


def test_disposable_income(registry: Any) -> None:
    def income(on: str) -> Money:
        return registry.resolve("high_spending.disposable_income", "440106", on, "urban").value

    assert income("2021-06-01") == Money.parse("41029")
    assert income("2024-08-01") == Money.parse("49327")
    with pytest.raises(MissingStandard):
        registry.resolve("high_spending.disposable_income", "440106", "2020-12-31", "urban")


@pytest.mark.parametrize(
    ("county", "on", "amount"),
    [
        ("440106", "2018-07-01", "2100"),
        ("440106", "2024-08-01", "2300"),
        ("440106", "2025-08-01", "2500"),
        ("440304", "2024-08-01", "2360"),
        ("440304", "2025-08-01", "2520"),
        ("440606", "2021-06-01", "1720"),
        ("440507", "2021-06-01", "1550"),
        ("445102", "2021-06-01", "1410"),
    ],
)
def test_minimum_wage(registry: Any, county: str, on: str, amount: str) -> None:
    assert registry.resolve("minimum_wage", county, on).value == Money.parse(amount)


def test_minimum_wage_only_where_the_source_names_the_city(registry: Any) -> None:
    # Group D cities the source does not name (e.g. Jieyang) have no figure here.
    with pytest.raises(MissingStandard):
        registry.resolve("minimum_wage", "445202", "2021-06-01")


def test_disability_subsidies_from_2025(registry: Any) -> None:
    assert_counties_covered(
        registry,
        PROVINCE,
        keys=("disability.living_subsidy", "disability.nursing_subsidy"),
        on="2025-01-01",
    )
    expected = {
        "2025-01-01": ("209", "280"),
        "2025-12-31": ("209", "280"),
        "2026-03-01": ("217", "290"),
    }
    for county in ("440103", "440304", "445302"):
        for on, (living_amount, nursing_amount) in expected.items():
            living = registry.resolve("disability.living_subsidy", county, on)
            nursing = registry.resolve("disability.nursing_subsidy", county, on)
            assert (living.value, nursing.value) == (
                Money.parse(living_amount),
                Money.parse(nursing_amount),
            )
        with pytest.raises(MissingStandard):
            registry.resolve("disability.living_subsidy", county, "2024-12-31")


def test_guangzhou_temporary_assistance_multiples(registry: Any) -> None:
    # Emergency-type cap (3 months) as the ordinary multiple, expense-type (12) as the
    # special-case multiple; nothing outside Guangzhou, nothing before 2023.
    ordinary = registry.resolve("temporary.max_multiple", "440106", "2024-08-01")
    special = registry.resolve("temporary.max_multiple_special", "440106", "2024-08-01")
    assert (ordinary.value, special.value) == (Decimal("3"), Decimal("12"))
    assert (ordinary.region, ordinary.provisional) == (GUANGZHOU, True)
    assert_counties_covered(
        registry,
        GUANGZHOU,
        keys=("temporary.max_multiple", "temporary.max_multiple_special"),
        on="2023-01-01",
    )
    for county, on in (("440106", "2022-12-31"), ("440304", "2024-08-01")):
        with pytest.raises(MissingStandard):
            registry.resolve("temporary.max_multiple", county, on)


def test_huizhou_funeral_waiver_for_every_resident_from_2025_06(registry: Any) -> None:
    """惠州 2025: basic funeral services free for registered residents, at most 1780 yuan."""
    import attrs

    from civilaffairs.checks import run_check
    from civilaffairs.modules.funeral import ENTITLEMENT

    cap = registry.resolve("funeral.waiver.cap", "441302", "2025-06-01")
    assert (cap.value, cap.region, cap.provisional) == (Money.parse("1780"), "441300", True)
    with pytest.raises(MissingStandard):
        registry.resolve("funeral.waiver.cap", "441302", "2025-05-31")
    with pytest.raises(MissingStandard):
        registry.resolve("funeral.waiver.cap", "440106", "2025-08-01")
    record = ENTITLEMENT.structure(
        {
            "id": "HZ-1",
            "region": "441302",
            "died_on": "2025-07-01",
            "local_household": True,
            "disposal": "cremation",
            "charges": "2100.00",
        }
    )
    decision = run_check(ENTITLEMENT, record, "2025-07-02", registry=registry).decisions[0]
    assert decision.passed
    assert decision.facts["total_waiver"] == "1780.00"
    assert decision.outcome == ("transport", "storage", "cremation", "ash_storage")
    outsider = attrs.evolve(record, local_household=False)
    decision = run_check(ENTITLEMENT, outsider, "2025-07-02", registry=registry).decisions[0]
    assert not decision.passed
    assert decision.outcome == "not_covered"


def test_every_provisional_value_is_listed_in_the_readme() -> None:
    import pathlib

    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    assert_provisional_listed(
        read_plugin_data("civilaffairs_guangdong"), readme.read_text(encoding="utf-8")
    )
