"""Verifying the ledger of a store and signing checkpoints of it (校验账本、签发检查点).

:func:`verify` reads every ledger entry in order together with the row of the
``decisions`` or ``appeals`` table it records, and checks them with
:func:`civilaffairs.records.ledger.verify_entries` against the ledger head, the checkpoints
kept in the store (each checked against its signature) and the checkpoints given (from
files); then it looks for decision or appeal rows that are in no entry and for household
snapshots whose content no longer has the hash their decisions recorded. It stops at the
first problem.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.canonical import NotCanonical, canonical_bytes
from civilaffairs.records.checkpoints import check_checkpoint, sign_checkpoint
from civilaffairs.records.errors import BadCheckpoint, LedgerTampered
from civilaffairs.records.ledger import (
    ZERO_HASH,
    CheckpointRef,
    LedgerProblem,
    StoredEntry,
    VerifyResult,
    appeal_record,
    decision_record,
    outcome_record,
    verify_entries,
)
from civilaffairs.records.merkle import EMPTY_ROOT

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.orm import Session

    from civilaffairs.records.store import Store

__all__ = ["create_checkpoint", "stored_checkpoints", "verify"]


def _hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_entries(session: Session) -> Generator[StoredEntry]:
    """Every entry in order with the record its table row gives."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from civilaffairs.records.models import (
        Appeal,
        ApplicationRow,
        DecisionRow,
        LedgerEntry,
        Snapshot,
    )

    previous = aliased(DecisionRow)
    appealed = aliased(DecisionRow)
    filing = aliased(Appeal)
    outcome = aliased(Appeal)
    replaced_by = aliased(DecisionRow)
    stmt = (
        select(
            LedgerEntry.seq,
            LedgerEntry.kind,
            LedgerEntry.entry,
            LedgerEntry.entry_hash,
            LedgerEntry.prev_hash,
            LedgerEntry.leaf_hash,
            DecisionRow.id.label("d_id"),
            ApplicationRow.household_id,
            DecisionRow.program,
            DecisionRow.month,
            DecisionRow.eligible,
            DecisionRow.amount_fen,
            DecisionRow.period,
            DecisionRow.first_failed,
            DecisionRow.origin,
            DecisionRow.change,
            previous.ledger_seq.label("supersedes"),
            DecisionRow.decided_on,
            Snapshot.document_hash,
            DecisionRow.document,
            filing.id.label("f_id"),
            appealed.ledger_seq.label("f_decision"),
            filing.kind.label("f_kind"),
            filing.served_on,
            filing.filed_on,
            filing.deadlines,
            outcome.id.label("o_id"),
            outcome.ledger_seq.label("o_appeal"),
            outcome.outcome,
            outcome.decided_on.label("o_decided_on"),
            replaced_by.ledger_seq.label("o_new"),
        )
        .outerjoin(DecisionRow, DecisionRow.ledger_seq == LedgerEntry.seq)
        .outerjoin(ApplicationRow, ApplicationRow.id == DecisionRow.application_id)
        .outerjoin(Snapshot, Snapshot.id == DecisionRow.snapshot_id)
        .outerjoin(previous, previous.id == DecisionRow.supersedes_id)
        .outerjoin(filing, filing.ledger_seq == LedgerEntry.seq)
        .outerjoin(appealed, appealed.id == filing.decision_id)
        .outerjoin(outcome, outcome.outcome_seq == LedgerEntry.seq)
        .outerjoin(replaced_by, replaced_by.id == outcome.new_decision_id)
        .order_by(LedgerEntry.seq)
        .execution_options(yield_per=2000)
    )
    result = session.execute(stmt)
    try:
        yield from (_stored(r) for r in result)
    finally:
        # stopping at the first problem leaves rows unread: close the (server-side) cursor
        result.close()


def _stored(r: Any) -> StoredEntry:
    """One entry row of :func:`_stored_entries` as a :class:`StoredEntry`."""
    record: dict[str, Any] | None = None
    if r.kind == "decision" and r.d_id is not None:
        record = decision_record(
            household=r.household_id,
            program=r.program,
            month=r.month,
            eligible=bool(r.eligible),
            amount_fen=int(r.amount_fen),
            period=r.period,
            first_failed=r.first_failed,
            origin=r.origin,
            change=r.change,
            supersedes=r.supersedes,
            decided_on=r.decided_on.isoformat(),
            snapshot=r.document_hash,
            document=r.document,
        )
    elif r.kind == "appeal" and r.f_id is not None:
        record = appeal_record(
            decision=r.f_decision,
            kind=r.f_kind,
            served_on=r.served_on.isoformat(),
            filed_on=r.filed_on.isoformat(),
            deadlines=r.deadlines,
        )
    elif r.kind == "appeal_outcome" and r.o_id is not None:
        record = outcome_record(
            appeal=r.o_appeal,
            outcome=r.outcome,
            decided_on=r.o_decided_on.isoformat(),
            new_decision=r.o_new,
        )
    return StoredEntry(
        seq=int(r.seq),
        kind=r.kind,
        entry=bytes(r.entry),
        entry_hash=r.entry_hash,
        prev_hash=r.prev_hash,
        leaf_hash=r.leaf_hash,
        record=record,
    )


def _orphans(session: Session) -> LedgerProblem | None:
    """A decision or appeal row that names no ledger entry, or a snapshot whose content no
    longer has the hash its decisions recorded."""
    from sqlalchemy import select

    from civilaffairs.records.models import Appeal, DecisionRow, LedgerEntry, Snapshot

    orphan = session.scalar(
        select(DecisionRow.id)
        .outerjoin(LedgerEntry, LedgerEntry.seq == DecisionRow.ledger_seq)
        .where(LedgerEntry.seq.is_(None))
        .order_by(DecisionRow.id)
        .limit(1)
    )
    if orphan is not None:
        return LedgerProblem(
            None,
            "not_in_ledger",
            f"decision {orphan} is not in the ledger (its row was added outside an append)",
            f"认定结果 {orphan} 不在账本中（该记录不是经追加写入的）",
        )
    orphan = session.scalar(
        select(Appeal.id)
        .outerjoin(LedgerEntry, LedgerEntry.seq == Appeal.ledger_seq)
        .where(LedgerEntry.seq.is_(None))
        .order_by(Appeal.id)
        .limit(1)
    )
    if orphan is not None:
        return LedgerProblem(
            None,
            "not_in_ledger",
            f"appeal {orphan} is not in the ledger (its row was added outside an append)",
            f"复议诉讼记录 {orphan} 不在账本中（该记录不是经追加写入的）",
        )
    stmt = (
        select(Snapshot.id, Snapshot.document, Snapshot.document_hash)
        .order_by(Snapshot.id)
        .execution_options(yield_per=2000)
    )
    snapshots = session.execute(stmt)
    try:
        problem = _altered_snapshot(session, snapshots)
    finally:
        snapshots.close()
    return problem


def _altered_snapshot(session: Session, snapshots: Any) -> LedgerProblem | None:
    """The first snapshot of *snapshots* whose content lost its recorded hash."""
    from sqlalchemy import func, select

    from civilaffairs.records.models import DecisionRow

    for sid, document, digest in snapshots:
        try:
            actual = _hex(canonical_bytes(document))
        except NotCanonical:
            actual = ""
        if actual != digest:
            entry = session.scalar(
                select(func.min(DecisionRow.ledger_seq)).where(DecisionRow.snapshot_id == sid)
            )
            return LedgerProblem(
                None if entry is None else int(entry),
                "snapshot_altered",
                f"the household snapshot it was decided on (snapshot {sid}) was altered",
                f"其所依据的家庭快照（快照 {sid}）已被修改",
            )
    return None


def stored_checkpoints(session: Session) -> tuple[list[CheckpointRef], LedgerProblem | None]:
    """The checkpoints issued by ``records checkpoint`` and kept in the store, each
    checked against its own signature, and the first that does not check."""
    from sqlalchemy import select

    from civilaffairs.records.models import Checkpoint

    refs: list[CheckpointRef] = []
    for cid, document in session.execute(
        select(Checkpoint.id, Checkpoint.document).order_by(Checkpoint.id)
    ):
        try:
            refs.append(check_checkpoint(document, label=f"checkpoint #{cid}"))
        except BadCheckpoint as exc:
            return refs, LedgerProblem(None, "checkpoint_altered", exc.text("en"), exc.text("zh"))
    return refs, None


def verify(store: Store, checkpoints: Sequence[CheckpointRef] = ()) -> VerifyResult:
    """Verify the whole ledger of *store*, its rows in ``decisions`` and ``appeals``, the
    snapshots' hashes, against the ledger head, the checkpoints kept in the store and
    *checkpoints* (from files)."""
    from sqlalchemy import select

    from civilaffairs.records.models import LedgerHead

    ledger_id = store.ledger_id
    with store.reading() as session:
        head = session.execute(select(LedgerHead.size, LedgerHead.head_hash)).first()
        stored, problem = stored_checkpoints(session)
        if problem is not None:
            return VerifyResult(0, EMPTY_ROOT.hex(), ZERO_HASH, problem)
        marks = [*stored, *checkpoints]
        with contextlib.closing(_stored_entries(session)) as entries:
            result = verify_entries(
                entries,
                ledger_id=ledger_id,
                head_size=None if head is None else int(head.size),
                head_hash=None if head is None else head.head_hash,
                checkpoints=marks,
            )
        if result.problem is None:
            problem = _orphans(session)
            if problem is not None:
                result = attrs.evolve(result, problem=problem)
    return result


def create_checkpoint(store: Store, key: Ed25519PrivateKey) -> dict[str, Any]:
    """Verify the ledger of *store*, sign a checkpoint of all of it, keep it in the store
    and return it.

    :raises LedgerTampered: if the ledger does not verify (a tampered ledger is never
        signed).
    """
    from sqlalchemy import insert

    from civilaffairs.records.models import Checkpoint

    result = verify(store)
    if result.problem is not None:
        raise LedgerTampered(
            result.problem.line("en"),
            en=result.problem.line("en"),
            zh=result.problem.line("zh"),
        )
    document = sign_checkpoint(
        key,
        ledger=store.ledger_id,
        tree_size=result.size,
        root_hash=result.root_hash,
        chain_head=result.head_hash,
    )
    with store.writing() as session:
        session.execute(
            insert(Checkpoint).values(
                tree_size=result.size,
                root_hash=result.root_hash,
                chain_head=result.head_hash,
                created_at=document["time"],
                document=document,
            )
        )
    return document
