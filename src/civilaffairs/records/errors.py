"""Errors of the records store (案卷库错误)."""

from __future__ import annotations

from civilaffairs.errors import CivilAffairsError

__all__ = [
    "BadCheckpoint",
    "DatabaseError",
    "KeyProblem",
    "LedgerTampered",
    "NotFound",
    "RecordsError",
]


class RecordsError(CivilAffairsError):
    """A problem with the records store (案卷库错误)."""

    code = "records_error"
    title_zh = "案卷库错误"


class DatabaseError(RecordsError):
    """The database cannot be opened or used: a bad URL, an unreachable server, a file
    that is not a records database, a schema newer than this version (数据库无法使用)."""

    code = "database_error"
    title_zh = "数据库无法使用"


class KeyProblem(RecordsError):
    """A key from configuration is malformed: the encryption key or the ledger signing
    key (密钥无效)."""

    code = "key_problem"
    title_zh = "密钥无效"


class NotFound(RecordsError, LookupError):
    """A household, decision, appeal or ledger entry named on the command line is not in
    the store (未找到)."""

    code = "not_found"
    title_zh = "未找到"


class BadCheckpoint(RecordsError):
    """A checkpoint file cannot be read, is not a checkpoint, or its signature does not
    verify (检查点无效)."""

    code = "bad_checkpoint"
    title_zh = "检查点无效"


class LedgerTampered(RecordsError):
    """The ledger does not verify: an entry was altered, deleted, inserted or reordered,
    or the ledger no longer extends a checkpoint (账本校验失败)."""

    code = "ledger_tampered"
    title_zh = "账本校验失败"
