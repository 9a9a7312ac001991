"""The Arrow input and output schemas of bulk assessment (批量认定的数据格式).

Input is two tables:

* **households** (:data:`HOUSEHOLDS_SCHEMA`): one row per household;
* **persons** (:data:`PERSONS_SCHEMA`): one row per member, grouped by household in the
  order of the households table.

Money is ``int64`` fen throughout. Enumerations are the lowercase JSON values of the
domain types (``Relation`` and so on). The reference page
``docs/reference/bulk.rst`` describes every column.

:func:`conform` casts a batch read from any source to these schemas: it adds optional
columns that are missing (``0`` for amounts and counts, null otherwise), adds the
``statuses`` fields that are missing (null: files written before ``term_months`` are read
as they were) and refuses a batch that lacks a required column or has a column of an
incompatible type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.errors import CivilAffairsError
from civilaffairs.programs.common import INCOME_KINDS

__all__ = [
    "CODED_COLUMNS",
    "ERRORS_SCHEMA",
    "HOUSEHOLDS_SCHEMA",
    "HOUSEHOLD_AMOUNTS",
    "INCOME_COLUMNS",
    "PERSONS_SCHEMA",
    "STATUS_TYPE",
    "BulkInputError",
    "BulkOutputError",
    "conform",
    "mask_identifiers",
    "output_schema",
]


class BulkInputError(CivilAffairsError):
    """A bulk input cannot be read at all (批量输入无法读取).

    Raised for problems that concern the whole input, not one household: a missing
    column, a column of the wrong type, persons out of the households' order. Problems
    with one household are reported as rows of the errors table instead.
    """

    code = "bulk_input_error"


class BulkOutputError(CivilAffairsError):
    """A bulk output cannot be written (批量结果无法写出).

    Raised for an ``out`` path that is one of the inputs or lies inside the input
    directory, a missing directory, a path that is not a regular file, or a write that
    fails (a full disk); nothing is left at the output paths.
    """

    code = "bulk_output_error"


#: Household-level amounts and counts, in fen or units, matching ``Frame.hh``.
HOUSEHOLD_AMOUNTS: dict[str, str] = {
    "deposits": "deposits and securities, fen (存款及有价证券)",
    "vehicles": "number of motor vehicles (机动车辆)",
    "real_estate": "number of real-estate properties (房产)",
    "businesses": "number of business registrations (工商登记)",
    "other_assets": "other assets, fen (其他财产)",
    "medical": "monthly medical expenses, fen (医疗支出)",
    "education": "monthly education expenses, fen (教育支出)",
}

#: The income columns of the persons table, one per income kind, in fen a month.
INCOME_COLUMNS: tuple[str, ...] = tuple(f"income_{k}" for k in INCOME_KINDS)

#: The type of the ``statuses`` column of the persons table: per status its ``kind``,
#: ``parent`` and ``since`` (start date), and ``term_months`` (the length of the sentence
#: or measure, ``parent_imprisoned`` only); every field but ``kind`` may be null.
STATUS_TYPE = pa.list_(
    pa.struct(
        [
            pa.field("kind", pa.string()),
            pa.field("parent", pa.string()),
            pa.field("since", pa.date32()),
            pa.field("term_months", pa.int32()),
        ]
    )
)
#: The fields of a status, in order.
_STATUS_FIELDS: tuple[str, ...] = tuple(f.name for f in STATUS_TYPE.value_type)

#: The households table: one row per household.
HOUSEHOLDS_SCHEMA = pa.schema(
    [
        pa.field("household_id", pa.string()),
        pa.field("region", pa.string()),
        pa.field("residence", pa.string()),
        *(pa.field(name, pa.int64()) for name in HOUSEHOLD_AMOUNTS),
    ]
)

#: The persons table: one row per member, grouped by household.
PERSONS_SCHEMA = pa.schema(
    [
        pa.field("household_id", pa.string()),
        pa.field("birth_date", pa.date32()),
        pa.field("died_on", pa.date32()),
        pa.field("sex", pa.string()),
        pa.field("relation", pa.string()),
        pa.field("disability_category", pa.string()),
        pa.field("disability_grade", pa.int32()),
        pa.field("self_care", pa.string()),
        pa.field("labour_capacity", pa.bool_()),
        pa.field("in_school", pa.string()),
        pa.field("employment", pa.string()),
        *(pa.field(name, pa.int64()) for name in INCOME_COLUMNS),
        pa.field("able_supporters", pa.int32()),
        pa.field("statuses", STATUS_TYPE),
    ]
)

#: The errors table: one row per household that could not be assessed.
ERRORS_SCHEMA = pa.schema(
    [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("household_id", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
    ]
)

_REQUIRED = {
    "households": ("household_id", "region", "residence"),
    "persons": ("household_id", "birth_date", "sex", "relation"),
}
#: Text columns holding codes from a short list (regions, enumerations): read from Parquet as
#: dictionaries and kept so, each distinct value looked up once.
CODED_COLUMNS = frozenset(
    {
        "region",
        "residence",
        "sex",
        "relation",
        "disability_category",
        "self_care",
        "in_school",
        "employment",
    }
)
_ZERO_DEFAULT = frozenset({*HOUSEHOLD_AMOUNTS, *INCOME_COLUMNS, "able_supporters"})


def output_schema(programs: Mapping[str, Any] | list[str]) -> pa.Schema:
    """The schema of the results table for *programs* (ids, in order).

    One row per assessed household: ``row`` (its row number in the households input),
    ``household_id``, ``region``, ``residence``, then per programme ``<id>_eligible``,
    ``<id>_amount_fen`` (int64), ``<id>_first_failed`` (the first failing condition id,
    null when eligible or skipped) and ``<id>_status`` (0 assessed, 1 skipped because the
    region has not published one of the programme's standards).
    """
    fields = [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("household_id", pa.string(), nullable=False),
        pa.field("region", pa.string(), nullable=False),
        pa.field("residence", pa.string(), nullable=False),
    ]
    for pid in programs:
        fields += [
            pa.field(f"{pid}_eligible", pa.bool_(), nullable=False),
            pa.field(f"{pid}_amount_fen", pa.int64(), nullable=False),
            pa.field(f"{pid}_first_failed", pa.string()),
            pa.field(f"{pid}_status", pa.int8(), nullable=False),
        ]
    return pa.schema(fields)


def _statuses_from_json(column: pa.Array, table: str) -> pa.Array:
    """Parse a text ``statuses`` column (CSV) holding a JSON list per row."""
    out: list[Any] = []
    for i, text in enumerate(column.to_pylist()):
        if text is None or text == "":
            out.append([])
            continue
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):
            raise BulkInputError(
                f"{table} row {i} of this chunk: statuses is not a JSON list", path="statuses"
            ) from None
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            raise BulkInputError(
                f"{table} row {i} of this chunk: statuses must be a JSON list of objects",
                path="statuses",
            )
        # every field as text (a kind of 5 is the unknown kind "5", an error row)
        out.append([{name: _text(x.get(name)) for name in _STATUS_FIELDS} for x in items])
    text = pa.list_(pa.struct([(name, pa.string()) for name in _STATUS_FIELDS]))
    parsed = pa.array(
        [
            [{**s, "since": _text(s["since"]), "term_months": _text(s["term_months"])} for s in row]
            for row in out
        ],
        type=text,
    )
    try:
        return parsed.cast(STATUS_TYPE)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise BulkInputError(
            f"{table}: statuses has a bad 'since' date or 'term_months' ({exc})"
        ) from None


def _text(value: Any) -> str | None:
    """A JSON value of a status as the text Arrow casts from (``None`` stays null; a
    true/false is kept as such, so that it fails the cast to a number)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        # not a scalar: kept as its JSON text, so that the household is an error row
        # naming it (an unknown kind) or the cast of a date or term fails clearly
        dumped = json.dumps(value, ensure_ascii=False)
        return dumped if len(dumped) <= 60 else dumped[:57] + "..."
    return str(value)


def _status_fields(col: pa.Array) -> pa.Array:
    """A list-of-struct ``statuses`` column with the fields of :data:`STATUS_TYPE` it lacks
    added as nulls (a file written before a field existed); other columns as they are."""
    if not isinstance(col, pa.ListArray | pa.LargeListArray):
        return col
    value_type = col.type.value_type
    if not pa.types.is_struct(value_type):
        return col
    have = {value_type.field(i).name for i in range(value_type.num_fields)}
    missing = [f for f in STATUS_TYPE.value_type if f.name not in have]
    if not missing:
        return col
    values = col.values
    children = [values.field(i) for i in range(value_type.num_fields)]
    children += [pa.nulls(len(values), f.type) for f in missing]
    fields = [value_type.field(i) for i in range(value_type.num_fields)] + missing
    mask = values.is_null() if values.null_count else None
    items = pa.StructArray.from_arrays(children, fields=fields, mask=mask)
    list_mask = col.is_null() if col.null_count else None
    return type(col).from_arrays(col.offsets, items, mask=list_mask)


def conform(batch: pa.RecordBatch | pa.Table, table: str, *, add_missing: bool = True) -> pa.Table:
    """Cast *batch* to the schema of *table* (``"households"`` or ``"persons"``).

    Extra columns are dropped; optional columns that are missing are added (``0`` for
    amounts and counts, null otherwise), unless *add_missing* is false: they are then left
    out (the bulk reader holds them as constants, without a column). Text columns of
    codes read as dictionaries (:data:`CODED_COLUMNS`) are kept as dictionaries.

    :raises BulkInputError: for a missing required column or a column that cannot be cast.
    """
    schema = HOUSEHOLDS_SCHEMA if table == "households" else PERSONS_SCHEMA
    names = set(batch.schema.names)
    missing = [c for c in _REQUIRED[table] if c not in names]
    if missing:
        raise BulkInputError(
            f"the {table} table has no column {', '.join(repr(c) for c in missing)} (缺少必填列)",
            path=missing[0],
        )
    n = batch.num_rows
    columns: list[pa.Array | pa.ChunkedArray] = []
    fields: list[pa.Field] = []
    for field in schema:
        if field.name not in names:
            if not add_missing:
                continue
            if field.name in _ZERO_DEFAULT:
                columns.append(pa.array(np.zeros(n, dtype=field.type.to_pandas_dtype())))
            else:
                columns.append(pa.nulls(n, type=field.type))
            fields.append(field)
            continue
        col = batch.column(field.name)
        if field.name in CODED_COLUMNS and _coded_text(col.type, field.type):
            # enumerations and region codes read as dictionaries stay coded (no decoding)
            columns.append(col)
            fields.append(field.with_type(col.type))
            continue
        if field.name == "statuses" and pa.types.is_string(col.type):
            col = _statuses_from_json(pa.concat_arrays(_chunks(col)) if n else col, table)
        elif field.name == "statuses" and col.type != field.type:
            chunks = [_status_fields(c) for c in _chunks(col)]
            col = pa.chunked_array(chunks, chunks[0].type) if chunks else col
        if col.type != field.type:
            try:
                col = pc.cast(col, field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
                raise BulkInputError(
                    f"the {table} column {field.name!r} has type {col.type}, which cannot be "
                    f"read as {field.type}: {str(exc).splitlines()[0]}",
                    path=field.name,
                ) from None
        columns.append(col)
        fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _coded_text(have: pa.DataType, want: pa.DataType) -> bool:
    """Whether a column of type *have* is a dictionary of text kept as it is for a text
    column of type *want*."""
    return bool(
        pa.types.is_string(want)
        and pa.types.is_dictionary(have)
        and pa.types.is_string(have.value_type)
    )


def _chunks(col: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    if isinstance(col, pa.ChunkedArray):
        return list(col.chunks)
    return [col]


#: What a resident ID may look like inside a household id: 15 to 18 digits (possibly ending in
#: X), written whole or with spaces or hyphens between groups.
_ID_LIKE = r"\d{6}[\s\-]?\d{4}[\s\-]?\d{4}[\s\-]?\d{3}[\dXx]|\d{15}"


def mask_identifiers(table: pa.Table) -> pa.Table:
    """*table* with every resident ID inside its ``household_id`` column masked (the one
    masking routine, :func:`civilaffairs.ids.mask_text`, applied only to the rows that may hold
    one): bulk outputs never carry an ID whole."""
    import pyarrow.compute as pc

    from civilaffairs.ids import mask_text

    if "household_id" not in table.schema.names or table.num_rows == 0:
        return table
    ids = table.column("household_id").combine_chunks()
    longest = pc.max(pc.utf8_length(ids)).as_py()
    if longest is None or longest < 15:  # too short to hold a resident ID: no search
        return table
    hits = pc.match_substring_regex(ids, _ID_LIKE)
    if not pc.any(hits).as_py():
        return table
    values = ids.to_pylist()
    for i, hit in enumerate(hits.to_pylist()):
        if hit and values[i] is not None:
            values[i] = mask_text(values[i])
    field = table.schema.field("household_id")
    return table.set_column(
        table.schema.get_field_index("household_id"), field, pa.array(values, field.type)
    )
