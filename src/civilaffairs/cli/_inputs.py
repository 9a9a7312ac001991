"""Reading household records for the commands: JSON (one object or a list) and JSON Lines.

Each record comes back with a label saying where it was (``file``, ``file[2]`` or
``file:7``) and either the household or the error, so one bad record never stops the
others.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from civilaffairs.errors import CivilAffairsError

if TYPE_CHECKING:
    from civilaffairs.domain import Household

__all__ = ["iter_households", "os_problem"]

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
    from civilaffairs.convert import parse_json, read_jsonl, structure
    from civilaffairs.convert._jsonio import read_document
    from civilaffairs.domain import Household

    name = os.fspath(path)
    try:
        if name.endswith(".jsonl"):
            for result in read_jsonl(name, Household):
                yield f"{name}:{result.line}", result.value, result.error
            return
        data = parse_json(read_document(name))
    except CivilAffairsError as exc:
        yield name, None, exc
        return
    except OSError as exc:
        yield name, None, unreadable(exc)
        return
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        label = f"{name}[{i}]" if isinstance(data, list) else name
        try:
            yield label, structure(item, Household), None
        except CivilAffairsError as exc:
            yield label, None, exc
