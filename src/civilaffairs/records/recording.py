"""Recording decisions (记录认定结果): one household's assessment, or a bulk run's results.

:func:`record_assessment` stores, in one transaction: the household's case (created on
first sight), its snapshot as assessed
(:meth:`~civilaffairs.records.privacy.Protector.snapshot`), each decision with
the standards it used and the versions it was made with, one ledger entry per decision,
the month's payment of each decision in payment, and each eligible case's next periodic
review. A decision supersedes the household's previous decision of the same programme;
``change`` says how it differs (:func:`classify_change`).

:func:`record_bulk` stores the results table of ``assess-bulk`` the same way, batch by
batch, never row by row through the ORM: PostgreSQL's ``COPY``, or SQLAlchemy Core
``INSERT`` statements of many rows elsewhere
(:meth:`~civilaffairs.records.store.Store.insert_many`); each batch is one transaction.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.canonical import canonical_bytes
from civilaffairs.records.ledger import append, decision_record

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy.orm import Session

    from civilaffairs.decision import Assessment, Decision, Lang
    from civilaffairs.domain import Household
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.store import Store

__all__ = [
    "CHANGES",
    "Recorded",
    "ReviewPlan",
    "classify_change",
    "decision_date",
    "record_assessment",
    "record_bulk",
]

#: How a decision differs from the one it supersedes.
CHANGES: Mapping[str, tuple[str, str]] = {
    "start": ("开始发放", "payment starts"),
    "raise": ("提高金额", "amount raised"),
    "cut": ("降低金额", "amount cut"),
    "same": ("金额不变", "amount unchanged"),
    "stop": ("停止发放", "payment stops"),
    "none": ("仍不符合条件", "still not eligible"),
}


def classify_change(
    before_eligible: bool | None, before_fen: int, eligible: bool, amount_fen: int
) -> str:
    """How a decision (*eligible*, *amount_fen*) differs from the one before it
    (``before_eligible`` ``None``: there was none).

    >>> classify_change(True, 75000, True, 50000), classify_change(None, 0, True, 1)
    ('cut', 'start')
    """
    was = bool(before_eligible) and before_fen > 0
    now = eligible and amount_fen > 0
    if was and now:
        if amount_fen > before_fen:
            return "raise"
        return "cut" if amount_fen < before_fen else "same"
    if was:
        return "stop"
    return "start" if now else "none"


@attrs.frozen
class Recorded:
    """A decision as recorded: its id, its ledger entry and how it changed things."""

    decision_id: int
    ledger_seq: int
    program: str
    month: str
    eligible: bool
    amount_fen: int
    change: str
    supersedes_id: int | None
    review_due: _dt.date | None = None


@attrs.frozen
class ReviewPlan:
    """What the periodic review of a recorded decision is: a category and when it is
    next due (``None``: the interval is not set for the region), with the explanation."""

    category: str | None
    due_on: _dt.date | None
    explanation: Mapping[str, Any]


def decision_date(month: str, today: _dt.date | None = None) -> _dt.date:
    """The date a decision for *month* is recorded as made when no date is given: today,
    or the first day of *month* when that month is already over (records entered after
    the fact).

    >>> import datetime
    >>> today = datetime.date(2026, 1, 5)
    >>> decision_date("2024-08", today), decision_date("2026-01", today)
    (datetime.date(2024, 8, 1), datetime.date(2026, 1, 5))
    """
    day = today or _dt.date.today()
    first = _dt.date(int(month[:4]), int(month[5:7]), 1)
    return first if (first.year, first.month) < (day.year, day.month) else day


def _fen(value: str | None) -> int | None:
    """Integer fen of a decision's displayed quantity, ``None`` if not an amount."""
    from civilaffairs.money import Money

    if value is None:
        return None
    try:
        return Money.parse(value).fen
    except (ValueError, TypeError, ArithmeticError):
        return None


def _sha(document: Any) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def _application(
    session: Session,
    case_id: str,
    region: str,
    residence: str,
    opened_on: _dt.date,
    caseworker: str | None,
    approver: str | None,
) -> int:
    from sqlalchemy import select

    from civilaffairs.records.models import ApplicationRow

    app = session.scalar(select(ApplicationRow).where(ApplicationRow.household_id == case_id))
    if app is None:
        app = ApplicationRow(
            household_id=case_id,
            region=region,
            residence=residence,
            opened_on=opened_on,
            caseworker_id=caseworker,
            approver_id=approver,
        )
        session.add(app)
        session.flush()
    else:
        app.region = region
        app.residence = residence
        if caseworker is not None:
            app.caseworker_id = caseworker
        if approver is not None:
            app.approver_id = approver
    return int(app.id)


def _ensure_staff(session: Session, staff_id: str | None, role: str) -> None:
    from civilaffairs.records.models import Staff

    if staff_id is not None and session.get(Staff, staff_id) is None:
        session.add(Staff(id=staff_id, role=role, region=None))
        session.flush()


def _current(session: Session, application_id: int, program: str) -> Any:
    """The household's decision in force for *program*: the last recorded."""
    from sqlalchemy import select

    from civilaffairs.records.models import DecisionRow as Row

    return session.scalar(
        select(Row)
        .where(Row.application_id == application_id, Row.program == program)
        .order_by(Row.id.desc())
        .limit(1)
    )


def _set_payment(
    session: Session,
    application_id: int,
    decision_id: int,
    program: str,
    month: str,
    paid_fen: int | None,
) -> None:
    """The month's payment of *program* to the household: *paid_fen* from
    *decision_id*, or none."""
    from sqlalchemy import delete, insert

    from civilaffairs.records.models import Payment

    session.execute(
        delete(Payment).where(
            Payment.application_id == application_id,
            Payment.program == program,
            Payment.month == month,
        )
    )
    if paid_fen:
        session.execute(
            insert(Payment).values(
                application_id=application_id,
                decision_id=decision_id,
                program=program,
                month=month,
                amount_fen=paid_fen,
            )
        )


def _payable(eligible: bool, period: str, amount_fen: int) -> int | None:
    """What a decision pays in its month: monthly amounts only (a one-off maximum is a
    ceiling for a separate grant, not a monthly payment)."""
    return amount_fen if eligible and period == "monthly" and amount_fen > 0 else None


def record_assessment(
    store: Store,
    household: Household,
    assessment: Assessment,
    *,
    protector: Protector,
    lang: str = "zh",
    origin: str = "assess",
    decided_on: _dt.date | None = None,
    caseworker: str | None = None,
    approver: str | None = None,
    review_plan: Any = None,
    session: Session | None = None,
) -> list[Recorded]:
    """Record *assessment* of *household* in *store* (one transaction) and return what
    was recorded, one item per decision.

    :param protector: the keys that turn resident IDs into their stored form.
    :param lang: the language of the stored decision documents.
    :param origin: ``assess``, ``review`` or ``appeal``.
    :param decided_on: the date of the decision (default today).
    :param caseworker: the caseworker handling the case (kept on the case).
    :param approver: the official who approved it.
    :param review_plan: a callable ``(household, decision, decided_on) -> ReviewPlan |
        None`` giving the next periodic review of an eligible decision; with it, the
        case's open review of each programme is marked done by the new decision. ``None``
        plans none and leaves open reviews open.
    :param session: an open :meth:`~civilaffairs.records.store.Store.writing` session to
        record in (the caller commits); by default a transaction of its own.
    """
    if session is None:
        with store.writing() as own:
            return record_assessment(
                store,
                household,
                assessment,
                protector=protector,
                lang=lang,
                origin=origin,
                decided_on=decided_on,
                caseworker=caseworker,
                approver=approver,
                review_plan=review_plan,
                session=own,
            )
    from sqlalchemy import insert, update

    from civilaffairs.records.models import (
        DecisionRow as Row,
    )
    from civilaffairs.records.models import (
        DecisionStandard,
        ReviewSchedule,
        Snapshot,
        SnapshotMember,
    )

    day = decided_on or decision_date(assessment.month)
    lang_: Lang = "en" if lang == "en" else "zh"
    _ensure_staff(session, caseworker, "caseworker")
    _ensure_staff(session, approver, "approver")
    document, members = protector.snapshot(household)
    case_id = document["id"]
    app_id = _application(
        session,
        case_id,
        assessment.region,
        assessment.residence,
        day,
        caseworker,
        approver,
    )
    snap = Snapshot(
        application_id=app_id,
        month=assessment.month,
        document=document,
        document_hash=_sha(document),
        encrypted=protector.encryption_key is not None,
    )
    session.add(snap)
    session.flush()
    if members:
        session.execute(
            insert(SnapshotMember),
            [
                {
                    "snapshot_id": snap.id,
                    "position": m.position,
                    "person_key": m.person_key,
                    "person_masked": m.person_masked,
                    "id_encrypted": m.id_encrypted,
                    "relation": m.relation,
                    "birth_date": _date(m.birth_date),
                    "died_on": _date(m.died_on),
                }
                for m in members
            ],
        )
    prepared: list[tuple[Decision, dict[str, Any], Any, str]] = []
    items: list[tuple[str, dict[str, Any]]] = []
    for decision in assessment.decisions:
        doc = decision.to_dict(lang_)
        before = _current(session, app_id, decision.program)
        change = classify_change(
            None if before is None else bool(before.eligible),
            0 if before is None else int(before.amount_fen),
            decision.eligible,
            decision.amount.fen,
        )
        prepared.append((decision, doc, before, change))
        items.append(
            (
                "decision",
                decision_record(
                    household=case_id,
                    program=decision.program,
                    month=assessment.month,
                    eligible=decision.eligible,
                    amount_fen=decision.amount.fen,
                    period=decision.period,
                    first_failed=decision.first_failed,
                    origin=origin,
                    change=change,
                    supersedes=None if before is None else int(before.ledger_seq),
                    decided_on=day.isoformat(),
                    snapshot=snap.document_hash,
                    document=doc,
                ),
            )
        )
    seqs = append(session, store.ledger_id, items)
    out: list[Recorded] = []
    for (decision, doc, before, change), seq in zip(prepared, seqs, strict=True):
        quantities = decision.quantities
        income = _fen(quantities.get("per_capita"))
        if income is None and decision.program == "dibao":
            income = _fen(quantities.get("countable_income"))
        row = Row(
            ledger_seq=seq,
            application_id=app_id,
            snapshot_id=snap.id,
            program=decision.program,
            month=assessment.month,
            eligible=decision.eligible,
            amount_fen=decision.amount.fen,
            period=decision.period,
            first_failed=decision.first_failed,
            rule_version=decision.rule_version or "",
            library_version=str(decision.versions.get("civilaffairs", "")),
            versions=dict(decision.versions),
            income_pc_fen=income,
            standard_fen=_fen(quantities.get("standard")),
            lang=lang_,
            origin=origin,
            change=change,
            supersedes_id=None if before is None else int(before.id),
            decided_on=day,
            document=doc,
        )
        session.add(row)
        session.flush()
        if decision.standards:
            session.execute(
                insert(DecisionStandard),
                [
                    {
                        "decision_id": row.id,
                        "key": s.key,
                        "region": s.region,
                        "residence": s.residence,
                        "value": s.value,
                        "unit": s.unit,
                        "effective_from": s.effective_from,
                        "until": s.until,
                        "provisional": s.provisional,
                        "plugin": s.plugin,
                    }
                    for s in decision.standards
                ],
            )
        _set_payment(
            session,
            app_id,
            row.id,
            decision.program,
            assessment.month,
            _payable(decision.eligible, decision.period, decision.amount.fen),
        )
        if review_plan is not None:
            # this decision re-examined the case: the review that was open is done
            session.execute(
                update(ReviewSchedule)
                .where(
                    ReviewSchedule.application_id == app_id,
                    ReviewSchedule.program == decision.program,
                    ReviewSchedule.completed_by_id.is_(None),
                )
                .values(completed_by_id=row.id)
            )
        due: _dt.date | None = None
        plan = review_plan(household, decision, day) if review_plan and decision.eligible else None
        if plan is not None and plan.due_on is not None:
            due = plan.due_on
            session.add(
                ReviewSchedule(
                    application_id=app_id,
                    decision_id=row.id,
                    program=decision.program,
                    category=plan.category,
                    last_review=day,
                    due_on=plan.due_on,
                    explanation=dict(plan.explanation),
                )
            )
        out.append(
            Recorded(
                decision_id=int(row.id),
                ledger_seq=seq,
                program=decision.program,
                month=assessment.month,
                eligible=decision.eligible,
                amount_fen=decision.amount.fen,
                change=change,
                supersedes_id=None if before is None else int(before.id),
                review_due=due,
            )
        )
    session.flush()
    return out


def _date(value: str | _dt.date | None) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(value)


def record_bulk(
    store: Store,
    results: pa.Table,
    *,
    month: str,
    versions: Mapping[str, str],
    periods: Mapping[str, str],
    programs: Sequence[str] | None = None,
    decided_on: _dt.date | None = None,
    batch_households: int = 5000,
    on_batch: Any = None,
) -> int:
    """Record the results table of ``assess-bulk``
    (:func:`civilaffairs.bulk.schema.output_schema`) and return the number of decisions
    recorded.

    One decision per household and programme assessed (``<id>_status`` 0; skipped
    programmes are not decisions). Each batch of *batch_households* households is one
    transaction: its applications, ledger entries, decisions and payments, written with
    ``COPY`` on PostgreSQL and Core ``INSERT`` statements of many rows elsewhere.

    :param month: the month assessed (``YYYY-MM``).
    :param versions: the library and plugin versions of the run (its manifest).
    :param periods: per programme, ``"monthly"`` or ``"one_off_max"``.
    :param programs: the programmes to record (default every programme of the table).
    :param on_batch: called with the number of decisions recorded so far after each batch.
    """
    from sqlalchemy import delete, func, insert, select

    from civilaffairs.records.models import ApplicationRow, Payment, table_of
    from civilaffairs.records.models import DecisionRow as Row

    names = results.schema.names
    if programs is None:
        programs = [n[: -len("_status")] for n in names if n.endswith("_status")]
    day = decided_on or decision_date(month)
    library = str(versions.get("civilaffairs", ""))
    version_doc = dict(versions)
    total = 0
    for start in range(0, results.num_rows, batch_households):
        chunk = results.slice(start, batch_households)
        ids = chunk.column("household_id").to_pylist()
        regions = chunk.column("region").to_pylist()
        residences = chunk.column("residence").to_pylist()
        columns = {
            p: (
                chunk.column(f"{p}_eligible").to_pylist(),
                chunk.column(f"{p}_amount_fen").to_pylist(),
                chunk.column(f"{p}_first_failed").to_pylist(),
                chunk.column(f"{p}_status").to_pylist(),
            )
            for p in programs
        }
        with store.writing() as session:
            connection = session.connection()
            known: dict[str, int] = {
                r.household_id: r.id
                for r in session.execute(
                    select(ApplicationRow.household_id, ApplicationRow.id).where(
                        ApplicationRow.household_id.in_(ids)
                    )
                )
            }
            new = [
                {"household_id": h, "region": r, "residence": s, "opened_on": day}
                for h, r, s in zip(ids, regions, residences, strict=True)
                if h not in known
            ]
            if new:
                connection.execute(insert(table_of(ApplicationRow)), new)
                for a in session.execute(
                    select(ApplicationRow.household_id, ApplicationRow.id).where(
                        ApplicationRow.household_id.in_([n["household_id"] for n in new])
                    )
                ):
                    known[a.household_id] = a.id
            app_ids = [known[h] for h in ids]
            before: dict[tuple[int, str], tuple[int, int, bool, int]] = {}
            if len(new) < len(ids):
                last = (
                    select(func.max(Row.id))
                    .where(Row.application_id.in_(app_ids), Row.program.in_(list(programs)))
                    .group_by(Row.application_id, Row.program)
                )
                for d in session.execute(
                    select(
                        Row.id,
                        Row.application_id,
                        Row.program,
                        Row.ledger_seq,
                        Row.eligible,
                        Row.amount_fen,
                    ).where(Row.id.in_(last))
                ):
                    before[(d.application_id, d.program)] = (
                        int(d.id),
                        int(d.ledger_seq),
                        bool(d.eligible),
                        int(d.amount_fen),
                    )
            items: list[tuple[str, dict[str, Any]]] = []
            pending: list[dict[str, Any]] = []
            for i, hid in enumerate(ids):
                app_id = app_ids[i]
                for p in programs:
                    eligible_col, amount_col, failed_col, status_col = columns[p]
                    if status_col[i] != 0:
                        continue
                    eligible = bool(eligible_col[i])
                    amount = int(amount_col[i])
                    prev = before.get((app_id, p))
                    change = classify_change(
                        None if prev is None else prev[2],
                        0 if prev is None else prev[3],
                        eligible,
                        amount,
                    )
                    doc = {
                        "program": p,
                        "eligible": eligible,
                        "amount": _yuan(amount),
                        "period": periods.get(p, "monthly"),
                        "first_failed": failed_col[i],
                        "source": "assess-bulk",
                        "versions": version_doc,
                    }
                    items.append(
                        (
                            "decision",
                            decision_record(
                                household=hid,
                                program=p,
                                month=month,
                                eligible=eligible,
                                amount_fen=amount,
                                period=doc["period"],
                                first_failed=failed_col[i],
                                origin="bulk",
                                change=change,
                                supersedes=None if prev is None else prev[1],
                                decided_on=day.isoformat(),
                                snapshot=None,
                                document=doc,
                            ),
                        )
                    )
                    pending.append(
                        {
                            "application_id": app_id,
                            "snapshot_id": None,
                            "program": p,
                            "month": month,
                            "eligible": eligible,
                            "amount_fen": amount,
                            "period": doc["period"],
                            "first_failed": failed_col[i],
                            "rule_version": "",
                            "library_version": library,
                            "versions": version_doc,
                            "income_pc_fen": None,
                            "standard_fen": None,
                            "lang": "zh",
                            "origin": "bulk",
                            "change": change,
                            "supersedes_id": None if prev is None else prev[0],
                            "decided_on": day,
                            "document": doc,
                        }
                    )
            seqs = append(session, store.ledger_id, items, insert_many=store.insert_many)
            for row, seq in zip(pending, seqs, strict=True):
                row["ledger_seq"] = seq
            if pending:
                store.insert_many(session, table_of(Row), pending)
                decision_ids = {
                    r.ledger_seq: r.id
                    for r in session.execute(
                        select(Row.id, Row.ledger_seq).where(
                            Row.ledger_seq.between(seqs[0], seqs[-1])
                        )
                    )
                }
                session.execute(
                    delete(Payment).where(
                        Payment.month == month,
                        Payment.application_id.in_(app_ids),
                        Payment.program.in_(list(programs)),
                    )
                )
                payments = [
                    {
                        "application_id": row["application_id"],
                        "decision_id": decision_ids[row["ledger_seq"]],
                        "program": row["program"],
                        "month": month,
                        "amount_fen": row["amount_fen"],
                    }
                    for row in pending
                    if _payable(row["eligible"], row["period"], row["amount_fen"])
                ]
                store.insert_many(session, table_of(Payment), payments)
            total += len(pending)
        if on_batch is not None:
            on_batch(total)
    return total


def _yuan(fen: int) -> str:
    from civilaffairs.money import Money

    return str(Money.from_fen(fen))
