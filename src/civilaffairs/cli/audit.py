"""``civilaffairs audit``: integrity audits over a caseload file (专项治理审计)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from civilaffairs.cli import echo, lang_option, warn_registry

__all__ = ["audit_command"]


def _errors_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.errors.parquet")


@click.command("audit")
@click.argument("registry_file", metavar="REGISTRY", type=click.Path(dir_okay=False))
@click.option("--on", "on", default=None, help="Audit month YYYY-MM (default: the latest month).")
@click.option(
    "--relatives",
    type=click.Path(dir_okay=False),
    default=None,
    help="Declared relatives of staff: staff_id, person_key, relation.",
)
@click.option(
    "--matches",
    type=click.Path(dir_okay=False),
    default=None,
    help="External matches: person_key, kind (vehicle, business, ...), detail.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Findings file (Parquet); bad rows go to <stem>.errors.parquet.",
)
@click.option(
    "--duplicates",
    "dup_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the deduplication report (Parquet).",
)
@click.option("--check", "check_ids", multiple=True, help="Only this check (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option("Language of the summary and of error messages.")
def audit_command(
    registry_file: str,
    on: str | None,
    relatives: str | None,
    matches: str | None,
    out: str,
    dup_out: str | None,
    check_ids: tuple[str, ...],
    fmt: str,
    lang: str,
) -> None:
    """Audit the caseload REGISTRY (Parquet, CSV or JSON Lines; one row per person,
    programme and month in payment) with the bundled integrity checks and the plugins';
    write the findings to --out.

    A file with resident_id instead of person_key is pseudonymised with the key in
    CIVILAFFAIRS_ID_KEY and the raw column dropped. Bad rows are written to the errors file
    with their field path; the valid rows are audited. Prints a one-line summary. No whole
    resident ID is written anywhere.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from civilaffairs.audit.dedup import duplicates
    from civilaffairs.audit.run import run_audit, summary_line
    from civilaffairs.audit.schema import ERRORS_SCHEMA, validate_caseload
    from civilaffairs.audit.sources import pseudonymise, read_table
    from civilaffairs.bulk.run import AtomicOutput
    from civilaffairs.errors import CivilAffairsError
    from civilaffairs.periods import Month
    from civilaffairs.registry import get_registry

    registry = get_registry()
    warn_registry(registry, "zh" if lang == "zh" else "en")
    out_path = Path(out)
    inputs = [Path(p).resolve() for p in (registry_file, relatives, matches) if p]
    for target in (out_path, _errors_path(out_path), *([Path(dup_out)] if dup_out else [])):
        if target.resolve() in inputs:
            raise CivilAffairsError(
                f"--out {target.name} is an input file (输出文件与输入文件相同)",
                path="--out",
                zh=f"输出文件 {target.name} 与输入文件相同",
            )
    table, read_errors = read_table(registry_file, "caseload")
    table, id_errors = pseudonymise(table)
    rel_table = None
    extra_errors: list[Any] = []
    if relatives:
        rel_table, rel_read = read_table(relatives, "relatives")
        rel_table, rel_ids = pseudonymise(rel_table, what="relatives")
        extra_errors += [rel_read, rel_ids]
    match_table = None
    if matches:
        match_table, m_read = read_table(matches, "matches")
        match_table, m_ids = pseudonymise(match_table, what="matches")
        extra_errors += [m_read, m_ids]
    if on is None:
        valid, _ = validate_caseload(table)
        if valid.num_rows == 0:
            raise CivilAffairsError(
                "no valid row to audit and no --on given (没有可审计的有效行)",
                path="--on",
                zh="没有可审计的有效行，且未给出 --on",
            )
        on = str(pc.max(valid.column("month")).as_py())
    month = Month.parse(on)
    result = run_audit(
        table,
        on=month,
        registry=registry,
        relatives=rel_table,
        matches=match_table,
        checks=list(check_ids) or None,
    )
    parts = [read_errors, id_errors, result.errors, *extra_errors]
    errors = pa.concat_tables([e.cast(ERRORS_SCHEMA) for e in parts])
    if errors.num_rows:
        errors = errors.sort_by([("row", "ascending"), ("field", "ascending")])
    with AtomicOutput() as outputs:
        pq.write_table(result.findings, outputs.temp(out_path))
        pq.write_table(errors, outputs.temp(_errors_path(out_path)))
        if dup_out:
            pq.write_table(duplicates(table, month=None), outputs.temp(Path(dup_out)))
        outputs.commit()
    fields = errors.column("field").to_pylist()
    bad_rows = len(
        {
            r
            for r, f in zip(errors.column("row").to_pylist(), fields, strict=True)
            if f.startswith("caseload[")
        }
    )
    if fmt == "json":
        findings = result.findings
        by_check: dict[str, int] = {}
        for cid in findings.column("check_id").to_pylist():
            by_check[cid] = by_check.get(cid, 0) + 1
        by_sev: dict[str, int] = {}
        for s in findings.column("severity").to_pylist():
            by_sev[s] = by_sev.get(s, 0) + 1
        echo(
            json.dumps(
                {
                    "on": str(month),
                    "rows_in": result.rows_in,
                    "rows_audited": result.rows_in - bad_rows,
                    "rows_with_errors": bad_rows,
                    "error_rows": errors.num_rows,
                    "findings": findings.num_rows,
                    "by_check": by_check,
                    "by_severity": by_sev,
                    "checks": list(result.checks),
                    "out": out_path.name,
                    "errors": _errors_path(out_path).name,
                },
                ensure_ascii=False,
            )
        )
        return
    line = summary_line(result.rows_in, result.rows_in - bad_rows, result.findings, errors, lang)
    echo(f"{month} · {line} → {out_path.name}")
