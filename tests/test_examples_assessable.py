"""Every bundled example household can be assessed on the README's default month (the
current month, when ``--on`` is left out) and on the months the documentation uses, and
shows what its name says."""

from __future__ import annotations

import datetime as _dt
import pathlib

import pytest

from civilaffairs import assess
from civilaffairs.convert import load_json
from civilaffairs.domain import Household
from civilaffairs.periods import Month
from civilaffairs.registry import get_registry

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOUSEHOLDS = ROOT / "examples" / "households"
MONTHS = ("2024-08", "2025-08", str(Month.of(_dt.date.today())))

#: What each example is named for: a programme it is decided eligible for on every month.
SHOWS = {
    "beijing-3.json": "dibao",
    "guizhou-rural-tekun.json": "tekun",
    "shanghai-elderly.json": "disability_nursing",
    "shenzhen-disabled.json": "dibao",
    "zhejiang-marginal.json": "dibao",
}


def one(path: pathlib.Path) -> Household:
    return load_json(path, Household)


@pytest.mark.parametrize("name", sorted(SHOWS))
@pytest.mark.parametrize("month", MONTHS)
def test_each_example_is_assessed_and_shows_what_it_is_named_for(name: str, month: str) -> None:
    household = one(HOUSEHOLDS / name)
    result = assess(household, month, registry=get_registry())
    decided = {d.program: d for d in result.decisions}
    assert "dibao" in decided, result.skipped_reasons()
    if name == "shanghai-elderly.json" and month == "2024-08":
        # the nursing subsidy is registered from 2025-07; the living subsidy before that
        assert decided["disability_living"].eligible
        return
    assert decided[SHOWS[name]].eligible, name
    if name == "shenzhen-disabled.json" and month >= "2026-01":
        # Guangdong's disability subsidies are registered from 2026
        assert decided["disability_living"].eligible and decided["disability_nursing"].eligible


def test_the_marginal_example_is_within_the_marginal_range_and_covered_alone() -> None:
    """The household as a whole is above the dibao line but within the marginal range, and
    its seriously ill member is covered alone (单人保)."""
    household = one(HOUSEHOLDS / "zhejiang-marginal.json")
    result = assess(household, "2025-08", registry=get_registry())
    decided = {d.program: d for d in result.decisions}
    dibao = decided["dibao"]
    values = dict(dibao.explanation.quantities)
    assert (values["household_route"], values["within_marginal"]) == ("false", "true")
    assert values["single_members"] == "1"
    assert values["amount"] == values["standard"]  # the standard, for the one member


def test_every_example_household_file_is_listed() -> None:
    files = {p.name for p in HOUSEHOLDS.glob("*.json")}
    assert files == set(SHOWS)
