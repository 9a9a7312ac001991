"""What the records commands show (案卷库的显示): a case, reviews due, an appeal, in Chinese
or English. People appear only masked; every line goes through the commands' masking
output boundary as well.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from civilaffairs.money import Money
from civilaffairs.records.errors import NotFound
from civilaffairs.records.recording import CHANGES

if TYPE_CHECKING:
    from civilaffairs.records.appeals import AppealRecord
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.recording import Recorded
    from civilaffairs.records.reviews import DueReview, ReviewOutcome
    from civilaffairs.records.store import Store

__all__ = ["appeal_lines", "case_lines", "case_view", "decision_lines", "due_lines", "review_lines"]


def _yuan(fen: int, lang: str) -> str:
    money = Money.from_fen(fen)
    return money.zh() if lang == "zh" else f"{money} yuan"


def _change(change: str | None, lang: str) -> str:
    if change is None:
        return ""
    zh, en = CHANGES.get(change, (change, change))
    return zh if lang == "zh" else en


def decision_lines(recorded: list[Recorded] | tuple[Recorded, ...], lang: str) -> list[str]:
    """One line per recorded decision: id, ledger entry, programme, outcome, change."""
    out = []
    for r in recorded:
        verdict = (
            ("符合" if r.eligible else "不符合")
            if lang == "zh"
            else ("eligible" if r.eligible else "not eligible")
        )
        due = ""
        if r.review_due is not None:
            due = (
                f"；下次核查 {r.review_due.isoformat()}"
                if lang == "zh"
                else f"; next review {r.review_due.isoformat()}"
            )
        if lang == "zh":
            out.append(
                f"  认定 {r.decision_id}（账本第 {r.ledger_seq} 条）{r.program} {r.month}："
                f"{verdict}，{_yuan(r.amount_fen, lang)}，{_change(r.change, lang)}{due}"
            )
        else:
            out.append(
                f"  decision {r.decision_id} (ledger entry {r.ledger_seq}) {r.program} "
                f"{r.month}: {verdict}, {_yuan(r.amount_fen, lang)}, "
                f"{_change(r.change, lang)}{due}"
            )
    return out


def review_lines(outcome: ReviewOutcome, lang: str) -> list[str]:
    """A review's result: per programme the amount before and after and the change."""
    zh = lang == "zh"
    head = (
        f"家庭 {outcome.household_id}，{outcome.month} 复核："
        if zh
        else f"review of household {outcome.household_id}, for {outcome.month}:"
    )
    lines = [head]
    for r in outcome.decisions:
        before = outcome.before.get(r.program)
        if before is None:
            was = "无" if zh else "none"
        else:
            _, eligible, fen = before
            was = _yuan(fen if eligible else 0, lang)
        now = _yuan(r.amount_fen if r.eligible else 0, lang)
        link = ""
        if r.supersedes_id is not None:
            link = (
                f"，取代认定 {r.supersedes_id}"
                if zh
                else f", supersedes decision {r.supersedes_id}"
            )
        if zh:
            lines.append(
                f"  {r.program}: {was} → {now}（{_change(r.change, lang)}）；认定 "
                f"{r.decision_id}，账本第 {r.ledger_seq} 条{link}"
            )
        else:
            lines.append(
                f"  {r.program}: {was} → {now} ({_change(r.change, lang)}); decision "
                f"{r.decision_id}, ledger entry {r.ledger_seq}{link}"
            )
    return lines


def due_lines(due: list[DueReview], month: str, lang: str) -> list[str]:
    """The reviews due by the end of *month*, one line each, and a count."""
    zh = lang == "zh"
    lines = []
    for d in due:
        category = d.category or "-"
        if zh:
            lines.append(
                f"{d.due_on.isoformat()}  {d.household_id}  {d.region}  {d.program}  "
                f"类别 {category}  上次 {d.last_review.isoformat()}  认定 {d.decision_id}  "
                f"{_yuan(d.amount_fen, lang)}  经办人 {d.caseworker_id or '-'}"
            )
        else:
            lines.append(
                f"{d.due_on.isoformat()}  {d.household_id}  {d.region}  {d.program}  "
                f"category {category}  last {d.last_review.isoformat()}  decision "
                f"{d.decision_id}  {_yuan(d.amount_fen, lang)}  caseworker "
                f"{d.caseworker_id or '-'}"
            )
    lines.append(
        f"{month} 月底前应核查 {len(due)} 件"
        if zh
        else f"{len(due)} review(s) due by the end of {month}"
    )
    return lines


def appeal_lines(record: AppealRecord, lang: str) -> list[str]:
    """An appeal as recorded: deadlines, whether filed in time, outcome and link."""
    zh = lang == "zh"
    state = record.state
    deadlines = state.deadlines
    kind = {"reconsideration": ("行政复议", "reconsideration"), "lawsuit": ("行政诉讼", "lawsuit")}
    name = kind.get(record.kind, (record.kind, record.kind))[0 if zh else 1]
    timely = state.timely
    if zh:
        lines = [
            f"{name} {record.appeal_id}（账本第 {record.ledger_seq} 条）针对认定 "
            f"{record.decision_id}：{record.filed_on.isoformat()} 提出，期限至 "
            f"{deadlines.filing.isoformat()}，" + ("在期限内" if timely else "已超过期限"),
        ]
        if state.decision_due is not None:
            lines.append(f"  应于 {state.decision_due.isoformat()} 前作出决定")
    else:
        lines = [
            f"{name} {record.appeal_id} (ledger entry {record.ledger_seq}) against decision "
            f"{record.decision_id}: filed {record.filed_on.isoformat()}, time limit "
            f"{deadlines.filing.isoformat()}, " + ("in time" if timely else "late"),
        ]
        if state.decision_due is not None:
            lines.append(f"  decision due by {state.decision_due.isoformat()}")
    for d in deadlines.deadlines:
        label = d.zh if zh else d.en
        lines.append(f"  {label}: {d.last_day.isoformat()} ({d.basis})")
    if deadlines.weekends_only:
        lines.append(
            "  注：只顺延了周末，未计法定节假日"
            if zh
            else "  note: only weekends were skipped, not public holidays"
        )
    if record.outcome_seq is not None:
        outcome = state.outcome or ""
        if zh:
            lines.append(f"  结果：{outcome}（账本第 {record.outcome_seq} 条）")
        else:
            lines.append(f"  outcome: {outcome} (ledger entry {record.outcome_seq})")
        if record.new_decision_id is not None:
            lines.append(
                f"  原认定 {record.decision_id} 由认定 {record.new_decision_id} 取代"
                if zh
                else f"  decision {record.decision_id} replaced by decision "
                f"{record.new_decision_id}"
            )
        lines += decision_lines(record.new_decisions, lang)
    return lines


def case_view(
    store: Store, household_id: str, lang: str, protector: Protector | None = None
) -> dict[str, Any]:
    """Everything the store holds on one case, JSON-ready: the case, its members
    (masked), decisions, payments, reviews and appeals.

    :raises NotFound: if no such case is recorded.
    """
    from sqlalchemy import select

    from civilaffairs.records.models import (
        Appeal,
        ApplicationRow,
        DecisionRow,
        Payment,
        ReviewSchedule,
        SnapshotMember,
    )

    candidates = [household_id]
    if protector is not None:
        candidates.append(protector.case_id(household_id))
    with store.reading() as session:
        app = session.scalar(
            select(ApplicationRow).where(ApplicationRow.household_id.in_(candidates))
        )
        if app is None:
            raise NotFound(
                "no such case is recorded (未找到该户的案卷)",
                path="HOUSEHOLD",
                zh="未找到该户的案卷",
            )
        decisions = session.scalars(
            select(DecisionRow).where(DecisionRow.application_id == app.id).order_by(DecisionRow.id)
        ).all()
        latest_snapshot = next(
            (d.snapshot_id for d in reversed(decisions) if d.snapshot_id is not None), None
        )
        members = (
            session.scalars(
                select(SnapshotMember)
                .where(SnapshotMember.snapshot_id == latest_snapshot)
                .order_by(SnapshotMember.position)
            ).all()
            if latest_snapshot is not None
            else []
        )
        payments = session.scalars(
            select(Payment)
            .where(Payment.application_id == app.id)
            .order_by(Payment.month, Payment.program)
        ).all()
        reviews = session.scalars(
            select(ReviewSchedule)
            .where(ReviewSchedule.application_id == app.id)
            .order_by(ReviewSchedule.id)
        ).all()
        ids = [d.id for d in decisions]
        appeals = (
            session.scalars(
                select(Appeal).where(Appeal.decision_id.in_(ids)).order_by(Appeal.id)
            ).all()
            if ids
            else []
        )
        return {
            "household_id": app.household_id,
            "region": app.region,
            "residence": app.residence,
            "caseworker_id": app.caseworker_id,
            "approver_id": app.approver_id,
            "opened_on": app.opened_on.isoformat(),
            "members": [
                {
                    "position": m.position + 1,
                    "relation": m.relation,
                    "person_masked": m.person_masked,
                    "person_key_prefix": None if m.person_key is None else m.person_key[:12],
                    "died_on": _iso(m.died_on),
                }
                for m in members
            ],
            "decisions": [
                {
                    "decision": d.id,
                    "ledger_entry": d.ledger_seq,
                    "program": d.program,
                    "month": d.month,
                    "eligible": d.eligible,
                    "amount": str(Money.from_fen(d.amount_fen)),
                    "period": d.period,
                    "origin": d.origin,
                    "change": d.change,
                    "supersedes": d.supersedes_id,
                    "decided_on": d.decided_on.isoformat(),
                }
                for d in decisions
            ],
            "payments": [
                {
                    "month": p.month,
                    "program": p.program,
                    "amount": str(Money.from_fen(p.amount_fen)),
                    "decision": p.decision_id,
                }
                for p in payments
            ],
            "reviews": [
                {
                    "program": r.program,
                    "category": r.category,
                    "last_review": r.last_review.isoformat(),
                    "due_on": _iso(r.due_on),
                    "done_by_decision": r.completed_by_id,
                }
                for r in reviews
            ],
            "appeals": [
                {
                    "appeal": a.id,
                    "ledger_entry": a.ledger_seq,
                    "decision": a.decision_id,
                    "kind": a.kind,
                    "served_on": a.served_on.isoformat(),
                    "filed_on": a.filed_on.isoformat(),
                    "filing_deadline": a.deadlines.get("filing"),
                    "timely": a.deadlines.get("timely"),
                    "outcome": a.outcome,
                    "decided_on": _iso(a.decided_on),
                    "new_decision": a.new_decision_id,
                }
                for a in appeals
            ],
        }


def _iso(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def case_lines(view: dict[str, Any], lang: str) -> list[str]:
    """The text form of :func:`case_view`."""
    zh = lang == "zh"
    lines = [
        (
            f"家庭 {view['household_id']}，{view['region']}，{view['residence']}；经办人 "
            f"{view['caseworker_id'] or '-'}，审批人 {view['approver_id'] or '-'}"
        )
        if zh
        else (
            f"household {view['household_id']}, {view['region']}, {view['residence']}; "
            f"caseworker {view['caseworker_id'] or '-'}, approver {view['approver_id'] or '-'}"
        )
    ]
    lines.append("成员：" if zh else "members:")
    for m in view["members"]:
        lines.append(
            f"  #{m['position']} {m['relation']} {m['person_masked'] or '-'}"
            + (f" ({m['person_key_prefix']}…)" if m["person_key_prefix"] else "")
        )
    lines.append("认定：" if zh else "decisions:")
    for d in view["decisions"]:
        mark = "✓" if d["eligible"] else "✗"
        link = f" ← {d['supersedes']}" if d["supersedes"] else ""
        lines.append(
            f"  {d['decision']} [{d['ledger_entry']}] {d['month']} {d['program']} {mark} "
            f"{d['amount']} {d['origin']} {_change(d['change'], lang)}{link}"
        )
    lines.append("发放：" if zh else "payments:")
    for p in view["payments"]:
        lines.append(f"  {p['month']} {p['program']} {p['amount']} ({p['decision']})")
    lines.append("定期核查：" if zh else "reviews:")
    for r in view["reviews"]:
        done = f" ✓{r['done_by_decision']}" if r["done_by_decision"] else ""
        lines.append(
            f"  {r['program']} {r['category'] or '-'} {r['last_review']} → "
            f"{r['due_on'] or ('未设定' if zh else 'not set')}{done}"
        )
    if view["appeals"]:
        lines.append("复议诉讼：" if zh else "appeals:")
        for a in view["appeals"]:
            lines.append(
                f"  {a['appeal']} [{a['ledger_entry']}] {a['kind']} → {a['decision']} "
                f"{a['filed_on']} {a['outcome'] or '-'}"
                + (f" → {a['new_decision']}" if a["new_decision"] else "")
            )
    return lines
