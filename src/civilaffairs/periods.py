"""Dates, months and effective ranges (日期、月份与有效期).

* :class:`Month` is a calendar month such as ``2024-08``; benefits are monthly.
* :func:`parse_date` reads ISO dates (``2024-07-01``) with a clear error.
* :class:`EffectiveRange` is "from 2024-07-01 until superseded" (自…起执行), optionally
  with an end date (inclusive).

>>> from civilaffairs.periods import Month, EffectiveRange, parse_date
>>> m = Month.parse("2024-08")
>>> m.first_day, m.last_day
(datetime.date(2024, 8, 1), datetime.date(2024, 8, 31))
>>> str(m + 5)
'2025-01'
>>> r = EffectiveRange.parse("2024-07-01")
>>> r.contains(parse_date("2030-01-01")), r.contains(parse_date("2024-06-30"))
(True, False)
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import total_ordering

import attrs

from civilaffairs.errors import InvalidPeriod

__all__ = ["EffectiveRange", "Month", "as_date", "parse_date"]

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
# What may be quoted back of a date or month that does not parse: short, and only the
# characters of dates (never a name or other free text typed into a date field).
_DATE_LIKE = re.compile(r"[0-9./\- ]{1,20}", re.ASCII)


def _shown(text: str) -> str:
    """*text* quoted and followed by a space when it looks like a date; else nothing."""
    return f"{text!r} " if _DATE_LIKE.fullmatch(text) else ""


def parse_date(value: object) -> _dt.date:
    """Parse an ISO date ``YYYY-MM-DD`` (or pass a :class:`datetime.date` through).

    Raises :class:`~civilaffairs.errors.InvalidPeriod` naming what is wrong.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise InvalidPeriod(
            f"expected a date as 'YYYY-MM-DD', got {type(value).__name__}",
            zh=f"应为 'YYYY-MM-DD' 格式的日期，实为 {type(value).__name__}",
        )
    s = value.strip()
    m = _DATE_RE.match(s)
    if m is None:
        shown = _shown(s)
        raise InvalidPeriod(
            f"{shown}is not a date of the form YYYY-MM-DD (日期格式错误)",
            zh=f"{shown}不是 YYYY-MM-DD 格式的日期",
        )
    y, mo, d = (int(g) for g in m.groups())
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        raise InvalidPeriod(
            f"{s!r} is not a real calendar date (日期不存在)", zh=f"日期 {s!r} 不存在"
        ) from None


def as_date(value: object) -> _dt.date:
    """A date from a date, a :class:`Month` (its first day) or an ISO string."""
    if isinstance(value, Month):
        return value.first_day
    if isinstance(value, str) and _MONTH_RE.match(value.strip()):
        return Month.parse(value).first_day
    return parse_date(value)


@total_ordering
@attrs.frozen(order=False)
class Month:
    """A calendar month (月份), e.g. ``Month(2024, 8)`` or ``Month.parse("2024-08")``."""

    year: int = attrs.field()
    month: int = attrs.field()

    @year.validator
    def _check_year(self, _: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 9999:
            raise InvalidPeriod(
                f"year {value!r} is out of range 1900-9999",
                zh=f"年份 {value!r} 超出范围，应在1900至9999之间",
            )

    @month.validator
    def _check_month(self, _: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise InvalidPeriod(f"month {value!r} is not 1-12", zh=f"月份 {value!r} 不在1至12之间")

    @classmethod
    def parse(cls, value: object) -> Month:
        """Parse ``"2024-08"`` (also accepts a :class:`Month`, a date, or ``"2024-08-15"``)."""
        if isinstance(value, Month):
            return value
        if isinstance(value, _dt.date):
            return cls(value.year, value.month)
        if not isinstance(value, str):
            raise InvalidPeriod(
                f"expected a month as 'YYYY-MM', got {type(value).__name__}",
                zh=f"应为 'YYYY-MM' 格式的月份，实为 {type(value).__name__}",
            )
        s = value.strip()
        m = _MONTH_RE.match(s)
        if m is None:
            if _DATE_RE.match(s):
                return cls.of(parse_date(s))
            shown = _shown(s)
            raise InvalidPeriod(
                f"{shown}is not a month of the form YYYY-MM (月份格式错误)",
                zh=f"{shown}不是 YYYY-MM 格式的月份",
            )
        try:
            return cls(int(m.group(1)), int(m.group(2)))
        except InvalidPeriod as exc:
            raise InvalidPeriod(
                f"{s!r} is not a valid month: {exc.message} (月份无效)",
                zh=f"{s!r} 不是有效的月份：{exc.message_zh}",
            ) from None

    @classmethod
    def of(cls, day: _dt.date) -> Month:
        """The month a date falls in."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> _dt.date:
        """The first day of the month."""
        return _dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> _dt.date:
        """The last day of the month."""
        return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def index(self) -> int:
        """Months since year 0; handy for arithmetic and arrays."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        """Inverse of :attr:`index`."""
        y, m0 = divmod(index, 12)
        return cls(y, m0 + 1)

    def __add__(self, months: int) -> Month:
        if isinstance(months, bool) or not isinstance(months, int):
            return NotImplemented
        return Month.from_index(self.index + months)

    def __sub__(self, other: int) -> Month:
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return Month.from_index(self.index - other)

    def months_until(self, other: Month) -> int:
        """Whole months from this month to *other* (negative if earlier)."""
        return other.index - self.index

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Month):
            return self.index < other.index
        return NotImplemented

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def zh(self) -> str:
        """Chinese form: ``2024年8月``."""
        return f"{self.year}年{self.month}月"


@attrs.frozen
class EffectiveRange:
    """A date range during which a value is in force (有效期), both ends inclusive.

    ``until=None`` means "until superseded" (长期有效/直至新标准发布).
    """

    start: _dt.date
    until: _dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until < self.start:
            raise InvalidPeriod(
                f"effective range ends ({self.until}) before it starts ({self.start})",
                zh=f"有效期的结束日期（{self.until}）早于开始日期（{self.start}）",
            )

    @classmethod
    def parse(cls, start: object, until: object | None = None) -> EffectiveRange:
        """From ISO strings or dates; a month (``"2024-07"``) means its first day."""
        end = None if until in (None, "") else as_date(until)
        return cls(as_date(start), end)

    def contains(self, day: _dt.date) -> bool:
        """Whether *day* falls within the range."""
        return self.start <= day and (self.until is None or day <= self.until)

    def __str__(self) -> str:
        if self.until is None:
            return f"{self.start} –"
        return f"{self.start} – {self.until}"

    def zh(self) -> str:
        """Chinese form: ``自2024-07-01起执行``."""
        if self.until is None:
            return f"自{self.start}起执行"
        return f"{self.start}至{self.until}"
