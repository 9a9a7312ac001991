"""Initial schema of the records store: applications, household snapshots, decisions with
the standards they used, payments, review schedules, appeals, staff and their declared
relatives, and the decision ledger (entries, head, checkpoints).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: JSON documents: JSONB on PostgreSQL, JSON text elsewhere (as in the models).
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
#: The hash the first ledger entry names as its predecessor.
ZERO_HASH = "0" * 64


def upgrade() -> None:
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("chain_head", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("document", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("leaf_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_entries")),
    )
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_head")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(length=128), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("residence", sa.String(length=16), nullable=False),
        sa.Column("caseworker_id", sa.String(length=64), nullable=True),
        sa.Column("approver_id", sa.String(length=64), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["staff.id"], name=op.f("fk_applications_approver_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["caseworker_id"], ["staff.id"], name=op.f("fk_applications_caseworker_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("household_id", name=op.f("uq_applications_household_id")),
    )
    op.create_index(op.f("ix_applications_region"), "applications", ["region"], unique=False)

    op.create_table(
        "staff_relatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("person_masked", sa.String(length=32), nullable=False),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_relatives_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_relatives")),
        sa.UniqueConstraint("staff_id", "person_key", name=op.f("uq_staff_relatives_staff_id")),
    )
    op.create_index(
        op.f("ix_staff_relatives_person_key"), "staff_relatives", ["person_key"], unique=False
    )
    op.create_index(
        op.f("ix_staff_relatives_staff_id"), "staff_relatives", ["staff_id"], unique=False
    )

    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("document", JSON_DOCUMENT, nullable=False),
        sa.Column("document_hash", sa.String(length=64), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_snapshots_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
    )
    op.create_index(
        op.f("ix_snapshots_application_id"), "snapshots", ["application_id"], unique=False
    )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("first_failed", sa.String(length=64), nullable=True),
        sa.Column("rule_version", sa.String(length=16), nullable=False),
        sa.Column("library_version", sa.String(length=32), nullable=False),
        sa.Column("versions", JSON_DOCUMENT, nullable=False),
        sa.Column("income_pc_fen", sa.BigInteger(), nullable=True),
        sa.Column("standard_fen", sa.BigInteger(), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("change", sa.String(length=8), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("document", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_decisions_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["ledger_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_decisions_ledger_seq_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_decisions_snapshot_id_snapshots")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["decisions.id"], name=op.f("fk_decisions_supersedes_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("ledger_seq", name=op.f("uq_decisions_ledger_seq")),
    )
    op.create_index(
        "ix_decisions_application_program", "decisions", ["application_id", "program"], unique=False
    )
    op.create_index(op.f("ix_decisions_month"), "decisions", ["month"], unique=False)
    op.create_index(op.f("ix_decisions_program"), "decisions", ["program"], unique=False)

    op.create_table(
        "snapshot_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=True),
        sa.Column("person_masked", sa.String(length=32), nullable=True),
        sa.Column("id_encrypted", sa.Text(), nullable=True),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("died_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_snapshot_members_snapshot_id_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot_members")),
    )
    op.create_index(
        op.f("ix_snapshot_members_person_key"), "snapshot_members", ["person_key"], unique=False
    )
    op.create_index(
        op.f("ix_snapshot_members_snapshot_id"), "snapshot_members", ["snapshot_id"], unique=False
    )

    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("deadlines", JSON_DOCUMENT, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome_seq", sa.BigInteger(), nullable=True),
        sa.Column("new_decision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_appeals_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["ledger_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_appeals_ledger_seq_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["new_decision_id"], ["decisions.id"], name=op.f("fk_appeals_new_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["outcome_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_appeals_outcome_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("ledger_seq", name=op.f("uq_appeals_ledger_seq")),
    )
    op.create_index(op.f("ix_appeals_decision_id"), "appeals", ["decision_id"], unique=False)

    op.create_table(
        "decision_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("residence", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("effective_from", sa.String(length=10), nullable=False),
        sa.Column("until", sa.String(length=10), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("plugin", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_standards_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_standards")),
    )
    op.create_index(
        op.f("ix_decision_standards_decision_id"),
        "decision_standards",
        ["decision_id"],
        unique=False,
    )
    op.create_index(op.f("ix_decision_standards_key"), "decision_standards", ["key"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_payments_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_payments_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "application_id", "program", "month", name=op.f("uq_payments_application_id")
        ),
    )
    op.create_index(op.f("ix_payments_decision_id"), "payments", ["decision_id"], unique=False)
    op.create_index(op.f("ix_payments_month"), "payments", ["month"], unique=False)

    op.create_table(
        "review_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("last_review", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("explanation", JSON_DOCUMENT, nullable=False),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_schedules_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["decisions.id"],
            name=op.f("fk_review_schedules_completed_by_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_review_schedules_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_schedules")),
    )
    op.create_index(
        op.f("ix_review_schedules_application_id"),
        "review_schedules",
        ["application_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_review_schedules_due_on"), "review_schedules", ["due_on"], unique=False
    )
    op.bulk_insert(
        sa.table(
            "ledger_head",
            sa.column("id", sa.Integer),
            sa.column("size", sa.BigInteger),
            sa.column("head_hash", sa.String),
        ),
        [{"id": 1, "size": 0, "head_hash": ZERO_HASH}],
    )
    op.bulk_insert(
        sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text)),
        [{"key": "ledger_id", "value": str(uuid.uuid4())}],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_schedules_due_on"), table_name="review_schedules")
    op.drop_index(op.f("ix_review_schedules_application_id"), table_name="review_schedules")

    op.drop_table("review_schedules")
    op.drop_index(op.f("ix_payments_month"), table_name="payments")
    op.drop_index(op.f("ix_payments_decision_id"), table_name="payments")

    op.drop_table("payments")
    op.drop_index(op.f("ix_decision_standards_key"), table_name="decision_standards")
    op.drop_index(op.f("ix_decision_standards_decision_id"), table_name="decision_standards")

    op.drop_table("decision_standards")
    op.drop_index(op.f("ix_appeals_decision_id"), table_name="appeals")

    op.drop_table("appeals")
    op.drop_index(op.f("ix_snapshot_members_snapshot_id"), table_name="snapshot_members")
    op.drop_index(op.f("ix_snapshot_members_person_key"), table_name="snapshot_members")

    op.drop_table("snapshot_members")
    op.drop_index(op.f("ix_decisions_program"), table_name="decisions")
    op.drop_index(op.f("ix_decisions_month"), table_name="decisions")
    op.drop_index("ix_decisions_application_program", table_name="decisions")

    op.drop_table("decisions")
    op.drop_index(op.f("ix_snapshots_application_id"), table_name="snapshots")

    op.drop_table("snapshots")
    op.drop_index(op.f("ix_staff_relatives_staff_id"), table_name="staff_relatives")
    op.drop_index(op.f("ix_staff_relatives_person_key"), table_name="staff_relatives")

    op.drop_table("staff_relatives")
    op.drop_index(op.f("ix_applications_region"), table_name="applications")

    op.drop_table("applications")
    op.drop_table("staff")
    op.drop_table("meta")
    op.drop_table("ledger_head")
    op.drop_table("ledger_entries")
    op.drop_table("checkpoints")
