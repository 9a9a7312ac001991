"""Inclusion and consistency proofs (包含证明、一致性证明) as JSON documents anyone can check.

An **inclusion proof** lets a citizen or an auditor confirm that one decision is in the
ledger, without the rest of the ledger and without anyone else's data::

    {"format": "civilaffairs-ledger-inclusion", "v": 1, "ledger": LEDGER_ID,
     "leaf_index": I, "tree_size": N, "entry": TEXT, "audit_path": [HEX, …],
     "root_hash": HEX, "checkpoint": {…} or null}

``entry`` is the entry's canonical JSON as text (its UTF-8 bytes are what was hashed);
``audit_path`` the RFC 9162 inclusion path, nearest the leaf first; ``checkpoint`` the
signed checkpoint whose root the path leads to, when one was given or could be signed.
To check it: take the UTF-8 bytes of ``entry``, compute the leaf hash
``SHA-256(0x00 ‖ bytes)``, run :func:`civilaffairs.records.merkle.verify_inclusion` with
``leaf_index``, ``tree_size``, the path and ``root_hash``, and check that the
checkpoint's signature verifies and that it names the same size and root.

A **consistency proof** shows that the tree of an older checkpoint is a prefix of the
tree of a newer one, i.e. that no entry the older one covered was changed, removed or
reordered since::

    {"format": "civilaffairs-ledger-consistency", "v": 1, "ledger": LEDGER_ID,
     "old": {"tree_size": M, "root_hash": HEX}, "new": {"tree_size": N, "root_hash": HEX},
     "path": [HEX, …]}

checked with :func:`civilaffairs.records.merkle.verify_consistency`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.records.checkpoints import check_checkpoint
from civilaffairs.records.errors import BadCheckpoint, LedgerTampered, NotFound
from civilaffairs.records.ledger import CheckpointRef, leaf_hashes
from civilaffairs.records.merkle import (
    consistency_path,
    inclusion_path,
    leaf_hash,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from civilaffairs.records.store import Store

__all__ = [
    "CONSISTENCY_FORMAT",
    "INCLUSION_FORMAT",
    "ProofCheck",
    "check_consistency_proof",
    "check_inclusion_proof",
    "consistency_proof",
    "inclusion_proof",
]

#: The ``format`` member of an inclusion proof.
INCLUSION_FORMAT = "civilaffairs-ledger-inclusion"
#: The ``format`` member of a consistency proof.
CONSISTENCY_FORMAT = "civilaffairs-ledger-consistency"


@attrs.frozen
class ProofCheck:
    """The result of checking a proof: whether it holds, and why not, in both languages."""

    ok: bool
    en: str
    zh: str


def _tampered(en: str, zh: str) -> LedgerTampered:
    return LedgerTampered(en, en=en, zh=zh)


def _tree_at(store: Store, size: int) -> list[bytes]:
    with store.reading() as session:
        leaves = leaf_hashes(session, size)
    if len(leaves) < size:
        raise _tampered(
            f"the ledger holds {len(leaves)} entries, fewer than the {size} of the "
            "checkpoint (its tail was deleted)",
            f"账本只有 {len(leaves)} 条，少于检查点的 {size} 条（末尾被删除）",
        )
    return leaves


def inclusion_proof(
    store: Store,
    index: int,
    *,
    checkpoint: Mapping[str, Any] | None = None,
    trusted: Ed25519PublicKey | None = None,
    signing_key: Ed25519PrivateKey | None = None,
) -> dict[str, Any]:
    """The inclusion proof of ledger entry *index*.

    With *checkpoint* (a checked checkpoint document), the proof is against its tree;
    otherwise against the whole ledger now, with a checkpoint signed by *signing_key* if
    one is given.

    :raises NotFound: if the entry is not in the tree.
    :raises LedgerTampered: if the stored tree does not have the checkpoint's root, or
        the entry's bytes do not have its stored leaf hash.
    """
    from sqlalchemy import select

    from civilaffairs.records.checkpoints import sign_checkpoint
    from civilaffairs.records.models import LedgerEntry

    ref: CheckpointRef | None = None
    if checkpoint is not None:
        ref = check_checkpoint(checkpoint, trusted=trusted)
        if checkpoint.get("ledger") != store.ledger_id:
            raise BadCheckpoint(
                "the checkpoint is of another ledger (检查点属于其他账本)",
                zh="检查点属于其他账本",
            )
    with store.reading() as session:
        row = session.execute(
            select(LedgerEntry.entry, LedgerEntry.entry_hash).where(LedgerEntry.seq == index)
        ).first()
        leaves = leaf_hashes(session, None if ref is None else ref.tree_size)
    size = len(leaves) if ref is None else ref.tree_size
    if row is None or not 0 <= index < size:
        raise NotFound(
            f"entry {index} is not in the ledger's tree of {size} entries (账本中没有该条目)",
            zh=f"账本的 {size} 条中没有第 {index} 条",
        )
    data = bytes(row.entry)
    if len(leaves) < size:
        raise _tampered(
            f"the ledger holds {len(leaves)} entries, fewer than the {size} of the "
            "checkpoint (its tail was deleted)",
            f"账本只有 {len(leaves)} 条，少于检查点的 {size} 条（末尾被删除）",
        )
    if leaf_hash(data) != leaves[index] or hashlib.sha256(data).hexdigest() != row.entry_hash:
        raise _tampered(
            f"entry {index}: altered: its content does not hash to its stored hash",
            f"第 {index} 条：已被篡改：内容的哈希与存储的哈希不符",
        )
    root = tree_root(leaves)
    if ref is not None and root.hex() != ref.root_hash:
        raise _tampered(
            f"the first {size} entries no longer have the checkpoint's root (history "
            "rewritten); run 'records verify' to find the entry",
            f"前 {size} 条的树根已不是检查点的树根（历史被改写）；用 'records verify' 查找条目",
        )
    document: Mapping[str, Any] | None = checkpoint
    if document is None and signing_key is not None:
        with store.reading() as session:
            head = session.scalar(select(LedgerEntry.entry_hash).where(LedgerEntry.seq == size - 1))
        document = sign_checkpoint(
            signing_key,
            ledger=store.ledger_id,
            tree_size=size,
            root_hash=root.hex(),
            chain_head=str(head),
        )
    return {
        "format": INCLUSION_FORMAT,
        "v": 1,
        "ledger": store.ledger_id,
        "leaf_index": index,
        "tree_size": size,
        "entry": data.decode("utf-8"),
        "audit_path": [h.hex() for h in inclusion_path(index, leaves)],
        "root_hash": root.hex(),
        "checkpoint": None if document is None else dict(document),
    }


def _hexes(value: Any) -> list[bytes] | None:
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if not isinstance(item, str) or len(item) != 64:
            return None
        try:
            out.append(bytes.fromhex(item))
        except ValueError:
            return None
    return out


def check_inclusion_proof(document: Any, *, trusted: Ed25519PublicKey | None = None) -> ProofCheck:
    """Check an inclusion proof by itself: the entry's leaf hash, the audit path to the
    root, and the checkpoint it carries (its signature, with *trusted* if given, and that
    it names the same size and root)."""
    if not isinstance(document, dict) or document.get("format") != INCLUSION_FORMAT:
        return ProofCheck(False, "not an inclusion proof", "不是包含证明")
    index, size = document.get("leaf_index"), document.get("tree_size")
    entry, root = document.get("entry"), document.get("root_hash")
    path = _hexes(document.get("audit_path"))
    if (
        not isinstance(index, int)
        or not isinstance(size, int)
        or not isinstance(entry, str)
        or not isinstance(root, str)
        or path is None
    ):
        return ProofCheck(False, "a member is missing or malformed", "缺少成员或成员格式错误")
    try:
        root_bytes = bytes.fromhex(root)
        leaf = leaf_hash(entry.encode("utf-8"))
    except (ValueError, UnicodeEncodeError):
        return ProofCheck(False, "a member is malformed", "成员格式错误")
    if not verify_inclusion(leaf, index, size, path, root_bytes):
        return ProofCheck(
            False,
            f"entry {index} is not proved: the audit path does not lead to the root",
            f"第 {index} 条未获证明：审计路径不能得出树根",
        )
    checkpoint = document.get("checkpoint")
    if checkpoint is None:
        return ProofCheck(
            True,
            f"entry {index} is in the tree of {size} entries with root {root[:16]}… "
            "(no checkpoint: compare the root with a published one)",
            f"第 {index} 条在 {size} 条、树根 {root[:16]}… 的树中（无检查点：请与公布的树根比对）",
        )
    try:
        ref = check_checkpoint(checkpoint, trusted=trusted)
    except BadCheckpoint as exc:
        return ProofCheck(False, exc.message_en, exc.message_zh)
    if (
        ref.tree_size != size
        or ref.root_hash != root
        or checkpoint.get("ledger") != (document.get("ledger"))
    ):
        return ProofCheck(
            False,
            "the checkpoint names another tree than the proof",
            "检查点所指的树与证明不符",
        )
    return ProofCheck(
        True,
        f"entry {index} is in the signed tree of {size} entries (key "
        f"{str(checkpoint.get('key_id'))[:16]}…)",
        f"第 {index} 条在已签名的 {size} 条的树中（密钥 {str(checkpoint.get('key_id'))[:16]}…）",
    )


def consistency_proof(
    store: Store,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    trusted: Ed25519PublicKey | None = None,
) -> dict[str, Any]:
    """The consistency proof from checkpoint *old* to checkpoint *new*, computed from the
    store and checked against both before it is returned.

    :raises BadCheckpoint: if a checkpoint does not check, they are of different
        ledgers, or *old* is larger than *new*.
    :raises LedgerTampered: if the store no longer has the tree of *new*, or the proof
        fails (a history rewritten between the two).
    """
    old_ref = check_checkpoint(old, trusted=trusted, label="OLD")
    new_ref = check_checkpoint(new, trusted=trusted, label="NEW")
    if old.get("ledger") != new.get("ledger"):
        raise BadCheckpoint(
            "OLD and NEW are checkpoints of different ledgers (两个检查点属于不同账本)",
            zh="OLD 与 NEW 属于不同账本",
        )
    if old_ref.tree_size > new_ref.tree_size:
        raise BadCheckpoint(
            f"OLD has {old_ref.tree_size} entries, more than NEW's {new_ref.tree_size}: "
            "give the older checkpoint first (检查点顺序颠倒)",
            zh=f"OLD 有 {old_ref.tree_size} 条，多于 NEW 的 {new_ref.tree_size} 条："
            "请先给较早的检查点",
        )
    if new.get("ledger") != store.ledger_id:
        raise BadCheckpoint(
            "the checkpoints are of another ledger than this database (检查点属于其他账本)",
            zh="检查点所属账本不是本数据库的账本",
        )
    leaves = _tree_at(store, new_ref.tree_size)[: new_ref.tree_size]
    if tree_root(leaves).hex() != new_ref.root_hash:
        raise _tampered(
            f"the first {new_ref.tree_size} entries no longer have NEW's root (history "
            "rewritten since NEW); run 'records verify --checkpoint NEW' to find the entry",
            f"前 {new_ref.tree_size} 条的树根已不是 NEW 的树根（NEW 之后历史被改写）；"
            "用 'records verify --checkpoint NEW' 查找条目",
        )
    path = consistency_path(old_ref.tree_size, leaves)
    document = {
        "format": CONSISTENCY_FORMAT,
        "v": 1,
        "ledger": store.ledger_id,
        "old": {"tree_size": old_ref.tree_size, "root_hash": old_ref.root_hash},
        "new": {"tree_size": new_ref.tree_size, "root_hash": new_ref.root_hash},
        "path": [h.hex() for h in path],
    }
    result = check_consistency_proof(document)
    if not result.ok:
        raise _tampered(result.en, result.zh)
    return document


def check_consistency_proof(document: Any) -> ProofCheck:
    """Check a consistency proof by itself (the roots are the checkpoints' roots; check
    the checkpoints' signatures separately)."""
    if not isinstance(document, dict) or document.get("format") != CONSISTENCY_FORMAT:
        return ProofCheck(False, "not a consistency proof", "不是一致性证明")
    old, new = document.get("old"), document.get("new")
    path = _hexes(document.get("path"))
    malformed = ProofCheck(False, "a member is missing or malformed", "缺少成员或成员格式错误")
    if not isinstance(old, dict) or not isinstance(new, dict) or path is None:
        return malformed
    m, n = old.get("tree_size"), new.get("tree_size")
    if not isinstance(m, int) or not isinstance(n, int):
        return malformed
    try:
        old_root, new_root = bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"])
    except (KeyError, TypeError, ValueError):
        return malformed
    if verify_consistency(m, n, old_root, new_root, path):
        return ProofCheck(
            True,
            f"the tree of {n} entries extends the tree of {m}: no earlier entry was changed",
            f"{n} 条的树是 {m} 条的树的延续：此前的条目均未被改动",
        )
    return ProofCheck(
        False,
        f"history rewritten: the tree of {n} entries does not extend the tree of {m} (an "
        f"entry among the first {m} was altered, deleted, inserted or reordered)",
        f"历史被改写：{n} 条的树不是 {m} 条的树的延续（前 {m} 条中有条目被修改、删除、插入或调换）",
    )
