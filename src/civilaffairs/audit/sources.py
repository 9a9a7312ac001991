"""Reading audit tables from files (审计数据读取): Parquet, CSV or JSON Lines.

Identifier-like columns are read as text (a CSV reader would otherwise turn a resident ID
or a region code into a number). A JSON Lines line that is not a JSON object becomes an
error row and the others are read. A caseload with a ``resident_id`` column instead of
``person_key`` is pseudonymised with the key from ``CIVILAFFAIRS_ID_KEY``
(``civilaffairs.pseudonyms.pseudonym``), ``person_masked`` is derived when absent
(``civilaffairs.ids.mask``), and the raw column is dropped before anything else sees it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from civilaffairs.audit.schema import ERRORS_SCHEMA, AuditInputError

__all__ = ["TEXT_COLUMNS", "pseudonymise", "read_table"]

#: Columns always read as text.
TEXT_COLUMNS = (
    "month",
    "household_id",
    "region",
    "person_key",
    "person_masked",
    "resident_id",
    "program",
    "caseworker_id",
    "approver_id",
    "review_category",
    "staff_id",
    "relation",
    "kind",
    "detail",
    "death_date",
    "last_review",
)


def _error(row: int, field: str, en: str, zh: str) -> dict[str, Any]:
    return {"row": row, "field": field, "message": en, "message_zh": zh}


def _read_jsonl(path: Path, what: str) -> tuple[pa.Table, list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    names: dict[str, None] = {}
    with path.open("rb") as fh:
        for raw in fh:
            line = raw.strip()
            if not line:
                continue
            index = len(rows)
            try:
                data = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                data = None
            if not isinstance(data, dict):
                errors.append(
                    _error(index, f"{what}[{index}]", "not a JSON object", "不是 JSON 对象")
                )
                rows.append({})
                continue
            row: dict[str, Any] = {}
            for k, v in data.items():
                names.setdefault(str(k), None)
                if v is None or isinstance(v, str):
                    row[str(k)] = v
                elif isinstance(v, (bool, dict, list)):
                    row[str(k)] = json.dumps(v, ensure_ascii=False)
                else:
                    row[str(k)] = str(v)
            rows.append(row)
    columns = {n: pa.array([r.get(n) for r in rows], pa.string()) for n in names}
    table = pa.table(columns) if columns else pa.table({"_": pa.nulls(len(rows))})
    return table, errors


def read_table(path: str | Path, what: str = "caseload") -> tuple[pa.Table, pa.Table]:
    """The table in *path* (by its suffix: ``.parquet``, ``.csv``, ``.jsonl``/``.ndjson``)
    and the error rows of lines that could not be read at all.

    :raises AuditInputError: for a missing file, an unknown suffix or an unreadable file.
    """
    p = Path(path)
    shown = p.name
    if not p.is_file():
        raise AuditInputError(f"{shown}: no such file", path=what, zh=f"{shown}：文件不存在")
    suffix = p.suffix.lower()
    errors: list[dict[str, Any]] = []
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(p)
        elif suffix == ".csv":
            import pyarrow.csv as pcsv

            with p.open("rb") as fh:
                header = fh.readline().decode("utf-8-sig").strip().split(",")
            types = {n.strip(): pa.string() for n in header if n.strip() in TEXT_COLUMNS}
            table = pcsv.read_csv(
                p,
                convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=True),
            )
        elif suffix in (".jsonl", ".ndjson"):
            table, errors = _read_jsonl(p, what)
        else:
            raise AuditInputError(
                f"{shown}: unknown file type {suffix or '(none)'}; use .parquet, .csv or .jsonl",
                path=what,
                zh=f"{shown}：不支持的文件类型，请使用 .parquet、.csv 或 .jsonl",
            )
    except AuditInputError:
        raise
    except (OSError, pa.ArrowException, UnicodeDecodeError) as exc:
        from civilaffairs.ids import mask_text

        raise AuditInputError(
            f"{shown}: cannot read it: {mask_text(str(exc))[:200]}",
            path=what,
            zh=f"{shown}：无法读取",
        ) from None
    return table, pa.Table.from_pylist(errors, schema=ERRORS_SCHEMA)


def pseudonymise(
    table: pa.Table, key: bytes | None = None, what: str = "caseload"
) -> tuple[pa.Table, pa.Table]:
    """*table* with its ``resident_id`` column replaced by ``person_key`` (and
    ``person_masked`` where absent), and the error rows of IDs that are not valid.

    A table that already has ``person_key`` or has no ``resident_id`` is returned as it is
    (less any ``resident_id`` column). The relatives and matches tables may name people by
    ``resident_id`` too (*what* names the table in error paths); only the caseload gets
    ``person_masked``.

    Raises ``civilaffairs.pseudonyms.MissingKey`` if a key is needed and
    ``CIVILAFFAIRS_ID_KEY`` is not set.
    """
    from civilaffairs.errors import InvalidIdentifier
    from civilaffairs.ids import mask
    from civilaffairs.pseudonyms import id_key, pseudonym

    names = table.schema.names
    if "resident_id" not in names:
        return table, ERRORS_SCHEMA.empty_table()
    if "person_key" in names:
        return table.drop_columns(["resident_id"]), ERRORS_SCHEMA.empty_table()
    secret = key if key is not None else id_key()
    raw = table.column("resident_id").cast(pa.string()).to_pylist()
    keys: list[str | None] = []
    masked: list[str | None] = []
    errors: list[dict[str, Any]] = []
    for i, value in enumerate(raw):
        if value is None or not value.strip():
            keys.append(None)
            masked.append(None)
            errors.append(_error(i, f"{what}[{i}].resident_id", "required", "必填：居民身份证号码"))
            continue
        masked.append(mask(value.strip()))
        try:
            keys.append(pseudonym(value, secret))
        except InvalidIdentifier:
            keys.append(None)
            errors.append(
                _error(
                    i,
                    f"{what}[{i}].resident_id",
                    "not a valid resident ID (GB 11643: length or check character)",
                    "不是有效的居民身份证号码（长度或校验码错误）",
                )
            )
    out = table.drop_columns(["resident_id"]).append_column(
        "person_key", pa.array(keys, pa.string())
    )
    if what == "caseload" and "person_masked" not in names:
        out = out.append_column("person_masked", pa.array(masked, pa.string()))
    return out, pa.Table.from_pylist(errors, schema=ERRORS_SCHEMA)
