"""``civilaffairs export dci`` and ``civilaffairs import dci``: households to and from the
DCI social-registry data model (see :mod:`civilaffairs.dci`).

The exported files carry resident IDs whole (the receiving registry matches people by
them): they are personal data. Messages about them mask every ID.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from civilaffairs.cli import report


@click.group("export")
def export_group() -> None:
    """Export records to another system's data model."""


@click.group("import")
def import_group() -> None:
    """Import records from another system's data model."""


def _atomic(path: Path) -> tuple[IO[str], str]:
    """A temporary file beside *path*, to be renamed over it when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n"), tmp


@export_group.command("dci")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the DCI Groups here (JSON Lines), written whole or not at all; "
    "default standard output.",
)
def export_dci_command(files: tuple[str, ...], out: Path | None) -> None:
    """Export the households in FILES (JSON, a JSON list, or JSON Lines) as DCI social-
    registry Groups, one JSON object a line.

    Resident IDs are exported whole, as identifiers of type UIN: the output is personal
    data. Fields the DCI model has no place for go into each object's
    "civilaffairs:extension". A bad household is reported (masked) on stderr, the others
    are exported; exit 1 if any was bad.
    """
    from civilaffairs.cli._inputs import iter_households
    from civilaffairs.dci import export_household

    failed = 0
    sink, tmp = _atomic(out) if out is not None else (None, None)
    try:
        for path in files:
            for label, household, error in iter_households(path):
                if household is None:
                    failed += 1
                    if error is not None:
                        report(error, "en", label)
                    continue
                line = json.dumps(
                    export_household(household), ensure_ascii=False, separators=(",", ":")
                )
                if sink is None:
                    click.echo(line)
                else:
                    sink.write(line + "\n")
        if sink is not None and tmp is not None and out is not None:
            sink.close()
            os.replace(tmp, out)
            sink = None
    finally:
        if sink is not None:
            sink.close()
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
    if failed:
        raise SystemExit(1)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_name(household_id: str, taken: set[str]) -> str:
    """A file name for a household: its id with resident IDs masked and other characters
    made safe, unique in *taken*."""
    from civilaffairs.ids import mask_text

    stem = _UNSAFE.sub("_", mask_text(household_id)).strip("._") or "household"
    stem = stem[:80]
    name, n = f"{stem}.json", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.json"
    taken.add(name)
    return name


def _groups(path: str) -> Iterator[tuple[str, Any, Any]]:
    from civilaffairs.cli._inputs import iter_records
    from civilaffairs.dci import import_group as build

    yield from iter_records(path, build)


@import_group.command("dci")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write one household JSON file per Group into (created if "
    "missing); default standard output, one household a line (JSON Lines).",
)
def import_dci_command(file: str, out: Path | None) -> None:
    """Import the DCI social-registry Groups in FILE (a JSON object, a JSON list, or JSON
    Lines) as civilaffairs households, checked as any input is.

    With --out, each household is written to DIR/<household id>.json (resident IDs in the
    file name masked), each file written whole or not at all. A bad Group is reported on
    stderr with its DCI path (resident IDs masked), the others are imported; exit 1 if
    any was bad.
    """
    from civilaffairs.convert import dumps

    failed = 0
    taken: set[str] = set()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for label, household, error in _groups(file):
        if household is None:
            failed += 1
            if error is not None:
                report(error, "en", label)
            continue
        if out is None:
            click.echo(dumps(household, indent=None))
            continue
        target = out / _file_name(household.id, taken)
        sink, tmp = _atomic(target)
        try:
            sink.write(dumps(household) + "\n")
            sink.close()
            os.replace(tmp, target)
        except BaseException:
            sink.close()
            Path(tmp).unlink(missing_ok=True)
            raise
        click.echo(str(target), err=True)
    if failed:
        raise SystemExit(1)
