"""``civilaffairs assess``: explained decisions for households in JSON files."""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import TYPE_CHECKING, Any

import click

from civilaffairs.cli import echo, lang_option, report, warn_registry
from civilaffairs.decision import Lang
from civilaffairs.errors import CivilAffairsError, InvalidPeriod

if TYPE_CHECKING:
    from civilaffairs.periods import Month

#: What ``--program`` accepts: a programme id such as ``dibao`` or ``elderly.day_care``.
_PROGRAM_ID = re.compile(r"[a-z][a-z0-9_]*(?:[.\-][a-z0-9_]+)*", re.ASCII)
_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}", re.ASCII)


def parse_on(on: str | None) -> Month:
    """The month of ``--on``: ``YYYY-MM``; the current month only when the option is absent.

    An empty value and a whole date are errors (a date would silently stand for its month).
    """
    from civilaffairs.periods import Month

    if on is None:
        return Month.of(_dt.date.today())
    if not on.strip():
        raise InvalidPeriod(
            "--on is empty; give a month as YYYY-MM, or leave the option out for the current "
            "month (--on 不能为空)",
            zh="--on 不能为空：请写成 YYYY-MM 形式的月份，或不写该选项以评估本月",
        )
    if _DAY.fullmatch(on.strip()):
        month = on.strip()[:7]
        raise InvalidPeriod(
            f"--on takes a month, not a day: use YYYY-MM, e.g. --on {month} (--on 应为月份)",
            zh=f"--on 应为月份而非日期：请写成 YYYY-MM，如 --on {month}",
        )
    return Month.parse(on)


def _check_programs(programs: tuple[str, ...]) -> None:
    for program in programs:
        if not _PROGRAM_ID.fullmatch(program) or len(program) > 64:
            # The value is not quoted back: it is not a programme id, and may be anything.
            raise CivilAffairsError(
                "--program takes a programme id such as 'dibao' or 'elderly.day_care' "
                "(--program 应为项目代码)",
                zh="--program 应为项目代码，如 'dibao' 或 'elderly.day_care'",
            )


class _JsonOut:
    """Prints ``assess --format json`` as it goes: one result as an object, several as a
    list (the same text ``json.dumps(..., indent=2)`` gives), holding at most one result."""

    def __init__(self) -> None:
        self.pending: str | None = None
        self.count = 0

    def add(self, result: dict[str, Any]) -> None:
        text = json.dumps(result, ensure_ascii=False, indent=2)
        self.count += 1
        if self.count == 2:
            echo("[")
        if self.pending is not None:
            echo(_indent(self.pending) + ",")
        self.pending = text

    def close(self) -> None:
        if self.pending is None:
            return
        if self.count == 1:
            echo(self.pending)
        else:
            echo(_indent(self.pending))
            echo("]")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


@click.command("assess")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--on",
    "on",
    default=None,
    metavar="YYYY-MM",
    help="Month to assess, as YYYY-MM (default: the current month; an empty value or a whole "
    "date is an error).",
)
@lang_option("Language of labels, text and error messages.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Plain text explanation or the JSON contract.",
)
@click.option(
    "--program",
    "programs",
    multiple=True,
    metavar="ID",
    help="Assess only these programmes (repeatable); default all.",
)
@click.option(
    "--record",
    "record_decisions",
    is_flag=True,
    help="Also record each household's decisions in the records store and its ledger "
    "(civilaffairs records; needs CIVILAFFAIRS_ID_KEY).",
)
@click.option(
    "--db",
    "db",
    default=None,
    metavar="URL_OR_PATH",
    help="With --record: the database (default: $CIVILAFFAIRS_DATABASE_URL, else "
    "records.sqlite here).",
)
def assess_command(
    files: tuple[str, ...],
    on: str | None,
    lang: str,
    fmt: str,
    programs: tuple[str, ...],
    record_decisions: bool,
    db: str | None,
) -> None:
    """Assess the households in FILES (JSON object, JSON list, or JSON Lines: .jsonl, .ndjson).

    Every valid household is assessed and printed even when others are bad; each problem
    goes to stderr as one line prefixed by the file (and record), in the language of
    --lang. Exit 1 if any record could not be assessed.

    \b
    Limits (memory stays bounded whatever the size of FILES):
      JSON Lines   read a line at a time; each line at most 1 MiB
      JSON list    read item by item; each household at most 1 MiB
      JSON object  one household; the file at most 1 MiB
    Results are printed as each household is assessed. Resident IDs are masked in
    everything printed, household ids included.
    """
    from civilaffairs.cli._inputs import iter_households
    from civilaffairs.engine.single import assess
    from civilaffairs.registry import get_registry

    month = parse_on(on)
    _check_programs(programs)
    language: Lang = "en" if lang == "en" else "zh"
    registry = get_registry()
    warn_registry(registry, language)
    if db is not None and not record_decisions:
        raise click.UsageError("--db is used with --record")
    recorder = None
    if record_decisions:
        from civilaffairs.cli.records import Recorder

        recorder = Recorder.open(db, language, registry)
    failed = 0
    out = _JsonOut()
    records = (record for path in files for record in iter_households(path))
    for label, household, error in records:
        if error is None and household is not None:
            try:
                result = assess(household, month, programs or None, registry=registry)
            except CivilAffairsError as exc:
                error = exc
            else:
                if recorder is not None:
                    recorder.record(household, result)
                if fmt == "json":
                    out.add(result.to_dict(language))
                else:
                    echo(result.render(language))
                    echo("")
                continue
        failed += 1
        if error is not None:
            report(error, language, label)
    out.close()
    if recorder is not None:
        recorder.close()
    if failed:
        raise SystemExit(1)
