"""Periodic review scheduling: the national intervals, provincial overrides (policy points),
month ends, and the explanation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs.casework.periods import add_months
from civilaffairs.casework.review import (
    REVIEW_CATEGORIES,
    UnknownReviewCategory,
    next_review,
)
from civilaffairs.testing import isolated_registry

D = dt.date


def test_national_intervals() -> None:
    stable = next_review("stable", D(2024, 3, 10), region="110105")
    assert (stable.interval_months, stable.due) == (12, D(2025, 3, 10))
    variable = next_review("variable", "2024-03-10", region="110105")
    assert (variable.interval_months, variable.due) == (6, D(2024, 9, 10))
    assert "每半年核查一次" in variable.decision.conditions[0].basis
    assert variable.overdue(D(2024, 9, 11)) is True
    assert variable.overdue(D(2024, 9, 10)) is False


def test_tekun_interval_is_not_set_nationally() -> None:
    s = next_review("tekun", D(2024, 1, 1), region="110105")
    assert s.due is None and s.interval_months is None and s.overdue(D(2030, 1, 1)) is None
    assert s.decision.conditions[0].passed is None
    assert "未设定" in s.to_text("zh")
    assert s.to_dict("en")["due"] is None


def test_month_end_has_no_corresponding_day() -> None:
    assert next_review("variable", D(2024, 8, 31), region="110105").due == D(2025, 2, 28)
    assert next_review("variable", D(2023, 8, 31), region="110105").due == D(2024, 2, 29)


class Shaanxi:
    @hookimpl
    def civilaffairs_register_policies(self, register):  # type: ignore[no-untyped-def]
        register.add(
            "dibao",
            "review_months_variable",
            "610000",
            "2023-01-01",
            3,
            source={"issuer": "示例省民政厅", "title": "示例"},
        )
        register.add("tekun", "review_months", "610000", "2023-01-01", 12)


def test_a_province_overrides_the_intervals() -> None:
    registry = isolated_registry({"shaanxi": Shaanxi()}, strict=False)
    s = next_review("variable", D(2024, 3, 10), region="610102", registry=registry)
    assert (s.interval_months, s.due) == (3, D(2024, 6, 10))
    assert "plugin shaanxi" in s.decision.facts["policy"]
    tekun = next_review("tekun", D(2024, 3, 10), region="610102", registry=registry)
    assert tekun.due == D(2025, 3, 10)
    # before the override took effect, the national default applies; policy_on chooses
    before = next_review("variable", D(2022, 3, 10), region="610102", registry=registry)
    assert before.interval_months == 6
    later = next_review(
        "variable", D(2022, 3, 10), region="610102", registry=registry, policy_on="2024-08-01"
    )
    assert later.interval_months == 3
    # other provinces keep the national values
    assert next_review("variable", D(2024, 3, 10), region="110105", registry=registry).due == D(
        2024, 9, 10
    )


def test_unknown_category() -> None:
    with pytest.raises(UnknownReviewCategory) as info:
        next_review("yearly", D(2024, 1, 1), region="110105")
    assert info.value.path == "review_category"
    assert set(REVIEW_CATEGORIES) == {"stable", "variable", "tekun"}


@given(st.dates(D(2000, 1, 1), D(2090, 12, 31)), st.integers(1, 60))
def test_add_months_is_the_corresponding_day_or_the_month_end(day: dt.date, months: int) -> None:
    due = add_months(day, months)
    assert due > day
    assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == months
    assert due.day == day.day or (due.day < day.day and (due + dt.timedelta(days=1)).day == 1)
