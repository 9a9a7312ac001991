"""The table of registered standard values and their resolution (标准表与适用规则).

>>> import datetime
>>> from civilaffairs.standards import StandardsTable, StandardValue
>>> table = StandardsTable()
>>> src = {"issuer": "北京市民政局", "title": "社会救助标准调整通知"}
>>> for start, amount in [("2022-07-01", "1320"), ("2024-07-01", "1450")]:
...     table.add(StandardValue.build("dibao.standard", "110000", start, amount,
...                                   source=src, plugin="example"))
>>> table.resolve("dibao.standard", "110105", datetime.date(2024, 8, 1), "urban").value
Money('1450.00')
>>> table.resolve("dibao.standard", "110105", "2022-08", "rural").value
Money('1320.00')
>>> table.resolve("dibao.standard", "110105", "2021-08-01")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
civilaffairs.errors.MissingStandard: no standard 'dibao.standard' for region 110105 ...
"""

from __future__ import annotations

import datetime as _dt
import types
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from civilaffairs.errors import (
    AmbiguousStandard,
    CivilAffairsError,
    MissingStandard,
    StandardConflict,
)
from civilaffairs.standards._resolve import RegionSeries, blocking, chain_of, sort_key
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec, get_key, key_differences
from civilaffairs.standards.values import ResidenceScope, StandardValue, parse_on, parse_residence

if TYPE_CHECKING:
    from civilaffairs.periods import Month
    from civilaffairs.standards.compiled import CompiledStandard

__all__ = ["StandardsTable"]

_Slot = tuple[str, str, ResidenceScope, _dt.date]


def _slot(value: StandardValue) -> _Slot:
    return (value.key, value.region, value.residence, value.effective_from)


class StandardsTable:
    """Registered standard values, resolved by region, residence and date (标准表).

    **Resolution** of (key, region, residence, day):

    * the region's chain is tried from most to least specific: county → prefecture →
      province → national (:meth:`civilaffairs.regions.Region.resolution_chain`);
    * at each region, of the values for that residence or for ``both``, the one with the
      latest ``effective_from`` on or before the day is in force, a residence-specific value
      beating a ``both`` value of the same date; if it has an ``until`` before the day, that
      region has nothing in force (an older value does not come back);
    * the first region with a value in force supplies it; if none does,
      :class:`~civilaffairs.errors.MissingStandard` names the key, region and date.

    Two values with the same key, region, residence and ``effective_from`` are a
    :class:`~civilaffairs.errors.StandardConflict` naming both plugins, even from one plugin.

    **Keys**: the table knows the built-in keys, the keys given as *keys*, and the
    declaration of every value it holds for a declared key (:attr:`catalogue`); a lookup of
    any other key is an :class:`~civilaffairs.errors.UnknownStandardKey`.

    :param values: values to add.
    :param keys: declared keys beyond the built-in ones (built-in keys are ignored here),
        e.g. ``registry.keys``.
    """

    def __init__(
        self, values: Iterable[StandardValue] = (), *, keys: Mapping[str, KeySpec] | None = None
    ) -> None:
        self._by_key: dict[str, dict[str, RegionSeries[StandardValue]]] = {}
        self._slots: dict[_Slot, StandardValue] = {}
        self._compiled: dict[str, CompiledStandard] = {}
        self._declared: dict[str, KeySpec] = {}
        self._frozen = False
        # Series appended to out of date order, sorted before the next lookup.
        self._unsorted: set[tuple[str, str]] = set()
        # Slots two plugins claimed (both values disabled), by key and region.
        self._blocked: dict[str, dict[str, list[tuple[StandardValue, StandardConflict]]]] = {}
        for spec in (keys or {}).values():
            if spec.key not in CATALOGUE:
                self._learn(spec)
        for value in values:
            self.add(value)

    # -- keys -----------------------------------------------------------------------
    def _learn(self, spec: KeySpec) -> None:
        known = self._declared.get(spec.key)
        if known is None:
            self._declared[spec.key] = spec
        elif known is not spec and key_differences(known, spec):
            raise CivilAffairsError(
                f"key {spec.key!r} is declared twice with different meanings: "
                f"{'; '.join(key_differences(known, spec))}"
            )

    @property
    def catalogue(self) -> Mapping[str, KeySpec]:
        """Every key the table knows: the built-in keys, then the declared ones (read-only)."""
        return types.MappingProxyType({**CATALOGUE, **self._declared})

    def spec(self, key: str) -> KeySpec:
        """The :class:`~civilaffairs.standards.catalogue.KeySpec` of *key*.

        :raises UnknownStandardKey: for a key the table does not know, suggesting the
            closest known key.
        """
        found = CATALOGUE.get(key) if isinstance(key, str) else None
        if found is None and isinstance(key, str):
            found = self._declared.get(key)
        return found if found is not None else get_key(key, self.catalogue)

    # -- registration ---------------------------------------------------------------
    def find_conflict(self, value: StandardValue) -> StandardValue | None:
        """The registered value occupying the same key, region, residence and date, if any."""
        return self._slots.get(_slot(value))

    def add(self, value: StandardValue) -> None:
        """Register *value*.

        :raises StandardConflict: if a value with the same key, region, residence and
            effective date is registered already; the message names both plugins.
        """
        if self._frozen:
            raise CivilAffairsError(
                "this standards table belongs to a built registry and is read-only; "
                "use overlay() for what-if changes"
            )
        if not isinstance(value, StandardValue):
            raise CivilAffairsError(f"expected a StandardValue, got {type(value).__name__}")
        existing = self.find_conflict(value)
        if existing is not None:
            raise conflict_error(existing, value)
        if value.keyspec is not None:
            self._learn(value.keyspec)
        self._slots[_slot(value)] = value
        series = self._by_key.setdefault(value.key, {}).setdefault(value.region, RegionSeries())
        # Append in O(1); a series that goes out of order is sorted once, before the next
        # lookup (inserting in order one by one made registration quadratic).
        if series.records and sort_key(value) < sort_key(series.records[-1]):
            self._unsorted.add((value.key, value.region))
        series.records.append(value)
        series.dates.append(value.effective_from)
        self._compiled.pop(value.key, None)

    def _sort(self) -> None:
        for key, region in self._unsorted:
            series = self._by_key[key][region]
            series.records.sort(key=sort_key)
            series.dates[:] = [r.effective_from for r in series.records]
        self._unsorted.clear()

    def block(self, value: StandardValue, conflict: StandardConflict) -> None:
        """Disable *value*'s slot: two plugins claimed it (a ``StandardConflict``).

        The value is not added; a lookup for which it would be in force raises
        *conflict* instead of falling back to a less specific region, and :meth:`compile`
        resolves it to :data:`~civilaffairs.standards.compiled.CONFLICT`. :attr:`conflicts`
        lists them.
        """
        if self._frozen:
            raise CivilAffairsError("this standards table belongs to a built registry")
        self._blocked.setdefault(value.key, {}).setdefault(value.region, []).append(
            (value, conflict)
        )
        self._compiled.pop(value.key, None)

    @property
    def conflicts(self) -> list[StandardConflict]:
        """The conflicts of the values disabled with :meth:`block`, one per conflict."""
        seen: dict[int, StandardConflict] = {}
        for by_region in self._blocked.values():
            for entries in by_region.values():
                for _, conflict in entries:
                    seen.setdefault(id(conflict), conflict)
        return list(seen.values())

    def _check_blocked(
        self,
        key: str,
        code: str,
        day: _dt.date,
        residence: ResidenceScope,
        found: StandardValue | None,
    ) -> None:
        """Raise the conflict of a disabled value that would be in force instead of
        *found* at region *code*."""
        entries = self._blocked.get(key, {}).get(code)
        if entries:
            conflict = blocking(entries, day, residence, found)
            if conflict is not None:
                raise conflict

    def freeze(self) -> None:
        """Make the table read-only (done for a built :class:`~civilaffairs.registry.Registry`)."""
        self._frozen = True

    @property
    def frozen(self) -> bool:
        """Whether :meth:`add` is refused."""
        return self._frozen

    def overlay(self, values: Iterable[StandardValue]) -> StandardsTable:
        """A new table with *values* replacing those in the same slot, or added (what-if).

        The new table is not frozen; this one is unchanged.
        """
        replaced = {_slot(v): v for v in values}
        merged = [v for s, v in self._slots.items() if s not in replaced]
        table = StandardsTable([*merged, *replaced.values()], keys=self._declared)
        for by_region in self._blocked.values():
            for entries in by_region.values():
                for value, conflict in entries:
                    if _slot(value) not in replaced:
                        table.block(value, conflict)
        return table

    # -- lookup ---------------------------------------------------------------------
    def _in_force(
        self, key: str, chain: tuple[str, ...], day: _dt.date, residence: ResidenceScope
    ) -> StandardValue | None:
        if self._unsorted:
            self._sort()
        by_region = self._by_key.get(key) or {}
        blocked = key in self._blocked
        for code in chain:
            series = by_region.get(code)
            found = series.in_force(day, residence) if series is not None else None
            if blocked:
                self._check_blocked(key, code, day, residence, found)
            if found is not None:
                return found
        return None

    def try_resolve(
        self,
        key: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> StandardValue | None:
        """Like :meth:`resolve`, but ``None`` instead of
        :class:`~civilaffairs.errors.MissingStandard`."""
        try:
            return self.resolve(key, region, on, residence)
        except MissingStandard:
            return None

    def resolve(
        self,
        key: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> StandardValue:
        """The value of *key* in force for *region* on *on*.

        :param key: a catalogue key (built in or declared).
        :param region: a 6-digit region code, usually a county (县级).
        :param on: a date, a :class:`~civilaffairs.periods.Month` (its first day) or an ISO
            string.
        :param residence: ``"urban"`` or ``"rural"``. ``None`` (or ``"both"``) asks for a
            value that is the same for both; if the urban and rural values differ,
            :class:`~civilaffairs.errors.AmbiguousStandard` is raised.
        :raises MissingStandard: if no value applies, naming key, region and date.
        :raises UnknownStandardKey: for a key not in the catalogue.
        :raises UnknownRegion: for an unknown region code.
        """
        self.spec(key)
        chain = chain_of(region)
        day = parse_on(on)
        res = None if residence is None else parse_residence(residence)
        if res is not None and res is not ResidenceScope.BOTH:
            found = self._in_force(key, chain, day, res)
            if found is None:
                raise MissingStandard(key, chain[0], day, res.value)
            return found
        urban = self._in_force(key, chain, day, ResidenceScope.URBAN)
        rural = self._in_force(key, chain, day, ResidenceScope.RURAL)
        if urban is rural:
            if urban is None:
                raise MissingStandard(key, chain[0], day)
            return urban
        shown = {
            name: (f"{v.format_value('en')} from {v.region}" if v else "none")
            for name, v in (("urban", urban), ("rural", rural))
        }
        raise AmbiguousStandard(
            f"{key} for region {chain[0]} on {day} differs between urban ({shown['urban']}) "
            f"and rural ({shown['rural']}): pass residence='urban' or 'rural' (城乡标准不同)",
            zh=f"城乡标准不同：{key} 在行政区划 {chain[0]}、{day} 的城市标准为 "
            f"{shown['urban']}，农村标准为 {shown['rural']}，请指定 residence='urban' 或 'rural'",
        )

    # -- inspection -----------------------------------------------------------------
    def values(self, key: str | None = None, region: str | None = None) -> list[StandardValue]:
        """Registered values, by catalogue order of key, then region, date and residence.

        :param key: only this key.
        :param region: only values registered at exactly this region code.
        """
        if key is not None:
            self.spec(key)
        if self._unsorted:
            self._sort()
        out: list[StandardValue] = []
        for k in self.keys():
            if key is not None and k != key:
                continue
            by_region = self._by_key[k]
            for code in sorted(by_region):
                if region is not None and code != region:
                    continue
                out.extend(by_region[code].records)
        return out

    def conflicts_of(self, key: str) -> list[StandardConflict]:
        """The conflicts that disabled values of *key* (see :meth:`block`)."""
        seen: dict[int, StandardConflict] = {}
        for entries in self._blocked.get(key, {}).values():
            for _, conflict in entries:
                seen.setdefault(id(conflict), conflict)
        return list(seen.values())

    def keys(self) -> list[str]:
        """Keys with at least one value, in catalogue order (built-in keys first, then
        declared keys in the order they were declared)."""
        return [k for k in (*CATALOGUE, *self._declared) if self._by_key.get(k)]

    def regions(self, key: str) -> list[str]:
        """Region codes with at least one value of *key*, sorted."""
        return sorted(self._by_key.get(key, {}))

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self) -> Iterator[StandardValue]:
        return iter(self.values())

    def __repr__(self) -> str:
        return f"<StandardsTable: {len(self)} values, {len(self.keys())} keys>"

    # -- bulk -----------------------------------------------------------------------
    def compile(self, key: str) -> CompiledStandard:
        """Lookup arrays for *key*, for bulk resolution with numpy (cached per key).

        See :class:`~civilaffairs.standards.compiled.CompiledStandard`.
        """
        spec = self.spec(key)
        if self._unsorted:
            self._sort()
        compiled = self._compiled.get(key)
        if compiled is None:
            from civilaffairs.standards.compiled import CompiledStandard

            by_region = self._by_key.get(key, {})
            compiled = CompiledStandard(
                key,
                [v for s in by_region.values() for v in s.records],
                spec=spec,
                blocked=[e for entries in self._blocked.get(key, {}).values() for e in entries],
            )
            self._compiled[key] = compiled
        return compiled


def conflict_error(first: StandardValue, second: StandardValue) -> StandardConflict:
    """The :class:`StandardConflict` for two values claiming one slot."""
    same = " (the same plugin registered it twice)" if first.plugin == second.plugin else ""
    return StandardConflict(
        f"standard {first.key} for region {first.region} ({first.residence.value}) effective "
        f"{first.effective_from} is registered twice: by plugin {first.plugin!r} "
        f"({first.format_value('en')}) and by plugin {second.plugin!r} "
        f"({second.format_value('en')}){same} (标准冲突)",
        plugins=(first.plugin, second.plugin),
    )
