"""Evaluate a programme definition over a :class:`~civilaffairs.engine.frame.Frame`.

:func:`run_program` is the one evaluator both back ends share: it walks the programme's
quantities and conditions with the scalar or the array vocabulary and returns every value
it computed. The single-case back end turns that record into a
:class:`~civilaffairs.decision.Decision`; the batch back end keeps only the outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from civilaffairs.engine.ops import Ops
from civilaffairs.programs.base import Program

__all__ = ["Outcome", "Values", "run_program"]


class Values:
    """The ``q`` namespace: inputs and quantities by attribute name."""

    __slots__ = ("_data", "_program")

    def __init__(self, data: Mapping[str, Any], program: str) -> None:
        self._data = dict(data)
        self._program = program

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(
                f"programme {self._program!r} reads {name!r}, which is neither an input "
                "nor a quantity computed before it"
            ) from None

    def __setitem__(self, name: str, value: Any) -> None:
        self._data[name] = value

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __contains__(self, name: str) -> bool:
        return name in self._data


@attrs.define
class Outcome:
    """What one programme computed for a frame."""

    program: Program
    values: Values
    passed: list[Any]
    eligible: Any
    amount: Any
    first_failed: Any  # scalar: condition id or None; batch: int array (-1 = none)


def run_program(program: Program, inputs: Mapping[str, Any], p: Any, ops: Ops) -> Outcome:
    """Evaluate every quantity, every condition and the amount of *program*."""
    q = Values(inputs, program.id)
    for quantity in program.quantities.values():
        q[quantity.name] = quantity.fn(q, p, ops)
    passed = [cond.fn(q, p, ops) for cond in program.conditions]
    eligible = ops.and_(*passed) if passed else (np.ones(ops_n(ops), bool) if ops.batch else True)
    raw = q[program.amount_quantity] if program.amount_quantity else 0
    amount = ops.where(eligible, ops.max(raw, 0), 0)
    if ops.batch:
        first = np.full(ops_n(ops), -1, dtype=np.int16)
        for i in range(len(passed) - 1, -1, -1):
            first = np.where(np.asarray(passed[i], dtype=bool), first, i)
        n = ops_n(ops)
        # a value that came out the same for the whole batch is spread to every household
        eligible_n = np.broadcast_to(np.asarray(eligible, bool), (n,)).copy()
        amount_n = np.broadcast_to(np.asarray(amount, np.int64), (n,)).copy()
        return Outcome(program, q, passed, eligible_n, amount_n, first)
    failed = next((c.id for c, ok in zip(program.conditions, passed, strict=True) if not ok), None)
    return Outcome(program, q, passed, bool(eligible), int(amount), failed)


def ops_n(ops: Ops) -> int:
    return int(getattr(ops, "n", 1))
