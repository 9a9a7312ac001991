"""Appeal deadlines and states: the periods of 行政复议法 (2023) and 行政诉讼法 (2017), how
days are counted, and properties (monotone in the served date, never before it)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.casework.appeals import AppealError, appeal_deadlines, appeal_state
from civilaffairs.casework.periods import RestDays

D = dt.date


def test_reconsideration_sixty_days_first_day_not_counted() -> None:
    d = appeal_deadlines("reconsideration", D(2024, 3, 1))  # a Friday
    assert d.filing == D(2024, 4, 30)  # a Tuesday
    assert d.get("file").basis.startswith("中华人民共和国行政复议法（2023年9月1日修订")
    assert "第二十条第一款" in d.get("file").basis
    assert d.weekends_only


def test_a_last_day_on_a_weekend_or_holiday_moves() -> None:
    d = appeal_deadlines("reconsideration", D(2024, 4, 2))  # 60 days: 2024-06-01, a Saturday
    assert d.filing == D(2024, 6, 3)
    holidays = RestDays(holidays=["2024-06-10"])  # Dragon Boat Festival 2024 (a Monday)
    d = appeal_deadlines("reconsideration", D(2024, 4, 11), rest_days=holidays)
    assert d.get("file").last_day == D(2024, 6, 11)
    assert not d.weekends_only
    # a weekend day made a working day (调休) is not moved
    d = appeal_deadlines(
        "reconsideration", D(2024, 4, 2), rest_days=RestDays(workdays=["2024-06-01"])
    )
    assert d.filing == D(2024, 6, 1)


def test_not_informed_one_year_at_most() -> None:
    d = appeal_deadlines("reconsideration", D(2024, 3, 4), informed=False)
    assert d.filing == D(2025, 3, 4)
    d = appeal_deadlines(
        "reconsideration", D(2024, 3, 4), informed=False, informed_on=D(2024, 5, 6)
    )
    assert d.filing == D(2024, 7, 5)  # 60 days from learning of the right
    d = appeal_deadlines(
        "reconsideration", D(2024, 3, 4), informed=False, informed_on=D(2025, 2, 3)
    )
    assert d.filing == D(2025, 3, 4)  # but never past the year
    assert "第三款" in d.get("file_uninformed").basis


def test_outer_limits_from_the_act() -> None:
    d = appeal_deadlines("reconsideration", D(2024, 3, 4), act_date=D(2019, 3, 6), informed=False)
    assert d.filing == D(2024, 3, 6)  # 5 years from the act, before the year from knowing
    d = appeal_deadlines("lawsuit", D(2024, 3, 4), act_date=D(2004, 3, 5), real_property=True)
    assert d.get("sue_outer").last_day == D(2024, 3, 5)


def test_decision_periods() -> None:
    d = appeal_deadlines("reconsideration", D(2024, 3, 1), accepted_on=D(2024, 3, 8))
    assert d.decision_due == D(2024, 5, 7)
    d = appeal_deadlines("reconsideration", D(2024, 3, 1), accepted_on=D(2024, 3, 8), extended=True)
    assert d.decision_due == D(2024, 6, 6)
    d = appeal_deadlines(
        "reconsideration", D(2024, 3, 1), accepted_on=D(2024, 3, 8), simplified=True
    )
    assert d.decision_due == D(2024, 4, 8)  # 2024-04-07 is a Sunday
    with pytest.raises(AppealError):
        appeal_deadlines(
            "reconsideration",
            D(2024, 3, 1),
            accepted_on=D(2024, 3, 8),
            simplified=True,
            extended=True,
        )


def test_lawsuit_periods() -> None:
    assert appeal_deadlines("lawsuit", D(2024, 1, 31)).filing == D(2024, 7, 31)
    assert appeal_deadlines("lawsuit", D(2024, 8, 31)).filing == D(2025, 2, 28)
    after = appeal_deadlines("lawsuit", D(2024, 1, 10), reconsideration_decision_on=D(2024, 4, 1))
    assert after.filing == D(2024, 4, 16)
    assert "第四十五条" in after.get("sue").basis
    undecided = appeal_deadlines("lawsuit", D(2024, 1, 10), reconsideration_due=D(2024, 5, 7))
    assert undecided.filing == D(2024, 5, 22)
    uninformed = appeal_deadlines("lawsuit", D(2024, 1, 10), informed=False)
    assert uninformed.filing == D(2025, 1, 10)
    assert "法释〔2018〕1号" in uninformed.get("sue_uninformed").basis


def test_states() -> None:
    served = D(2024, 3, 1)
    assert appeal_state("reconsideration", served, on=D(2024, 4, 1)).status == "not_filed"
    assert appeal_state("reconsideration", served, on=D(2024, 5, 1)).status == "time_expired"
    late = appeal_state("reconsideration", served, on=D(2024, 5, 10), filed_on=D(2024, 5, 6))
    assert (late.status, late.timely) == ("pending", False)
    pending = appeal_state(
        "reconsideration",
        served,
        on=D(2024, 5, 1),
        filed_on=D(2024, 4, 1),
        accepted_on=D(2024, 4, 2),
    )
    assert (pending.status, pending.timely, pending.decision_due) == (
        "pending",
        True,
        D(2024, 6, 3),
    )
    overdue = appeal_state(
        "reconsideration",
        served,
        on=D(2024, 6, 4),
        filed_on=D(2024, 4, 1),
        accepted_on=D(2024, 4, 2),
    )
    assert overdue.status == "overdue"
    decided = appeal_state(
        "reconsideration",
        served,
        on=D(2024, 7, 1),
        filed_on=D(2024, 4, 1),
        accepted_on=D(2024, 4, 2),
        decided_on=D(2024, 5, 20),
        outcome="changed",
        new_decision="D-2024-000123",
    )
    assert (decided.status, decided.changed, decided.new_decision) == (
        "decided",
        True,
        "D-2024-000123",
    )
    assert decided.to_dict()["deadlines"]["filing"] == "2024-04-30"
    upheld = appeal_state(
        "lawsuit",
        served,
        on=D(2024, 9, 1),
        filed_on=D(2024, 4, 1),
        decided_on=D(2024, 8, 1),
        outcome="upheld",
    )
    assert upheld.changed is False
    # a lawsuit has no decision period unless the caller gives the court's
    assert appeal_state("lawsuit", served, on=D(2026, 1, 1), filed_on=D(2024, 4, 1)).status == (
        "pending"
    )
    assert (
        appeal_state(
            "lawsuit", served, on=D(2026, 1, 1), filed_on=D(2024, 4, 1), trial_months=6
        ).status
        == "overdue"
    )


def test_wrong_dates_and_options() -> None:
    with pytest.raises(AppealError):
        appeal_state("reconsideration", D(2024, 3, 1), on=D(2024, 4, 1), filed_on=D(2024, 2, 1))
    with pytest.raises(AppealError):
        appeal_state(
            "reconsideration",
            D(2024, 3, 1),
            on=D(2024, 4, 1),
            filed_on=D(2024, 3, 2),
            decided_on=D(2024, 3, 20),
        )
    with pytest.raises(AppealError):
        appeal_state(
            "reconsideration",
            D(2024, 3, 1),
            on=D(2024, 4, 1),
            filed_on=D(2024, 3, 2),
            decided_on=D(2024, 3, 20),
            outcome="upheld",
            new_decision="D-1",
        )
    with pytest.raises(AppealError):
        appeal_deadlines("appeal", D(2024, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(AppealError):
        appeal_deadlines("lawsuit", D(2024, 3, 1), accepted_on=D(2024, 3, 2))
    with pytest.raises(AppealError):
        appeal_deadlines("reconsideration", D(2024, 3, 1), act_date=D(2024, 3, 2))


served_dates = st.dates(D(2000, 1, 1), D(2090, 12, 31))
options = st.sampled_from(
    [
        {"kind": "reconsideration"},
        {"kind": "reconsideration", "informed": False},
        {"kind": "lawsuit"},
        {"kind": "lawsuit", "informed": False},
    ]
)
holidays = st.frozensets(st.dates(D(2000, 1, 1), D(2092, 12, 31)), max_size=40).map(
    lambda h: RestDays(holidays=h)
)


@given(served_dates, served_dates, options, holidays)
def test_deadlines_are_monotone_and_never_before_service(
    a: dt.date, b: dt.date, opts: dict[str, object], rest: RestDays
) -> None:
    first, second = sorted((a, b))
    opts = dict(opts)
    kind = opts.pop("kind")
    da = appeal_deadlines(kind, first, rest_days=rest, **opts)  # type: ignore[arg-type]
    db = appeal_deadlines(kind, second, rest_days=rest, **opts)  # type: ignore[arg-type]
    assert da.filing > first and db.filing > second
    assert da.filing <= db.filing
    for d in da.deadlines:
        assert d.last_day > d.start
        assert not rest.is_rest_day(d.last_day)
