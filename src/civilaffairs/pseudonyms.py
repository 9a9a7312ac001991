"""Keyed pseudonyms of resident IDs (身份证号的密钥散列): match and deduplicate people across
households, regions and systems without storing or printing their ID numbers.

A pseudonym is HMAC-SHA256 over the ID's canonical form (18 characters, check character
upper case), keyed with a secret the deployment supplies. The same ID gives the same
pseudonym under one key, so two records of one person match; without the key, a pseudonym
cannot be turned back into the ID by trying every plausible number (which a plain hash
would allow: there are only about 10^11 valid IDs).

The key comes from configuration, never from code: ``CIVILAFFAIRS_ID_KEY`` (at least 32
characters of text; generate one with ``python -c "import secrets; print(secrets.token_hex(32))"``).

>>> from civilaffairs.pseudonyms import pseudonym
>>> key = b"k" * 32
>>> p = pseudonym("11010519491231002x", key)
>>> p == pseudonym("11010519491231002X", key), len(p)
(True, 64)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping

from civilaffairs.errors import CivilAffairsError
from civilaffairs.ids import ID_SEPARATORS, ResidentId

__all__ = ["ID_KEY_ENV", "MIN_KEY_BYTES", "MissingKey", "id_key", "pseudonym"]

_SEPARATORS = re.compile(f"[{ID_SEPARATORS}]")

#: The environment variable that holds the pseudonym key.
ID_KEY_ENV = "CIVILAFFAIRS_ID_KEY"
#: The shortest key accepted, in bytes (the output size of SHA-256).
MIN_KEY_BYTES = 32


class MissingKey(CivilAffairsError):
    """A secret key that the deployment must supply is absent or too short (缺少密钥)."""

    code = "missing_key"
    title_zh = "缺少密钥"


def id_key(environ: Mapping[str, str] | None = None) -> bytes:
    """The pseudonym key from ``CIVILAFFAIRS_ID_KEY`` (UTF-8 bytes of its text).

    :raises MissingKey: if the variable is unset or shorter than :data:`MIN_KEY_BYTES`.
    """
    env = os.environ if environ is None else environ
    text = env.get(ID_KEY_ENV, "")
    key = text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        what = "is not set" if not text else f"is shorter than {MIN_KEY_BYTES} bytes"
        raise MissingKey(
            f"{ID_KEY_ENV} {what}: set it to a secret of at least {MIN_KEY_BYTES} characters "
            f"(缺少身份证号散列密钥)",
            path=ID_KEY_ENV,
            zh=f"环境变量 {ID_KEY_ENV} 未设置或过短：请设置至少 {MIN_KEY_BYTES} 个字符的密钥",
        )
    return key


def pseudonym(resident_id: str | ResidentId, key: bytes) -> str:
    """The keyed pseudonym of *resident_id*: 64 hexadecimal characters.

    The ID is parsed first (separators removed, check character verified), so differently
    written forms of one ID give one pseudonym.

    :raises InvalidIdentifier: if *resident_id* is not a valid resident ID (shown masked).
    :raises MissingKey: if *key* is shorter than :data:`MIN_KEY_BYTES`.
    """
    if len(key) < MIN_KEY_BYTES:
        raise MissingKey(
            f"the pseudonym key is shorter than {MIN_KEY_BYTES} bytes (密钥过短)",
            zh=f"身份证号散列密钥短于 {MIN_KEY_BYTES} 字节",
        )
    if isinstance(resident_id, ResidentId):
        rid = resident_id
    else:
        rid = ResidentId.parse(_SEPARATORS.sub("", resident_id))
    return hmac.new(key, rid.unmasked.upper().encode("ascii"), hashlib.sha256).hexdigest()
