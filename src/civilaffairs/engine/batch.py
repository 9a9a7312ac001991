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

from civilaffairs.engine.context import BatchPolicy, group_keys
from civilaffairs.engine.evaluate import run_program
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.ops import ArrayOps
from civilaffairs.engine.single import FUNDAMENTAL_STANDARDS, evaluation_order

__all__ = ["BatchResult", "evaluate_frame"]


@attrs.frozen
class BatchResult:
    """Outputs for ``n`` households.

    ``status[pid]`` is 0 when assessed, 1 when skipped because the region lacks one of the
    programme's standards. ``error`` holds, per household, the reason it could not be
    assessed at all (a fundamental standard missing) or ``None``; ``fatal`` is the same as a
    boolean mask.
    """

    household_ids: list[str]
    programs: list[str]
    eligible: dict[str, np.ndarray]
    amount: dict[str, np.ndarray]
    first_failed: dict[str, np.ndarray]
    status: dict[str, np.ndarray]
    condition_ids: dict[str, tuple[str, ...]]
    error: np.ndarray
    fatal: np.ndarray

    def first_failed_ids(self, program: str) -> list[str | None]:
        """The first failing condition id per household (``None`` if none failed)."""
        ids = self.condition_ids[program]
        return [None if i < 0 else ids[i] for i in self.first_failed[program].tolist()]


def evaluate_frame(
    frame: Frame, registry: Any, programs: Iterable[str] | None = None
) -> BatchResult:
    """Evaluate *programs* (all registered by default) for every household of *frame*."""
    order, report = evaluation_order(
        registry.programs, None if programs is None else list(programs)
    )
    n = frame.n
    ops = ArrayOps(frame.person_hh, n)
    inputs: dict[str, Any] = {**frame.hh, **frame.pp}
    groups = frame.groups or group_keys(frame.regions, frame.residences)
    eligible: dict[str, np.ndarray] = {}
    amount: dict[str, np.ndarray] = {}
    first: dict[str, np.ndarray] = {}
    status: dict[str, np.ndarray] = {}
    lookups: dict[str, tuple[list[int], list[bool]]] = {}
    fatal = np.zeros(n, dtype=bool)
    reasons = np.full(n, None, dtype=object)
    for prog in order:
        ctx = BatchPolicy(
            registry, prog, frame.regions, frame.residences, frame.month, groups, lookups
        )
        for dep in prog.depends_on:
            inputs[f"eligible_{dep}"] = eligible[dep]
        out = run_program(prog, inputs, ctx, ops)
        skipped = ctx.missing.copy()
        for dep in prog.depends_on:
            skipped |= status[dep] != 0
        for key, miss in ctx.missing_keys.items():
            if key in FUNDAMENTAL_STANDARDS:
                # one message per (region, residence) group, handed to its households
                keys, inverse = groups
                text = np.array(
                    [
                        f"no standard {key!r} for region {region} ({residence}) "
                        f"on {frame.month.first_day}"
                        for region, residence in keys
                    ],
                    dtype=object,
                )
                new = np.flatnonzero(miss & ~fatal)
                reasons[new] = text[inverse[new]]
                fatal |= miss
        eligible[prog.id] = np.where(skipped, False, out.eligible)
        amount[prog.id] = np.where(skipped, 0, out.amount).astype(np.int64)
        first[prog.id] = np.where(skipped, -1, out.first_failed).astype(np.int16)
        status[prog.id] = skipped.astype(np.int8)
    return BatchResult(
        household_ids=list(frame.household_ids),
        programs=report,
        eligible={p: eligible[p] for p in report},
        amount={p: amount[p] for p in report},
        first_failed={p: first[p] for p in report},
        status={p: status[p] for p in report},
        condition_ids={p: tuple(c.id for c in registry.programs[p].conditions) for p in report},
        error=reasons,
        fatal=fatal,
    )
