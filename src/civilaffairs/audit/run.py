"""The audit runner (审计执行): every check over a caseload, bulk or case by case.

:func:`audit_caseload` is the contract the records store calls: a caseload in, findings
out. :func:`run_audit` is the same with the error rows and counts kept, for the command
line; :func:`audit_single` runs the single-case path of every check row by row (for one
case, for explanations, and for the tests that hold both paths to the same findings).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.audit.model import AuditCheck, AuditData
from civilaffairs.audit.schema import (
    CASELOAD_SCHEMA,
    ERRORS_SCHEMA,
    FINDINGS_SCHEMA,
    MATCHES_SCHEMA,
    RELATIVES_SCHEMA,
    AuditInputError,
    coerce,
    mask_column,
    validate_caseload,
    validate_matches,
    validate_relatives,
)
from civilaffairs.errors import CivilAffairsError
from civilaffairs.periods import Month

__all__ = [
    "AuditResult",
    "audit_caseload",
    "audit_single",
    "checks_for",
    "run_audit",
    "summary_line",
]


@attrs.frozen
class AuditResult:
    """What an audit run produced.

    :param findings: :data:`~civilaffairs.audit.FINDINGS_SCHEMA` rows.
    :param errors: :data:`~civilaffairs.audit.ERRORS_SCHEMA` rows: caseload rows not audited,
        and rows of the relatives and matches tables that were left out.
    :param rows_in: caseload rows given.
    :param rows_audited: caseload rows audited.
    :param checks: ids of the checks run, in order.
    """

    findings: pa.Table
    errors: pa.Table
    rows_in: int
    rows_audited: int
    checks: tuple[str, ...]

    def summary(self, lang: str = "zh") -> str:
        """One line: rows, errors, findings by severity."""
        return summary_line(self.rows_in, self.rows_audited, self.findings, self.errors, lang)


def summary_line(
    rows_in: int, rows_audited: int, findings: pa.Table, errors: pa.Table, lang: str = "zh"
) -> str:
    """One line: caseload rows in, audited and with errors; findings by severity; errors in
    the other tables."""
    sev = findings.column("severity").to_pylist()
    counts = {s: sev.count(s) for s in ("high", "medium", "low")}
    fields = errors.column("field").to_pylist()
    rows = errors.column("row").to_pylist()
    bad_rows = len({r for r, f in zip(rows, fields, strict=True) if f.startswith("caseload[")})
    other = sum(1 for f in fields if not f.startswith("caseload["))
    if lang == "zh":
        line = (
            f"审计 {rows_in} 行，{rows_audited} 行已审计，{bad_rows} 行有错误；"
            f"发现 {findings.num_rows} 条（高 {counts['high']}，中 {counts['medium']}，"
            f"低 {counts['low']}）"
        )
        return line + (f"；其他表错误 {other} 条" if other else "")
    line = (
        f"{rows_in} rows, {rows_audited} audited, {bad_rows} with errors; "
        f"{findings.num_rows} findings (high {counts['high']}, medium "
        f"{counts['medium']}, low {counts['low']})"
    )
    return line + (f"; {other} errors in the other tables" if other else "")


def checks_for(registry: Any, checks: Iterable[AuditCheck | str] | None = None) -> list[AuditCheck]:
    """The checks to run: *checks* (objects, or ids of bundled or registered checks), or
    the bundled checks followed by every :class:`AuditCheck` the plugins registered.

    :raises CivilAffairsError: for an unknown id.
    """
    from civilaffairs.audit.bundled import BUNDLED_CHECKS

    registered = [c for c in registry.audit_checks.values() if isinstance(c, AuditCheck)]
    known = {c.id: c for c in (*BUNDLED_CHECKS, *registered)}
    if checks is None:
        return list(known.values())
    out = []
    for c in checks:
        if isinstance(c, AuditCheck):
            out.append(c)
        elif isinstance(c, str) and c in known:
            out.append(known[c])
        else:
            raise CivilAffairsError(
                f"unknown audit check {c!r} (known: {', '.join(known)})",
                path="checks",
                zh=f"未知的审计规则 {c!r}",
            )
    return out


def _table(value: Any, schema: pa.Schema) -> pa.Table:
    if value is None:
        return schema.empty_table()
    if isinstance(value, pa.Table):
        return value
    if isinstance(value, (list, tuple)):
        return pa.Table.from_pylist(list(value)) if value else schema.empty_table()
    try:
        return pa.table(value)
    except Exception as exc:
        raise AuditInputError(
            f"not a table: {type(value).__name__} ({exc})", zh="不是数据表"
        ) from None


def _plugin_matches(registry: Any, caseload: pa.Table) -> list[tuple[str, pa.Table]]:
    out = []
    for mid, matcher in registry.audit_matchers.items():
        plugin = registry.audit_matcher_plugins.get(mid, "?")
        try:
            found = matcher(caseload)
            table = _table(found, MATCHES_SCHEMA)
        except CivilAffairsError:
            raise
        except Exception as exc:
            raise AuditInputError(
                f"audit matcher {mid!r} of plugin {plugin!r} failed: {type(exc).__name__}: {exc}",
                path=f"matchers.{mid}",
                zh=f"插件 {plugin!r} 的外部数据比对 {mid!r} 出错",
            ) from None
        out.append((f"matchers.{mid}", table))
    return out


def _prepare(
    caseload: Any,
    on: Any,
    registry: Any,
    relatives: Any,
    matches: Any,
) -> tuple[AuditData, pa.Table, int]:
    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    month = Month.parse(on)
    raw = _table(caseload, CASELOAD_SCHEMA)
    valid, errors = validate_caseload(raw)
    error_parts = [errors]
    rel, rel_errors = validate_relatives(_table(relatives, RELATIVES_SCHEMA))
    error_parts.append(rel_errors)
    match_tables = [("matches", _table(matches, MATCHES_SCHEMA))]
    match_tables += _plugin_matches(registry, valid)
    valid_matches = [MATCHES_SCHEMA.empty_table()]
    for name, table in match_tables:
        if table.num_rows == 0:
            continue
        good, bad = validate_matches(table)
        valid_matches.append(good)
        if bad.num_rows:
            bad = bad.set_column(
                1,
                ERRORS_SCHEMA.field("field"),
                pc.replace_substring(bad.column("field"), "matches[", f"{name}["),
            )
            error_parts.append(bad)
    data = AuditData(valid, month, registry, rel, pa.concat_tables(valid_matches))
    return data, pa.concat_tables(error_parts), raw.num_rows


def _finish(parts: list[pa.Table]) -> pa.Table:
    if not parts:
        return FINDINGS_SCHEMA.empty_table()
    t = pa.concat_tables(parts)
    for name in ("household_id", "detail_zh", "detail_en"):
        t = mask_column(t, name)
    return coerce(t, FINDINGS_SCHEMA)


def _assemble(check: AuditCheck, data: AuditData, found: pa.Table, order: int) -> pa.Table:
    rows = found.column("_row").combine_chunks()
    n = len(rows)

    def const(value: str) -> pa.Array:
        return pa.array([value] * n, pa.string())

    severity = (
        found.column("severity").combine_chunks()
        if "severity" in found.schema.names
        else const(check.severity)
    )
    basis = (
        found.column("basis").combine_chunks()
        if "basis" in found.schema.names
        else const(check.basis)
    )
    return pa.table(
        {
            "check_id": const(check.id),
            "severity": severity,
            "basis": basis,
            "month": pc.take(data.column("month"), rows),
            "household_id": pc.take(data.column("household_id"), rows),
            "region": pc.take(data.column("region"), rows),
            "person_masked": pc.take(data.column("person_masked"), rows),
            "program": pc.take(data.column("program"), rows),
            "detail_zh": found.column("detail_zh").combine_chunks(),
            "detail_en": found.column("detail_en").combine_chunks(),
        }
    )


def _run_checks(checks: Sequence[AuditCheck], data: AuditData) -> pa.Table:
    parts = []
    for order, check in enumerate(checks):
        try:
            found = check.columns(data)
        except CivilAffairsError:
            raise
        except Exception as exc:
            raise CivilAffairsError(
                f"audit check {check.id!r} failed: {type(exc).__name__}: {exc}",
                path=f"checks.{check.id}",
                zh=f"审计规则 {check.id!r} 运行出错",
            ) from exc
        if found.num_rows:
            parts.append(_assemble(check, data, found, order))
    return _finish(parts)


def run_audit(
    caseload: Any,
    *,
    on: Any,
    registry: Any = None,
    relatives: Any = None,
    matches: Any = None,
    checks: Iterable[AuditCheck | str] | None = None,
) -> AuditResult:
    """Audit the valid rows of *caseload*; keep the bad rows as errors.

    Parameters as :func:`audit_caseload`.
    """
    data, errors, rows_in = _prepare(caseload, on, registry, relatives, matches)
    chosen = checks_for(data.registry, checks)
    findings = _run_checks(chosen, data)
    return AuditResult(
        findings, errors, rows_in, data.caseload.num_rows, tuple(c.id for c in chosen)
    )


def audit_caseload(
    caseload: Any,
    *,
    on: Any,
    registry: Any = None,
    relatives: Any = None,
    matches: Any = None,
    checks: Iterable[AuditCheck | str] | None = None,
) -> pa.Table:
    """Run the integrity audit checks over *caseload*; return the findings.

    :param caseload: a :class:`pyarrow.Table` (or a mapping of columns, or a list of row
        dicts) of :data:`~civilaffairs.audit.CASELOAD_SCHEMA`; text values are parsed.
    :param on: the audit month (:class:`~civilaffairs.periods.Month` or ``"YYYY-MM"``):
        the month whose rows the month-bound checks (asset matches, overdue reviews) read.
    :param registry: standards and policies (the installed plugins' by default).
    :param relatives: declared relatives of staff (:data:`~civilaffairs.audit.RELATIVES_SCHEMA`).
    :param matches: external matches (:data:`~civilaffairs.audit.MATCHES_SCHEMA`), added to
        what the plugins' matchers return.
    :param checks: the checks to run (objects or ids); default: the bundled checks and every
        :class:`~civilaffairs.audit.AuditCheck` a plugin registered.
    :returns: :data:`~civilaffairs.audit.FINDINGS_SCHEMA` rows, check by check, each check's
        in caseload order.
    :raises AuditInputError: if a table misses a required column or has a bad row (the
        message names the first bad fields by path; :func:`run_audit` keeps going instead).
    """
    result = run_audit(
        caseload, on=on, registry=registry, relatives=relatives, matches=matches, checks=checks
    )
    if result.errors.num_rows:
        fields = result.errors.column("field").to_pylist()
        messages = result.errors.column("message").to_pylist()
        zh = result.errors.column("message_zh").to_pylist()
        shown = "; ".join(f"{f}: {m}" for f, m in list(zip(fields, messages, strict=True))[:5])
        more = f" (and {len(fields) - 5} more)" if len(fields) > 5 else ""
        raise AuditInputError(
            f"{len(fields)} bad field(s): {shown}{more}",
            path=fields[0],
            zh=f"{len(fields)} 处字段错误："
            + "；".join(f"{f}：{m}" for f, m in list(zip(fields, zh, strict=True))[:5]),
        )
    return result.findings


def audit_single(
    caseload: Any,
    *,
    on: Any,
    registry: Any = None,
    relatives: Any = None,
    matches: Any = None,
    checks: Iterable[AuditCheck | str] | None = None,
    rows: Iterable[int] | None = None,
) -> pa.Table:
    """The findings of the single-case path: each check's ``single`` on each row (or on the
    rows numbered *rows* of the valid caseload), in the order :func:`audit_caseload` gives.

    Slow (Python per row): for one case, explanations and tests.
    """
    data, _, _ = _prepare(caseload, on, registry, relatives, matches)
    chosen = checks_for(data.registry, checks)
    records = data.records()
    wanted = range(len(records)) if rows is None else sorted(set(rows))
    parts = []
    for check in chosen:
        out: dict[str, list[Any]] = {name: [] for name in FINDINGS_SCHEMA.names}
        for i in wanted:
            row = records[i]
            for f in check.single(row, data):
                out["check_id"].append(check.id)
                out["severity"].append(f.severity or check.severity)
                out["basis"].append(f.basis or check.basis)
                for name in ("month", "household_id", "region", "person_masked", "program"):
                    out[name].append(row[name])
                out["detail_zh"].append(f.detail_zh)
                out["detail_en"].append(f.detail_en)
        if out["check_id"]:
            parts.append(pa.table(out, schema=FINDINGS_SCHEMA))
    return _finish(parts)
