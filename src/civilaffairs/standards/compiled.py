"""Standards compiled to lookup arrays for bulk evaluation (标准的批量查找).

:meth:`StandardsTable.compile(key) <civilaffairs.standards.table.StandardsTable.compile>` turns
the values of one key into, per region and residence, a timeline: the days on which the
resolved value changes and the value in force from each. A million (region, day,
residence) triples are then resolved with one :func:`numpy.searchsorted`. The timelines are
built with the same rule as :meth:`~civilaffairs.standards.table.StandardsTable.resolve`, from
the same records, so both agree (a property test checks it on random inputs).

>>> import numpy as np
>>> from civilaffairs.standards import StandardsTable, StandardValue
>>> table = StandardsTable([
...     StandardValue.build("dibao.standard", "110000", start, amount,
...                         source={"issuer": "北京市民政局", "title": "通知"}, plugin="example")
...     for start, amount in [("2022-07-01", "1320"), ("2024-07-01", "1450")]
... ])
>>> compiled = table.compile("dibao.standard")
>>> values, found, index = compiled.resolve_many(
...     np.array(["110105", "110105", "310101"]),
...     np.array(["2024-08-01", "2022-08-01", "2024-08-01"], dtype="datetime64[D]"),
...     np.array([0, 1, 0], dtype=np.uint8),
... )
>>> values.tolist(), found.tolist()
([145000, 132000, 0], [True, True, False])
>>> str(compiled.records[index[0]].value)
'1450.00'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from civilaffairs._lazy import lazy_module
from civilaffairs.errors import CivilAffairsError, StandardConflict, UnknownRegion
from civilaffairs.standards._resolve import RegionSeries, blocking, chain_of, pick
from civilaffairs.standards.values import ResidenceScope, StandardValue

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from civilaffairs.standards.catalogue import KeySpec

    _Timeline = tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]
else:
    np = lazy_module("numpy")  # the tables are compiled for bulk runs only

__all__ = ["CONFLICT", "CompiledStandard", "chain_matrix"]

#: The index :meth:`CompiledStandard.resolve_many` gives where a disabled value would apply.
CONFLICT = -2

_EPOCH = _dt.date(1970, 1, 1).toordinal()
_OFFSET = 2**31
_SHIFT = 32
_WEIGHTS = (100000, 10000, 1000, 100, 10, 1)  # of the six digits of a region code
_RESIDENCES = (ResidenceScope.URBAN, ResidenceScope.RURAL)


def _day(d: _dt.date) -> int:
    return d.toordinal() - _EPOCH


def _date(day: int) -> _dt.date:
    return _dt.date.fromordinal(day + _EPOCH)


class CompiledStandard:
    """One key's values as lookup arrays (批量查找表).

    Usually obtained from ``StandardsTable.compile(key)``; built directly from *values* (all
    of one key) it applies the same resolution rule.

    :attr:`records` is the tuple of :class:`~civilaffairs.standards.values.StandardValue` that
    :meth:`resolve_many` indexes into, so every bulk result keeps its provenance.
    :attr:`scaled` holds each record's value as an integer: fen for money, 1/10000 units
    for ratios and numbers.
    """

    def __init__(
        self,
        key: str,
        values: Iterable[StandardValue],
        *,
        spec: KeySpec | None = None,
        blocked: Iterable[tuple[StandardValue, StandardConflict]] = (),
    ) -> None:
        self.key = key
        self._spec = spec
        #: Disabled slots (two plugins claimed them), by region: a lookup where one would be
        #: in force resolves to :data:`CONFLICT` instead of a less specific value.
        self._blocked: dict[str, list[tuple[StandardValue, StandardConflict]]] = {}
        conflicts: dict[int, StandardConflict] = {}
        for value, conflict in blocked:
            self._blocked.setdefault(value.region, []).append((value, conflict))
            conflicts.setdefault(id(conflict), conflict)
        #: The conflicts of the disabled slots, one per conflict.
        self.conflicts: tuple[StandardConflict, ...] = tuple(conflicts.values())
        grouped: dict[str, list[StandardValue]] = {}
        for value in values:
            if value.key != key:
                raise CivilAffairsError(f"a {value.key} value cannot be compiled for {key}")
            grouped.setdefault(value.region, []).append(value)
        self._series: dict[str, tuple[list[StandardValue], list[_dt.date]]] = {}
        for code, group in grouped.items():
            series = RegionSeries(group)
            self._series[code] = (series.records, series.dates)
        records: list[StandardValue] = []
        self._index: dict[int, int] = {}
        for code in sorted(self._series):
            for record in self._series[code][0]:
                self._index[id(record)] = len(records)
                records.append(record)
        #: Every value of the key; :meth:`resolve_many` returns indices into this tuple.
        self.records: tuple[StandardValue, ...] = tuple(records)
        #: Integer form of each record's value (fen, or 1/10000 units).
        self.scaled: npt.NDArray[np.int64] = np.array([r.scaled for r in records], dtype=np.int64)
        self._scaled_ext = np.append(self.scaled, np.int64(0))
        self._timelines: dict[tuple[str, int], _Timeline] = {}
        self._days: dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]] = {}

    @property
    def spec(self) -> KeySpec:
        """The catalogue entry of the key: as given, else the declaration the values carry,
        else the built-in entry."""
        if self._spec is not None:
            return self._spec
        if self.records and self.records[0].keyspec is not None:
            return self.records[0].keyspec
        from civilaffairs.standards.catalogue import get_key

        return get_key(self.key)

    def __repr__(self) -> str:
        return f"<CompiledStandard {self.key}: {len(self.records)} values>"

    # -- timelines ------------------------------------------------------------------
    def _resolve_index(
        self, chain: tuple[str, ...], day: _dt.date, residence: ResidenceScope
    ) -> int:
        for code in chain:
            series = self._series.get(code)
            found = pick(series[0], series[1], day, residence) if series is not None else None
            if blocking(self._blocked.get(code, ()), day, residence, found) is not None:
                return CONFLICT
            if found is not None:
                return self._index[id(found)]
        return -1

    def timeline(self, region: str, residence: int) -> _Timeline:
        """Change days (days since 1970-01-01) and the record index in force from each.

        The first entry starts before any date (``-2**31``); index ``-1`` means no value,
        :data:`CONFLICT` a disabled slot.
        """
        cache_key = (region, residence)
        cached = self._timelines.get(cache_key)
        if cached is not None:
            return cached
        res = _RESIDENCES[residence]
        chain = chain_of(region)
        points: set[int] = set()
        for code in chain:
            series = self._series.get(code)
            records = [v for v, _ in self._blocked.get(code, ())]
            if series is not None:
                records += series[0]
            for record in records:
                if record.residence is res or record.residence is ResidenceScope.BOTH:
                    points.add(_day(record.effective_from))
                    if record.until is not None:
                        points.add(_day(record.until) + 1)
        starts = [-_OFFSET]
        winners = [-1]
        for point in sorted(points):
            winner = self._resolve_index(chain, _date(point), res)
            if winner != winners[-1]:
                starts.append(point)
                winners.append(winner)
        result = (np.array(starts, dtype=np.int64), np.array(winners, dtype=np.int32))
        self._timelines[cache_key] = result
        return result

    # -- bulk -----------------------------------------------------------------------
    def resolve_many(
        self, region_codes: npt.ArrayLike, days: npt.ArrayLike, residences: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int32]]:
        """Resolve many (region, day, residence) triples at once.

        :param region_codes: 6-digit codes as strings (``"110105"``) or integers (``110105``).
        :param days: ``datetime64`` values (any unit; converted to days).
        :param residences: ``0`` urban, ``1`` rural (``uint8`` or any integer type).
        :returns: ``(values, found, index)``: ``values`` (``int64``) in fen for money keys and
            in 1/10000 units for ratios and numbers, ``0`` where nothing applies; ``found``
            (``bool``); ``index`` (``int32``) into :attr:`records`, ``-1`` where nothing
            applies and :data:`CONFLICT` where a value two plugins claimed would apply (the
            conflicts are in :attr:`conflicts`; the single lookup raises one). The three
            inputs are broadcast to one 1-D shape.
        :raises UnknownRegion: naming the first code that is malformed or unknown.
        """
        codes = _region_ints(region_codes)
        day_arr = _days(days)
        res = _residence_codes(residences)
        codes, day_arr, res = np.broadcast_arrays(codes, day_arr, res)
        codes = codes.ravel()
        day_arr = day_arr.ravel()
        res = res.ravel()
        if codes.size == 0:
            return (
                np.zeros(0, np.int64),
                np.zeros(0, np.bool_),
                np.zeros(0, np.int32),
            )
        present = np.zeros(1_000_000, dtype=np.bool_)
        present[codes] = True
        unique = np.flatnonzero(present)
        lut = np.empty(1_000_000, dtype=np.int64)
        lut[unique] = np.arange(unique.size, dtype=np.int64)
        which = lut[codes]

        starts_parts: list[npt.NDArray[np.int64]] = []
        winner_parts: list[npt.NDArray[np.int32]] = []
        for u, code in enumerate(unique.tolist()):
            name = f"{code:06d}"
            for r in (0, 1):
                starts, winners = self.timeline(name, r)
                starts_parts.append(((u * 2 + r) << _SHIFT) + (starts + _OFFSET))
                winner_parts.append(winners)
        all_starts = np.concatenate(starts_parts)
        all_winners = np.concatenate(winner_parts)

        query = ((which * 2 + res) << _SHIFT) + (day_arr + _OFFSET)
        pos = np.searchsorted(all_starts, query, side="right") - 1
        index = all_winners[pos]
        found = np.greater_equal(index, 0)
        values = self._scaled_ext[np.where(found, index, -1)]
        return values, found, index

    # -- one day, regions as integers -----------------------------------------------
    def on_day(self, day: _dt.date) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """The regions with values of the key (codes as integers, ascending) and, for each,
        the record index in force there on *day* for urban and rural (``(n, 2)``: ``-1``
        none, :data:`CONFLICT` a disabled value), by rules 1-3 of the resolution at that
        code alone (computed once per day, then cached)."""
        cached = self._days.get(day.toordinal())
        if cached is not None:
            return cached
        codes = sorted(set(self._series) | set(self._blocked))
        winners = np.full((len(codes), 2), -1, dtype=np.int32)
        for i, code in enumerate(codes):
            series = self._series.get(code)
            blocked = self._blocked.get(code, ())
            for r, res in enumerate(_RESIDENCES):
                found = pick(series[0], series[1], day, res) if series is not None else None
                if blocked and blocking(blocked, day, res, found) is not None:
                    winners[i, r] = CONFLICT
                elif found is not None:
                    winners[i, r] = self._index[id(found)]
        result = (np.array([int(c) for c in codes], dtype=np.int64), winners)
        self._days[day.toordinal()] = result
        return result

    def resolve_codes(
        self,
        region_codes: npt.ArrayLike,
        rural: npt.ArrayLike,
        day: _dt.date,
        *,
        chains: npt.NDArray[np.int64] | None = None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int32]]:
        """Resolve many (region, residence) pairs on one *day*: the bulk engine's lookup.

        :param region_codes: county codes as integers (``110105``), known regions.
        :param rural: ``0`` urban, ``1`` rural, per code.
        :param chains: :func:`chain_matrix` of *region_codes*, when the caller has it
            (every key of a batch reads the same chains).
        :returns: ``(values, found, index)`` as :meth:`resolve_many` returns them. Each
            code's resolution chain (county, prefecture, province, national) is read
            once and looked up in :meth:`on_day` with :func:`numpy.searchsorted`; the most
            specific region with a value in force (or a disabled one) decides.
        :raises UnknownRegion: for a code that is not a known division.
        """
        codes = np.asarray(region_codes, dtype=np.int64).reshape(-1)
        res = np.asarray(rural, dtype=np.int64).reshape(-1)
        have, winners = self.on_day(day)
        index = np.full(codes.size, -1, dtype=np.int32)
        if codes.size and have.size:
            if chains is None:
                chains = chain_matrix(codes)
            for level in range(chains.shape[1]):
                undecided = index == -1
                if not undecided.any():
                    break
                col = chains[:, level]
                pos = np.minimum(np.searchsorted(have, col), have.size - 1)
                hit = (have[pos] == col) & undecided
                index[hit] = winners[pos[hit], res[hit]]
        found = np.greater_equal(index, 0)
        values = self._scaled_ext[np.where(found, index, -1)]
        return values, found, index


_CHAINS: dict[int, tuple[int, ...]] = {}


def chain_matrix(region_codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The resolution chain of each code (most specific first) as a matrix of integer
    codes, one row per code, padded with ``-1`` (each distinct code's chain read once).

    :raises UnknownRegion: for a code that is not a known division.
    """
    uniq, inverse = np.unique(region_codes, return_inverse=True)
    chains = []
    for code in uniq.tolist():
        chain = _CHAINS.get(code)
        if chain is None:
            chain = _CHAINS[code] = tuple(int(c) for c in chain_of(f"{code:06d}"))
        chains.append(chain)
    width = max((len(c) for c in chains), default=0)
    table = np.full((uniq.size, width), -1, dtype=np.int64)
    for i, chain in enumerate(chains):
        table[i, : len(chain)] = chain
    out: npt.NDArray[np.int64] = table[inverse.reshape(-1)]
    return out


def _region_ints(region_codes: npt.ArrayLike) -> npt.NDArray[np.int64]:
    arr = np.asarray(region_codes)
    if arr.dtype.kind == "O":
        if not all(isinstance(x, str) for x in arr.ravel().tolist()):
            raise UnknownRegion("?", detail="region codes must be strings or integers")
        arr = arr.astype(str)
    if arr.dtype.kind in "iu":
        codes = arr.astype(np.int64, copy=False)
        bad = (codes < 0) | (codes > 999_999)
        if bad.any():
            raise UnknownRegion(str(codes[bad][0]), detail="not a 6-digit code")
        return codes
    if arr.dtype.kind in "US":
        width = arr.dtype.itemsize // (4 if arr.dtype.kind == "U" else 1)
        unit = np.uint32 if arr.dtype.kind == "U" else np.uint8
        if width < 6:
            raise UnknownRegion("?", detail="region codes must have 6 digits")
        chars = np.ascontiguousarray(arr).reshape(-1).view(unit).reshape(-1, width)
        digits = chars[:, :6].astype(np.int64) - 48
        wrong = np.any((digits < 0) | (digits > 9), axis=1)
        if width > 6:
            wrong = wrong | np.any(chars[:, 6:] != 0, axis=1)
        if wrong.any():
            raise UnknownRegion(
                str(arr.reshape(-1)[np.flatnonzero(wrong)[0]]),
                detail="malformed, expected 6 digits (代码格式错误)",
            )
        codes = digits @ np.array(_WEIGHTS, dtype=np.int64)
        return codes.reshape(arr.shape)
    raise UnknownRegion("?", detail=f"region codes of dtype {arr.dtype} are not supported")


def _days(days: npt.ArrayLike) -> npt.NDArray[np.int64]:
    arr = np.asarray(days)
    if arr.dtype.kind != "M":
        if arr.dtype.kind in "US":
            arr = arr.astype("datetime64[D]")
        else:
            raise CivilAffairsError(f"days must be datetime64 values, got dtype {arr.dtype}")
    out = arr.astype("datetime64[D]")
    if np.isnat(out).any():
        raise CivilAffairsError("days contain NaT (missing dates)")
    ints: npt.NDArray[np.int64] = out.astype(np.int64)
    return ints


def _residence_codes(residences: Any) -> npt.NDArray[np.int64]:
    arr = np.asarray(residences)
    if arr.dtype.kind not in "iub":
        raise CivilAffairsError(
            f"residences must be integers 0 (urban) or 1 (rural), got dtype {arr.dtype}"
        )
    ints = arr.astype(np.int64)
    if ints.size and ((ints < 0) | (ints > 1)).any():
        raise CivilAffairsError("residences must be 0 (urban) or 1 (rural)")
    return ints
