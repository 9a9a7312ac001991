"""The tables of the records store (案卷库数据表), as SQLAlchemy 2 typed ORM classes.

The schema is created and upgraded by the Alembic migrations in
``civilaffairs/records/migrations`` (:func:`civilaffairs.records.store.upgrade`); a test
checks that these classes and the newest migration agree.

Resident IDs are never stored whole unless an encryption key is configured: a person is
``person_key`` (``civilaffairs.pseudonyms.pseudonym``) and ``person_masked``
(:func:`civilaffairs.ids.mask`), and ``id_encrypted`` holds the AES-GCM ciphertext of the
full number only when ``CIVILAFFAIRS_ENCRYPTION_KEY`` is set.

Money is integer fen (``*_fen`` columns, ``BIGINT``). JSON columns are ``JSONB`` on
PostgreSQL (queried with ``->``, ``->>``, ``@>``) and JSON text on SQLite (``json_extract``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Appeal",
    "ApplicationRow",
    "Base",
    "Checkpoint",
    "DecisionRow",
    "DecisionStandard",
    "LedgerEntry",
    "LedgerHead",
    "Meta",
    "Payment",
    "ReviewSchedule",
    "Snapshot",
    "SnapshotMember",
    "Staff",
    "StaffRelative",
    "table_of",
]

#: JSON documents: JSONB on PostgreSQL (indexable, queryable), JSON text elsewhere.
JsonDocument = JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every records table."""

    metadata = MetaData(naming_convention=_NAMING)


def table_of(model: type[Base]) -> Table:
    """The Core table of *model*, for statements of many rows without the ORM."""
    return Base.metadata.tables[str(model.__tablename__)]


class Meta(Base):
    """Facts about the store itself: ``ledger_id`` (a random UUID naming this ledger in
    its checkpoints and proofs), ``created_at``."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LedgerHead(Base):
    """The one row holding the ledger's size and the hash of its last entry. Every append
    locks it first, so appends are serialised, and updates it in the same transaction."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))


class LedgerEntry(Base):
    """One ledger entry (账本条目): its canonical JSON bytes, SHA-256 of those bytes, the
    hash of the previous entry (also inside the bytes) and its Merkle leaf hash."""

    __tablename__ = "ledger_entries"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    entry: Mapped[bytes] = mapped_column(LargeBinary)
    entry_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    leaf_hash: Mapped[str] = mapped_column(String(64))


class Checkpoint(Base):
    """A signed checkpoint issued by ``records checkpoint`` (tree size, root, time)."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[str] = mapped_column(String(64))
    chain_head: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class Staff(Base):
    """A caseworker or approving official (经办人、审批人)."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(6))


class StaffRelative(Base):
    """A relative a staff member declared (近亲属备案), by pseudonym."""

    __tablename__ = "staff_relatives"
    __table_args__ = (UniqueConstraint("staff_id", "person_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    person_masked: Mapped[str] = mapped_column(String(32))
    relation: Mapped[str] = mapped_column(String(32))


class ApplicationRow(Base):
    """A household's case (申请/案件): one row per household id."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[str] = mapped_column(String(128), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    residence: Mapped[str] = mapped_column(String(16))
    caseworker_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    opened_on: Mapped[_dt.date] = mapped_column(Date)


class Snapshot(Base):
    """The household as assessed (评估时的家庭情况): JSON with every resident ID replaced
    by its pseudonym and masked form (and, with an encryption key, its ciphertext)."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    document_hash: Mapped[str] = mapped_column(String(64))
    encrypted: Mapped[bool] = mapped_column(Boolean)


class SnapshotMember(Base):
    """One member of a snapshot, for matching people across cases."""

    __tablename__ = "snapshot_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    person_key: Mapped[str | None] = mapped_column(String(64), index=True)
    person_masked: Mapped[str | None] = mapped_column(String(32))
    id_encrypted: Mapped[str | None] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(String(32))
    birth_date: Mapped[_dt.date | None] = mapped_column(Date)
    died_on: Mapped[_dt.date | None] = mapped_column(Date)


class DecisionRow(Base):
    """A recorded decision (认定结果): the full Decision JSON (the ``assess --format json``
    contract) in ``document``, the outcome in columns, and the ledger entry it is.

    ``origin`` is ``assess``, ``bulk``, ``review`` or ``appeal``; ``change`` compares it
    with the decision it supersedes for the same household and programme (``start``,
    ``raise``, ``cut``, ``same``, ``stop``, ``none``: not eligible before or now).
    Decisions recorded from ``assess-bulk`` results carry a short document (outcome
    only) and no snapshot or standards."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_application_program", "application_id", "program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_seq: Mapped[int] = mapped_column(ForeignKey("ledger_entries.seq"), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    program: Mapped[str] = mapped_column(String(64), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(16))
    first_failed: Mapped[str | None] = mapped_column(String(64))
    rule_version: Mapped[str] = mapped_column(String(16))
    library_version: Mapped[str] = mapped_column(String(32))
    #: The version of the library and of every plugin loaded: ``{"civilaffairs": "0.1.0",
    #: "beijing": "0.1.0", …}``.
    versions: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    income_pc_fen: Mapped[int | None] = mapped_column(BigInteger)
    standard_fen: Mapped[int | None] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(16))
    change: Mapped[str | None] = mapped_column(String(8))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    decided_on: Mapped[_dt.date] = mapped_column(Date)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class DecisionStandard(Base):
    """A standard a decision used, with its provenance, one row each (for SQL)."""

    __tablename__ = "decision_standards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    key: Mapped[str] = mapped_column(String(128), index=True)
    region: Mapped[str] = mapped_column(String(6))
    residence: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(32))
    effective_from: Mapped[str] = mapped_column(String(10))
    until: Mapped[str | None] = mapped_column(String(10))
    provisional: Mapped[bool] = mapped_column(Boolean)
    plugin: Mapped[str] = mapped_column(String(128))


class Payment(Base):
    """A month's payment of a programme to a household (按月发放), from the decision in
    force that month."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("application_id", "program", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    program: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class ReviewSchedule(Base):
    """When a case is next due for its periodic review (定期核查), from
    :func:`civilaffairs.casework.review.next_review`; ``completed_by_id`` is the decision
    of the review that followed."""

    __tablename__ = "review_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    program: Mapped[str] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(64))
    last_review: Mapped[_dt.date] = mapped_column(Date)
    #: ``None`` where the region has set no interval for the category (*not set*).
    due_on: Mapped[_dt.date | None] = mapped_column(Date, index=True)
    explanation: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))


class Appeal(Base):
    """An administrative reconsideration or lawsuit against a decision (行政复议、行政诉讼)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    ledger_seq: Mapped[int] = mapped_column(ForeignKey("ledger_entries.seq"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    served_on: Mapped[_dt.date] = mapped_column(Date)
    filed_on: Mapped[_dt.date] = mapped_column(Date)
    deadlines: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_on: Mapped[_dt.date | None] = mapped_column(Date)
    outcome_seq: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.seq"))
    new_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
