"""Masking personal data in names and free text (个人信息脱敏)."""

from __future__ import annotations

import re

from civilaffairs.ids import mask, mask_text

# A run of 15 or more digits, optionally ending in X: the shape of a resident ID (18
# characters, or 15 for the first-generation cards), in ASCII or any other script's digits.
_ID_LIKE = re.compile(r"\d{14,}[\dXx]")
# Control characters, line and paragraph separators, and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def masked_name(name: str | None) -> str | None:
    """Mask a personal name for audit exports: keep the first character (脱敏姓名).

    >>> masked_name("张三丰")
    '张**'
    >>> masked_name("欧阳娜娜")
    '欧***'
    >>> masked_name("Li Lei")
    'L*****'
    >>> masked_name("张"), masked_name(None)
    ('*', None)
    """
    if name is None:
        return None
    text = name.strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


def scrub(text: str) -> str:
    """Mask everything in *text* that looks like a resident ID (清除文本中的身份证号码).

    Used on every message built from input data, so that an identifier typed into the
    wrong field is not echoed whole. It is :func:`civilaffairs.ids.mask_text`, the one masking
    routine of every output boundary, plus a catch-all for long digit runs of any script.

    >>> scrub("'11010519491231002X' is not one of: male, female")
    "'110105********002X' is not one of: male, female"
    >>> scrub("id 110105-19491231-002X")
    'id 110105********002X'
    """
    text = mask_text(text)
    if not _ID_LIKE.search(text):
        return text
    return _ID_LIKE.sub(lambda m: mask(m.group()), text)


def masked_repr(name: str | None) -> str:
    """``repr`` of a name field: masked, so names do not end up in logs whole."""
    return repr(masked_name(name))


def scrubbed_repr(text: str) -> str:
    """``repr`` of a free-text field such as a record id, with ID-like runs masked."""
    return repr(scrub(text))


def safe_text(text: str) -> str:
    """*text* as one printable line: resident IDs masked (:func:`scrub`), control characters,
    line breaks and lone surrogates shown as escapes (``\\x85``), so a message built from
    input can always be printed and logged on one line.

    >>> safe_text("bad key '\\x85' in 11010519491231002X")
    "bad key '\\\\x85' in 110105********002X"
    """
    text = scrub(text)
    if _UNPRINTABLE.search(text):
        text = _UNPRINTABLE.sub(_escape, text)
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
