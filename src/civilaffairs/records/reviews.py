"""Periodic reviews in the store (定期核查): which cases are due, and re-assessing one.

When an eligible dibao or tekun decision is recorded, the case's next review is scheduled
with :func:`civilaffairs.casework.review.next_review`, whose intervals are policy points
(民发〔2021〕57号 for dibao; tekun's is not set nationally). The review category is
chosen by :func:`review_category` unless the caseworker names one.

:func:`review` re-assesses a recorded household on a new snapshot and records the new
decisions, each linked to the one it supersedes, with the change (raise, cut, stop, …);
the review it fulfils is marked done.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.errors import NotFound
from civilaffairs.records.recording import Recorded, ReviewPlan, record_assessment

if TYPE_CHECKING:
    from civilaffairs.decision import Decision
    from civilaffairs.domain import Household
    from civilaffairs.periods import Month
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.store import Store

__all__ = [
    "DueReview",
    "ReviewOutcome",
    "due_reviews",
    "planner",
    "review",
    "review_category",
]

_UNSTABLE = frozenset({"self_employed", "unemployed"})


def review_category(household: Household, program: str, on: _dt.date) -> str | None:
    """The review category of *household* for *program* (``None``: no periodic review).

    ``tekun`` for tekun. For dibao, 民发〔2021〕57号 reviews every half year a household
    "whose income is not fixed and whose members can work" (``variable``) and yearly one
    "whose situation changes little" (``stable``). The store reads the first as: some
    living member has labour capacity on *on*
    (:meth:`~civilaffairs.domain.Person.has_labour_capacity`) and is self-employed,
    unemployed or of unrecorded employment; every other dibao household is ``stable``.
    The caseworker can name the category instead (``records review --review-category``).
    """
    if program == "tekun":
        return "tekun"
    if program != "dibao":
        return None
    for person in household.members_alive_on(on):
        if not person.has_labour_capacity(on):
            continue
        employment = None if person.employment is None else person.employment.value
        if employment is None or employment in _UNSTABLE:
            return "variable"
    return "stable"


def planner(
    registry: Any = None, category: str | None = None
) -> Callable[[Household, Decision, _dt.date], ReviewPlan | None]:
    """The ``review_plan`` callable
    :func:`~civilaffairs.records.recording.record_assessment` takes: the category from
    :func:`review_category` (or *category* for a dibao decision), the due date from
    :func:`civilaffairs.casework.review.next_review`."""

    def plan(household: Household, decision: Decision, day: _dt.date) -> ReviewPlan | None:
        from civilaffairs.casework.review import next_review

        chosen = review_category(household, decision.program, day)
        if chosen is None:
            return None
        if category is not None and decision.program == "dibao":
            chosen = category
        schedule = next_review(
            chosen,
            day,
            region=household.region,
            registry=registry,
            residence=household.residence.value,
        )
        return ReviewPlan(schedule.category, schedule.due, schedule.to_dict())

    return plan


@attrs.frozen
class DueReview:
    """A case due for periodic review by the end of a month."""

    schedule_id: int
    household_id: str
    region: str
    program: str
    category: str | None
    last_review: _dt.date
    due_on: _dt.date
    decision_id: int
    amount_fen: int
    caseworker_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "household_id": self.household_id,
            "region": self.region,
            "program": self.program,
            "category": self.category,
            "last_review": self.last_review.isoformat(),
            "due_on": self.due_on.isoformat(),
            "decision": self.decision_id,
            "amount_fen": self.amount_fen,
            "caseworker_id": self.caseworker_id,
        }


def due_reviews(store: Store, month: Month) -> list[DueReview]:
    """The open reviews due on or before the last day of *month*, earliest first."""
    from sqlalchemy import select

    from civilaffairs.records.models import ApplicationRow, DecisionRow, ReviewSchedule

    stmt = (
        select(
            ReviewSchedule.id,
            ApplicationRow.household_id,
            ApplicationRow.region,
            ReviewSchedule.program,
            ReviewSchedule.category,
            ReviewSchedule.last_review,
            ReviewSchedule.due_on,
            DecisionRow.id.label("decision_id"),
            DecisionRow.amount_fen,
            ApplicationRow.caseworker_id,
        )
        .join(ApplicationRow, ApplicationRow.id == ReviewSchedule.application_id)
        .join(DecisionRow, DecisionRow.id == ReviewSchedule.decision_id)
        .where(
            ReviewSchedule.completed_by_id.is_(None),
            ReviewSchedule.due_on.is_not(None),
            ReviewSchedule.due_on <= month.last_day,
        )
        .order_by(ReviewSchedule.due_on, ApplicationRow.household_id, ReviewSchedule.program)
    )
    with store.reading() as session:
        return [
            DueReview(
                schedule_id=r.id,
                household_id=r.household_id,
                region=r.region,
                program=r.program,
                category=r.category,
                last_review=r.last_review,
                due_on=r.due_on,
                decision_id=r.decision_id,
                amount_fen=int(r.amount_fen),
                caseworker_id=r.caseworker_id,
            )
            for r in session.execute(stmt)
        ]


@attrs.frozen
class ReviewOutcome:
    """A review as recorded: per programme, the decision before, the new one, the
    change."""

    household_id: str
    month: str
    decisions: tuple[Recorded, ...]
    before: dict[str, tuple[int, bool, int]]

    def changed(self) -> tuple[Recorded, ...]:
        """The decisions that changed the payment (start, raise, cut, stop)."""
        return tuple(r for r in self.decisions if r.change in ("start", "raise", "cut", "stop"))


def review(
    store: Store,
    household_id: str,
    household: Household,
    month: Month,
    *,
    protector: Protector,
    registry: Any = None,
    lang: str = "zh",
    decided_on: _dt.date | None = None,
    caseworker: str | None = None,
    approver: str | None = None,
    category: str | None = None,
) -> ReviewOutcome:
    """Re-assess the recorded household *household_id* on the new snapshot *household*
    for *month* and record the result (origin ``review``).

    *household_id* is the household's id as in its files or as the store shows it.

    :raises NotFound: if no case of that id is recorded, or *household* is another
        household.
    """
    from sqlalchemy import select

    from civilaffairs.engine.single import assess
    from civilaffairs.records.models import ApplicationRow, DecisionRow

    case_id = protector.case_id(household.id)
    if household_id not in (household.id, case_id):
        raise NotFound(
            f"the household in the file is not {household_id!r} (文件中的家庭不是该户)",
            path="HOUSEHOLD",
            zh=f"文件中的家庭不是 {household_id!r}",
        )
    with store.reading() as session:
        app_id = session.scalar(
            select(ApplicationRow.id).where(ApplicationRow.household_id == case_id)
        )
        if app_id is None:
            raise NotFound(
                f"no case {case_id!r} is recorded: record it first with 'assess --record' "
                "(未找到该户的案卷)",
                path="HOUSEHOLD",
                zh=f"未找到 {case_id!r} 的案卷：请先用 'assess --record' 记录",
            )
        before: dict[str, tuple[int, bool, int]] = {}
        for r in session.execute(
            select(
                DecisionRow.id, DecisionRow.program, DecisionRow.eligible, DecisionRow.amount_fen
            )
            .where(DecisionRow.application_id == app_id)
            .order_by(DecisionRow.id)
        ):
            before[r.program] = (int(r.id), bool(r.eligible), int(r.amount_fen))
    assessment = assess(household, month, registry=registry)
    recorded = record_assessment(
        store,
        household,
        assessment,
        protector=protector,
        lang=lang,
        origin="review",
        decided_on=decided_on,
        caseworker=caseworker,
        approver=approver,
        review_plan=planner(registry, category),
    )
    return ReviewOutcome(case_id, str(month), tuple(recorded), before)
