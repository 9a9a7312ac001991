"""Standards and policies for a compiled programme (标准与政策参数的解析).

A programme reads the same values for every household of one region, residence and month,
so they are resolved once per (programme version, region, residence, day) and memoised per
registry snapshot: :func:`resolve_group` for one group, :func:`resolve_batch` for every
group of a batch. Values are held as the evaluators hold them: fen, 1/10000 ratio units,
flags, choice indexes, income-kind bit sets, and ``None`` for *not set*.
"""

from __future__ import annotations

import datetime as _dt
import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs._lazy import lazy_module
from civilaffairs.engine.columns import Opt
from civilaffairs.engine.compiler import Compiled
from civilaffairs.errors import StandardConflict
from civilaffairs.money import Money
from civilaffairs.programs.base import Program

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # only the batch resolution reads it

__all__ = [
    "STALE_MONTHS",
    "BatchValues",
    "Group",
    "group_keys",
    "number_of",
    "resolve_batch",
    "resolve_group",
    "stale_since",
]

#: An amount in force longer than this many months, with no later value registered for its
#: region, is *stale*: decisions and the coverage report say to check for a newer notice.
STALE_MONTHS = 24

RATIO_SCALE = 10_000


def number_of(value: object) -> int:
    """A standard's value as an int: fen for money, 1/10000 units for ratios and numbers."""
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, Decimal):
        return int(value * RATIO_SCALE)
    if isinstance(value, int) and not isinstance(value, bool):
        return value * RATIO_SCALE
    raise TypeError(f"unsupported standard value {value!r}")


def _within_bounds(key: str, region: str, number: int, value: Any) -> int:
    """*number* if it lies within the bounds the engine's range proof assumes."""
    from civilaffairs.engine.bounds import MAX_RATIO_UNITS, MAX_STANDARD_FEN
    from civilaffairs.errors import AmountOutOfRange

    limit = MAX_STANDARD_FEN if isinstance(value.value, Money) else MAX_RATIO_UNITS
    if abs(number) > limit:
        raise AmountOutOfRange(
            f"standard {key!r} for {region} ({value.value}, plugin {value.plugin}) is beyond the "
            f"largest value the engine accepts ({limit} in its units)",
            zh=f"标准 {key}（{region}，{value.value}，插件 {value.plugin}）超出引擎可接受的最大值",
        )
    return number


@attrs.frozen
class Group:
    """The values one programme version reads for one (region, residence, day)."""

    #: Standard numbers by key (``None``: not set).
    S: Mapping[str, int | None]
    #: Policy numbers by point name (``None``: not set).
    C: Mapping[str, int | None]
    #: The registered standard values found, by key.
    standards: Mapping[str, Any]
    #: Keys the region has not published, in reading order.
    missing: tuple[str, ...]
    #: The first required key that is missing, if any.
    required_missing: str | None
    #: Resolved policies (value and the override it came from), by point name.
    policies: Mapping[str, Any]
    #: The conflict of the first key whose slot two plugins claimed (the registry disabled
    #: both values), if any: the group cannot be assessed by this programme.
    conflict: StandardConflict | None = None


def policy_number(point: Any, value: Any) -> int | None:
    """The evaluator's form of a validated policy value."""
    if value is None:
        return None
    return int(point.to_number(value))


# Resolutions per registry snapshot. A registry is immutable once built; the memo is dropped
# with it.
_MEMOS: dict[int, tuple[weakref.ref[Any], dict[Any, Any]]] = {}


def _dropper(memos: dict[int, Any], key: int) -> Any:
    """A weakref callback that forgets *key* (holding the dict, so it works at shutdown)."""

    def drop(_: object) -> None:
        memos.pop(key, None)

    return drop


def memo_of(registry: Any) -> dict[Any, Any]:
    """The memo dictionary of *registry*."""
    entry = _MEMOS.get(id(registry))
    if entry is not None and entry[0]() is registry:
        return entry[1]
    memo: dict[Any, Any] = {}
    key = id(registry)
    try:
        ref = weakref.ref(registry, _dropper(_MEMOS, key))
    except TypeError:  # not weak-referenceable: no memo across calls
        return memo
    _MEMOS[key] = (ref, memo)
    return memo


def resolve_group(
    registry: Any,
    program: Program,
    compiled: Compiled,
    region: str,
    residence: str,
    day: _dt.date,
) -> Group:
    """Resolve what *compiled* reads for one group (memoised per registry)."""
    memo = memo_of(registry)
    slot = ("group", program.id, id(compiled), region, residence, day)
    hit = memo.get(slot)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    required = compiled.required
    S: dict[str, int | None] = {}
    found: dict[str, Any] = {}
    missing: list[str] = []
    first_required: str | None = None
    conflict: StandardConflict | None = None
    for key in compiled.standards:
        try:
            v = registry.standards.try_resolve(key, region, day, residence)
        except StandardConflict as exc:
            conflict = conflict or exc
            v = None
        if v is None:
            S[key] = None
            missing.append(key)
            if key in required and first_required is None:
                first_required = key
        else:
            S[key] = _within_bounds(key, region, number_of(v.value), v)
            found[key] = v
    C: dict[str, int | None] = {}
    policies: dict[str, Any] = {}
    for name in compiled.points:
        point = program.policy_points[name]
        resolved = registry.policies.resolve(
            program.id, name, region, day, residence, point.default
        )
        policies[name] = resolved
        C[name] = policy_number(point, resolved.value)
    group = Group(S, C, found, tuple(missing), first_required, policies, conflict)
    memo[slot] = group
    return group


@attrs.frozen
class BatchValues:
    """Standards and policies of one programme version for a batch."""

    standards: dict[str, Any]
    policies: dict[str, Any]
    #: Households whose region lacks a required standard.
    missing: np.ndarray
    #: Per required key that some household lacks, the mask of those households.
    missing_keys: dict[str, np.ndarray]
    #: Per household, the conflict that keeps its group from being assessed (``None``).
    conflicts: list[StandardConflict | None] = attrs.field(factory=list)
    #: Households of a group with a conflict.
    conflicted: np.ndarray | None = None


def _spread(values: Sequence[Any], inverse: np.ndarray) -> Any:
    if len(values) and all(v == values[0] for v in values):
        return values[0]
    return np.asarray(values, dtype=np.int64)[inverse]


def resolve_batch(
    registry: Any,
    program: Program,
    compiled: Compiled,
    keys: Sequence[tuple[str, str]],
    inverse: np.ndarray,
    day: _dt.date,
) -> BatchValues:
    """Resolve what *compiled* reads for every (region, residence) group of a batch."""
    groups = [resolve_group(registry, program, compiled, r, res, day) for r, res in keys]
    required = compiled.required
    n = len(inverse)
    standards: dict[str, Any] = {}
    missing = np.zeros(n, dtype=bool)
    missing_keys: dict[str, np.ndarray] = {}
    for key in compiled.standards:
        vals = [g.S[key] for g in groups]
        ok = [v is not None for v in vals]
        numbers = [0 if v is None else v for v in vals]
        value = _spread(numbers, inverse)
        if key in required and not all(ok):
            miss = ~np.asarray(ok, dtype=bool)[inverse]
            missing |= miss
            missing_keys[key] = miss
        standards[key] = Opt(value, _spread(ok, inverse) if len(ok) else True)
    policies: dict[str, Any] = {}
    for name in compiled.points:
        vals = [g.C[name] for g in groups]
        if any(v is None for v in vals):
            numbers = [0 if v is None else v for v in vals]
            policies[name] = Opt(
                _spread(numbers, inverse), _spread([v is not None for v in vals], inverse)
            )
        else:
            policies[name] = _spread(vals, inverse) if vals else 0
    conflicted = None
    per_group = [g.conflict for g in groups]
    if any(c is not None for c in per_group):
        conflicted = np.asarray([c is not None for c in per_group], dtype=bool)[inverse]
        missing |= conflicted
    return BatchValues(standards, policies, missing, missing_keys, per_group, conflicted)


def group_keys(
    regions: Sequence[str], residences: Sequence[str]
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Distinct (region, residence) pairs and, per household, the index of its pair."""
    index: dict[tuple[str, str], int] = {}
    inverse = np.empty(len(regions), dtype=np.int64)
    for i, pair in enumerate(zip(regions, residences, strict=True)):
        inverse[i] = index.setdefault(pair, len(index))
    return list(index), inverse


def stale_since(registry: Any, value: Any, day: _dt.date) -> str | None:
    """The month (``YYYY-MM``) from which the amount *value* is in force, if on *day* it took
    effect more than :data:`STALE_MONTHS` months before and its region has no later value of
    its key registered (for its residence); else ``None``. Only money amounts go stale: a
    multiple or a count set by a rule stays until the rule changes. Memoised per registry."""
    if not isinstance(value.value, Money):
        return None
    start = value.effective_from
    months = (day.year - start.year) * 12 + day.month - start.month
    if months <= STALE_MONTHS:
        return None
    memo = memo_of(registry)
    slot = ("later value", value.key, value.region, str(value.residence), start)
    later = memo.get(slot)
    if later is None:
        later = memo[slot] = any(
            w.effective_from > start and w.residence in (value.residence, "both")
            for w in registry.standards.values(value.key, value.region)
        )
    return None if later else f"{start.year}-{start.month:02d}"
