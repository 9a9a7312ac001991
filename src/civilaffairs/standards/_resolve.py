"""The one resolution rule, shared by standards and policy overrides.

Records are grouped by region. For a region, residence and day:

1. only records for that residence or for ``both`` take part;
2. the one with the latest ``effective_from`` on or before the day is in force; at the same
   date a residence-specific record beats a ``both`` record;
3. if that record has ended (``until`` before the day), the region has nothing in force;
   an older record does not come back;
4. the most specific region in the chain (county, prefecture, province, national) with a
   record in force wins.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar

from civilaffairs.standards.values import ResidenceScope

__all__ = ["Dated", "RegionSeries", "blocking", "chain_of", "pick", "sort_key"]


class Dated(Protocol):
    """What the rule needs of a record."""

    @property
    def region(self) -> str: ...

    @property
    def residence(self) -> ResidenceScope: ...

    @property
    def effective_from(self) -> _dt.date: ...

    @property
    def until(self) -> _dt.date | None: ...


R = TypeVar("R", bound=Dated)


def sort_key(record: Dated) -> tuple[_dt.date, int]:
    """Order within a region: by date, and ``both`` before a specific residence."""
    return (record.effective_from, 0 if record.residence is ResidenceScope.BOTH else 1)


E = TypeVar("E")


def blocking(
    entries: Iterable[tuple[Dated, E]],
    day: _dt.date,
    residence: ResidenceScope,
    found: Dated | None,
) -> E | None:
    """Of the disabled records *entries* (each with its conflict) at one region, the
    conflict of the first that would be in force on *day* instead of *found*, the record
    the region's enabled values give; ``None`` if none would be."""
    for record, conflict in entries:
        if record.residence is not residence and record.residence is not ResidenceScope.BOTH:
            continue
        if record.effective_from > day or (record.until is not None and record.until < day):
            continue
        if found is None or sort_key(record) >= sort_key(found):
            return conflict
    return None


class RegionSeries(Generic[R]):
    """The records of one group (e.g. one key) at one region, kept in :func:`sort_key` order."""

    __slots__ = ("dates", "records")

    def __init__(self, records: Iterable[R] = ()) -> None:
        self.records: list[R] = sorted(records, key=sort_key)
        self.dates: list[_dt.date] = [r.effective_from for r in self.records]

    def insert(self, record: R) -> None:
        """Insert keeping order."""
        i = bisect.bisect_right([sort_key(r) for r in self.records], sort_key(record))
        self.records.insert(i, record)
        self.dates.insert(i, record.effective_from)

    def remove(self, record: R) -> None:
        """Remove *record* (compared by identity)."""
        for i, r in enumerate(self.records):
            if r is record:
                del self.records[i]
                del self.dates[i]
                return

    def __len__(self) -> int:
        return len(self.records)

    def in_force(self, day: _dt.date, residence: ResidenceScope) -> R | None:
        """The record in force on *day* for *residence* (urban or rural), or ``None``."""
        return pick(self.records, self.dates, day, residence)


def pick(
    records: Sequence[R], dates: Sequence[_dt.date], day: _dt.date, residence: ResidenceScope
) -> R | None:
    """Rules 1-3 over *records* sorted by :func:`sort_key`; *dates* their effective dates."""
    i = bisect.bisect_right(dates, day)
    while i > 0:
        i -= 1
        record = records[i]
        if record.residence is residence or record.residence is ResidenceScope.BOTH:
            if record.until is not None and record.until < day:
                return None
            return record
    return None


@functools.lru_cache(maxsize=8192)
def chain_of(region: str) -> tuple[str, ...]:
    """The resolution chain of *region*, most specific first (cached).

    :raises UnknownRegion: for an unknown or malformed code.
    """
    from civilaffairs import regions

    return regions.get(region).resolution_chain()
