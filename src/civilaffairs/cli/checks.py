"""``civilaffairs checks`` and ``check``: list and run the checks of the service modules."""

from __future__ import annotations

import json
from pathlib import Path

import click

from civilaffairs.cli import echo, lang_option, report, warn_registry


@click.command("checks")
@click.option("--module", "modules", multiple=True, help="Only this module (repeatable).")
@lang_option("Language of the list and of error messages.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def checks_command(modules: tuple[str, ...], lang: str, fmt: str) -> None:
    """List the checks of the installed service modules, by module: id, title, the record
    type each reads and its legal basis."""
    from civilaffairs.checks import by_module, checks_of
    from civilaffairs.registry import get_registry

    registry = get_registry()
    warn_registry(registry, "zh" if lang == "zh" else "en")
    grouped = by_module(checks_of(registry).values())
    if modules:
        unknown = [m for m in modules if m not in grouped]
        if unknown:
            from civilaffairs.errors import CivilAffairsError

            raise CivilAffairsError(
                f"no checks in module(s) {', '.join(unknown)} (known: {', '.join(grouped)})",
                path="--module",
                zh=f"模块 {', '.join(unknown)} 没有核查规则（已有：{', '.join(grouped)}）",
            )
        grouped = {m: grouped[m] for m in modules}
    if fmt == "json":
        echo(
            json.dumps(
                {
                    module: [
                        {
                            "id": c.id,
                            "zh": c.zh,
                            "en": c.en,
                            "record_type": c.type_name,
                            "basis": c.basis,
                        }
                        for c in checks
                    ]
                    for module, checks in grouped.items()
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    zh = lang == "zh"
    for module, checks in grouped.items():
        echo(module)
        for c in checks:
            echo(f"  {c.id}  {c.zh if zh else c.en}  [{c.type_name}]  {c.basis}")


@click.command("check")
@click.argument("check_id")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--on", "on", default=None, help="Date (YYYY-MM-DD); default today.")
@lang_option("Language of the output and of error messages.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def check_command(
    check_id: str, files: tuple[Path, ...], on: str | None, lang: str, fmt: str
) -> None:
    """Run check CHECK_ID (MODULE.NAME, see `civilaffairs checks`) on the records in FILES
    (a JSON object, a JSON array, or JSON Lines).

    One result per record; a bad record is reported on stderr with its place and field
    path, and the other records and files are still checked. Exit 0 when every record was
    read (whatever the decisions), 1 when any was not.
    """
    from civilaffairs.checks import checks_of, run_check
    from civilaffairs.cli._inputs import iter_records
    from civilaffairs.cli.plugins import _parse_day
    from civilaffairs.errors import CivilAffairsError
    from civilaffairs.registry import get_registry

    day = _parse_day(on)
    registry = get_registry()
    warn_registry(registry, "zh" if lang == "zh" else "en")
    known = checks_of(registry)
    check = known.get(check_id)
    if check is None:
        raise CivilAffairsError(
            f"unknown check {check_id!r} (known: {', '.join(known) or 'none'})",
            path="CHECK_ID",
            zh=f"未知的核查规则 {check_id!r}（已有：{', '.join(known) or '无'}）",
        )
    results = []
    failed = 0
    for path in files:
        for label, record, error in iter_records(path, check.structure):
            if error is not None:
                report(error, "zh" if lang == "zh" else "en", label)
                failed += 1
                continue
            try:
                result = run_check(check, record, day, registry=registry)
            except CivilAffairsError as exc:
                report(exc, "zh" if lang == "zh" else "en", label)
                failed += 1
                continue
            if fmt == "json":
                results.append(result.to_dict(lang))
            else:
                echo(result.to_text(lang))
    if fmt == "json":
        echo(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
    if failed:
        raise SystemExit(1)
