"""The caseload of a month from the store (在保名册), for the integrity audits.

:func:`caseload` builds :data:`civilaffairs.audit.CASELOAD_SCHEMA`: one row per person,
programme and month in payment. A payment of a household counts every member of the
snapshot its decision was made on who was alive at the start of the decision's month
(``death_date`` is the date of death that snapshot recorded, if any); a member without a
resident ID has no ``person_key`` and is left out (the count is returned). Decisions
recorded from ``assess-bulk`` results have no snapshot, so their households are left out
too. ``income_pc_fen`` and ``standard_fen`` are the per-capita income and the standard the
decision showed; ``last_review`` and ``review_category`` come from the case's open review
schedule of the programme (or the decision's date when there is none).

:func:`relatives` builds :data:`civilaffairs.audit.RELATIVES_SCHEMA` from the declared
relatives of staff.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pyarrow as pa

    from civilaffairs.periods import Month
    from civilaffairs.records.store import Store

__all__ = ["Caseload", "caseload", "relatives"]


@attrs.frozen
class Caseload:
    """A month's caseload table and the people left out of it (no resident ID, or a
    household recorded from bulk results without members)."""

    table: pa.Table
    without_id: int
    without_snapshot: int


def caseload(store: Store, month: Month) -> Caseload:
    """The caseload of *month* (:data:`civilaffairs.audit.CASELOAD_SCHEMA`)."""
    import pyarrow as pa
    from sqlalchemy import select

    from civilaffairs.audit import CASELOAD_SCHEMA
    from civilaffairs.records.models import (
        ApplicationRow,
        DecisionRow,
        Payment,
        ReviewSchedule,
        SnapshotMember,
    )

    key = str(month)
    columns: dict[str, list[Any]] = {name: [] for name in CASELOAD_SCHEMA.names}
    without_id = without_snapshot = 0
    with store.reading() as session:
        reviews: dict[tuple[int, str], tuple[_dt.date, str | None]] = {}
        for s in session.execute(
            select(
                ReviewSchedule.application_id,
                ReviewSchedule.program,
                ReviewSchedule.last_review,
                ReviewSchedule.category,
            )
            .where(ReviewSchedule.completed_by_id.is_(None))
            .order_by(ReviewSchedule.id)
        ):
            reviews[(s.application_id, s.program)] = (s.last_review, s.category)
        stmt = (
            select(
                Payment.month,
                Payment.program,
                Payment.amount_fen,
                ApplicationRow.id.label("app_id"),
                ApplicationRow.household_id,
                ApplicationRow.region,
                ApplicationRow.caseworker_id,
                ApplicationRow.approver_id,
                DecisionRow.snapshot_id,
                DecisionRow.month.label("decision_month"),
                DecisionRow.income_pc_fen,
                DecisionRow.standard_fen,
                DecisionRow.decided_on,
                SnapshotMember.person_key,
                SnapshotMember.person_masked,
                SnapshotMember.died_on,
            )
            .join(ApplicationRow, ApplicationRow.id == Payment.application_id)
            .join(DecisionRow, DecisionRow.id == Payment.decision_id)
            .outerjoin(SnapshotMember, SnapshotMember.snapshot_id == DecisionRow.snapshot_id)
            .where(Payment.month == key)
            .order_by(ApplicationRow.household_id, Payment.program, SnapshotMember.position)
            .execution_options(yield_per=5000)
        )
        for r in session.execute(stmt):
            if r.snapshot_id is None:
                without_snapshot += 1
                continue
            if r.died_on is not None and r.died_on < _first_day(r.decision_month):
                continue
            if r.person_key is None:
                without_id += 1
                continue
            last, category = reviews.get((r.app_id, r.program), (r.decided_on, None))
            row = {
                "month": r.month,
                "household_id": r.household_id,
                "region": r.region,
                "person_key": r.person_key,
                "person_masked": r.person_masked,
                "program": r.program,
                "paid_fen": int(r.amount_fen),
                "death_date": r.died_on,
                "income_pc_fen": r.income_pc_fen,
                "standard_fen": r.standard_fen,
                "caseworker_id": r.caseworker_id,
                "approver_id": r.approver_id,
                "last_review": last,
                "review_category": category,
            }
            for name, value in row.items():
                columns[name].append(value)
    table = pa.Table.from_pydict(columns, schema=CASELOAD_SCHEMA)
    return Caseload(table, without_id, without_snapshot)


def _first_day(month: str) -> _dt.date:
    return _dt.date(int(month[:4]), int(month[5:7]), 1)


def relatives(store: Store) -> pa.Table:
    """The declared relatives of staff (:data:`civilaffairs.audit.RELATIVES_SCHEMA`)."""
    import pyarrow as pa
    from sqlalchemy import select

    from civilaffairs.audit import RELATIVES_SCHEMA
    from civilaffairs.records.models import StaffRelative

    with store.reading() as session:
        rows = session.execute(
            select(
                StaffRelative.staff_id, StaffRelative.person_key, StaffRelative.relation
            ).order_by(StaffRelative.staff_id, StaffRelative.id)
        ).all()
    return pa.Table.from_pydict(
        {
            "staff_id": [r.staff_id for r in rows],
            "person_key": [r.person_key for r in rows],
            "relation": [r.relation for r in rows],
        },
        schema=RELATIVES_SCHEMA,
    )
