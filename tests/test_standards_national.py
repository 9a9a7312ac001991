"""The national baseline plugin: what it registers, and what it deliberately does not."""

from __future__ import annotations

import datetime

import pytest

from civilaffairs.errors import MissingStandard
from civilaffairs.registry import Registry
from civilaffairs.testing import assert_all_cited, assert_no_plugin_errors, isolated_registry


@pytest.fixture(scope="module")
def national() -> Registry:
    return isolated_registry()


def test_loads_cleanly(national: Registry) -> None:
    assert_no_plugin_errors(national)
    record = national.plugin("national")
    assert record.builtin and record.status == "loaded" and record.distribution == "civilaffairs"
    assert record.counts["standards"] == len(national.standards)


def test_every_value_is_national_and_cited_or_explained(national: Registry) -> None:
    assert_all_cited(national, plugin="national")
    for value in national.standards.values():
        assert value.region == "000000"
        assert value.plugin == "national"
        if value.provisional:
            assert value.note and len(value.note) > 40


@pytest.mark.parametrize(
    ("key", "day", "expected"),
    [
        ("poverty_line", "2015-06-01", "2300.00"),
        ("poverty_line", "2019-06-01", "3218.00"),
        ("poverty_line", "2024-06-01", "4000.00"),
        ("orphan.allowance.community", "2020-01-01", "600.00"),
        ("orphan.allowance.institution", "2020-01-01", "1000.00"),
        ("tekun.basic_living_multiple", "2024-01-01", "1.3"),
        ("marginal.income_multiple", "2024-01-01", "1.5"),
    ],
)
def test_values(national: Registry, key: str, day: str, expected: str) -> None:
    value = national.resolve(key, "520102", day)
    assert str(value.value) == expected


def test_defaults_without_a_national_text_are_provisional(national: Registry) -> None:
    for key in ("tekun.basic_living_multiple", "marginal.income_multiple"):
        value = national.resolve(key, "110105", datetime.date(2024, 1, 1))
        assert value.provisional
        assert "not a national rule" in (value.note or "")


@pytest.mark.parametrize(
    "key",
    ["temporary.max_multiple", "temporary.max_multiple_special", "dibao.standard", "minimum_wage"],
)
def test_no_national_figure_is_made_up(national: Registry, key: str) -> None:
    with pytest.raises(MissingStandard):
        national.resolve(key, "110105", datetime.date(2024, 1, 1), "urban")


def test_national_programmes_are_registered(national: Registry) -> None:
    assert "dibao" in national.programs
    assert national.program_plugins["dibao"] == "national"
