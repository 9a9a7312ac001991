"""Signed checkpoints of the ledger (账本检查点): tree size, root, time, signed with Ed25519.

A checkpoint is a JSON object::

    {"format": "civilaffairs-ledger-checkpoint", "v": 1, "ledger": LEDGER_ID,
     "tree_size": N, "root_hash": HEX, "chain_head": HEX, "time": TIME,
     "key_id": HEX, "public_key": BASE64, "signature": BASE64}

``root_hash`` is the RFC 9162 root of the first ``N`` entries, ``chain_head`` the SHA-256
of entry ``N - 1`` (64 zeros for an empty ledger), ``public_key`` the raw 32-byte Ed25519
public key and ``key_id`` its SHA-256. ``signature`` is the Ed25519 signature of the
canonical JSON (:mod:`civilaffairs.records.canonical`) of every other member.

Publish checkpoints (or hand them to an auditor): a later ``records verify --checkpoint``
fails if the ledger no longer extends one, and ``records consistency OLD NEW`` proves that
a newer checkpoint extends an older one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import pathlib
from typing import TYPE_CHECKING, Any

from civilaffairs.records.canonical import NotCanonical, canonical_bytes
from civilaffairs.records.errors import BadCheckpoint
from civilaffairs.records.ledger import CheckpointRef, now

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = [
    "FORMAT",
    "check_checkpoint",
    "key_id",
    "read_checkpoint",
    "sign_checkpoint",
    "write_json_atomic",
]

#: The ``format`` member of a checkpoint.
FORMAT = "civilaffairs-ledger-checkpoint"
_FIELDS = ("format", "v", "ledger", "tree_size", "root_hash", "chain_head", "time", "key_id")


def _raw(public: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the raw public key: how checkpoints name their key."""
    return hashlib.sha256(_raw(public)).hexdigest()


def sign_checkpoint(
    key: Ed25519PrivateKey,
    *,
    ledger: str,
    tree_size: int,
    root_hash: str,
    chain_head: str,
    time: str | None = None,
) -> dict[str, Any]:
    """A signed checkpoint of the given tree."""
    public = key.public_key()
    body: dict[str, Any] = {
        "format": FORMAT,
        "v": 1,
        "ledger": ledger,
        "tree_size": tree_size,
        "root_hash": root_hash,
        "chain_head": chain_head,
        "time": time or now(),
        "key_id": key_id(public),
    }
    signature = key.sign(canonical_bytes(body))
    return {
        **body,
        "public_key": base64.b64encode(_raw(public)).decode("ascii"),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def _bad(label: str, en: str, zh: str) -> BadCheckpoint:
    return BadCheckpoint(f"{label}: {en}", path=label, en=en, zh=zh)


def check_checkpoint(
    document: Any, *, trusted: Ed25519PublicKey | None = None, label: str = "checkpoint"
) -> CheckpointRef:
    """Check *document*'s form and signature and return what it commits to.

    :param trusted: the key it must be signed with; ``None`` accepts the key the
        checkpoint carries (proving it unaltered, not who signed it).
    :raises BadCheckpoint: if it is not a checkpoint, or its signature does not verify
        (with the trusted key, if given).
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _bad(label, "not a ledger checkpoint", "不是账本检查点")
    body = {name: document.get(name) for name in _FIELDS}
    size = body["tree_size"]
    hexes = (body["root_hash"], body["chain_head"], body["key_id"])
    if (
        body["v"] != 1
        or not isinstance(size, int)
        or isinstance(size, bool)
        or size < 0
        or not all(isinstance(h, str) and len(h) == 64 for h in hexes)
        or not isinstance(body["ledger"], str)
        or not isinstance(body["time"], str)
    ):
        raise _bad(label, "a member is missing or malformed", "缺少成员或成员格式错误")
    try:
        raw_key = base64.b64decode(str(document.get("public_key")), validate=True)
        signature = base64.b64decode(str(document.get("signature")), validate=True)
        public = Ed25519PublicKey.from_public_bytes(raw_key)
    except (binascii.Error, ValueError):
        raise _bad(
            label, "the public key or signature is malformed", "公钥或签名格式错误"
        ) from None
    if key_id(public) != body["key_id"]:
        raise _bad(label, "key_id is not the hash of its public key", "key_id 与公钥不符")
    if trusted is not None and _raw(trusted) != raw_key:
        raise _bad(
            label,
            f"signed with key {body['key_id'][:16]}…, not with the trusted key "
            f"{key_id(trusted)[:16]}…",
            f"签名密钥 {body['key_id'][:16]}… 不是受信任的密钥 {key_id(trusted)[:16]}…",
        )
    try:
        public.verify(signature, canonical_bytes(body))
    except (InvalidSignature, NotCanonical):
        raise _bad(
            label, "the signature does not verify (altered)", "签名校验失败（已被修改）"
        ) from None
    return CheckpointRef(size, str(body["root_hash"]), str(body["chain_head"]), label)


def read_checkpoint(
    path: str | os.PathLike[str], *, trusted: Ed25519PublicKey | None = None
) -> tuple[dict[str, Any], CheckpointRef]:
    """Read and check the checkpoint file at *path*.

    :raises BadCheckpoint: if it cannot be read or does not check.
    """
    label = os.fspath(path)
    try:
        document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(label, f"cannot be read: {exc.strerror or exc}", "无法读取检查点文件") from None
    except (UnicodeDecodeError, ValueError):
        raise _bad(label, "not JSON", "不是 JSON") from None
    return document, check_checkpoint(document, trusted=trusted, label=label)


def write_json_atomic(path: str | os.PathLike[str], document: Any) -> None:
    """Write *document* as JSON to *path* through a temporary file in the same directory
    and a rename, so that *path* is either the old file or the whole new one."""
    target = pathlib.Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
