"""Reading and writing JSON and JSON Lines safely (JSON 读写).

Bytes that are not UTF-8, text that is not JSON, nesting too deep for the parser, numbers
with absurdly many digits, ``NaN``/``Infinity``, duplicate keys and oversized documents are
refused with :class:`~civilaffairs.errors.MalformedInput`, never another exception.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import IO, Any

from civilaffairs.domain._privacy import scrub
from civilaffairs.errors import MalformedInput

#: Largest JSON document read whole (64 MiB); bigger collections belong in JSON Lines.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: Longest line of a JSON Lines file (1 MiB); a household of 100 members is far smaller.
MAX_LINE_BYTES = 1024 * 1024
#: Most digits a JSON number may have; no field needs more, and huge ones are hostile.
MAX_NUMBER_DIGITS = 40

_BOM = b"\xef\xbb\xbf"

#: The parser's complaints in Chinese.
_JSON_PROBLEMS_ZH = {
    "Expecting value": "此处应有一个值",
    "Expecting ',' delimiter": "此处应有逗号",
    "Expecting ':' delimiter": "此处应有冒号",
    "Expecting property name enclosed in double quotes": "键名应以双引号括起",
    "Extra data": "多余的内容",
    "Unterminated string starting at": "字符串没有结束",
    "Invalid control character at": "含无效控制字符",
    "Invalid \\escape": "无效的转义",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "数组末尾多了逗号",
}


class _Refused(Exception):
    """Raised from inside the JSON parser's hooks; turned into :class:`MalformedInput`."""

    def __init__(self, message: str, code: str, zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.zh = zh


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(
            f"a number with {len(text)} digits is too long (数字位数过多)",
            "number_too_long",
            f"数字位数过多（{len(text)}位）",
        )
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(
            f"a number with {len(text)} characters is too long (数字位数过多)",
            "number_too_long",
            f"数字位数过多（{len(text)}个字符）",
        )
    return float(text)


def _parse_constant(text: str) -> Any:
    raise _Refused(
        f"{text} is not a JSON number (不是有效的 JSON 数值)",
        "invalid_json",
        f"{text} 不是有效的 JSON 数值",
    )


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                shown = key if len(key) <= 40 else key[:40] + "…"
                raise _Refused(
                    f"key {scrub(shown)!r} appears twice in one object (对象中键重复)",
                    "duplicate_key",
                    f"对象中键 {scrub(shown)!r} 重复出现",
                )
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(
    parse_int=_parse_int,
    parse_float=_parse_float,
    parse_constant=_parse_constant,
    object_pairs_hook=_unique_pairs,
)


def parse_json(data: bytes | str, *, line: int | None = None) -> Any:
    """Parse one JSON document from UTF-8 bytes (a leading BOM is allowed) or text.

    *line* is the line number of a JSON Lines record, used in the message instead of the
    line within *data*.

    :raises MalformedInput: the input is not UTF-8, not JSON (the message gives the line and
        column), nested too deeply, larger than :data:`MAX_DOCUMENT_BYTES`, or holds a number
        longer than :data:`MAX_NUMBER_DIGITS`, ``NaN``/``Infinity`` or a duplicate key.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MalformedInput(
            f"document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; "
            "put many records in JSON Lines instead (文档过大，请改用 JSON Lines)",
            code="too_large",
            zh=f"文档超过 {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB，记录较多时请改用 JSON Lines",
        )
    if isinstance(data, bytes | bytearray):
        raw = bytes(data)
        if raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedInput(
                f"not valid UTF-8: bad byte at offset {exc.start} (不是有效的 UTF-8 编码)",
                code="not_utf8",
                zh=f"不是有效的 UTF-8 编码：偏移 {exc.start} 处的字节有误",
            ) from None
    else:
        text = data
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        raise MalformedInput(
            f"not valid JSON at line {where} column {exc.colno}: {exc.msg} (不是有效的 JSON)",
            code="invalid_json",
            zh=f"不是有效的 JSON：第 {where} 行第 {exc.colno} 列有误"
            f"（{_JSON_PROBLEMS_ZH.get(exc.msg, '格式错误')}）",
        ) from None
    except RecursionError:
        raise MalformedInput(
            "too deeply nested (嵌套层数过多)", code="too_deep", zh="嵌套层数过多"
        ) from None
    except _Refused as exc:
        raise MalformedInput(exc.message, code=exc.code, zh=exc.zh) from None


def read_document(source: str | os.PathLike[str] | bytes) -> bytes | str:
    """The JSON text of *source*: bytes as given, text starting with ``{`` or ``[``, or a
    file path (read as bytes, refused above :data:`MAX_DOCUMENT_BYTES`)."""
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        return source
    path = os.fspath(source)
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size > MAX_DOCUMENT_BYTES:
            raise MalformedInput(
                f"file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; "
                "put many records in JSON Lines instead (文件过大，请改用 JSON Lines)",
                code="too_large",
                zh=f"文件超过 {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB，"
                "记录较多时请改用 JSON Lines",
            )
        return f.read(MAX_DOCUMENT_BYTES + 1)


def iter_lines(f: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Number the lines of a binary file, from 1; a line longer than :data:`MAX_LINE_BYTES`
    comes as ``None`` (and is skipped without being held in memory). Blank lines are left out.
    """
    lineno = 0
    while True:
        line = f.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        lineno += 1
        if lineno == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = f.readline(MAX_LINE_BYTES + 1)
            yield lineno, None
            continue
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield lineno, line


def line_too_long() -> MalformedInput:
    """The refusal for a JSON Lines line longer than :data:`MAX_LINE_BYTES`."""
    return MalformedInput(
        f"line is longer than {MAX_LINE_BYTES // 1024} KiB (单行过长)",
        code="too_large",
        zh=f"单行过长，超过 {MAX_LINE_BYTES // 1024} KiB",
    )


#: Largest single record of a JSON array read item by item (1 MiB, as a JSON Lines line):
#: a household of 100 members is far smaller.
MAX_ITEM_BYTES = MAX_LINE_BYTES
#: How much of a file is read at a time when a JSON array is read item by item.
_CHUNK_CHARS = 256 * 1024
_WHITESPACE = " \t\r\n"


def starts_array(f: IO[bytes]) -> bool:
    """Whether the JSON document in the binary file *f* is an array (``[`` first, after an
    optional BOM and white space). *f* is left at its start."""
    head = f.read(4096)
    f.seek(0)
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    return head.lstrip(b" \t\r\n")[:1] == b"["


def iter_json_array(f: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """The items of the JSON array in the binary file *f*, one at a time: ``(index, value)``,
    where a value that cannot be read is a :class:`MalformedInput`.

    Memory stays bounded whatever the size of the file: the file is decoded a chunk at a
    time and each item is parsed on its own, refused above :data:`MAX_ITEM_BYTES` (its
    characters). Text that is not a JSON array, or is broken between items, ends the
    iteration with one error: the items after it cannot be found reliably.
    """
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buf = ""
    pos = 0
    eof = False
    offset = 0  # bytes read so far, for the UTF-8 error message

    def more() -> bool:
        nonlocal buf, pos, eof, offset
        if eof:
            return False
        raw = f.read(_CHUNK_CHARS)
        try:
            text = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise MalformedInput(
                f"not valid UTF-8: bad byte at offset {offset + exc.start} (不是有效的 UTF-8 编码)",
                code="not_utf8",
                zh=f"不是有效的 UTF-8 编码：偏移 {offset + exc.start} 处的字节有误",
            ) from None
        offset += len(raw)
        if not raw:
            eof = True
        buf = buf[pos:] + text
        pos = 0
        return bool(raw)

    def skip_space() -> str:
        """The next character that is not white space, or ``""`` at the end."""
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not more():
                return ""

    def broken(index: int, what: str, zh: str) -> MalformedInput:
        return MalformedInput(
            f"not valid JSON at item [{index}]: {what} (不是有效的 JSON)",
            code="invalid_json",
            zh=f"不是有效的 JSON：第 [{index}] 项处{zh}",
        )

    index = 0
    try:
        if skip_space() != "[":
            yield 0, broken(0, "expected a JSON array", "应为 JSON 数组")
            return
        pos += 1
        if skip_space() == "]":
            pos += 1
        else:
            while True:
                if skip_space() == "":
                    yield index, broken(index, "the array is not closed", "数组没有结束")
                    return
                # Parse one item; read more while it may be cut off by the chunk's end.
                while True:
                    try:
                        value, end = _DECODER.raw_decode(buf, pos)
                    except json.JSONDecodeError as exc:
                        if len(buf) - pos > MAX_ITEM_BYTES:
                            yield index, _item_too_large()
                            return
                        if more():
                            continue
                        yield (
                            index,
                            broken(index, exc.msg, _JSON_PROBLEMS_ZH.get(exc.msg, "格式错误")),
                        )
                        return
                    if end - pos > MAX_ITEM_BYTES:
                        yield index, _item_too_large()
                        return
                    if end >= len(buf) and more():
                        continue
                    break
                pos = end
                yield index, value
                index += 1
                sep = skip_space()
                if sep == "]":
                    pos += 1
                    break
                if sep == "":
                    yield index, broken(index, "the array is not closed", "数组没有结束")
                    return
                if sep != ",":
                    yield index, broken(index, "expected ',' or ']'", "此处应有逗号或右方括号")
                    return
                pos += 1
                if skip_space() == "]":
                    yield index, broken(index, "trailing comma", "数组末尾多了逗号")
                    return
        if skip_space() != "":
            yield index, broken(index, "extra data after the array", "数组之后有多余的内容")
    except MalformedInput as exc:
        yield index, exc
    except RecursionError:
        yield (
            index,
            MalformedInput("too deeply nested (嵌套层数过多)", code="too_deep", zh="嵌套层数过多"),
        )
    except _Refused as exc:
        yield index, MalformedInput(exc.message, code=exc.code, zh=exc.zh)


def _item_too_large() -> MalformedInput:
    return MalformedInput(
        f"a record is larger than {MAX_ITEM_BYTES // 1024} KiB (单条记录过大)",
        code="too_large",
        zh=f"单条记录超过 {MAX_ITEM_BYTES // 1024} KiB",
    )
