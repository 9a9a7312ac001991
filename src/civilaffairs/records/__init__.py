"""The records store (案卷库): case records on SQLite or PostgreSQL, with a tamper-evident
decision ledger.

What it keeps (:mod:`~civilaffairs.records.models`): cases (applications), household
snapshots as assessed (resident IDs as pseudonyms and masked forms, the full number only
encrypted), decisions (the full ``assess --format json`` document, the standards used, the
versions), monthly payments, periodic review schedules, appeals, staff and their declared
relatives. The schema is managed by Alembic migrations shipped with the package.

Every decision and appeal is an entry of the ledger (:mod:`~civilaffairs.records.ledger`):
hash-chained, under an RFC 9162 Merkle tree (:mod:`~civilaffairs.records.merkle`), with
Ed25519-signed checkpoints (:mod:`~civilaffairs.records.checkpoints`) and inclusion and
consistency proofs (:mod:`~civilaffairs.records.proofs`).

Install with ``pip install "civilaffairs[records]"``. The command line is
``civilaffairs records …`` and ``civilaffairs assess … --record``.
"""

from __future__ import annotations

from civilaffairs.records.config import DEFAULT_DATABASE, database_url
from civilaffairs.records.errors import (
    BadCheckpoint,
    DatabaseError,
    KeyProblem,
    LedgerTampered,
    NotFound,
    RecordsError,
)
from civilaffairs.records.store import Store

__all__ = [
    "DEFAULT_DATABASE",
    "BadCheckpoint",
    "DatabaseError",
    "KeyProblem",
    "LedgerTampered",
    "NotFound",
    "RecordsError",
    "Store",
    "database_url",
]
