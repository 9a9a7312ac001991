"""The ``p`` object of rules: standards and policy points for the households evaluated.

:class:`ScalarPolicy` resolves for one household and records every standard and policy it
used, with provenance, for the decision. :class:`BatchPolicy` resolves once per distinct
(region, residence) in a batch and hands rules one array per key, so a chunk of a registry
costs a handful of lookups, not one per household.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from civilaffairs.errors import MissingStandard
from civilaffairs.money import Money
from civilaffairs.periods import Month
from civilaffairs.programs.base import Program
from civilaffairs.programs.points import RATIO_SCALE

__all__ = ["BatchPolicy", "ScalarPolicy", "group_keys", "number_of"]


def number_of(value: object) -> int:
    """A standard's value as an int: fen for money, 1/10000 units for ratios."""
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, Decimal):
        return int(value * RATIO_SCALE)
    if isinstance(value, int) and not isinstance(value, bool):
        return value * RATIO_SCALE
    raise TypeError(f"unsupported standard value {value!r}")


class ScalarPolicy:
    """Standards and policies for one household, recording what was used."""

    def __init__(
        self, registry: Any, program: Program, region: str, residence: str, month: Month
    ) -> None:
        self.registry = registry
        self.program = program
        self.region = region
        self.residence = residence
        self.month = month
        self.day = month.first_day
        self.standards_used: dict[str, Any] = {}
        self.standards_missing: list[str] = []
        self.policies_used: dict[str, Any] = {}

    def _lookup(self, key: str) -> Any:
        return self.registry.standards.try_resolve(key, self.region, self.day, self.residence)

    def standard(self, key: str) -> int:
        """The resolved standard (fen or ratio units); missing raises MissingStandard."""
        value = self._lookup(key)
        if value is None:
            raise MissingStandard(key, self.region, self.day, self.residence)
        self.standards_used[key] = value
        return number_of(value.value)

    def optional_standard(self, key: str) -> tuple[int, bool]:
        """``(value, found)``; a missing standard gives ``(0, False)`` and is noted."""
        value = self._lookup(key)
        if value is None:
            if key not in self.standards_missing:
                self.standards_missing.append(key)
            return 0, False
        self.standards_used[key] = value
        return number_of(value.value), True

    def resolved_policy(self, name: str) -> Any:
        point = self.program.policy_points[name]
        return self.registry.policies.resolve(
            self.program.id, name, self.region, self.day, self.residence, point.default
        )

    def policy(self, name: str) -> int:
        """The policy point's array form (bool/int/ratio units/choice index/bit set)."""
        resolved = self.resolved_policy(name)
        self.policies_used[name] = resolved
        return self.program.policy_points[name].to_number(resolved.value)


class BatchPolicy:
    """Standards and policies for a batch: one lookup per distinct (region, residence)."""

    def __init__(
        self,
        registry: Any,
        program: Program,
        regions: Sequence[str],
        residences: Sequence[str],
        month: Month,
        groups: tuple[list[tuple[str, str]], np.ndarray] | None = None,
        lookups: dict[str, tuple[list[int], list[bool]]] | None = None,
    ) -> None:
        """*lookups* may be shared by the programmes of one batch, so a standard every
        programme reads (the dibao standard) is resolved once per group, not once per
        programme."""
        self.registry = registry
        self.program = program
        self.month = month
        self.day = month.first_day
        if groups is None:
            groups = group_keys(regions, residences)
        self.keys, self.inverse = groups
        self.missing = np.zeros(len(self.inverse), dtype=bool)
        self.missing_keys: dict[str, np.ndarray] = {}
        self._lookups = lookups if lookups is not None else {}

    def _per_group(self, values: list[int]) -> Any:
        arr = np.asarray(values, dtype=np.int64)
        if arr.size and np.all(arr == arr[0]):
            return int(arr[0])
        return arr[self.inverse]

    def _resolve_all(self, key: str) -> tuple[list[int], list[bool]]:
        known = self._lookups.get(key)
        if known is not None:
            return known
        memo = _memo(self.registry)
        vals: list[int] = []
        found: list[bool] = []
        for region, residence in self.keys:
            slot = ("standard", key, region, residence, self.day)
            hit = memo.get(slot)
            if hit is None:
                v = self.registry.standards.try_resolve(key, region, self.day, residence)
                hit = memo[slot] = (0, False) if v is None else (number_of(v.value), True)
            vals.append(hit[0])
            found.append(hit[1])
        self._lookups[key] = (vals, found)
        return vals, found

    def standard(self, key: str) -> Any:
        """One value per household; households without the standard are flagged missing."""
        vals, found = self._resolve_all(key)
        ok = np.asarray(found, dtype=bool)
        if not ok.all() and key not in self.missing_keys:
            miss = ~ok[self.inverse]
            self.missing |= miss
            self.missing_keys[key] = miss
        return self._per_group(vals)

    def optional_standard(self, key: str) -> tuple[Any, Any]:
        vals, found = self._resolve_all(key)
        f = np.asarray(found, dtype=bool)
        found_out: Any = bool(f[0]) if f.size and np.all(f == f[0]) else f[self.inverse]
        return self._per_group(vals), found_out

    def policy(self, name: str) -> Any:
        point = self.program.policy_points[name]
        memo = _memo(self.registry)
        vals: list[int] = []
        for region, residence in self.keys:
            slot = ("policy", self.program.id, name, region, residence, self.day)
            hit = memo.get(slot)
            if hit is None:
                resolved = self.registry.policies.resolve(
                    self.program.id, name, region, self.day, residence, point.default
                )
                hit = memo[slot] = point.to_number(resolved.value)
            vals.append(hit)
        return self._per_group(vals)


# Resolutions per registry snapshot, so that the chunks of a bulk run resolve each
# (key, region, residence, day) once. A registry is immutable once built; the memo is
# dropped with it.
_MEMOS: dict[int, tuple[weakref.ref[Any], dict[tuple[Any, ...], Any]]] = {}


def _memo(registry: Any) -> dict[tuple[Any, ...], Any]:
    entry = _MEMOS.get(id(registry))
    if entry is not None and entry[0]() is registry:
        return entry[1]
    memo: dict[tuple[Any, ...], Any] = {}
    key = id(registry)
    try:
        ref = weakref.ref(registry, lambda _: _MEMOS.pop(key, None))
    except TypeError:  # not weak-referenceable: no memo across batches
        return memo
    _MEMOS[key] = (ref, memo)
    return memo


def group_keys(
    regions: Sequence[str], residences: Sequence[str]
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Distinct (region, residence) pairs and, per household, the index of its pair."""
    index: dict[tuple[str, str], int] = {}
    inverse = np.empty(len(regions), dtype=np.int64)
    for i, pair in enumerate(zip(regions, residences, strict=True)):
        inverse[i] = index.setdefault(pair, len(index))
    return list(index), inverse
