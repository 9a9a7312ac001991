"""Reading household records for the commands: JSON (one object or a list) and JSON Lines.

Each record comes back with a label saying where it was (``file``, ``file[2]`` or
``file:7``) and either the household or the error, so one bad record never stops the
others.

Memory is bounded whatever the size of the input: JSON Lines (``.jsonl``, ``.ndjson``) are
read a line at a time (each line at most 1 MiB); a JSON array is read item by item (each
item at most 1 MiB); a file holding one JSON object is one household and is refused above
1 MiB.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from civilaffairs.errors import CivilAffairsError

if TYPE_CHECKING:
    from civilaffairs.domain import Household

__all__ = [
    "JSON_LINES_SUFFIXES",
    "MAX_OBJECT_BYTES",
    "iter_households",
    "iter_records",
    "os_problem",
]

T = TypeVar("T")

#: File name endings read as JSON Lines (one record per line).
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Largest file holding a single JSON object (one household): 1 MiB.
MAX_OBJECT_BYTES = 1024 * 1024

#: Common reasons a file cannot be read, in Chinese.
_OS_ERRORS_ZH = {
    errno.ENOENT: "文件不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一段不是目录",
}


def os_problem(exc: OSError) -> tuple[str, str]:
    """Why a file cannot be read: ``(English, Chinese)``."""
    en = exc.strerror or type(exc).__name__
    zh = _OS_ERRORS_ZH.get(exc.errno or 0, f"系统错误（{en}）")
    return en, zh


def unreadable(exc: OSError) -> CivilAffairsError:
    """The error for a file that cannot be read."""
    en, zh = os_problem(exc)
    return CivilAffairsError(
        f"cannot read file: {exc.strerror or exc}",
        en=f"cannot read file: {en}",
        zh=f"无法读取文件：{zh}",
    )


def iter_households(
    path: str | os.PathLike[str],
) -> Iterator[tuple[str, Household | None, CivilAffairsError | None]]:
    """Yield ``(label, household, error)`` for every record in *path*."""
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household

    yield from iter_records(path, lambda data: structure(data, Household))


def iter_records(
    path: str | os.PathLike[str], build: Callable[[Any], T]
) -> Iterator[tuple[str, T | None, CivilAffairsError | None]]:
    """Yield ``(label, record, error)`` for every record in *path*, each built from its
    JSON-ready data by *build* (which raises a :class:`CivilAffairsError` for bad data)."""
    from civilaffairs.convert import parse_json
    from civilaffairs.convert._jsonio import (
        iter_json_array,
        iter_lines,
        line_too_long,
        starts_array,
    )
    from civilaffairs.errors import MalformedInput

    name = os.fspath(path)
    try:
        if name.lower().endswith(JSON_LINES_SUFFIXES):
            with open(name, "rb") as f:
                for lineno, line in iter_lines(f):
                    label = f"{name}:{lineno}"
                    try:
                        if line is None:
                            raise line_too_long()
                        yield label, build(parse_json(line, line=lineno)), None
                    except CivilAffairsError as exc:
                        yield label, None, exc
            return
        with open(name, "rb") as f:
            if starts_array(f):
                for i, item in iter_json_array(f):
                    label = f"{name}[{i}]"
                    if isinstance(item, MalformedInput):
                        yield label, None, item
                        continue
                    try:
                        yield label, build(item), None
                    except CivilAffairsError as exc:
                        yield label, None, exc
                return
            data = f.read(MAX_OBJECT_BYTES + 1)
        if len(data) > MAX_OBJECT_BYTES:
            raise MalformedInput(
                f"a file of one record is larger than {MAX_OBJECT_BYTES // 1024} KiB; "
                "put many records in a JSON array or JSON Lines (文件过大)",
                code="too_large",
                zh=f"单条记录的文件超过 {MAX_OBJECT_BYTES // 1024} KiB，"
                "多条请写成 JSON 数组或 JSON Lines",
            )
        parsed = parse_json(data)
    except CivilAffairsError as exc:
        yield name, None, exc
        return
    except OSError as exc:
        yield name, None, unreadable(exc)
        return
    try:
        yield name, build(parsed), None
    except CivilAffairsError as exc:
        yield name, None, exc
