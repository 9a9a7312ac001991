"""How legal periods are counted (期间计算): the first day is not counted, a period of
months ends on the corresponding day, and a last day that is a rest day moves to the next
working day.

* 中华人民共和国民法典 第二百零一条: a period counted in years, months or days does not count
  the day it starts; it runs from the next day.
* 第二百零二条: a period counted in years or months ends on the corresponding day of the last
  month; where that month has no such day, on its last day.
* 第二百零三条: where the last day is a statutory holiday (法定休假日), the period ends on the day
  after the holiday.
* 中华人民共和国民事诉讼法 (2021/2023) 第八十五条 states the same for procedural periods:
  the first day is not counted; a last day that is a statutory holiday moves to the first
  day after it. The reconsideration and litigation periods of
  :mod:`civilaffairs.casework.appeals` are counted this way.

**Holidays.** Which days are statutory holidays (and which weekend days are made working
days, 调休) is published by the State Council year by year; this library does not ship that
calendar. :class:`RestDays` knows weekends only; pass the official holidays (and make-up
working days) of the years concerned as ``holidays`` / ``workdays`` to count exactly.

>>> import datetime as dt
>>> from civilaffairs.casework.periods import add_days, add_months, RestDays
>>> add_months(dt.date(2024, 1, 31), 1)          # no 31 February: the last day of the month
datetime.date(2024, 2, 29)
>>> add_days(dt.date(2024, 3, 1), 60)            # the first day not counted
datetime.date(2024, 4, 30)
>>> RestDays().next_working_day(dt.date(2024, 6, 1))   # a Saturday moves to Monday
datetime.date(2024, 6, 3)
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Iterable

import attrs

__all__ = [
    "CIVIL_CODE_PERIODS",
    "CIVIL_PROCEDURE_PERIODS",
    "RestDays",
    "add_days",
    "add_months",
    "add_years",
]

#: Where the rules of counting come from.
CIVIL_CODE_PERIODS = "中华人民共和国民法典第二百零一条至第二百零三条（期间计算）"
#: The procedural rule the reconsideration and litigation periods follow.
CIVIL_PROCEDURE_PERIODS = (
    "中华人民共和国民事诉讼法第八十五条：期间开始的日不计算在期间内；期间届满的最后一日是"
    "法定休假日的，以法定休假日后的第一日为期间届满的日期"
)


def add_days(start: _dt.date, days: int) -> _dt.date:
    """The last day of a period of *days* days starting on *start* (not counted)."""
    return start + _dt.timedelta(days=days)


def add_months(start: _dt.date, months: int) -> _dt.date:
    """The last day of a period of *months* months starting on *start*: the corresponding
    day of the last month, or that month's last day when it has no such day (民法典第二百零二条)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return _dt.date(year, month, min(start.day, last))


def add_years(start: _dt.date, years: int) -> _dt.date:
    """The last day of a period of *years* years starting on *start* (29 February goes to
    28 February in a common year)."""
    return add_months(start, 12 * years)


def _dates(values: Iterable[_dt.date | str]) -> frozenset[_dt.date]:
    out = set()
    for v in values:
        out.add(v if isinstance(v, _dt.date) else _dt.date.fromisoformat(v))
    return frozenset(out)


@attrs.frozen
class RestDays:
    """Which days are rest days (休息日): Saturdays and Sundays, plus *holidays*, less
    *workdays* (weekend days made working days, 调休).

    Without *holidays* only weekends are known: the statutory holidays of each year must be
    supplied by the caller (the library does not ship the State Council's yearly notice).

    :param holidays: statutory holidays (dates or ``YYYY-MM-DD``).
    :param workdays: weekend days that are working days.
    """

    holidays: frozenset[_dt.date] = attrs.field(default=frozenset(), converter=_dates)
    workdays: frozenset[_dt.date] = attrs.field(default=frozenset(), converter=_dates)

    @property
    def weekends_only(self) -> bool:
        """Whether no holiday was given (only weekends are known)."""
        return not self.holidays

    def is_rest_day(self, day: _dt.date) -> bool:
        """Whether *day* is a rest day."""
        if day in self.workdays:
            return False
        return day.weekday() >= 5 or day in self.holidays

    def next_working_day(self, day: _dt.date) -> _dt.date:
        """*day* if it is a working day, else the first working day after it."""
        for _ in range(400):
            if not self.is_rest_day(day):
                return day
            day += _dt.timedelta(days=1)
        raise ValueError("no working day within 400 days: the holidays given are wrong")
