"""API keys (访问密钥): stored as SHA-256 digests, compared in constant time.

A deployer makes a key (any long random text, e.g. ``openssl rand -hex 32``), keeps the
key with the calling system and gives the service only its digest
(``civilaffairs serve --hash-key KEY`` prints it), in ``CIVILAFFAIRS_SERVICE_KEYS`` or a
keys file. A caller sends the key as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``.
The digest of what the caller sent is compared with every configured digest with
``hmac.compare_digest``, all of them every time, so the time taken says nothing about
which digest came closest.

>>> digest = hash_key("s3cret-key")
>>> digest[:16], len(digest)
('817b823905cc7853', 64)
>>> key_matches("s3cret-key", frozenset({digest})), key_matches("other", frozenset({digest}))
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

__all__ = ["hash_key", "key_from_headers", "key_matches"]


def hash_key(key: str) -> str:
    """The SHA-256 hex digest of *key* (UTF-8), as the service stores it."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str | None, digests: frozenset[str]) -> bool:
    """Whether *key* is one of the keys whose digests are *digests*, compared in constant
    time against every digest."""
    if key is None:
        return False
    sent = hash_key(key).encode("ascii")
    found = False
    for digest in sorted(digests):
        found |= hmac.compare_digest(sent, digest.encode("ascii"))
    return found


def key_from_headers(headers: Mapping[str, str]) -> str | None:
    """The key a request carries: ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    auth = headers.get("authorization")
    if auth is not None:
        scheme, _, value = auth.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    key = headers.get("x-api-key")
    return key.strip() if key and key.strip() else None
