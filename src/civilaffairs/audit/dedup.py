"""The deduplication report (重复享受清单): people paid in two households or two counties in
one month, one row per person and month.

It never shows a whole resident ID: a person appears by the first characters of the
pseudonym (enough to find the rows again in the caseload, useless without the key) and by
the masked ID.

>>> import pyarrow as pa
>>> from civilaffairs.audit import duplicates
>>> k = "ab" * 32
>>> caseload = pa.table({"month": ["2024-08", "2024-08"], "household_id": ["H1", "H2"],
...     "region": ["110105", "110106"], "person_key": [k, k],
...     "person_masked": ["110105********002X"] * 2, "program": ["dibao", "dibao"],
...     "paid_fen": [50000, 40000]})
>>> row = duplicates(caseload).to_pylist()[0]
>>> row["person"], row["households"], row["regions"]
('abababababab', ['H1', 'H2'], ['110105', '110106'])
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.audit.schema import AuditInputError, mask_column, validate_caseload

__all__ = ["DUPLICATES_SCHEMA", "PREFIX", "duplicates"]

#: Characters of the pseudonym shown.
PREFIX = 12

#: The report's columns.
DUPLICATES_SCHEMA = pa.schema(
    [
        pa.field("month", pa.string(), nullable=False),
        pa.field("person", pa.string(), nullable=False),
        pa.field("person_masked", pa.string(), nullable=False),
        pa.field("households", pa.list_(pa.string()), nullable=False),
        pa.field("regions", pa.list_(pa.string()), nullable=False),
        pa.field("programs", pa.list_(pa.string()), nullable=False),
        pa.field("paid_fen", pa.int64(), nullable=False),
    ]
)


def duplicates(caseload: Any, *, month: str | None = None) -> pa.Table:
    """People in more than one household, or more than one county, in the same month.

    :param caseload: a caseload table (:data:`~civilaffairs.audit.CASELOAD_SCHEMA`); rows
        that do not validate are left out.
    :param month: only this month (``YYYY-MM``).
    :returns: :data:`~civilaffairs.audit.DUPLICATES_SCHEMA` rows sorted by month and
        person: the pseudonym prefix, the masked ID, the households, counties and
        programmes (sorted), and the total paid to the households that month for those rows (fen).
    """
    table = caseload if isinstance(caseload, pa.Table) else pa.table(caseload)
    valid, _ = validate_caseload(table)
    if month is not None:
        valid = valid.filter(pc.equal(valid.column("month"), month))
    if valid.num_rows == 0:
        return DUPLICATES_SCHEMA.empty_table()
    g = valid.group_by(["month", "person_key"], use_threads=False).aggregate(
        [
            ("household_id", "distinct"),
            ("region", "distinct"),
            ("program", "distinct"),
            ("person_masked", "min"),
            ("paid_fen", "sum"),
        ]
    )
    many = pc.or_(
        pc.greater(pc.list_value_length(g["household_id_distinct"]), 1),
        pc.greater(pc.list_value_length(g["region_distinct"]), 1),
    )
    g = g.filter(many)
    if g.num_rows == 0:
        return DUPLICATES_SCHEMA.empty_table()

    def sorted_lists(col: pa.ChunkedArray) -> pa.Array:
        lists = col.combine_chunks()
        flat = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists)
        order = pc.sort_indices(
            pa.table({"p": parent, "v": flat}), sort_keys=[("p", "ascending"), ("v", "ascending")]
        )
        return pa.ListArray.from_arrays(lists.offsets, pc.take(flat, order))

    out = pa.table(
        {
            "month": g["month"],
            "person": pc.utf8_slice_codeunits(g["person_key"], 0, PREFIX),
            "person_masked": g["person_masked_min"],
            "households": sorted_lists(g["household_id_distinct"]),
            "regions": sorted_lists(g["region_distinct"]),
            "programs": sorted_lists(g["program_distinct"]),
            "paid_fen": g["paid_fen_sum"],
        }
    ).sort_by([("month", "ascending"), ("person", "ascending")])
    out = mask_column(out, "person_masked")
    try:
        return out.cast(DUPLICATES_SCHEMA)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:  # pragma: no cover - schema drift
        raise AuditInputError(str(exc)) from None
