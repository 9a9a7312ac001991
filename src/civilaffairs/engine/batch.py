"""Columnar evaluation (批量认定): the same programme definitions over arrays.

:func:`evaluate_frame` runs every requested programme over a
:class:`~civilaffairs.engine.frame.Frame` of many households with the array vocabulary,
and keeps only the outputs: eligibility, amount in fen and the first failing condition
per household and programme. Standards and policies are resolved once per distinct
(region, residence) in the frame. The differential tests check that it agrees with
:func:`civilaffairs.engine.single.assess` field by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from civilaffairs.engine.columns import BatchEnv, applies, finish, start_batch
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.resolve import group_keys, resolve_batch
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

    household_ids: list[str]
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
    groups = frame.groups or group_keys(frame.regions, frame.residences)
    keys, inverse = groups
    day = frame.month.first_day
    eligible: dict[str, np.ndarray] = {}
    amount: dict[str, np.ndarray] = {}
    first: dict[str, np.ndarray] = {}
    status: dict[str, np.ndarray] = {}
    scope_of = getattr(registry, "program_scope", None)
    wanted = set(report)
    failures: list[str | None] | None = None
    for prog in order:
        out_of_scope = np.zeros(n, dtype=bool)
        scope = scope_of(prog.id) if scope_of is not None else ()
        if scope:
            covered = np.asarray([in_scope(region, scope) for region, _ in keys], dtype=bool)
            out_of_scope = ~covered[inverse] if len(keys) else out_of_scope
        dep_skipped = np.zeros(n, dtype=bool)
        for dep in prog.depends_on:
            dep_skipped |= status[dep] == 1
        version = prog.version_on(day)
        run = None
        if version is None:
            skipped = np.ones(n, dtype=bool)
        else:
            compiled = version.compiled()
            values = resolve_batch(registry, prog, compiled, keys, inverse, day)
            if values.conflicted is not None:
                # what the single-case assessment raises: only where it reads the value
                failures = failures or [None] * n
                hit = values.conflicted & ~dep_skipped & ~out_of_scope & ~_failed(failures)
                for i in np.flatnonzero(hit).tolist():
                    failures[i] = str(values.conflicts[inverse[i]])
            run = start_batch(
                version, env, values.standards, values.policies, compiled.pure, compiled.checked
            )
            env.peers[prog.id] = run.quantity
            skipped = values.missing | ~applies(run)
        skipped |= dep_skipped
        skipped &= ~out_of_scope
        off = skipped | out_of_scope
        if run is None:
            env.eligible[prog.id] = np.zeros(n, dtype=bool)
        elif prog.id in wanted:
            out = finish(run)
            eligible[prog.id] = np.where(off, False, out.eligible)
            amount[prog.id] = np.where(off, 0, out.amount).astype(np.int64)
            first[prog.id] = np.where(off, -1, out.first_failed).astype(np.int16)
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
    return BatchResult(
        household_ids=list(frame.household_ids),
        programs=report,
        eligible={p: eligible[p] for p in report},
        amount={p: amount[p] for p in report},
        first_failed={p: first[p] for p in report},
        status={p: status[p] for p in report},
        condition_ids={p: _condition_ids(registry.programs[p], day) for p in report},
        failures=failures,
    )


def _failed(failures: list[str | None]) -> np.ndarray:
    return np.asarray([f is not None for f in failures], dtype=bool)


def _lazy_eligible(run: Any, off: np.ndarray) -> Any:
    return lambda: np.where(off, False, finish(run).eligible)


def _condition_ids(program: Any, day: Any) -> tuple[str, ...]:
    version = program.version_on(day) or program.latest
    return tuple(c.id for c in version.conditions)
