"""``civilaffairs validate`` and ``civilaffairs schema``: check record files, print JSON Schemas.

``validate`` reads each file as JSON (one record, or a list of records) or, for ``.jsonl``
and ``.ndjson`` files, as JSON Lines (one record per line). Each record's type comes from
its ``"type"`` key or, failing that, from its shape (``members`` means a household; ``beds``
or ``operator`` an institution), unless ``--type`` names it. Every file is checked even when
an earlier one fails.
"""

from __future__ import annotations

import json
import pathlib
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import click

if TYPE_CHECKING:
    from civilaffairs.errors import ValidationError

#: The record type names, as in :data:`civilaffairs.convert.RECORD_TYPES` (listed here so
#: that ``civilaffairs --help`` does not import the converter).
TYPE_CHOICES = ("household", "institution", "application", "service", "service_record")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@attrs.define
class FileReport:
    """What validating one file found."""

    name: str
    counts: Counter[str] = attrs.field(factory=Counter)
    members: int = 0
    invalid: int = 0
    errors: list[str] = attrs.field(factory=list)

    def add(self, record: Any) -> None:
        from civilaffairs.convert import TYPE_NAMES
        from civilaffairs.domain import Household

        self.counts[TYPE_NAMES[type(record)]] += 1
        if isinstance(record, Household):
            self.members += record.size

    def fail(self, where: str, prefix: str, error: ValidationError) -> None:
        from civilaffairs.errors import join_path

        self.invalid += 1
        for e in error.errors:
            path = join_path(prefix, e.path)
            self.errors.append(": ".join(part for part in (where, path, e.message) if part))

    def summary(self) -> str:
        total = sum(self.counts.values()) + self.invalid
        if self.invalid:
            return (
                f"{self.name}: invalid, {self.invalid} of {total} "
                f"record{'s' if total != 1 else ''} with errors ({len(self.errors)} "
                f"error{'s' if len(self.errors) != 1 else ''})"
            )
        parts = [
            f"{n} {kind.replace('_', ' ')}{'s' if n != 1 else ''}"
            for kind, n in sorted(self.counts.items())
        ]
        if self.members:
            parts[sorted(self.counts).index("household")] += (
                f" ({self.members} member{'s' if self.members != 1 else ''})"
            )
        return f"{self.name}: ok, " + (", ".join(parts) if parts else "no records")


def _safe(text: str) -> str:
    """One printable line with identifier-like runs masked."""
    from civilaffairs.domain._privacy import safe_text

    return safe_text(text)


def _records(path: pathlib.Path) -> Iterator[tuple[str, str, Any]]:
    """(where, path prefix, parsed value or ValidationError) for each record in *path*."""
    from civilaffairs.convert._jsonio import iter_lines, line_too_long, parse_json, read_document
    from civilaffairs.errors import ValidationError

    name = str(path)
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        with path.open("rb") as f:
            for lineno, line in iter_lines(f):
                where = f"{name}:{lineno}"
                try:
                    yield where, "", parse_json(line, line=lineno) if line else line_too_long()
                except ValidationError as exc:
                    yield where, "", exc
        return
    try:
        data = parse_json(read_document(path))
    except ValidationError as exc:
        yield name, "", exc
        return
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield name, f"[{i}]", item
    else:
        yield name, "", data


def validate_file(path: pathlib.Path, record_type: str = "auto") -> FileReport:
    """Validate every record in the file at *path*; never raises for bad content."""
    from civilaffairs.convert import RECORD_TYPES, structure, structure_record
    from civilaffairs.errors import ValidationError

    report = FileReport(str(path))
    try:
        for where, prefix, data in _records(path):
            if isinstance(data, ValidationError):
                report.fail(where, prefix, data)
                continue
            try:
                if record_type == "auto":
                    record: Any = structure_record(data)
                else:
                    record = structure(data, RECORD_TYPES[record_type])
            except ValidationError as exc:
                report.fail(where, prefix, exc)
            else:
                report.add(record)
    except OSError as exc:
        report.invalid += 1
        report.errors.append(f"{path}: cannot read: {exc.strerror or type(exc).__name__}")
    return report


@click.command("validate")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=pathlib.Path)
)
@click.option(
    "--type",
    "record_type",
    type=click.Choice(["auto", *TYPE_CHOICES]),
    default="auto",
    show_default=True,
    help="Record type of every record; 'auto' reads each record's \"type\" or its shape.",
)
def validate_command(files: tuple[pathlib.Path, ...], record_type: str) -> None:
    """Validate households, institutions and other records in JSON or JSON Lines FILES.

    Prints one summary line per file. Each error goes to stderr on its own line, prefixed
    by the file (and line) and the field path, e.g.
    ``registry.jsonl:3: members[0].incomes[0].monthly: must not be negative``.
    Resident IDs are masked. Exit 0 when every record is valid, 1 otherwise.
    """
    bad_files = 0
    for path in files:
        report = validate_file(path, record_type)
        for line in report.errors:
            click.echo(_safe(line), err=True)
        click.echo(_safe(report.summary()))
        if report.errors:
            bad_files += 1
    if bad_files:
        raise SystemExit(1)


@click.command("schema")
@click.argument("record_type", type=click.Choice(TYPE_CHOICES))
def schema_command(record_type: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a RECORD_TYPE such as household or institution.

    The schema is generated from the domain types. It checks the shape and each field;
    ``civilaffairs validate`` also checks rules across fields (one head per household, birth
    date against the resident ID) and the region codes.
    """
    from civilaffairs.convert import RECORD_TYPES, json_schema

    click.echo(json.dumps(json_schema(RECORD_TYPES[record_type]), ensure_ascii=False, indent=2))
