"""``civilaffairs assess``: explained decisions for households in JSON files."""

from __future__ import annotations

import datetime as _dt
import json

import click

from civilaffairs.cli import lang_option, report
from civilaffairs.decision import Lang
from civilaffairs.errors import CivilAffairsError


@click.command("assess")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--on",
    "on",
    default=None,
    metavar="YYYY-MM",
    help="Month to assess (default: the current month).",
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
def assess_command(
    files: tuple[str, ...], on: str | None, lang: str, fmt: str, programs: tuple[str, ...]
) -> None:
    """Assess the households in FILES (JSON object, JSON list or JSON Lines).

    Every valid household is assessed and printed even when others are bad; each problem
    goes to stderr as one line prefixed by the file (and record), in the language of
    --lang. Exit 1 if any record could not be assessed.
    """
    from civilaffairs.cli._inputs import iter_households
    from civilaffairs.engine.single import assess
    from civilaffairs.periods import Month
    from civilaffairs.registry import get_registry

    month = Month.parse(on) if on else Month.of(_dt.date.today())
    language: Lang = "en" if lang == "en" else "zh"
    registry = get_registry()
    warning = "警告：" if language == "zh" else "warning: "
    for problem in getattr(registry, "errors", ()):
        for line in problem.lines(language):
            click.echo(warning + line, err=True)
    failed = 0
    results = []
    records = (record for path in files for record in iter_households(path))
    for label, household, error in records:
        if error is None and household is not None:
            try:
                result = assess(household, month, programs or None, registry=registry)
            except CivilAffairsError as exc:
                error = exc
            else:
                if fmt == "json":
                    results.append(result.to_dict(language))
                else:
                    click.echo(result.render(language))
                    click.echo("")
                continue
        failed += 1
        if error is not None:
            report(error, language, label)
    if fmt == "json" and results:
        payload = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        raise SystemExit(1)
