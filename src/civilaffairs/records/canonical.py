"""The canonical JSON form of ledger entries (账本条目的规范 JSON 形式).

A ledger entry is hashed over exactly one byte string, so the same document must always
give the same bytes. The canonical form is the JSON Canonicalization Scheme of RFC 8785
(JCS) restricted to the values a ledger entry holds; for these values the two agree byte
for byte:

* values are objects, arrays, strings, ``true``, ``false``, ``null`` and **integers** whose
  magnitude is below 2^53 (JSON numbers a double holds exactly); floating-point numbers
  are refused (money is a decimal string or integer fen, never a float);
* no whitespace anywhere: ``,`` between members and items, ``:`` between key and value;
* object keys are unique and sorted by their UTF-16 code units (for keys in the Basic
  Multilingual Plane this is code-point order);
* strings are written as themselves in UTF-8, except ``"`` as ``\\"``, ``\\`` as ``\\\\``,
  the control characters U+0008, U+0009, U+000A, U+000C, U+000D as ``\\b \\t \\n \\f \\r``
  and the other characters below U+0020 as ``\\u00xx`` (lower-case hex); nothing else is
  escaped (not ``/``, not U+007F, not non-ASCII characters);
* integers in decimal without sign for positives, leading zeros or exponent;
* the text is encoded as UTF-8 without a byte-order mark; strings may not hold lone
  surrogates.

>>> from civilaffairs.records.canonical import canonical_bytes
>>> canonical_bytes({"b": [1, True, None], "a": "低保\\n"})
b'{"a":"\\xe4\\xbd\\x8e\\xe4\\xbf\\x9d\\\\n","b":[1,true,null]}'
"""

from __future__ import annotations

import json
from typing import Any

from civilaffairs.errors import CivilAffairsError

__all__ = ["MAX_SAFE_INTEGER", "NotCanonical", "canonical_bytes", "parse_canonical"]

#: The largest integer magnitude allowed: 2^53 - 1 (exact in a double, as RFC 8785 needs).
MAX_SAFE_INTEGER = 2**53 - 1

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_SORTED_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, sort_keys=True
)


class NotCanonical(CivilAffairsError, ValueError):
    """A value has no canonical JSON form, or bytes are not in it (非规范 JSON)."""

    code = "not_canonical"
    title_zh = "非规范 JSON"


def _check(value: Any, path: str) -> bool:
    """Refuse what has no canonical form; return whether an object key holds a character
    beyond the Basic Multilingual Plane (where UTF-16 order differs from code points)."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return False
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonical(f"{path}: integer beyond 2^53", path=path)
        return False
    astral = False
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonical(f"{path}: object keys must be strings", path=path)
            if not key.isascii() and max(key) > "\uffff":
                astral = True
            if not isinstance(item, str) and _check(item, f"{path}.{key}"):
                astral = True
        return astral
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if not isinstance(item, str) and _check(item, f"{path}[{i}]"):
                astral = True
        return astral
    raise NotCanonical(
        f"{path}: {type(value).__name__} has no canonical JSON form (only strings, integers, "
        "booleans, null, arrays and objects)",
        path=path,
    )


def _utf16_sorted(value: Any) -> Any:
    """*value* with object keys in UTF-16 code-unit order (the slow path, for keys beyond
    the Basic Multilingual Plane)."""
    if isinstance(value, dict):
        items = sorted(
            ((k, _utf16_sorted(v)) for k, v in value.items()),
            key=lambda kv: kv[0].encode("utf-16-be", "surrogatepass"),
        )
        return dict(items)
    if isinstance(value, list | tuple):
        return [_utf16_sorted(v) for v in value]
    return value


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON bytes of *value*.

    :raises NotCanonical: for floats, integers beyond 2^53, keys that are not strings,
        strings holding lone surrogates, or any other type.
    """
    if _check(value, "$"):
        text = _ENCODER.encode(_utf16_sorted(value))
    else:
        text = _SORTED_ENCODER.encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical("$: a string holds a lone surrogate", path="$") from None


def parse_canonical(data: bytes) -> Any:
    """Parse *data*, which must be canonical JSON, and return the value.

    :raises NotCanonical: if *data* is not valid UTF-8 JSON or not in canonical form
        (re-encoding the value does not give *data* back byte for byte).
    """
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_no_float, parse_constant=_no_float)
        again = canonical_bytes(value)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NotCanonical("the bytes are not canonical JSON") from None
    if again != data:
        raise NotCanonical("the bytes are JSON but not in canonical form")
    return value


def _no_float(text: str) -> Any:
    raise ValueError(f"not an integer: {text}")
