"""Tests of the standards catalogue, sources and standard values."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import CivilAffairsError, UnknownStandardKey, ValidationError
from civilaffairs.money import Money
from civilaffairs.standards import (
    CATALOGUE,
    Kind,
    ResidenceScope,
    Source,
    StandardValue,
    Unit,
    get_key,
    parse_standard_value,
)
from civilaffairs.testing import _standards as sst

SRC = {"issuer": "北京市民政局", "title": "关于调整社会救助标准的通知"}

REQUIRED_KEYS = [
    "dibao.standard",
    "tekun.basic_living",
    "tekun.basic_living_multiple",
    "tekun.care.full",
    "tekun.care.partial",
    "tekun.care.none",
    "marginal.income_multiple",
    "temporary.max_multiple",
    "temporary.max_multiple_special",
    "orphan.allowance.community",
    "orphan.allowance.institution",
    "unsupported_child.allowance",
    "disability.living_subsidy",
    "disability.nursing_subsidy",
    "elderly.allowance.80",
    "elderly.allowance.90",
    "elderly.allowance.100",
    "high_spending.disposable_income",
    "minimum_wage",
    "poverty_line",
]


def test_catalogue_has_the_contract_keys() -> None:
    assert set(REQUIRED_KEYS) <= set(CATALOGUE)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_is_documented(key: str) -> None:
    spec = CATALOGUE[key]
    assert spec.key == key
    assert spec.zh and spec.en and spec.description and spec.basis
    assert spec.kind in Kind
    if spec.relative_to is not None:
        assert spec.relative_to in CATALOGUE
        assert spec.unit is Unit.RATIO


def test_units_and_kinds() -> None:
    assert get_key("dibao.standard").unit is Unit.YUAN_PER_MONTH
    assert get_key("poverty_line").unit is Unit.YUAN_PER_YEAR
    assert get_key("marginal.income_multiple").kind is Kind.RATIO
    assert get_key("high_spending.disposable_income").kind is Kind.MONEY
    assert Unit.YUAN_PER_MONTH.zh == "元/月"


def test_unknown_key_suggests_the_closest() -> None:
    with pytest.raises(UnknownStandardKey, match=r"did you mean 'dibao\.standard'"):
        get_key("dibao.standrad")
    with pytest.raises(UnknownStandardKey, match="unknown standard key 'nothing'"):
        get_key("nothing")


def test_build_parses_fields() -> None:
    v = StandardValue.build(
        "dibao.standard",
        "110000",
        "2024-07-01",
        "1450",
        residence="urban",
        source=SRC,
        until="2025-06-30",
        plugin="p",
    )
    assert v.value == Money.parse("1450")
    assert v.residence is ResidenceScope.URBAN
    assert v.effective_from == datetime.date(2024, 7, 1)
    assert v.until == datetime.date(2025, 6, 30)
    assert v.unit is Unit.YUAN_PER_MONTH
    assert v.scaled == 145000
    assert v.format_value("en") == "1450.00 yuan/month"
    assert v.to_dict()["source"]["issuer"] == "北京市民政局"


def test_ratio_values() -> None:
    v = StandardValue.build(
        "marginal.income_multiple", "330000", "2020-01-01", "1.5", source=SRC, plugin="p"
    )
    assert v.value == Decimal("1.5")
    assert v.scaled == 15000
    assert v.format_value("zh") == "1.5 倍"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("dibao.standard", 1450.0, "not accepted for money"),
        ("dibao.standard", "-1", "negative"),
        ("dibao.standard", "14.505", "more than two decimals"),
        ("marginal.income_multiple", 1.5, "write it as a decimal string"),
        ("marginal.income_multiple", "1.23456", "more than 4 decimals"),
        ("marginal.income_multiple", "-1", "must not be negative"),
        ("marginal.income_multiple", "abc", "not a decimal number"),
        ("marginal.income_multiple", Money.parse("1"), "not an amount of money"),
    ],
)
def test_bad_values_are_refused(key: str, value: object, message: str) -> None:
    with pytest.raises(CivilAffairsError, match=message):
        parse_standard_value(get_key(key), value)


def test_build_reports_every_bad_field() -> None:
    with pytest.raises(ValidationError) as info:
        StandardValue.build(
            "dibao.standrad",
            "999999",
            "2024-13-01",
            "x",
            residence="city",
            source={"issuer": "", "url": "ftp://x"},
            provisional=True,
            plugin="p",
        )
    paths = {e.path for e in info.value.errors}
    assert {"key", "region", "effective_from", "residence", "note", "source.issuer"} <= paths
    assert "source.url" in paths


def test_until_before_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="until"):
        StandardValue.build(
            "dibao.standard",
            "110000",
            "2024-07-01",
            "1",
            until="2024-06-30",
            source=SRC,
            plugin="p",
        )


def test_provisional_needs_a_note() -> None:
    with pytest.raises(ValidationError, match="note"):
        StandardValue.build(
            "dibao.standard", "110000", "2024-07-01", "1", provisional=True, source=SRC, plugin="p"
        )


def test_source_citation() -> None:
    assert not Source(issuer="北京市民政局").is_cited
    assert Source(issuer="北京市民政局", document="京民发〔2024〕1号").is_cited
    assert Source(issuer="北京市民政局", url="https://example.org/a").is_cited
    with pytest.raises(CivilAffairsError, match="issuer"):
        Source(issuer=" ")
    with pytest.raises(CivilAffairsError, match="URL"):
        Source(issuer="x", url="not a url")
    with pytest.raises(ValidationError, match="unknown field"):
        Source.from_mapping({"issuer": "x", "publisher": "y"})
    s = Source.from_mapping({"issuer": "x", "date": "2024-06-30"})
    assert s.date == datetime.date(2024, 6, 30)


def test_constructor_checks_types() -> None:
    good = StandardValue.build(
        "dibao.standard", "110000", "2024-07-01", "1", source=SRC, plugin="p"
    )
    with pytest.raises(CivilAffairsError):
        StandardValue(
            key="dibao.standard",
            region="110000",
            residence=ResidenceScope.BOTH,
            effective_from=good.effective_from,
            until=None,
            value=Decimal("1"),
            unit=Unit.YUAN_PER_MONTH,
            source=good.source,
            provisional=False,
            note=None,
            plugin="p",
        )
    with pytest.raises(CivilAffairsError, match="unit"):
        StandardValue(
            key="dibao.standard",
            region="110000",
            residence=ResidenceScope.BOTH,
            effective_from=good.effective_from,
            until=None,
            value=good.value,
            unit=Unit.RATIO,
            source=good.source,
            provisional=False,
            note=None,
            plugin="p",
        )


@given(sst.standard_values())
def test_generated_values_round_trip_through_build(v: StandardValue) -> None:
    data = v.to_dict()
    again = StandardValue.build(
        data["key"],
        data["region"],
        data["effective_from"],
        data["value"],
        residence=data["residence"],
        source=v.source,
        provisional=data["provisional"],
        note=data["note"],
        until=data["until"],
        plugin=data["plugin"],
    )
    assert again == v


@given(st.integers(0, 10**10))
def test_money_strings_parse_exactly(fen: int) -> None:
    text = str(Money.from_fen(fen))
    assert parse_standard_value(get_key("minimum_wage"), text) == Money.from_fen(fen)
