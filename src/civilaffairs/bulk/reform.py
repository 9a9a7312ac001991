"""Reforms (政策调整方案): standard and policy overrides for a what-if simulation.

A reform is a set of overrides written ``KEY@REGION=VALUE``, optionally followed by
``from YYYY-MM`` (or ``from YYYY-MM-DD``), and optionally with a residence after the
region (``KEY@REGION/urban=VALUE``):

* ``dibao.standard@110000=1500 from 2025-01``: a standard of the catalogue, in yuan a
  month for money keys or a decimal for ratios;
* ``dibao.rounding@310000=up``: a policy point, written ``<programme>.<point>``; lists
  (income kinds) are comma-separated, yes/no points take ``true`` or ``false``, and whole
  number points take a number or ``none``.

Without ``from`` the override applies from the first day of the simulated month.

:meth:`Reform.apply` builds a new :class:`~civilaffairs.registry.Registry` in which each
override wins, for its key and region, from its date on, over what the plugins
registered there (their values at that region from that date on are set aside); values
registered for more specific regions below it (a county's own standard) still apply, as
resolution always prefers the most specific region. The installed registry is never
changed.

>>> from civilaffairs.bulk.reform import Reform
>>> reform = Reform.parse(["dibao.standard@110000=1500 from 2025-01"])
>>> reform.overrides[0].key, reform.overrides[0].region, reform.overrides[0].value
('dibao.standard', '110000', '1500')
>>> str(reform.overrides[0].effective_from)
'2025-01-01'
>>> Reform.parse(["dibao.standard=1500"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
civilaffairs.bulk.reform.ReformError: 'dibao.standard=1500': write KEY@REGION=VALUE ...
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from civilaffairs.errors import CivilAffairsError
from civilaffairs.periods import Month, parse_date

__all__ = ["Override", "Reform", "ReformError"]

_SYNTAX = re.compile(
    r"^\s*(?P<key>[a-z][a-z0-9_.]*)@(?P<region>\d{6})(?:/(?P<res>urban|rural|both))?\s*=\s*"
    r"(?P<value>[^\s]+?)(?:\s+from\s+(?P<start>\d{4}-\d{2}(?:-\d{2})?))?\s*$"
)
_SOURCE = {
    "issuer": "what-if simulation (模拟测算)",
    "title": "reform scenario, not an official standard (测算方案，非正式标准)",
}
REFORM_PLUGIN = "reform"


class ReformError(CivilAffairsError):
    """A reform override is malformed or names an unknown key, region or value (调整方案错误)."""

    code = "reform_error"


@attrs.frozen
class Override:
    """One override of a reform.

    :param key: a standard key (``dibao.standard``) or ``<programme>.<point>``.
    :param region: the 6-digit region code it applies to (with the regions below it).
    :param value: the value as written.
    :param residence: ``both``, ``urban`` or ``rural``.
    :param effective_from: first day in force, or ``None`` for the simulated month.
    :param text: the override as written.
    """

    key: str
    region: str
    value: str
    residence: str = "both"
    effective_from: _dt.date | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> Override:
        """Parse ``KEY@REGION[/RESIDENCE]=VALUE [from YYYY-MM[-DD]]``.

        :raises ReformError: naming what is wrong.
        """
        match = _SYNTAX.match(text)
        if match is None:
            raise ReformError(
                f"{text!r}: write KEY@REGION=VALUE [from YYYY-MM], e.g. "
                "dibao.standard@110000=1500 from 2025-01"
            )
        from civilaffairs import regions

        region = match["region"]
        if not regions.exists(region):
            raise ReformError(f"{text!r}: {region} is not a GB/T 2260 division code")
        start = None
        if match["start"]:
            raw = match["start"]
            try:
                start = parse_date(raw if len(raw) == 10 else f"{raw}-01")
            except CivilAffairsError as exc:
                raise ReformError(f"{text!r}: bad date {raw!r}: {exc}") from None
        return cls(
            match["key"], region, match["value"], match["res"] or "both", start, text.strip()
        )

    def start(self, month: Month) -> _dt.date:
        """The first day in force, for a simulation of *month*."""
        return self.effective_from or month.first_day

    def covers_codes(self, counties: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of *counties* (codes as integers) are under this override's region."""
        from civilaffairs import regions

        if self.region == regions.NATIONAL_CODE:
            return np.ones(counties.shape, dtype=bool)
        level = regions.get(self.region).level
        unit = {regions.Level.PROVINCE: 10000, regions.Level.PREFECTURE: 100}.get(level, 1)
        hit: npt.NDArray[np.bool_] = counties // unit == int(self.region) // unit
        return hit

    def covers(self, counties: npt.NDArray[np.str_]) -> npt.NDArray[np.bool_]:
        """Which of *counties* (6-digit codes) are under this override's region."""
        from civilaffairs import regions

        level = regions.get(self.region).level
        if self.region == regions.NATIONAL_CODE:
            return np.ones(counties.shape, dtype=bool)
        width = {regions.Level.PROVINCE: 2, regions.Level.PREFECTURE: 4}.get(level, 6)
        prefix = self.region[:width]
        return np.array([c[:width] == prefix for c in counties.tolist()], dtype=bool)


def _policy_value(spec: Any, raw: str) -> object:
    """A policy value written on the command line, in the form the point validates."""
    from civilaffairs.programs.points import BoolPoint, IntPoint, KindSetPoint

    if isinstance(spec, BoolPoint):
        lowered = raw.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        return raw
    if isinstance(spec, IntPoint):
        if raw.lower() in ("none", "null"):
            return None
        return int(raw) if raw.lstrip("-").isdigit() else raw
    if isinstance(spec, KindSetPoint):
        return [] if raw in ("", "none") else raw.split(",")
    return raw


@attrs.frozen
class Reform:
    """A set of overrides (政策调整方案)."""

    overrides: tuple[Override, ...]

    @classmethod
    def parse(cls, texts: Iterable[str] | str) -> Reform:
        """Parse overrides written ``KEY@REGION=VALUE [from YYYY-MM]``.

        :raises ReformError: for the first malformed one, or if none is given.
        """
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            raise ReformError("a reform needs at least one override KEY@REGION=VALUE")
        return cls(tuple(Override.parse(t) for t in items))

    def __str__(self) -> str:
        return "; ".join(o.text or f"{o.key}@{o.region}={o.value}" for o in self.overrides)

    def affected_codes(
        self, counties: npt.NDArray[np.integer[Any]], month: Month
    ) -> npt.NDArray[np.bool_]:
        """:meth:`affected` for county codes held as integers (``110105``), vectorised."""
        codes = np.asarray(counties, dtype=np.int64)
        hit = np.zeros(codes.shape, dtype=bool)
        for o in self.overrides:
            if o.start(month) <= month.first_day:
                hit |= o.covers_codes(codes)
        return hit

    def affected(self, counties: Sequence[str], month: Month) -> npt.NDArray[np.bool_]:
        """Which households (by county) the reform can change in *month*.

        A household is affected when it lives under the region of an override that is in
        force on the month's first day. Only those are recomputed.
        """
        codes = np.asarray(counties, dtype=object)
        if codes.size == 0:
            return np.zeros(0, dtype=bool)
        unique, inverse = np.unique(codes.astype(str), return_inverse=True)
        hit = np.zeros(unique.size, dtype=bool)
        for o in self.overrides:
            if o.start(month) <= month.first_day:
                hit |= o.covers(unique)
        return hit[inverse]

    def apply(self, registry: Any, month: Month | str) -> Any:
        """A new registry with the overrides in force (the given one is unchanged).

        :raises ReformError: for an unknown key, programme or point, a value the key or
            point refuses, or two overrides of the same slot.
        """
        from civilaffairs.policies import PolicyOverride, PolicyTable, validate_override
        from civilaffairs.standards import StandardsTable, StandardValue

        month = Month.parse(month)
        std_new: list[Any] = []
        pol_new: list[Any] = []
        keys = registry.keys  # built-in and plugin-declared standard keys
        for o in self.overrides:
            start = o.start(month)
            if o.key in keys:
                try:
                    std_new.append(
                        StandardValue.build(
                            o.key,
                            o.region,
                            start,
                            o.value,
                            residence=o.residence,
                            source=_SOURCE,
                            plugin=REFORM_PLUGIN,
                            keys=keys,
                        )
                    )
                except CivilAffairsError as exc:
                    raise ReformError(f"{o.text or o.key}: {_one_line(exc)}") from None
                continue
            program, _, point = o.key.partition(".")
            prog = registry.programs.get(program)
            spec = getattr(prog, "policy_points", {}).get(point) if prog is not None else None
            if spec is None:
                raise ReformError(
                    f"{o.text or o.key}: {o.key!r} is neither a standard key nor a programme's "
                    "policy point (<programme>.<point>)"
                )
            try:
                override = PolicyOverride.build(
                    program,
                    point,
                    o.region,
                    start,
                    _policy_value(spec, o.value),
                    residence=o.residence,
                    source=_SOURCE,
                    plugin=REFORM_PLUGIN,
                )
                pol_new.append(validate_override(override, registry.programs))
            except CivilAffairsError as exc:
                raise ReformError(f"{o.text or o.key}: {_one_line(exc)}") from None
        _no_twice(
            [(v.key, v.region, v.residence, v.effective_from) for v in std_new]
            + [(f"{p.program}.{p.point}", p.region, p.residence, p.effective_from) for p in pol_new]
        )
        standards = registry.standards
        if std_new:
            kept = _set_aside(list(standards.values()), std_new, lambda v: v.key)
            standards = StandardsTable([*kept, *std_new], keys=keys)
            standards.freeze()
        policies = registry.policies
        if pol_new:
            kept = _set_aside(list(policies.overrides()), pol_new, lambda p: (p.program, p.point))
            policies = PolicyTable([*kept, *pol_new])
            policies.freeze()
        return attrs.evolve(registry, standards=standards, policies=policies)


def _one_line(exc: CivilAffairsError) -> str:
    return "; ".join(str(exc).splitlines())


def _no_twice(slots: list[tuple[Any, ...]]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for slot in slots:
        if slot in seen:
            raise ReformError(
                f"{slot[0]} for region {slot[1]} from {slot[3]} is set twice in the reform"
            )
        seen.add(slot)


def _set_aside(records: list[Any], new: list[Any], group: Any) -> list[Any]:
    """The registered records that stay: those at a new record's key and region from its
    date on are set aside (for its residence; a ``both`` record keeps the other one)."""
    from civilaffairs.standards.values import ResidenceScope

    out: list[Any] = []
    for record in records:
        keep: Any = record
        for o in new:
            if keep is None:
                break
            if group(keep) != group(o) or keep.region != o.region:
                continue
            if keep.effective_from < o.effective_from:
                continue
            if o.residence is ResidenceScope.BOTH or keep.residence is o.residence:
                keep = None
            elif keep.residence is ResidenceScope.BOTH:
                other = (
                    ResidenceScope.RURAL
                    if o.residence is ResidenceScope.URBAN
                    else ResidenceScope.URBAN
                )
                keep = attrs.evolve(keep, residence=other)
        if keep is not None:
            out.append(keep)
    return out
