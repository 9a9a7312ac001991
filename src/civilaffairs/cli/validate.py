"""``civilaffairs validate`` and ``civilaffairs schema``: check record files, print JSON Schemas.

``validate`` reads each file as JSON (one record, or a list of records, read item by item)
or, for ``.jsonl`` and ``.ndjson`` files, as JSON Lines (one record per line). Each record's
type comes from its ``"type"`` key or, failing that, from its shape (``members`` means a
household; ``beds`` or ``operator`` an institution), unless ``--type`` names it. Every file
is checked even when an earlier one fails. ``--lang`` chooses the language of the summaries
and error lines.
"""

from __future__ import annotations

import json
import pathlib
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import click

from civilaffairs.cli import echo, error_prefix, label_sep, lang_option

if TYPE_CHECKING:
    from civilaffairs.errors import FieldError, Lang, ValidationError

#: The record type names, as in :data:`civilaffairs.convert.RECORD_TYPES` (listed here so
#: that ``civilaffairs --help`` does not import the converter).
TYPE_CHOICES = ("household", "institution", "application", "service", "service_record")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")

#: How records of each type are counted in a Chinese summary.
_COUNT_ZH = {
    "household": "{n} 户",
    "institution": "{n} 个机构",
    "application": "{n} 份申请",
    "service": "{n} 个服务项目",
    "service_record": "{n} 条服务记录",
}


@attrs.define
class FileReport:
    """What validating one file found."""

    name: str
    counts: Counter[str] = attrs.field(factory=Counter)
    members: int = 0
    invalid: int = 0
    #: ``(where, error)`` for every problem: the file (and line) and the error, its path
    #: from the top of the record.
    problems: list[tuple[str, FieldError]] = attrs.field(factory=list)

    @property
    def errors(self) -> list[str]:
        """The problems in the historical form, ``where: path: message`` (bilingual)."""
        return [": ".join(p for p in (where, e.path, e.message) if p) for where, e in self.problems]

    def error_lines(self, lang: Lang) -> list[str]:
        """The problems in *lang*, one line each, prefixed by ``错误：``/``error:``, the file
        (and line) and the field path."""
        return [
            error_prefix(lang) + where + label_sep(lang) + e.text(lang)
            for where, e in self.problems
        ]

    def add(self, record: Any) -> None:
        from civilaffairs.convert import TYPE_NAMES
        from civilaffairs.domain import Household

        self.counts[TYPE_NAMES[type(record)]] += 1
        if isinstance(record, Household):
            self.members += record.size

    def fail(self, where: str, prefix: str, error: ValidationError) -> None:
        self.invalid += 1
        for e in error.errors:
            self.problems.append((where, e.at(prefix)))

    def unreadable(self, exc: OSError) -> None:
        from civilaffairs.cli._inputs import os_problem
        from civilaffairs.errors import FieldError

        en, zh = os_problem(exc)
        self.invalid += 1
        self.problems.append(
            (self.name, FieldError("", f"cannot read: {en}", "unreadable", zh=f"无法读取：{zh}"))
        )

    def summary(self, lang: Lang = "en") -> str:
        """One line saying whether the file is valid and what it holds, in *lang*."""
        total = sum(self.counts.values()) + self.invalid
        if lang == "zh":
            return self._summary_zh(total)
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

    def _summary_zh(self, total: int) -> str:
        if self.invalid:
            return (
                f"{self.name}：无效，共 {total} 条记录，其中 {self.invalid} 条有错误"
                f"（共 {len(self.problems)} 处错误）"
            )
        parts = []
        for kind, n in sorted(self.counts.items()):
            part = _COUNT_ZH.get(kind, "{n} 条 " + kind).format(n=n)
            if kind == "household" and self.members:
                part += f"（{self.members} 人）"
            parts.append(part)
        return f"{self.name}：有效，" + ("、".join(parts) if parts else "没有记录")


def _safe(text: str) -> str:
    """One printable line with identifier-like runs masked."""
    from civilaffairs.domain._privacy import safe_text

    return safe_text(text)


def _records(path: pathlib.Path) -> Iterator[tuple[str, str, Any]]:
    """(where, path prefix, parsed value or ValidationError) for each record in *path*."""
    from civilaffairs.convert._jsonio import (
        iter_json_array,
        iter_lines,
        line_too_long,
        parse_json,
        read_document,
        starts_array,
    )
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
    with path.open("rb") as f:
        if starts_array(f):
            # A list is read item by item, so memory does not grow with the file.
            for i, item in iter_json_array(f):
                yield name, f"[{i}]", item
            return
    try:
        data = parse_json(read_document(path))
    except ValidationError as exc:
        yield name, "", exc
        return
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
        report.unreadable(exc)
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
@lang_option("Language of the summaries and error messages.")
def validate_command(files: tuple[pathlib.Path, ...], record_type: str, lang: str) -> None:
    """Validate households, institutions and other records in JSON or JSON Lines FILES.

    Prints one summary line per file. Each error goes to stderr on its own line, prefixed
    by the file (and line) and the field path, in the language of --lang, e.g.
    ``错误：registry.jsonl:3：members[0].incomes[0].monthly：金额不得为负数`` or, with
    ``--lang en``,
    ``error: registry.jsonl:3: members[0].incomes[0].monthly: must not be negative``.
    Resident IDs are masked. Exit 0 when every record is valid, 1 otherwise.
    """
    language: Lang = "en" if lang == "en" else "zh"
    bad_files = 0
    for path in files:
        report = validate_file(path, record_type)
        for line in report.error_lines(language):
            echo(_safe(line), err=True)
        echo(_safe(report.summary(language)))
        if report.problems:
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
