"""Monthly payments (按月发放): what each case is paid, from the decision in force.

A recorded decision pays its own month
(:func:`~civilaffairs.records.recording.record_assessment`). :func:`pay_month` writes a
later month's payments: for every household and programme, the last decision recorded for
that month or before; a monthly amount of an eligible decision is paid, nothing else (a
one-off maximum is a ceiling for a separate grant, a refusal or a stop pays nothing).
Running it twice for a month gives the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from civilaffairs.periods import Month
    from civilaffairs.records.store import Store

__all__ = ["PaymentRoll", "pay_month"]


@attrs.frozen
class PaymentRoll:
    """A month's payments: how many cases and programmes are paid, and the total in fen."""

    month: str
    payments: int
    total_fen: int
    by_program: dict[str, tuple[int, int]]


def pay_month(store: Store, month: Month, *, batch: int = 20000) -> PaymentRoll:
    """Write the payments of *month* from the decisions in force (one transaction)."""
    from sqlalchemy import delete, insert, select

    from civilaffairs.records.models import DecisionRow, Payment

    key = str(month)
    stmt = (
        select(
            DecisionRow.id,
            DecisionRow.application_id,
            DecisionRow.program,
            DecisionRow.eligible,
            DecisionRow.period,
            DecisionRow.amount_fen,
        )
        .where(DecisionRow.month <= key)
        .order_by(
            DecisionRow.application_id, DecisionRow.program, DecisionRow.month, DecisionRow.id
        )
        .execution_options(yield_per=batch)
    )
    by_program: dict[str, tuple[int, int]] = {}
    with store.writing() as session:
        in_force: dict[tuple[int, str], tuple[int, bool, str, int]] = {}
        for r in session.execute(stmt):
            in_force[(r.application_id, r.program)] = (
                r.id,
                bool(r.eligible),
                r.period,
                int(r.amount_fen),
            )
        session.execute(delete(Payment).where(Payment.month == key))
        rows = []
        for (app, program), (did, eligible, period, fen) in in_force.items():
            if not (eligible and period == "monthly" and fen > 0):
                continue
            rows.append(
                {
                    "application_id": app,
                    "decision_id": did,
                    "program": program,
                    "month": key,
                    "amount_fen": fen,
                }
            )
            count, total = by_program.get(program, (0, 0))
            by_program[program] = (count + 1, total + fen)
        for start in range(0, len(rows), batch):
            session.execute(insert(Payment), rows[start : start + batch])
    return PaymentRoll(
        key,
        sum(c for c, _ in by_program.values()),
        sum(t for _, t in by_program.values()),
        dict(sorted(by_program.items())),
    )
