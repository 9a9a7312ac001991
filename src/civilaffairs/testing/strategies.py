"""Hypothesis strategies for civilaffairs types (属性测试数据生成).

Every strategy builds *valid* values unless its name says otherwise; the project's own
tests and plugin authors' tests draw from here.

>>> from civilaffairs.testing import strategies as cst
>>> from civilaffairs.ids import ResidentId
>>> isinstance(cst.resident_ids().example(), ResidentId)  # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as _dt
from functools import cache

from hypothesis import strategies as st

from civilaffairs.ids import (
    USCC_ALPHABET,
    CreditCode,
    ResidentId,
    credit_code_check_char,
    resident_id_check_char,
)
from civilaffairs.money import MAX_FEN, Money
from civilaffairs.periods import EffectiveRange, Month

__all__ = [
    "county_codes",
    "credit_code_strings",
    "credit_codes",
    "dates",
    "effective_ranges",
    "fen",
    "money",
    "money_strings",
    "months",
    "resident_id_strings",
    "resident_ids",
]

#: Dates within the range the library deals with.
MIN_DATE = _dt.date(1900, 1, 1)
MAX_DATE = _dt.date(2099, 12, 31)


def fen(min_fen: int = 0, max_fen: int = 10**10) -> st.SearchStrategy[int]:
    """Whole numbers of fen; non-negative by default (up to 100 million yuan)."""
    return st.integers(min_value=max(min_fen, -MAX_FEN), max_value=min(max_fen, MAX_FEN))


def money(min_fen: int = 0, max_fen: int = 10**10) -> st.SearchStrategy[Money]:
    """:class:`~civilaffairs.money.Money` amounts in ``[min_fen, max_fen]`` fen."""
    return fen(min_fen, max_fen).map(Money.from_fen)


@st.composite
def money_strings(draw: st.DrawFn, min_fen: int = 0, max_fen: int = 10**10) -> str:
    """Decimal-yuan strings ``Money.parse`` accepts: ``1450``, ``1450.5``, ``1,450.00``."""
    value = draw(fen(min_fen, max_fen))
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    style = draw(st.sampled_from(["plain", "one", "two", "commas"]))
    if style == "plain" and frac == 0:
        return f"{sign}{whole}"
    if style == "one" and frac % 10 == 0:
        return f"{sign}{whole}.{frac // 10}"
    if style == "commas":
        return f"{sign}{whole:,}.{frac:02d}"
    return f"{sign}{whole}.{frac:02d}"


def dates(
    min_value: _dt.date = MIN_DATE, max_value: _dt.date = MAX_DATE
) -> st.SearchStrategy[_dt.date]:
    """Calendar dates."""
    return st.dates(min_value=min_value, max_value=max_value)


_FIRST_MONTH = Month(2000, 1)
_LAST_MONTH = Month(2040, 12)


def months(
    min_value: Month = _FIRST_MONTH, max_value: Month = _LAST_MONTH
) -> st.SearchStrategy[Month]:
    """Calendar months."""
    return st.integers(min_value.index, max_value.index).map(Month.from_index)


@st.composite
def effective_ranges(draw: st.DrawFn) -> EffectiveRange:
    """Effective ranges, open-ended or closed."""
    start = draw(dates(_dt.date(2000, 1, 1), _dt.date(2040, 12, 31)))
    if draw(st.booleans()):
        return EffectiveRange(start)
    end = draw(dates(start, _dt.date(2060, 12, 31)))
    return EffectiveRange(start, end)


@cache
def _county_codes() -> tuple[str, ...]:
    from civilaffairs import regions

    return tuple(r.code for r in regions.all_regions(level=regions.Level.COUNTY, current_only=True))


def county_codes() -> st.SearchStrategy[str]:
    """Codes of current county-level divisions (县级行政区划代码)."""
    return st.sampled_from(_county_codes())


@st.composite
def resident_id_strings(
    draw: st.DrawFn,
    born_after: _dt.date = _dt.date(1900, 1, 1),
    born_before: _dt.date = _dt.date(2025, 12, 31),
) -> str:
    """Valid 18-character resident ID strings (GB 11643) with a current county area code."""
    area = draw(county_codes())
    born = draw(dates(born_after, born_before))
    seq = draw(st.integers(0, 999))
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def resident_ids(
    born_after: _dt.date = _dt.date(1900, 1, 1),
    born_before: _dt.date = _dt.date(2025, 12, 31),
) -> st.SearchStrategy[ResidentId]:
    """Valid :class:`~civilaffairs.ids.ResidentId` values."""
    return resident_id_strings(born_after, born_before).map(
        lambda s: ResidentId.parse(s, today=MAX_DATE)
    )


_AUTH_TYPES = [
    ("5", "1"),
    ("5", "2"),
    ("5", "3"),
    ("5", "9"),
    ("1", "1"),
    ("1", "2"),
    ("9", "1"),
    ("9", "2"),
    ("9", "3"),
    ("Y", "1"),
]


@st.composite
def credit_code_strings(draw: st.DrawFn) -> str:
    """Valid unified social credit code strings (GB 32100)."""
    auth, kind = draw(st.sampled_from(_AUTH_TYPES))
    area = draw(county_codes())
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    first17 = f"{auth}{kind}{area}{body}"
    return first17 + credit_code_check_char(first17)


def credit_codes() -> st.SearchStrategy[CreditCode]:
    """Valid :class:`~civilaffairs.ids.CreditCode` values."""
    return credit_code_strings().map(CreditCode.parse)


# Strategies of the other layers live beside their subject and are re-exported here, so
# that this module stays the one place to import strategies from.
from civilaffairs.testing._domain import (  # noqa: E402
    applications,
    assets,
    catalogue_entries,
    declarations,
    disabilities,
    expenses,
    households,
    incomes,
    institutions,
    person_names,
    persons,
    record_ids,
    service_records,
    statuses,
    supporters,
)
from civilaffairs.testing._programs import (  # noqa: E402
    BULK_TEST_REGIONS,
    assessable_households,
    household_lists,
)
from civilaffairs.testing._standards import (  # noqa: E402
    residences,
    sources,
    standard_keys,
    standard_values,
)

__all__ += [
    "BULK_TEST_REGIONS",
    "applications",
    "assessable_households",
    "assets",
    "catalogue_entries",
    "declarations",
    "disabilities",
    "expenses",
    "household_lists",
    "households",
    "incomes",
    "institutions",
    "person_names",
    "persons",
    "record_ids",
    "residences",
    "service_records",
    "sources",
    "standard_keys",
    "standard_values",
    "statuses",
    "supporters",
]
