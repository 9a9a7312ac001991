"""Reading household records for the commands: JSON (one object or a list) and JSON Lines.

Each record comes back with a label saying where it was (``file``, ``file[2]`` or
``file:7``) and either the household or the error, so one bad record never stops the
others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from civilaffairs.errors import CivilAffairsError

if TYPE_CHECKING:
    from civilaffairs.domain import Household

__all__ = ["iter_households"]


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
        yield name, None, CivilAffairsError(f"cannot read file: {exc.strerror or exc}")
        return
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        label = f"{name}[{i}]" if isinstance(data, list) else name
        try:
            yield label, structure(item, Household), None
        except CivilAffairsError as exc:
            yield label, None, exc
