"""The decision ledger (认定账本): an append-only, hash-chained list of entries with an
RFC 9162 Merkle tree over it.

**An entry** is the canonical JSON (:mod:`civilaffairs.records.canonical`) of::

    {"v": 1, "ledger": LEDGER_ID, "seq": N, "prev": PREV, "time": TIME,
     "kind": KIND, "record": RECORD}

``seq`` counts from 0; ``prev`` is the SHA-256 (hex) of the canonical bytes of entry
``seq - 1`` (64 zeros for entry 0); ``time`` is when it was appended, UTC
(``2024-09-01T08:00:00.000000Z``); ``kind`` is ``decision``, ``appeal`` or
``appeal_outcome``; ``record`` is what the row of the ``decisions`` or ``appeals`` table
says, field for field (:func:`decision_record`, :func:`appeal_record`,
:func:`outcome_record`), so that the queryable tables can be checked against the ledger.
The leaf hash of the entry in the Merkle tree is ``SHA-256(0x00 ‖ bytes)``.

**Appends** happen inside the transaction that writes the decision or appeal rows
(:meth:`civilaffairs.records.store.Store.writing`), which first locks the ledger head: a
batch is stored whole or not at all, whatever interrupts it.

**Verification** (:func:`verify_entries`; over a store,
:func:`civilaffairs.records.verify.verify`) reads every entry in order and stops at the first
problem, naming the entry: its bytes do not hash to its stored hash (altered), it is not
where its content says (deleted, inserted, reordered), its ``prev`` is not the hash of the
entry before (the chain is broken), its row in ``decisions``/``appeals`` says something
else, the ledger head or a checkpoint counts more entries than there are (truncated), or
the tree of the first ``n`` entries no longer has the root a checkpoint of size ``n``
signed (history rewritten and rehashed).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.canonical import NotCanonical, canonical_bytes
from civilaffairs.records.merkle import RootBuilder, leaf_hash

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "ENTRY_VERSION",
    "ZERO_HASH",
    "CheckpointRef",
    "LedgerProblem",
    "StoredEntry",
    "VerifyResult",
    "appeal_record",
    "append",
    "decision_record",
    "entry_bytes",
    "leaf_hashes",
    "now",
    "outcome_record",
    "verify_entries",
]

#: The version of the entry format (``"v"``).
ENTRY_VERSION = 1
#: What entry 0 names as the hash of its predecessor.
ZERO_HASH = "0" * 64

_FAST = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def now() -> str:
    """The current time as the ledger writes it: UTC, microseconds, ``Z``."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_bytes(
    *, ledger: str, seq: int, prev: str, time: str, kind: str, record: Mapping[str, Any]
) -> bytes:
    """The canonical bytes of one ledger entry."""
    return canonical_bytes(
        {
            "v": ENTRY_VERSION,
            "ledger": ledger,
            "seq": seq,
            "prev": prev,
            "time": time,
            "kind": kind,
            "record": record,
        }
    )


def decision_record(
    *,
    household: str,
    program: str,
    month: str,
    eligible: bool,
    amount_fen: int,
    period: str,
    first_failed: str | None,
    origin: str,
    change: str | None,
    supersedes: int | None,
    decided_on: str,
    snapshot: str | None,
    document: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``record`` of a ``decision`` entry: the decision row's columns (``supersedes``
    as the ledger entry of the superseded decision; ``snapshot`` as the SHA-256 of the
    household snapshot's canonical JSON) and the full decision document."""
    return {
        "household": household,
        "program": program,
        "month": month,
        "eligible": eligible,
        "amount_fen": amount_fen,
        "period": period,
        "first_failed": first_failed,
        "origin": origin,
        "change": change,
        "supersedes": supersedes,
        "decided_on": decided_on,
        "snapshot": snapshot,
        "decision": dict(document),
    }


def appeal_record(
    *, decision: int, kind: str, served_on: str, filed_on: str, deadlines: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``record`` of an ``appeal`` entry (``decision``: the decision's ledger entry)."""
    return {
        "decision": decision,
        "kind": kind,
        "served_on": served_on,
        "filed_on": filed_on,
        "deadlines": dict(deadlines),
    }


def outcome_record(
    *, appeal: int, outcome: str, decided_on: str, new_decision: int | None
) -> dict[str, Any]:
    """The ``record`` of an ``appeal_outcome`` entry (``appeal``: the appeal's ledger
    entry; ``new_decision``: the ledger entry of the decision that replaced the original,
    if any)."""
    return {
        "appeal": appeal,
        "outcome": outcome,
        "decided_on": decided_on,
        "new_decision": new_decision,
    }


def _hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def append(
    session: Session,
    ledger_id: str,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    insert_many: Any = None,
) -> list[int]:
    """Append one entry per ``(kind, record)`` of *items*, in order, and return their
    sequence numbers.

    *session* must come from :meth:`~civilaffairs.records.store.Store.writing` (holding
    the lock); nothing is visible to others until it commits. *insert_many* (called with
    ``(session, table, rows)``, e.g. :meth:`~civilaffairs.records.store.Store.insert_many`)
    writes the rows; by default a Core ``INSERT`` of many rows."""
    from sqlalchemy import insert, select, update

    from civilaffairs.records.models import LedgerEntry, LedgerHead, table_of

    if not items:
        return []
    head = session.execute(
        select(LedgerHead.size, LedgerHead.head_hash).where(LedgerHead.id == 1)
    ).one()
    size, prev = int(head.size), str(head.head_hash)
    time = now()
    rows: list[dict[str, Any]] = []
    seqs: list[int] = []
    for offset, (kind, record) in enumerate(items):
        seq = size + offset
        data = entry_bytes(
            ledger=ledger_id, seq=seq, prev=prev, time=time, kind=kind, record=record
        )
        digest = _hex(data)
        rows.append(
            {
                "seq": seq,
                "kind": kind,
                "entry": data,
                "entry_hash": digest,
                "prev_hash": prev,
                "leaf_hash": leaf_hash(data).hex(),
            }
        )
        seqs.append(seq)
        prev = digest
    # Core (not the ORM): appends are the hot path of bulk recording
    if insert_many is not None:
        insert_many(session, table_of(LedgerEntry), rows)
    else:
        session.connection().execute(insert(table_of(LedgerEntry)), rows)
    session.execute(
        update(LedgerHead).where(LedgerHead.id == 1).values(size=size + len(items), head_hash=prev)
    )
    return seqs


@attrs.frozen
class LedgerProblem:
    """The first thing wrong with a ledger: the entry it concerns (``None`` when it is not
    one entry) and what is wrong, in Chinese and English."""

    entry: int | None
    code: str
    en: str
    zh: str

    def line(self, lang: str = "zh") -> str:
        """One line naming the entry and the problem."""
        if lang == "zh":
            where = f"第 {self.entry} 条" if self.entry is not None else "账本"
            return f"{where}：{self.zh}"
        where = f"entry {self.entry}" if self.entry is not None else "ledger"
        return f"{where}: {self.en}"


@attrs.frozen
class CheckpointRef:
    """A checkpoint the ledger must still agree with: size, root and chain head (hex),
    and a label for messages (a file name, or ``checkpoint #3`` for a stored one)."""

    tree_size: int
    root_hash: str
    chain_head: str
    label: str


@attrs.frozen
class VerifyResult:
    """What :func:`verify_entries` (and :func:`civilaffairs.records.verify.verify`) found:
    the number of entries, the root of their tree, the hash of the last entry, and the
    first problem (``None`` if the ledger is intact)."""

    size: int
    root_hash: str
    head_hash: str
    problem: LedgerProblem | None

    @property
    def ok(self) -> bool:
        """Whether the ledger verified."""
        return self.problem is None


@attrs.frozen
class StoredEntry:
    """One entry as stored, with the record its table row gives (``None``: no row)."""

    seq: int
    kind: str
    entry: bytes
    entry_hash: str
    prev_hash: str
    leaf_hash: str
    record: Mapping[str, Any] | None


def _check_entry(
    row: StoredEntry, position: int, prev: str, ledger_id: str | None
) -> tuple[LedgerProblem | None, str, bytes]:
    """Check one stored entry; return the problem (if any), its hash and leaf hash."""
    i = position
    data = bytes(row.entry)
    digest = _hex(data)
    leaf = leaf_hash(data)
    if row.seq != i:
        if row.seq > i:
            return (
                LedgerProblem(
                    i,
                    "missing",
                    f"missing (deleted): the next stored entry is {row.seq}",
                    f"缺失（已被删除）：之后存储的是第 {row.seq} 条",
                ),
                digest,
                leaf,
            )
        return (
            LedgerProblem(
                i,
                "duplicate",
                f"stored twice (an entry was inserted at {row.seq})",
                f"重复存储（第 {row.seq} 条处被插入了条目）",
            ),
            digest,
            leaf,
        )
    if digest != row.entry_hash:
        return (
            LedgerProblem(
                i,
                "altered",
                "altered: its content does not hash to its stored hash",
                "已被篡改：内容的哈希与存储的哈希不符",
            ),
            digest,
            leaf,
        )
    try:
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return (
            LedgerProblem(i, "altered", "altered: not JSON", "已被篡改：不是 JSON"),
            digest,
            leaf,
        )
    said = body.get("seq")
    if said != i:
        if isinstance(said, int) and not isinstance(said, bool) and 0 <= said < i:
            problem = LedgerProblem(
                said,
                "inserted",
                f"an entry was inserted at or before it: the entry that was {said} now "
                f"stands at {i}",
                f"其前或此处被插入了条目：原第 {said} 条现位于第 {i} 条",
            )
        else:
            problem = LedgerProblem(
                i,
                "out_of_place",
                f"out of place: its content says it is entry {said!r} (entries were "
                "reordered or deleted)",
                f"位置不符：内容表明它是第 {said!r} 条（条目被调换或删除）",
            )
        return problem, digest, leaf
    if body.get("prev") != prev or row.prev_hash != prev:
        if i and body.get("prev") == row.prev_hash:
            # entry i was chained to another content of entry i - 1: that one was
            # rewritten (and rehashed) after entry i was appended
            problem = LedgerProblem(
                i - 1,
                "rewritten",
                f"altered after entry {i} was appended: entry {i} is chained to another "
                "content of it",
                f"在第 {i} 条追加后被改写：第 {i} 条所链接的是它的另一内容",
            )
        else:
            before = f"entry {i - 1}" if i else "the start of the ledger"
            problem = LedgerProblem(
                i,
                "chain_broken",
                f"chain broken: its previous-entry hash is not the hash of {before}",
                f"哈希链断裂：所记前一条的哈希与{'第 ' + str(i - 1) + ' 条' if i else '账本开头'}"
                "不符",
            )
        return problem, digest, leaf
    if ledger_id is not None and body.get("ledger") != ledger_id:
        return (
            LedgerProblem(
                i,
                "foreign",
                "from another ledger (its ledger id differs)",
                "来自其他账本（账本标识不符）",
            ),
            digest,
            leaf,
        )
    if row.leaf_hash != leaf.hex() or body.get("kind") != row.kind:
        return (
            LedgerProblem(
                i,
                "altered",
                "altered: its stored leaf hash or kind does not match its content",
                "已被篡改：存储的叶哈希或类型与内容不符",
            ),
            digest,
            leaf,
        )
    if row.record is None:
        table = "decisions" if row.kind == "decision" else "appeals"
        return (
            LedgerProblem(
                i,
                "row_missing",
                f"its row in the {table} table is missing (deleted)",
                f"其在 {table} 表中的记录缺失（已被删除）",
            ),
            digest,
            leaf,
        )
    whole = {
        "v": ENTRY_VERSION,
        "ledger": str(body.get("ledger")),
        "seq": i,
        "prev": prev,
        "time": str(body.get("time")),
        "kind": row.kind,
        "record": row.record,
    }
    # the entry's bytes are canonical (their hash was checked), so plain sorted JSON of
    # the row equals them when the row is unchanged; the full canonical form decides
    # otherwise (keys beyond the BMP sort differently; a float has no canonical form)
    expected = _FAST.encode(whole).encode("utf-8", "surrogatepass")
    if expected != data:
        try:
            expected = canonical_bytes(whole)
        except NotCanonical:
            expected = b""
    if expected != data:
        table = "decisions" if row.kind == "decision" else "appeals"
        return (
            LedgerProblem(
                i,
                "row_differs",
                f"its row in the {table} table differs from the ledger (the row was edited)",
                f"{table} 表中的记录与账本不符（记录被修改）",
            ),
            digest,
            leaf,
        )
    return None, digest, leaf


def verify_entries(
    entries: Iterable[StoredEntry],
    *,
    ledger_id: str | None = None,
    head_size: int | None = None,
    head_hash: str | None = None,
    checkpoints: Sequence[CheckpointRef] = (),
) -> VerifyResult:
    """Verify stored entries given in ``seq`` order (see the module docstring); stop at
    the first problem."""
    builder = RootBuilder()
    prev = ZERO_HASH
    marks = sorted(checkpoints, key=lambda c: c.tree_size)
    mark = 0
    count = 0
    good = 0  # the size of the last checkpoint the ledger agreed with

    def at_size() -> LedgerProblem | None:
        nonlocal mark, good
        while mark < len(marks) and marks[mark].tree_size == count:
            cp = marks[mark]
            if builder.root().hex() != cp.root_hash or prev != cp.chain_head:
                last = max(count - 1, 0)
                return LedgerProblem(
                    good,
                    "rewritten",
                    f"history rewritten between entries {good} and {last}: the first "
                    f"{cp.tree_size} entries no longer have the root {cp.label} signed (an "
                    "entry was altered, deleted, inserted or reordered and the chain rehashed)",
                    f"第 {good} 至 {last} 条之间的历史被改写：前 {cp.tree_size} 条的树根已不是 "
                    f"{cp.label} 所签的树根（条目被修改、删除、插入或调换后重算了哈希链）",
                )
            good = count
            mark += 1
        return None

    problem = at_size()
    if problem is not None:
        return VerifyResult(0, builder.root().hex(), prev, problem)
    for row in entries:
        problem, digest, leaf = _check_entry(row, count, prev, ledger_id)
        if problem is not None:
            return VerifyResult(count, builder.root().hex(), prev, problem)
        builder.add(leaf)
        prev = digest
        count += 1
        problem = at_size()
        if problem is not None:
            return VerifyResult(count, builder.root().hex(), prev, problem)
    root = builder.root().hex()
    if marks[mark:]:
        cp = marks[-1]
        return VerifyResult(
            count,
            root,
            prev,
            LedgerProblem(
                count,
                "truncated",
                f"missing: {cp.label} counts {cp.tree_size} entries, the ledger ends at "
                f"{count} (its tail was deleted)",
                f"缺失：{cp.label} 记有 {cp.tree_size} 条，账本只到 {count} 条（末尾被删除）",
            ),
        )
    if head_size is not None and head_size != count:
        if head_size > count:
            problem = LedgerProblem(
                count,
                "truncated",
                f"missing: the ledger head counts {head_size} entries, the ledger ends at "
                f"{count} (its tail was deleted)",
                f"缺失：账本头记有 {head_size} 条，账本只到 {count} 条（末尾被删除）",
            )
        else:
            problem = LedgerProblem(
                head_size,
                "inserted",
                f"not counted by the ledger head ({head_size} entries): added outside an append",
                f"不在账本头所记的 {head_size} 条之内：不是经追加写入的",
            )
        return VerifyResult(count, root, prev, problem)
    if head_hash is not None and head_hash != prev:
        return VerifyResult(
            count,
            root,
            prev,
            LedgerProblem(
                max(count - 1, 0),
                "head_differs",
                "its hash is not the one the ledger head records (the last entry was replaced)",
                "其哈希与账本头所记不符（最后一条被替换）",
            ),
        )
    return VerifyResult(count, root, prev, None)


def leaf_hashes(session: Session, size: int | None = None) -> list[bytes]:
    """The stored leaf hashes of the first *size* entries (all by default), in order."""
    from sqlalchemy import select

    from civilaffairs.records.models import LedgerEntry

    stmt = select(LedgerEntry.leaf_hash).order_by(LedgerEntry.seq)
    if size is not None:
        stmt = stmt.limit(size)
    return [bytes.fromhex(h) for h in session.scalars(stmt.execution_options(yield_per=20000))]
