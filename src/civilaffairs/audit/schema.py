"""The tables of an integrity audit (审计数据表): caseload, declared relatives, external
matches, findings and errors, and the column-wise validation that splits a caseload into
valid rows and error rows.

The caseload table has one row per person, programme and month in payment; the records
store builds it from its payments, another system from its own ledger. Everything is
checked column by column (no Python loop over rows): a row with a bad field becomes one
error row per bad field, naming the field by its path (``caseload[12].month``); the valid
rows are audited all the same.

>>> import pyarrow as pa
>>> from civilaffairs.audit.schema import CASELOAD_SCHEMA, validate_caseload
>>> raw = pa.table({"month": ["2024-08", "2024-13"], "household_id": ["H1", "H2"],
...                 "region": ["110105", "110105"], "person_key": ["a" * 64, "b" * 64],
...                 "person_masked": ["110105********002X", "110105********0011"],
...                 "program": ["dibao", "dibao"], "paid_fen": [50000, 50000]})
>>> valid, errors = validate_caseload(raw)
>>> valid.num_rows, errors.column("field").to_pylist()
(1, ['caseload[1].month'])
>>> valid.schema.equals(CASELOAD_SCHEMA)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.errors import CivilAffairsError

__all__ = [
    "CASELOAD_SCHEMA",
    "ERRORS_SCHEMA",
    "FINDINGS_SCHEMA",
    "MATCHES_SCHEMA",
    "RELATIVES_SCHEMA",
    "AuditInputError",
    "empty_findings",
    "validate_caseload",
    "validate_matches",
    "validate_relatives",
]

#: The caseload (在保名册): one row per person per programme per month in payment.
CASELOAD_SCHEMA = pa.schema(
    [
        pa.field("month", pa.string(), nullable=False),
        pa.field("household_id", pa.string(), nullable=False),
        pa.field("region", pa.string(), nullable=False),
        pa.field("person_key", pa.string(), nullable=False),
        pa.field("person_masked", pa.string(), nullable=False),
        pa.field("program", pa.string(), nullable=False),
        pa.field("paid_fen", pa.int64(), nullable=False),
        pa.field("death_date", pa.date32()),
        pa.field("income_pc_fen", pa.int64()),
        pa.field("standard_fen", pa.int64()),
        pa.field("caseworker_id", pa.string()),
        pa.field("approver_id", pa.string()),
        pa.field("last_review", pa.date32()),
        pa.field("review_category", pa.string()),
    ]
)

#: Declared relatives of staff (工作人员近亲属备案): caseworkers and approving officials.
RELATIVES_SCHEMA = pa.schema(
    [
        pa.field("staff_id", pa.string(), nullable=False),
        pa.field("person_key", pa.string(), nullable=False),
        pa.field("relation", pa.string(), nullable=False),
    ]
)

#: Matches against external registers (外部数据比对): vehicles, businesses, property, ...
MATCHES_SCHEMA = pa.schema(
    [
        pa.field("person_key", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
    ]
)

#: Findings (审计发现): one row per caseload row a check flags.
FINDINGS_SCHEMA = pa.schema(
    [
        pa.field("check_id", pa.string(), nullable=False),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("basis", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
        pa.field("household_id", pa.string(), nullable=False),
        pa.field("region", pa.string(), nullable=False),
        pa.field("person_masked", pa.string(), nullable=False),
        pa.field("program", pa.string(), nullable=False),
        pa.field("detail_zh", pa.string(), nullable=False),
        pa.field("detail_en", pa.string(), nullable=False),
    ]
)

#: Input rows that could not be audited: the row (0-based, in input order), the field path,
#: and what is wrong in English and Chinese. Values are never echoed (they may be IDs).
ERRORS_SCHEMA = pa.schema(
    [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("field", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("message_zh", pa.string(), nullable=False),
    ]
)


class AuditInputError(CivilAffairsError):
    """An audit input table cannot be read at all: a required column is missing (审计输入
    错误). Bad values in single rows are error rows instead."""

    code = "audit_input"
    title_zh = "审计输入错误"


def empty_findings() -> pa.Table:
    """A findings table without rows."""
    return FINDINGS_SCHEMA.empty_table()


# -- column checks ---------------------------------------------------------------------------

_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_REGION = r"^[0-9]{6}$"
_KEY = r"^[0-9a-f]{64}$"
_PROGRAM = r"^[a-z][a-z0-9_]*$"
_INT = r"^\s*[0-9]{1,15}\s*$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# a resident ID written whole (no masking characters): 17 digits and a check character
_WHOLE_ID = r"[0-9]{17}[0-9Xx]"

_ROLES: Mapping[str, tuple[str, str]] = {
    "text": ("must be non-empty text", "应为非空文本"),
    "month": ("must be a month YYYY-MM", "应为 YYYY-MM 格式的月份"),
    "region": ("must be a 6-digit region code", "应为6位行政区划代码"),
    "key": (
        "must be a pseudonym: 64 lowercase hexadecimal characters (civilaffairs.pseudonyms)",
        "应为身份证号散列：64位小写十六进制字符",
    ),
    "masked": (
        "must be the masked form of the ID, not the whole number",
        "应为脱敏后的身份证号，不得为完整号码",
    ),
    "program": ("must be a programme id (lowercase letters, digits, _)", "应为项目编号"),
    "fen": ("must be a whole number of fen, 0 or more", "应为非负整数（分）"),
    "date": ("must be a date YYYY-MM-DD", "应为 YYYY-MM-DD 格式的日期"),
    "category": (
        "must be a review category: stable, variable or tekun (civilaffairs.casework.review)",
        "应为定期核查类别：stable、variable 或 tekun",
    ),
}

_CASELOAD_RULES: tuple[tuple[str, str, bool], ...] = (
    ("month", "month", True),
    ("household_id", "text", True),
    ("region", "region", True),
    ("person_key", "key", True),
    ("person_masked", "masked", True),
    ("program", "program", True),
    ("paid_fen", "fen", True),
    ("death_date", "date", False),
    ("income_pc_fen", "fen", False),
    ("standard_fen", "fen", False),
    ("caseworker_id", "text", False),
    ("approver_id", "text", False),
    ("last_review", "date", False),
    ("review_category", "category", False),
)


def _as_text(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_large_string(arr.type) or pa.types.is_dictionary(arr.type):
        return pc.cast(arr, pa.string())
    if pa.types.is_null(arr.type):
        return pa.nulls(len(arr), pa.string())
    if pa.types.is_floating(arr.type):
        # a float column (CSV with empty cells, JSON numbers): whole values only
        whole = pc.equal(pc.floor(arr), arr)
        as_int = pc.cast(pc.if_else(whole, arr, None), pa.int64(), safe=False)
        text = pc.cast(as_int, pa.string())
        bad = pc.and_(pc.is_valid(arr), pc.invert(whole))
        return pc.if_else(bad, pa.scalar("not a whole number"), text)
    return pc.cast(arr, pa.string())


def _check(raw: pa.Array, kind: str, required: bool) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The typed column, a boolean array of bad values and one of absent values."""
    n = len(raw)
    typed: pa.Array
    if kind in ("fen",) and pa.types.is_integer(raw.type):
        typed = pc.cast(raw, pa.int64())
        ok = pc.greater_equal(typed, 0)
    elif kind == "date" and pa.types.is_date(raw.type):
        typed = pc.cast(raw, pa.date32())
        ok = pc.is_valid(typed)
    elif kind == "date" and pa.types.is_timestamp(raw.type):
        typed = pc.cast(pc.cast(raw, pa.timestamp("s"), safe=False), pa.date32())
        ok = pc.is_valid(typed)
    else:
        text = _as_text(raw)
        if kind == "text":
            typed = text
            ok = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(text)), 0)
        elif kind == "month":
            typed = text
            ok = pc.match_substring_regex(text, _MONTH)
        elif kind == "region":
            typed = text
            ok = pc.match_substring_regex(text, _REGION)
        elif kind == "key":
            typed = text
            ok = pc.match_substring_regex(text, _KEY)
        elif kind == "program":
            typed = text
            ok = pc.match_substring_regex(text, _PROGRAM)
        elif kind == "category":
            from civilaffairs.casework.review import REVIEW_CATEGORIES

            typed = text
            ok = pc.is_in(text, value_set=pa.array(list(REVIEW_CATEGORIES), pa.string()))
        elif kind == "masked":
            typed = text
            ok = pc.and_(
                pc.greater(pc.utf8_length(text), 0),
                pc.invert(pc.match_substring_regex(text, _WHOLE_ID)),
            )
        elif kind == "fen":
            good = pc.match_substring_regex(text, _INT)
            typed = pc.cast(pc.utf8_trim_whitespace(pc.if_else(good, text, None)), pa.int64())
            ok = good
        else:  # date
            good = pc.match_substring_regex(text, _DATE)
            parsed = pc.strptime(
                pc.if_else(good, text, None), format="%Y-%m-%d", unit="s", error_is_null=True
            )
            typed = pc.cast(pc.cast(parsed, pa.timestamp("s")), pa.date32())
            ok = pc.and_(good, pc.is_valid(parsed))
    present = pc.is_valid(raw)
    if pa.types.is_string(raw.type) and not required:
        # an empty cell (CSV) is an absent value
        present = pc.fill_null(pc.and_(present, pc.greater(pc.utf8_length(raw), 0)), False)
        typed = pc.if_else(present, typed, pa.scalar(None, typed.type))
    ok = pc.fill_null(ok, False)
    bad = pc.invert(ok)
    bad = pc.and_(present, bad) if not required else pc.or_(pc.invert(present), bad)
    assert len(bad) == n
    return typed, bad, pc.invert(present)


def _validate(
    table: pa.Table,
    schema: pa.Schema,
    rules: Sequence[tuple[str, str, bool]],
    what: str,
) -> tuple[pa.Table, pa.Table]:
    names = set(table.schema.names)
    missing = [name for name, _, required in rules if required and name not in names]
    if missing:
        shown = ", ".join(missing)
        raise AuditInputError(
            f"the {what} table has no column {shown} (缺少必需列)",
            path=f"{what}.{missing[0]}",
            zh=f"{what} 表缺少必需列：{shown}",
        )
    n = table.num_rows
    columns: list[pa.Array] = []
    bad_any = pa.array([False] * n, pa.bool_()) if n else pa.array([], pa.bool_())
    error_parts: list[pa.Table] = []
    rows = pa.array(range(n), pa.int64())
    for (name, kind, required), field in zip(rules, schema, strict=True):
        if name in names:
            col = table.column(name)
            raw = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        else:
            raw = pa.nulls(n, field.type)
        typed, bad, absent = _check(raw, kind, required)
        columns.append(pc.cast(typed, field.type))
        if n and pc.any(bad).as_py():
            where = pc.filter(rows, bad)
            missing = pc.filter(absent, bad)
            en, zh = _ROLES[kind]
            paths = pc.binary_join_element_wise(
                f"{what}[", pc.cast(where, pa.string()), f"].{name}", ""
            )
            error_parts.append(
                pa.table(
                    {
                        "row": where,
                        "field": paths,
                        "message": pc.if_else(missing, f"required: {en}", en),
                        "message_zh": pc.if_else(missing, f"必填：{zh}", zh),
                    },
                    schema=ERRORS_SCHEMA,
                )
            )
            bad_any = pc.or_(bad_any, bad)
    typed_table = pa.Table.from_arrays(columns, schema=schema)
    valid = typed_table.filter(pc.invert(bad_any)) if n else typed_table
    errors = (
        pa.concat_tables(error_parts).sort_by([("row", "ascending")])
        if error_parts
        else ERRORS_SCHEMA.empty_table()
    )
    return valid, errors


def validate_caseload(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Split *table* into the valid rows, typed as
    :data:`~civilaffairs.audit.CASELOAD_SCHEMA`, and the error rows
    (:data:`~civilaffairs.audit.ERRORS_SCHEMA`), one per bad field. Optional columns may be absent.

    Values may come as text (CSV, JSON Lines) or typed (Parquet); ``person_masked`` must not
    hold a whole ID (it is printed in findings).

    :raises AuditInputError: if a required column is missing.
    """
    return _validate(table, CASELOAD_SCHEMA, _CASELOAD_RULES, "caseload")


def validate_relatives(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Split a declared-relatives table into valid rows (:data:`RELATIVES_SCHEMA`) and
    error rows.

    :raises AuditInputError: if a column is missing.
    """
    rules = (("staff_id", "text", True), ("person_key", "key", True), ("relation", "text", True))
    return _validate(table, RELATIVES_SCHEMA, rules, "relatives")


def validate_matches(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Split an external-matches table into valid rows (:data:`MATCHES_SCHEMA`) and error
    rows. A whole resident ID written into ``detail`` is masked.

    :raises AuditInputError: if a column is missing.
    """
    rules = (("person_key", "key", True), ("kind", "program", True), ("detail", "text", True))
    valid, errors = _validate(table, MATCHES_SCHEMA, rules, "matches")
    return mask_column(valid, "detail"), errors


def mask_column(table: pa.Table, name: str) -> pa.Table:
    """*table* with every whole resident ID inside text column *name* masked, column-wise
    (the form of :func:`civilaffairs.ids.mask`: area code, stars, last four)."""
    col = table.column(name)
    if table.num_rows == 0 or not pc.any(pc.match_substring_regex(col, _WHOLE_ID)).as_py():
        return table
    masked = pc.replace_substring_regex(
        col, pattern=r"([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])", replacement=r"\1********\2"
    )
    return table.set_column(table.schema.get_field_index(name), table.schema.field(name), masked)


def coerce(table: Any, schema: pa.Schema) -> pa.Table:
    """*table* (a :class:`pyarrow.Table`, or a mapping of columns) with the columns of
    *schema*, in order and cast to its types (absent nullable columns become nulls)."""
    if not isinstance(table, pa.Table):
        table = pa.table(table)
    cols = []
    for field in schema:
        if field.name in table.schema.names:
            cols.append(pc.cast(table.column(field.name), field.type))
        else:
            cols.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(cols, schema=schema)
