"""Columnar evaluation (批量认定): the same programme definitions over arrays.

:func:`evaluate_frame` runs every requested programme over a
:class:`~civilaffairs.engine.frame.Frame` of many households with the array vocabulary,
in one pass, and keeps only the outputs: eligibility, amount in fen and the first failing
condition per household and programme. The differential tests check that it agrees with
:func:`civilaffairs.engine.single.assess` field by field.

**Standards and policies by (region, residence), with no Python loop per group.** What a
programme reads is the same for every household of one county, residence and month. Each
standard key is compiled once per registry
(:meth:`~civilaffairs.standards.table.StandardsTable.compile`) and, once per day, into the
record in force at every region that has values
(:meth:`~civilaffairs.standards.compiled.CompiledStandard.on_day`); a batch's distinct
(county, residence) pairs (:attr:`Frame.group_codes
<civilaffairs.engine.frame.Frame.group_codes>`, integers) are then resolved along their
chains with :func:`numpy.searchsorted` and spread to the households with one ``take``.
Policy points without any override anywhere are their default for everyone; the others are
resolved once per (county, residence) and day, and kept for the next batches of the run
with the registry. A registry whose tables are not the library's own, a value beyond the
engine's bounds or a disabled (conflicting) value go through
:func:`civilaffairs.engine.resolve.resolve_batch`, the per-group resolution of the single
case, which raises or reports exactly as it does.
"""

from __future__ import annotations

import datetime as _dt
import weakref
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from civilaffairs.engine.columns import BatchEnv, Opt, applies, finish, start_batch
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.resolve import BatchValues, policy_number, resolve_batch
from civilaffairs.engine.single import evaluation_order
from civilaffairs.programs.module import in_scope

__all__ = ["BatchResult", "evaluate_frame"]


@attrs.frozen
class BatchResult:
    """Outputs for ``n`` households.

    ``status[pid]`` is 0 when assessed, 1 when skipped because the region lacks one of the
    programme's standards, the programme does not apply (``skip_unless``) or a programme it
    depends on was skipped, 2 when the programme's module does not serve the household's
    region. Each programme depends only on what it reads, so a household is never refused as
    a whole.
    """

    #: The household ids as the frame holds them (a list of str or an Arrow array).
    household_ids: Any
    programs: list[str]
    eligible: dict[str, np.ndarray]
    amount: dict[str, np.ndarray]
    first_failed: dict[str, np.ndarray]
    status: dict[str, np.ndarray]
    condition_ids: dict[str, tuple[str, ...]]
    #: Per household, why it could not be assessed at all (``None``: it was): a standard
    #: its programmes read is disabled by a conflict between two plugins, the error the
    #: single-case :func:`~civilaffairs.engine.single.assess` raises for it.
    failures: list[str | None] | None = None

    def failed(self) -> np.ndarray:
        """Mask of the households that could not be assessed (see :attr:`failures`)."""
        if self.failures is None:
            return np.zeros(len(self.household_ids), dtype=bool)
        return np.asarray([f is not None for f in self.failures], dtype=bool)

    def first_failed_ids(self, program: str) -> list[str | None]:
        """The first failing condition id per household (``None`` if none failed)."""
        ids = self.condition_ids[program]
        return [None if i < 0 else ids[i] for i in self.first_failed[program].tolist()]


def evaluate_frame(
    frame: Frame, registry: Any, programs: Iterable[str] | None = None
) -> BatchResult:
    """Evaluate *programs* (all registered by default) for every household of *frame*.

    A programme whose module does not serve a household's region has status 2 for it.
    """
    order, report = evaluation_order(
        registry.programs, None if programs is None else list(programs)
    )
    n = frame.n
    env = BatchEnv(frame.hh, frame.pp, frame.person_hh, n)
    uniq, inverse = frame.group_codes
    day = frame.month.first_day
    memo = _memo(registry)
    batch: dict[str, Any] = {}  # what every programme of this batch shares
    eligible: dict[str, np.ndarray] = {}
    amount: dict[str, np.ndarray] = {}
    first: dict[str, np.ndarray] = {}
    status: dict[str, np.ndarray] = {}
    scope_of = getattr(registry, "program_scope", None)
    wanted = set(report)
    failures: list[str | None] | None = None
    runs: list[Any] = []
    read_later = _read_by_peers(memo, order, day)
    try:
        for prog in order:
            out_of_scope = np.zeros(n, dtype=bool)
            scope = scope_of(prog.id) if scope_of is not None else ()
            if scope and uniq.size:
                out_of_scope = ~_covered(memo, tuple(scope), uniq // 2)[inverse]
            dep_skipped = np.zeros(n, dtype=bool)
            for dep in prog.depends_on:
                dep_skipped |= status[dep] == 1
            version = prog.version_on(day)
            run = None
            if version is None:
                skipped = np.ones(n, dtype=bool)
            else:
                compiled = version.compiled()
                values, group_of = _values(registry, memo, batch, prog, compiled, frame, day)
                if values.conflicted is not None:
                    # what the single-case assessment raises: only where it reads the value
                    failures = failures or [None] * n
                    hit = values.conflicted & ~dep_skipped & ~out_of_scope & ~_failed(failures)
                    for i in np.flatnonzero(hit).tolist():
                        failures[i] = str(values.conflicts[group_of[i]])
                run = start_batch(
                    version, env, values.standards, values.policies, compiled.pure, compiled.checked
                )
                runs.append(run)
                env.peers[prog.id] = run.quantity
                skipped = values.missing | ~applies(run)
            skipped |= dep_skipped
            skipped &= ~out_of_scope
            off = skipped | out_of_scope
            if run is None:
                env.eligible[prog.id] = np.zeros(n, dtype=bool)
            elif prog.id in wanted:
                out = finish(run)
                # keep the quantities later programmes read (member_value), drop every other
                # intermediate array: memory stays that of one programme's working set
                run.memo.clear()
                for name in [q for q in run.refs if (prog.id, q) not in read_later]:
                    del run.refs[name]
                if off.any():
                    eligible[prog.id] = np.where(off, False, out.eligible)
                    amount[prog.id] = np.where(off, 0, out.amount).astype(np.int64)
                    first[prog.id] = np.where(off, -1, out.first_failed).astype(np.int16)
                else:
                    eligible[prog.id] = out.eligible
                    amount[prog.id] = out.amount
                    first[prog.id] = out.first_failed
                env.eligible[prog.id] = eligible[prog.id]
            else:
                # evaluated only for what the requested programmes read: decided when first read
                env.eligible[prog.id] = _lazy_eligible(run, off)
            if prog.id in wanted and run is None:
                eligible[prog.id] = np.zeros(n, dtype=bool)
                amount[prog.id] = np.zeros(n, dtype=np.int64)
                first[prog.id] = np.full(n, -1, dtype=np.int16)
            state = skipped.astype(np.int8)
            state[out_of_scope] = 2
            status[prog.id] = state
    finally:
        # the runs, their quantities and the batch's shared values refer to one another:
        # let them go now rather than when the cycle collector comes by, so that memory
        # stays that of one batch however many batches a run has
        for r in runs:
            r.memo.clear()
            r.refs.clear()
        env.peers.clear()
        env.eligible.clear()
        env.cache.clear()
    return BatchResult(
        household_ids=frame.ids,
        programs=report,
        eligible={p: eligible[p] for p in report},
        amount={p: amount[p] for p in report},
        first_failed={p: first[p] for p in report},
        status={p: status[p] for p in report},
        condition_ids={p: _condition_ids(registry.programs[p], day) for p in report},
        failures=failures,
    )


def _read_by_peers(memo: dict[Any, Any], order: list[Any], day: _dt.date) -> set[Any]:
    """The (programme, quantity) pairs that programmes read of others (``member_value``)."""
    slot = ("peers", tuple(p.id for p in order), day)
    hit: set[Any] | None = memo.get(slot)
    if hit is None:
        hit = set()
        for prog in order:
            version = prog.version_on(day)
            if version is not None:
                hit.update(node.meta for node in version.nodes() if node.op == "peer")
        memo[slot] = hit
    return hit


def _failed(failures: list[str | None]) -> np.ndarray:
    return np.asarray([f is not None for f in failures], dtype=bool)


def _lazy_eligible(run: Any, off: np.ndarray) -> Any:
    return lambda: np.where(off, False, finish(run).eligible)


def _condition_ids(program: Any, day: Any) -> tuple[str, ...]:
    version = program.version_on(day) or program.latest
    return tuple(c.id for c in version.conditions)


# -- standards and policies by (region, residence) -----------------------------------------

#: What a registry's runs resolved, kept as long as the registry lives (a registry is
#: immutable once built): per day, policy numbers and module scopes by region code.
_MEMOS: dict[int, tuple[weakref.ref[Any], dict[Any, Any]]] = {}


def _memo(registry: Any) -> dict[Any, Any]:
    entry = _MEMOS.get(id(registry))
    if entry is not None and entry[0]() is registry:
        return entry[1]
    memo: dict[Any, Any] = {}
    key = id(registry)

    def forget(_: object) -> None:
        _MEMOS.pop(key, None)

    try:
        ref = weakref.ref(registry, forget)
    except TypeError:  # not weak-referenceable: nothing kept between batches
        return memo
    _MEMOS[key] = (ref, memo)
    return memo


def _covered(memo: dict[Any, Any], scope: tuple[str, ...], regions: np.ndarray) -> np.ndarray:
    """Whether each region code lies in *scope* (each distinct code tested once per run)."""
    known: dict[int, bool] = memo.setdefault(("scope", scope), {})
    out = np.empty(regions.size, dtype=bool)
    for i, code in enumerate(regions.tolist()):
        hit = known.get(code)
        if hit is None:
            hit = known[code] = in_scope(f"{code:06d}", scope)
        out[i] = hit
    return out


def _values(
    registry: Any,
    memo: dict[Any, Any],
    batch: dict[str, Any],
    program: Any,
    compiled: Any,
    frame: Frame,
    day: _dt.date,
) -> tuple[BatchValues, np.ndarray]:
    """The standards and policies *compiled* reads for every household of *frame*, and the
    group index of each household (into :attr:`BatchValues.conflicts`)."""
    from civilaffairs.policies import PolicyTable
    from civilaffairs.standards.table import StandardsTable

    uniq, inverse = frame.group_codes
    fast = (
        isinstance(registry.standards, StandardsTable)
        and isinstance(registry.policies, PolicyTable)
        and uniq.size > 0
    )
    dense = _dense(registry, memo, batch, program, compiled, uniq, inverse, day) if fast else None
    if dense is not None:
        return dense, inverse
    keys, group_of = frame.groups
    return resolve_batch(registry, program, compiled, keys, group_of, day), group_of


def _spread(values: np.ndarray, inverse: np.ndarray) -> Any:
    """Per-group *values* per household: one Python scalar when every group has the same."""
    if values.size and (values == values[0]).all():
        return values[0].item()
    return values[inverse]


def _dense(
    registry: Any,
    memo: dict[Any, Any],
    batch: dict[str, Any],
    program: Any,
    compiled: Any,
    uniq: np.ndarray,
    inverse: np.ndarray,
    day: _dt.date,
) -> BatchValues | None:
    """:class:`BatchValues` from the compiled lookup arrays (``None``: use the per-group
    resolution, for a conflict or a value beyond the engine's bounds)."""
    from civilaffairs.engine.bounds import MAX_RATIO_UNITS, MAX_STANDARD_FEN
    from civilaffairs.standards.compiled import chain_matrix

    regions, rural = uniq // 2, uniq % 2
    if "chains" not in batch:  # the batch's regions: read once for every key and programme
        batch["chains"] = chain_matrix(regions)
    n = inverse.size
    standards: dict[str, Any] = {}
    missing = np.zeros(n, dtype=bool)
    missing_keys: dict[str, np.ndarray] = {}
    for key in compiled.standards:
        table = registry.standards.compile(key)
        values, found, index = table.resolve_codes(regions, rural, day, chains=batch["chains"])
        if (index == -2).any():
            return None  # a disabled value: the per-group resolution names the conflict
        limit = MAX_STANDARD_FEN if table.spec.kind.value == "money" else MAX_RATIO_UNITS
        if found.any() and int(np.abs(values[found]).max()) > limit:
            return None  # the per-group resolution raises AmountOutOfRange
        if key in compiled.required and not found.all():
            miss = ~found[inverse]
            missing |= miss
            missing_keys[key] = miss
        standards[key] = Opt(_spread(values, inverse), _spread(found, inverse))
    policies: dict[str, Any] = {}
    for name in compiled.points:
        numbers, given = _policy(registry, memo, program, name, uniq, day)
        if not given.all():
            policies[name] = Opt(_spread(numbers, inverse), _spread(given, inverse))
        else:
            policies[name] = _spread(numbers, inverse)
    return BatchValues(standards, policies, missing, missing_keys, [None] * uniq.size, None)


def _policy(
    registry: Any, memo: dict[Any, Any], program: Any, name: str, uniq: np.ndarray, day: _dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """A policy point's number per group (``region * 2 + rural``) and whether it is set.

    A point no plugin overrides anywhere is its default everywhere; otherwise each group
    not seen before in this run is resolved as the single case resolves it, and kept (as
    sorted arrays, looked up with :func:`numpy.searchsorted`) for the next batches."""
    point = program.policy_points[name]
    table = registry.policies
    slot = ("policy", program.id, name, day)
    known: Any = memo.get(slot)
    if known is None:
        overridden = bool(table.overrides(program.id, name)) or bool(
            getattr(table, "_blocked", {}).get((program.id, name))
        )
        if not overridden:
            known = memo[slot] = policy_number(point, point.default)
        else:
            empty = np.zeros(0, dtype=np.int64)
            known = memo[slot] = [empty, empty, np.zeros(0, dtype=bool)]
    if not isinstance(known, list):  # the default everywhere
        return (
            np.full(uniq.size, 0 if known is None else known, dtype=np.int64),
            np.full(uniq.size, known is not None, dtype=bool),
        )
    codes, numbers, given = known
    pos = np.minimum(np.searchsorted(codes, uniq), max(codes.size - 1, 0))
    seen = (codes[pos] == uniq) if codes.size else np.zeros(uniq.size, dtype=bool)
    if not seen.all():
        residences = ("urban", "rural")
        new = uniq[~seen]
        values = [
            policy_number(
                point,
                table.resolve(
                    program.id, name, f"{code // 2:06d}", day, residences[code % 2], point.default
                ).value,
            )
            for code in new.tolist()
        ]
        codes = np.concatenate([codes, new])
        numbers = np.concatenate([numbers, [0 if v is None else v for v in values]])
        given = np.concatenate([given, [v is not None for v in values]])
        order = np.argsort(codes, kind="stable")
        codes, numbers, given = codes[order], numbers[order].astype(np.int64), given[order]
        known[:] = [codes, numbers, given]
        pos = np.searchsorted(codes, uniq)
    return numbers[pos], given[pos].astype(bool)
