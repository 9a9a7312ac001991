from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from civilaffairs.errors import InvalidPeriod
from civilaffairs.periods import EffectiveRange, Month, as_date, parse_date
from civilaffairs.testing import strategies as cst


def test_month_basics() -> None:
    m = Month.parse("2024-08")
    assert (m.year, m.month) == (2024, 8)
    assert str(m) == "2024-08"
    assert m.zh() == "2024年8月"
    assert m.last_day == dt.date(2024, 8, 31)
    assert Month.parse("2024-02").last_day == dt.date(2024, 2, 29)
    assert str(Month(2024, 12) + 1) == "2025-01"
    assert str(Month(2025, 1) - 1) == "2024-12"
    assert Month(2024, 1) < Month(2024, 2)
    assert Month.parse("2024-08-15") == Month(2024, 8)
    assert Month(2024, 1).months_until(Month(2025, 3)) == 14


@pytest.mark.parametrize("bad", ["2024-13", "2024/08", "", "24-08", "2024-00", "abcd-ef", 202408])
def test_month_rejects(bad: object) -> None:
    with pytest.raises(InvalidPeriod):
        Month.parse(bad)


@pytest.mark.parametrize("bad", ["2024-02-30", "2024-2-3", "x", "", None, "2024-08"])
def test_date_rejects(bad: object) -> None:
    with pytest.raises(InvalidPeriod):
        parse_date(bad)


def test_as_date_accepts_months() -> None:
    assert as_date("2024-07") == dt.date(2024, 7, 1)
    assert as_date(Month(2024, 7)) == dt.date(2024, 7, 1)


def test_effective_range() -> None:
    r = EffectiveRange.parse("2024-07-01")
    assert r.contains(dt.date(2024, 7, 1))
    assert not r.contains(dt.date(2024, 6, 30))
    assert r.zh() == "自2024-07-01起执行"
    closed = EffectiveRange.parse("2024-07", "2024-12-31")
    assert closed.contains(dt.date(2024, 12, 31))
    assert not closed.contains(dt.date(2025, 1, 1))
    with pytest.raises(InvalidPeriod, match="before it starts"):
        EffectiveRange.parse("2024-07-01", "2024-06-01")


@given(cst.months())
def test_month_round_trip(m: Month) -> None:
    assert Month.parse(str(m)) == m
    assert Month.from_index(m.index) == m
    assert Month.of(m.last_day) == m
    assert (m + 1).first_day == m.last_day + dt.timedelta(days=1)


@given(cst.effective_ranges(), cst.dates())
def test_range_contains_matches_bounds(r: EffectiveRange, day: dt.date) -> None:
    expected = r.start <= day and (r.until is None or day <= r.until)
    assert r.contains(day) is expected
