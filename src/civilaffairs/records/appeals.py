"""Appeals in the store (复议和诉讼记录): filing one against a recorded decision, and its
outcome.

The deadlines and the state come from :mod:`civilaffairs.casework.appeals` (行政复议法 2023,
行政诉讼法 2017, counted as 民法典 arts. 201–203 say). Filing and outcome are each a ledger
entry. An outcome that changes the decision (``changed``, ``revoked``, …) links the
decision that replaces it: recorded from a re-assessment (origin ``appeal``, superseding
the appealed decision) or an existing decision named by id.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.errors import NotFound, RecordsError
from civilaffairs.records.ledger import appeal_record, append, outcome_record
from civilaffairs.records.recording import Recorded, record_assessment
from civilaffairs.records.reviews import planner

if TYPE_CHECKING:
    from civilaffairs.domain import Household
    from civilaffairs.periods import Month
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.store import Store

__all__ = ["AppealRecord", "decide_appeal", "file_appeal"]


@attrs.frozen
class AppealRecord:
    """An appeal as recorded: its id, ledger entries, the decision appealed, the deadlines
    and state (:class:`civilaffairs.casework.appeals.AppealState`)."""

    appeal_id: int
    ledger_seq: int
    decision_id: int
    kind: str
    filed_on: _dt.date
    state: Any
    outcome_seq: int | None = None
    new_decision_id: int | None = None
    new_decisions: tuple[Recorded, ...] = ()


def _decision(session: Any, decision_id: int) -> Any:
    from civilaffairs.records.models import DecisionRow

    row = session.get(DecisionRow, decision_id)
    if row is None:
        raise NotFound(
            f"no decision {decision_id} is recorded (未找到该认定结果)",
            path="DECISION",
            zh=f"未找到认定结果 {decision_id}",
        )
    return row


def file_appeal(
    store: Store,
    decision_id: int,
    kind: str,
    filed_on: _dt.date,
    *,
    served_on: _dt.date | None = None,
    registry: Any = None,
    lang: str = "zh",
) -> AppealRecord:
    """Record a reconsideration or lawsuit against decision *decision_id*, filed on
    *filed_on*, with its deadlines (the decision served on *served_on*, by default the day
    it was recorded) and whether it was filed in time.

    :raises NotFound: if the decision is not recorded.
    :raises AppealError: for a kind or dates that cannot be right.
    """
    from civilaffairs.casework.appeals import appeal_state
    from civilaffairs.records.models import Appeal

    with store.writing() as session:
        row = _decision(session, decision_id)
        served = served_on or row.decided_on
        state = appeal_state(
            kind,  # type: ignore[arg-type]
            served,
            on=filed_on,
            filed_on=filed_on,
            registry=registry,
        )
        deadlines = {**state.deadlines.to_dict(lang), "timely": state.timely}
        (seq,) = append(
            session,
            store.ledger_id,
            [
                (
                    "appeal",
                    appeal_record(
                        decision=int(row.ledger_seq),
                        kind=kind,
                        served_on=served.isoformat(),
                        filed_on=filed_on.isoformat(),
                        deadlines=deadlines,
                    ),
                )
            ],
        )
        appeal = Appeal(
            decision_id=decision_id,
            ledger_seq=seq,
            kind=kind,
            served_on=served,
            filed_on=filed_on,
            deadlines=deadlines,
        )
        session.add(appeal)
        session.flush()
        return AppealRecord(int(appeal.id), seq, decision_id, kind, filed_on, state)


def decide_appeal(
    store: Store,
    appeal_id: int,
    outcome: str,
    decided_on: _dt.date,
    *,
    protector: Protector | None = None,
    household: Household | None = None,
    month: Month | None = None,
    new_decision_id: int | None = None,
    registry: Any = None,
    lang: str = "zh",
) -> AppealRecord:
    """Record the outcome of appeal *appeal_id*.

    When the outcome changes the decision (:data:`civilaffairs.casework.appeals.OUTCOMES`),
    link the decision replacing it: re-assess *household* for *month* and record the new
    decision of the appealed programme (origin ``appeal``), or name an existing decision
    with *new_decision_id*.

    :raises NotFound: if the appeal or the named decision is not recorded.
    :raises RecordsError: if the appeal already has an outcome, a replacement is given for
        an outcome that keeps the decision, or the new assessment is of another household.
    :raises AppealError: for an unknown outcome or dates in the wrong order.
    """
    from sqlalchemy import select

    from civilaffairs.casework.appeals import OUTCOMES, appeal_state
    from civilaffairs.engine.single import assess
    from civilaffairs.records.models import Appeal, ApplicationRow, DecisionRow

    with store.writing() as session:
        appeal = session.get(Appeal, appeal_id)
        if appeal is None:
            raise NotFound(
                f"no appeal {appeal_id} is recorded (未找到该复议诉讼记录)",
                path="APPEAL",
                zh=f"未找到复议诉讼记录 {appeal_id}",
            )
        if appeal.outcome is not None:
            raise RecordsError(
                f"appeal {appeal_id} already has its outcome ({appeal.outcome}) (已有结果)",
                path="APPEAL",
                zh=f"复议诉讼记录 {appeal_id} 已有结果（{appeal.outcome}）",
            )
        original = _decision(session, appeal.decision_id)
        replaced = household is not None or new_decision_id is not None
        if replaced and not OUTCOMES.get(outcome, False):
            raise RecordsError(
                f"outcome {outcome!r} keeps the decision: no new decision is linked "
                "(该结果维持原决定，不关联新决定)",
                path="--outcome",
                zh=f"结果 {outcome!r} 维持原决定，不应关联新决定",
            )
        recorded: list[Recorded] = []
        new_row: Any = None
        if household is not None:
            if protector is None or month is None:
                raise RecordsError("a re-assessment needs the keys and the month")
            case = session.scalar(
                select(ApplicationRow.household_id).where(
                    ApplicationRow.id == original.application_id
                )
            )
            if protector.case_id(household.id) != case:
                raise RecordsError(
                    f"the household in the file is not the appellant's ({case!r}) "
                    "(文件中的家庭不是申请人家庭)",
                    path="FILE",
                    zh=f"文件中的家庭不是申请人家庭（{case!r}）",
                )
            assessment = assess(household, month, [original.program], registry=registry)
            recorded = record_assessment(
                store,
                household,
                assessment,
                protector=protector,
                lang=lang,
                origin="appeal",
                decided_on=decided_on,
                review_plan=planner(registry),
                session=session,
            )
            new_row = session.get(DecisionRow, recorded[0].decision_id) if recorded else None
        elif new_decision_id is not None:
            new_row = _decision(session, new_decision_id)
        # the state check raises for an unknown outcome or dates in the wrong order
        appeal_state(
            appeal.kind,  # type: ignore[arg-type]
            appeal.served_on,
            on=decided_on,
            filed_on=appeal.filed_on,
            decided_on=decided_on,
            outcome=outcome,
            new_decision=None if new_row is None else str(new_row.id),
            registry=registry,
        )
        (seq,) = append(
            session,
            store.ledger_id,
            [
                (
                    "appeal_outcome",
                    outcome_record(
                        appeal=int(appeal.ledger_seq),
                        outcome=outcome,
                        decided_on=decided_on.isoformat(),
                        new_decision=None if new_row is None else int(new_row.ledger_seq),
                    ),
                )
            ],
        )
        appeal.outcome = outcome
        appeal.decided_on = decided_on
        appeal.outcome_seq = seq
        appeal.new_decision_id = None if new_row is None else int(new_row.id)
        session.flush()
        state = appeal_state(
            appeal.kind,  # type: ignore[arg-type]
            appeal.served_on,
            on=decided_on,
            filed_on=appeal.filed_on,
            decided_on=decided_on,
            outcome=outcome,
            new_decision=None if new_row is None else str(new_row.id),
            registry=registry,
        )
        return AppealRecord(
            int(appeal.id),
            int(appeal.ledger_seq),
            int(appeal.decision_id),
            appeal.kind,
            appeal.filed_on,
            state,
            outcome_seq=seq,
            new_decision_id=appeal.new_decision_id,
            new_decisions=tuple(recorded),
        )
