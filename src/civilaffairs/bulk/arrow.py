"""Arrow tables to rule inputs (Arrow 表到规则输入), and domain objects to Arrow tables.

:func:`frame_from_arrow` reads and checks Arrow tables with numpy and ``pyarrow.compute``
only, into the raw columns of :class:`~civilaffairs.engine.frame.RawInputs` (dates as day
numbers, enumeration codes, one row per status, amounts and incomes as recorded), then
builds the frame with :func:`civilaffairs.engine.frame.derive`, the function
:meth:`Frame.from_households <civilaffairs.engine.frame.Frame.from_households>` ends with
too: ages, alive flags, status bit masks (own, father, mother, the six-month and the
six-month-term variants), household sizes and the other derived columns are computed
there and nowhere else. This module only reads and checks. A household whose row is bad
(an unknown region, a negative income, an unknown code, a disability grade out of range,
a status term out of range or on a status other than ``parent_imprisoned``, no member,
...) is left out of the frame (:meth:`RawInputs.take
<civilaffairs.engine.frame.RawInputs.take>`, before deriving) and reported in the errors
table with its row number and the reason; every other household is assessed, so
``households in = households assessed + error rows``.

:func:`households_to_arrow` goes the other way, from
``Household`` objects to the two input tables.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.schema import (
    ERRORS_SCHEMA,
    HOUSEHOLDS_SCHEMA,
    INCOME_COLUMNS,
    PERSONS_SCHEMA,
    BulkInputError,
    conform,
)
from civilaffairs.domain import MAX_TERM_MONTHS, Relation
from civilaffairs.engine import bounds as _bounds
from civilaffairs.engine.frame import (
    ALWAYS,
    AMOUNT_FIELDS,
    ENUM_CODES,
    NO_DEATH,
    PARENT_VALUES,
    RAW_PERSON_FIELDS,
    Frame,
    RawInputs,
    code_of,
    constant,
    day_number,
    derive,
    household_amounts,
    is_constant,
    person_values,
)
from civilaffairs.periods import Month

__all__ = ["ArrowFrame", "frame_from_arrow", "households_to_arrow"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Most members a household may have (as :data:`civilaffairs.domain.MAX_MEMBERS`).
MAX_MEMBERS = 100
#: Largest amount a money column may hold, in fen: the items of one kind a person or a
#: household may record, each at most :data:`civilaffairs.engine.bounds.MAX_ITEM_FEN`. The
#: engine's proof that bulk arithmetic stays inside int64 starts from this bound.
MAX_COLUMN_FEN = _bounds.MAX_ITEMS * _bounds.MAX_ITEM_FEN
_EARLIEST_BIRTH = day_number(_dt.date(1850, 1, 1))
#: The relation code of the head of household.
_HEAD = code_of(Relation.HEAD)
#: Fill value of a missing birth date (the row is then reported and left out).
_NO_BIRTH = np.iinfo(np.int32).min
#: The raw person columns coded from enumerations, by column of the persons table.
_CODED = {
    "sex": "sex",
    "relation": "relation",
    "disability_category": "dis_cat",
    "self_care": "self_care",
    "in_school": "school",
    "employment": "employment",
}


class ArrowFrame(NamedTuple):
    """What :func:`frame_from_arrow` returns."""

    #: Rule inputs of the households that can be assessed.
    frame: Frame
    #: One row per household left out: ``row``, ``household_id``, ``reason``.
    errors: pa.Table
    #: Row number (in the households input) of each household of :attr:`frame`.
    rows: IntArray


@cache
def _enum_values() -> dict[str, tuple[str, ...]]:
    """The values of each coded column, in code order (code = position + 1)."""
    from civilaffairs.domain import Residence, StatusKind

    values = {col: tuple(m.value for m in ENUM_CODES[raw]) for col, raw in _CODED.items()}
    values["residence"] = tuple(m.value for m in Residence)
    values["status"] = tuple(m.value for m in StatusKind)
    values["parent_kinds"] = tuple(m.value for m in StatusKind if m.concerns_parent)
    values["term_kinds"] = (StatusKind.PARENT_IMPRISONED.value,)
    return values


@cache
def region_problem(code: str) -> str | None:
    """Why *code* cannot be a household's region (county-level GB/T 2260), or ``None``."""
    from civilaffairs import regions

    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return "is not a 6-digit division code"
    if code == regions.NATIONAL_CODE or not regions.exists(code):
        return "is not a GB/T 2260 division code"
    if regions.get(code).level is not regions.Level.COUNTY:
        return "is not a county-level division code"
    return None


def _np(col: Any, fill: int = 0) -> IntArray:
    """An integer Arrow column as int64 numpy, nulls as *fill* (no copy for an int64
    column without nulls)."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if col.null_count:
        col = pc.fill_null(col, fill)
    arr: IntArray = col.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return arr


def _days(col: Any, fill: int) -> IntArray:
    """A date32 column as days since 1970-01-01, nulls as *fill*."""
    return _np(pc.cast(col, pa.int32()), fill)


def _codes(col: Any, values: tuple[str, ...]) -> tuple[IntArray, BoolArray | None]:
    """Enumeration codes (position + 1; 0 for null) and a mask of unknown values (``None``
    when there is none).

    A dictionary column (Parquet read with dictionaries, pandas categoricals) is coded
    through its dictionary: the values are looked up once, the rows are a ``take``."""
    codes, unknown = _coded(col, values)
    if not unknown.any():
        return codes, None
    return codes, unknown


def _coded(col: Any, values: tuple[str, ...]) -> tuple[IntArray, BoolArray]:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if col.null_count == len(col):
        return np.zeros(len(col), dtype=np.int64), np.zeros(len(col), dtype=bool)
    if pa.types.is_dictionary(col.type):
        table = _np(pc.index_in(col.dictionary, value_set=pa.array(values, pa.string())), -1) + 1
        indices = col.indices
        valid = None
        if indices.null_count:
            valid = np.asarray(pc.is_valid(indices).to_numpy(zero_copy_only=False), dtype=bool)
            indices = pc.fill_null(indices, 0)
        idx = indices.to_numpy(zero_copy_only=False)
        codes = table[idx] if table.size else np.zeros(len(idx), np.int64)
        if valid is None:
            return codes, codes == 0
        codes = np.where(valid, codes, 0)
        return codes, valid & (codes == 0)
    idx = pc.index_in(col, value_set=pa.array(values, pa.string()))
    codes = _np(idx, -1) + 1
    if not col.null_count:
        return codes, codes == 0
    valid = np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), dtype=bool)
    return codes, valid & (codes == 0)


class _Reasons:
    """First reason per household row, filled check by check."""

    def __init__(self, n: int) -> None:
        self.reason: dict[int, str] = {}
        self.bad = np.zeros(n, dtype=bool)

    def add(self, mask: BoolArray | None, describe: Any) -> None:
        """Give the rows where *mask* holds (``None``: no row) their reason, unless an
        earlier check gave them one."""
        if mask is None:
            return
        new = np.flatnonzero(mask & ~self.bad)
        for i in new.tolist():
            self.reason[i] = describe(i)
        self.bad[new] = True


def _column(table: pa.Table, name: str, default: int) -> IntArray:
    """An integer column as int64 (nulls as *default*), or a :func:`constant` of *default*
    if *table* has no such column."""
    if name not in table.schema.names:
        return constant(default, table.num_rows)
    return _np(table.column(name), default)


def _low(arr: IntArray) -> int:
    return int(arr[0]) if is_constant(arr) else int(arr.min())


def _high(arr: IntArray) -> int:
    return int(arr[0]) if is_constant(arr) else int(arr.max())


def _below(arr: IntArray, low: int) -> BoolArray | None:
    """Where *arr* is below *low* (``None`` when nowhere: one pass, no mask)."""
    if not arr.size or _low(arr) >= low:
        return None
    out: BoolArray = arr < low
    return out


def _above(arr: IntArray, high: int) -> BoolArray | None:
    """Where *arr* is above *high* (``None`` when nowhere)."""
    if not arr.size or _high(arr) <= high:
        return None
    out: BoolArray = arr > high
    return out


def _first_person(
    mask: BoolArray | None, person_hh: IntArray, starts: IntArray
) -> tuple[BoolArray | None, IntArray]:
    """Households with a flagged person (``None``: none), and the index of the first such
    person of each."""
    flagged = np.flatnonzero(mask) if mask is not None else np.zeros(0, np.int64)
    if not flagged.size:
        return None, starts
    n = starts.size
    first = np.full(n, -1, dtype=np.int64)
    hh_mask = np.zeros(n, dtype=bool)
    hh = person_hh[flagged]
    uniq, where = np.unique(hh, return_index=True)
    first[uniq] = flagged[where]
    hh_mask[uniq] = True
    return hh_mask, first


def _person_map(
    hids: pa.Array, pids: pa.Array, person_first_row: int
) -> tuple[IntArray, IntArray, IntArray]:
    """``person_hh`` (household index of each person), member counts and first persons.

    :raises BulkInputError: naming the persons row where the grouping breaks.
    """
    k = len(hids)
    m = len(pids)
    if m == 0:
        return np.zeros(0, np.int64), np.zeros(k, np.int64), np.zeros(k, np.int64)
    if pids.null_count:
        row = int(np.flatnonzero(~pc.is_valid(pids).to_numpy(zero_copy_only=False))[0])
        raise BulkInputError(
            f"persons row {person_first_row + row} has no household_id", path="household_id"
        )
    changed = np.asarray(pc.not_equal(pids[1:], pids[:-1]).to_numpy(zero_copy_only=False), bool)
    starts = np.concatenate(([0], np.flatnonzero(changed) + 1)).astype(np.int64)
    run_ids = pc.take(pids, pa.array(starts))
    lengths = np.diff(np.append(starts, m))
    if starts.size == k and not hids.null_count and pc.all(pc.equal(run_ids, hids)).as_py():
        # persons grouped in the households' order, every household with members: by position
        return np.repeat(np.arange(k, dtype=np.int64), lengths), lengths, starts
    pos_arr = pc.index_in(run_ids, value_set=hids)
    pos = _np(pos_arr, -1)
    if (pos < 0).any():
        j = int(np.flatnonzero(pos < 0)[0])
        raise BulkInputError(
            f"persons row {person_first_row + int(starts[j])} names household "
            f"{_scrub(run_ids[j].as_py())!r}, which is not among the households read with it: "
            "persons must be grouped by household, in the order of the households table "
            "(成员须按家庭表顺序分组)",
            path="household_id",
        )
    back = np.flatnonzero(np.diff(pos) <= 0)
    if back.size:
        j = int(back[0]) + 1
        raise BulkInputError(
            f"persons row {person_first_row + int(starts[j])} (household "
            f"{_scrub(run_ids[j].as_py())!r}) is out of order: persons must be grouped by "
            "household, in the order of the households table (成员须按家庭表顺序分组)",
            path="household_id",
        )
    person_hh = np.repeat(pos, lengths)
    counts = np.zeros(k, dtype=np.int64)
    counts[pos] = lengths
    first = np.zeros(k, dtype=np.int64)
    first[pos] = starts
    return person_hh, counts, first


def _scrub(text: Any) -> str:
    from civilaffairs.domain._privacy import scrub

    return scrub(str(text))


def frame_from_arrow(
    households: pa.RecordBatch | pa.Table,
    persons: pa.RecordBatch | pa.Table,
    month: Month | str,
    *,
    first_row: int = 0,
    person_first_row: int = 0,
    check_duplicates: bool = True,
    members: np.ndarray | None = None,
) -> ArrowFrame:
    """Rule inputs for the households of *households* and their members in *persons*.

    :param households: a batch of the households table
        (:data:`~civilaffairs.bulk.schema.HOUSEHOLDS_SCHEMA`).
    :param persons: the members of exactly those households, grouped by household in
        the same order (:data:`~civilaffairs.bulk.schema.PERSONS_SCHEMA`).
    :param month: the month assessed; ages and statuses are taken on its first day.
    :param first_row: row number of the first household (for the errors table and
        :attr:`ArrowFrame.rows`).
    :param person_first_row: row number of the first person (for error messages).
    :param check_duplicates: report every row of a household id that occurs more than
        once in *households*; a caller that has taken out the ids duplicated anywhere in
        the whole input (:func:`civilaffairs.bulk.run.frame_chunk`) passes ``False``.
    :param members: the number of members of each household, when the caller has split
        the persons off by position and so checked the grouping
        (:attr:`Chunk.members <civilaffairs.bulk.sources.Chunk.members>`); the ids are
        then not compared again.
    :raises BulkInputError: if a column is missing or of the wrong type, or the persons
        are not grouped in the households' order (the message names the persons row).
    """
    month = Month.parse(month)
    # optional columns the input does not have are constants, held without a column
    hh = conform(households, "households", add_missing=False).combine_chunks()
    # persons column by column (each made contiguous where it is read), not the whole table
    pp = conform(persons, "persons", add_missing=False)
    k = hh.num_rows
    values = _enum_values()
    hids = hh.column("household_id").chunk(0) if k else pa.array([], pa.string())
    if members is not None and len(members) == k and int(np.sum(members)) == pp.num_rows:
        counts = np.asarray(members, dtype=np.int64)
        first_person = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        person_hh = np.repeat(np.arange(k, dtype=np.int64), counts)
    else:
        pid_col = pp.column("household_id")
        pids = pid_col.combine_chunks() if pp.num_rows else pa.array([], pa.string())
        person_hh, counts, first_person = _person_map(hids, pids, person_first_row)
    reasons = _Reasons(k)

    # -- household rows ---------------------------------------------------------------
    # Each check costs one pass over its column when it finds nothing (a minimum or a
    # maximum); the masks and the reasons are built only where something is wrong.
    lengths = pc.utf8_length(hids)
    if hids.null_count or (k and pc.min(lengths).as_py() == 0):
        id_ok = np.asarray(
            pc.fill_null(pc.greater(lengths, 0), False).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
        reasons.add(~id_ok, lambda i: "household_id is missing (缺少家庭编号)")
    if check_duplicates:
        dup = _duplicates(hids)
        reasons.add(
            dup if dup.any() else None,
            lambda i: "household_id appears more than once in the input (家庭编号重复)",
        )
    region_codes, bad_region, region_reason = _regions(hh.column("region"))
    reasons.add(bad_region if bad_region.any() else None, region_reason)
    res_codes, _ = _codes(hh.column("residence"), values["residence"])
    res_list = hh.column("residence")
    reasons.add(
        _below(res_codes, 1),
        lambda i: (
            f"residence must be urban or rural, got {_scrub(res_list[i].as_py())!r} "
            "(城乡属性应为 urban 或 rural)"
        ),
    )
    amounts = {name: _column(hh, name, 0) for name in AMOUNT_FIELDS}
    for name, arr in amounts.items():
        reasons.add(
            _below(arr, 0),
            lambda i, name=name, arr=arr: f"{name} is negative ({int(arr[i])}) (不能为负数)",
        )
        reasons.add(
            _above(arr, MAX_COLUMN_FEN),
            lambda i, name=name: (
                f"{name} is above the largest amount accepted, {MAX_COLUMN_FEN} fen (金额超出上限)"
            ),
        )
    reasons.add(
        _below(counts, 1), lambda i: "the household has no members in the persons table (无成员)"
    )
    reasons.add(
        _above(counts, MAX_MEMBERS),
        lambda i: f"the household has {int(counts[i])} members, more than {MAX_MEMBERS} (成员过多)",
    )

    # -- person rows --------------------------------------------------------------------
    m = pp.num_rows
    raw_pp: dict[str, IntArray] = {
        "birth": _days(pp.column("birth_date"), _NO_BIRTH),
        "died": (
            _days(pp.column("died_on"), NO_DEATH)
            if "died_on" in pp.schema.names
            else constant(NO_DEATH, m)
        ),
    }
    unknown: dict[str, BoolArray | None] = {}
    for col, name in _CODED.items():
        if col in pp.schema.names:
            raw_pp[name], unknown[col] = _codes(pp.column(col), values[col])
        else:
            raw_pp[name], unknown[col] = constant(0, m), None
    raw_pp["dis_grade"] = grade = _column(pp, "disability_grade", 0)
    raw_pp["labour"] = (
        _np(pc.cast(pp.column("labour_capacity"), pa.int64()), -1)
        if "labour_capacity" in pp.schema.names
        else constant(-1, m)
    )
    raw_pp["able_supporters"] = able = _column(pp, "able_supporters", 0)
    incomes = {col: _column(pp, col, 0) for col in INCOME_COLUMNS}
    for col, name in zip(INCOME_COLUMNS, RAW_PERSON_FIELDS[-len(INCOME_COLUMNS) :], strict=True):
        raw_pp[name] = incomes[col]
    birth, died, sex, relation, dis_cat = (
        raw_pp[name] for name in ("birth", "died", "sex", "relation", "dis_cat")
    )
    heads = np.bincount(person_hh[relation == _HEAD], minlength=k).astype(np.int64)

    def member(i: int, p: IntArray) -> str:
        return f"member {int(p[i] - first_person[i]) + 1}"

    early = _below(birth, _EARLIEST_BIRTH)  # a missing birth date is the smallest number
    late_death = birth.size and _low(died) >= _high(birth)
    person_checks: list[tuple[BoolArray | None, Any]] = [
        (
            None if early is None else birth == _NO_BIRTH,
            lambda i, p: f"{member(i, p)}: birth_date is missing",
        ),
        (
            None if early is None else early & (birth != _NO_BIRTH),
            lambda i, p: f"{member(i, p)}: birth_date is before 1850-01-01",
        ),
        (
            None if late_death else died < birth,
            lambda i, p: f"{member(i, p)}: died_on is before the birth date",
        ),
        (
            _below(sex, 1),
            lambda i, p: (
                f"{member(i, p)}: sex must be male or female, got "
                f"{_scrub(pp.column('sex')[int(p[i])].as_py())!r}"
            ),
        ),
        (
            _below(relation, 1),
            lambda i, p: (
                f"{member(i, p)}: unknown relation "
                f"{_scrub(pp.column('relation')[int(p[i])].as_py())!r}"
            ),
        ),
    ]
    for name in ("disability_category", "self_care", "in_school", "employment"):
        person_checks.append(
            (
                unknown[name],
                lambda i, p, name=name: (
                    f"{member(i, p)}: unknown {name} {_scrub(pp.column(name)[int(p[i])].as_py())!r}"
                ),
            )
        )
    graded = grade.size and (_low(grade) < 0 or _high(grade) > 0)
    unpaired = graded or (dis_cat.size and _high(dis_cat) > 0)
    unknown_cat = unknown["disability_category"]
    person_checks += [
        (
            (grade != 0) & ((grade < 1) | (grade > 4))
            if grade.size and (_low(grade) < 0 or _high(grade) > 4)
            else None,
            lambda i, p: (
                f"{member(i, p)}: disability_grade {int(grade[int(p[i])])} is out of "
                "range 1-4 (残疾等级应为1至4级)"
            ),
        ),
        (
            (grade != 0) & (dis_cat == 0) & (True if unknown_cat is None else ~unknown_cat)
            if unpaired
            else None,
            lambda i, p: f"{member(i, p)}: disability_grade without disability_category",
        ),
        (
            (grade == 0) & (dis_cat != 0) if unpaired else None,
            lambda i, p: f"{member(i, p)}: disability_category without disability_grade",
        ),
    ]
    for name, arr in incomes.items():
        person_checks.append(
            (
                _below(arr, 0),
                lambda i, p, name=name, arr=arr: (
                    f"{member(i, p)}: {name} is negative "
                    f"({int(arr[int(p[i])])} fen) (收入不能为负数)"
                ),
            )
        )
        person_checks.append(
            (
                _above(arr, MAX_COLUMN_FEN),
                lambda i, p, name=name: (
                    f"{member(i, p)}: {name} is above the largest amount accepted, "
                    f"{MAX_COLUMN_FEN} fen (金额超出上限)"
                ),
            )
        )
    person_checks.append(
        (_below(able, 0), lambda i, p: f"{member(i, p)}: able_supporters is negative")
    )
    statuses, bad_status, status_reason = _statuses(
        pp.column("statuses") if "statuses" in pp.schema.names else None, pp.num_rows
    )
    person_checks.append(
        (
            bad_status if status_reason else None,
            lambda i, p: f"{member(i, p)}: {status_reason[int(p[i])]}",
        )
    )
    for mask, describe in person_checks:
        hh_mask, first = _first_person(mask, person_hh, first_person)
        reasons.add(hh_mask, lambda i, describe=describe, first=first: describe(i, first))
    reasons.add(_below(heads, 1), lambda i: "no member is the head of household (缺少户主)")
    reasons.add(
        _above(heads, 1),
        lambda i: f"{int(heads[i])} members are the head of household (户主只能有一人)",
    )

    # -- the frame of the good rows -------------------------------------------------------
    raw = RawInputs(
        household_ids=hids,
        region_codes=region_codes,
        residence=res_codes,
        amounts=amounts,
        person_hh=person_hh,
        persons={name: raw_pp[name] for name in RAW_PERSON_FIELDS},
        status_person=statuses[0],
        status_kind=statuses[1],
        status_parent=statuses[2],
        status_since=statuses[3],
        status_term=statuses[4],
    )
    keep = ~reasons.bad
    if not keep.all():
        raw = raw.take(keep)
    frame = derive(raw, month)
    bad_rows = np.flatnonzero(reasons.bad)
    errors = pa.table(
        {
            "row": pa.array(bad_rows + first_row, pa.int64()),
            "household_id": pc.take(hids, pa.array(bad_rows)) if k else pa.array([], pa.string()),
            "reason": pa.array([reasons.reason[i] for i in bad_rows.tolist()], pa.string()),
        },
        schema=ERRORS_SCHEMA,
    )
    return ArrowFrame(frame, errors, np.flatnonzero(keep).astype(np.int64) + first_row)


def _regions(col: Any) -> tuple[IntArray, BoolArray, Any]:
    """County codes as integers (0 where bad), the rows whose region is bad and a function
    giving why; each distinct code is checked once (through the column's dictionary)."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    enc = col if pa.types.is_dictionary(col.type) else pc.dictionary_encode(col)
    names: list[str | None] = enc.dictionary.to_pylist()
    problems = [region_problem(c) if c is not None else "is missing" for c in names]
    bad_value = np.array([p is not None for p in problems] + [True], dtype=bool)
    codes = np.array(
        [int(c) if p is None and c is not None else 0 for c, p in zip(names, problems, strict=True)]
        + [0],
        dtype=np.int64,
    )
    index = _np(enc.indices, len(names))  # null: the extra slot, a missing region
    bad = bad_value[index]

    def reason(i: int) -> str:
        j = int(index[i])
        name = names[j] if j < len(names) else None
        if name is None:
            return "region is missing (缺少行政区划代码)"
        return f"region {_scrub(name)!r} {problems[j]} (行政区划代码无效)"

    return np.where(bad, 0, codes[index]), bad, reason


def _duplicates(ids: pa.Array) -> BoolArray:
    """Rows whose household_id occurs more than once (every occurrence)."""
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=bool)
    enc = pc.dictionary_encode(ids).indices
    idx = _np(enc, -1)
    valid = idx >= 0
    counts = np.bincount(idx[valid], minlength=int(idx.max()) + 1 if valid.any() else 0)
    out = np.zeros(n, dtype=bool)
    out[valid] = counts[idx[valid]] > 1
    return out


def _statuses(
    col: Any, m: int
) -> tuple[tuple[IntArray, IntArray, IntArray, IntArray, IntArray], BoolArray, dict[int, str]]:
    """The status rows of :class:`~civilaffairs.engine.frame.RawInputs` (person, kind code,
    parent code, since, term) of the ``m`` persons, which persons have a bad status, and
    why."""
    values = _enum_values()
    bad = np.zeros(m, dtype=bool)
    reason: dict[int, str] = {}
    if isinstance(col, pa.ChunkedArray):  # parent indices count from the start of the column
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    flat = pc.list_flatten(col) if m and col is not None else []
    if len(flat) == 0:
        empty = np.zeros(0, np.int64)
        return (empty, empty, empty, empty, empty), bad, reason
    parents = _np(pc.list_parent_indices(col))
    kinds = pc.struct_field(flat, "kind")
    parent = pc.struct_field(flat, "parent")
    since = _days(pc.struct_field(flat, "since"), ALWAYS)
    term_col = pc.struct_field(flat, "term_months")
    term = _np(term_col)  # 0 where not recorded
    has_term = np.asarray(pc.is_valid(term_col).to_numpy(zero_copy_only=False), dtype=bool)
    kind_code, bad_kind = _coded(kinds, values["status"])
    bad_kind |= kind_code == 0
    parent_code, bad_parent = _coded(parent, PARENT_VALUES)
    parent_kind, _ = _coded(kinds, values["parent_kinds"])
    term_kind, _ = _coded(kinds, values["term_kinds"])
    misplaced = (parent_code != 0) & (parent_kind == 0) & ~bad_kind
    bad_term = has_term & ((term < 1) | (term > MAX_TERM_MONTHS))
    misplaced_term = has_term & ~bad_term & (term_kind == 0) & ~bad_kind
    problem = bad_kind | bad_parent | misplaced | bad_term | misplaced_term
    for j in np.flatnonzero(problem).tolist():
        p = int(parents[j])
        if p in reason:
            continue
        if bad_kind[j]:
            reason[p] = f"unknown status kind {_scrub(kinds[j].as_py())!r}"
        elif bad_parent[j]:
            reason[p] = f"status parent must be father or mother, got {_scrub(parent[j].as_py())!r}"
        elif misplaced[j]:
            reason[p] = f"only a parent_* status names a parent, not {kinds[j].as_py()}"
        elif bad_term[j]:
            reason[p] = (
                f"status term_months {int(term[j])} is not between 1 and {MAX_TERM_MONTHS} "
                f"(期限应在1至{MAX_TERM_MONTHS}个月之间)"
            )
        else:
            reason[p] = (
                f"only a parent_imprisoned status has a term, not {kinds[j].as_py()} "
                "(仅服刑在押、强制隔离戒毒等情形可填写期限)"
            )
        bad[p] = True
    return (parents, kind_code, parent_code, since, term), bad, reason


# -- domain objects to Arrow ----------------------------------------------------------


def households_to_arrow(households: Sequence[Any]) -> tuple[pa.Table, pa.Table]:
    """The households and persons tables of *households* (domain ``Household`` objects).

    Assets and expenses are summed into the household columns the rules read
    (deposits = deposits + securities, and so on:
    :func:`~civilaffairs.engine.frame.household_amounts`); incomes are summed by kind and
    each person's supporters become the count of those able to support
    (:func:`~civilaffairs.engine.frame.person_values`).
    """
    hh: dict[str, list[Any]] = {name: [] for name in HOUSEHOLDS_SCHEMA.names}
    pp: dict[str, list[Any]] = {name: [] for name in PERSONS_SCHEMA.names}
    able = RAW_PERSON_FIELDS.index("able_supporters")
    first_income = len(RAW_PERSON_FIELDS) - len(INCOME_COLUMNS)
    for h in households:
        hh["household_id"].append(h.id)
        hh["region"].append(h.region)
        hh["residence"].append(h.residence.value)
        for name, amount in zip(AMOUNT_FIELDS, household_amounts(h), strict=True):
            hh[name].append(amount)
        for p in h.members:
            values = person_values(p)
            pp["household_id"].append(h.id)
            pp["birth_date"].append(p.birth_date)
            pp["died_on"].append(p.died_on)
            pp["sex"].append(p.sex.value)
            pp["relation"].append(p.relation.value)
            pp["disability_category"].append(p.disability.category.value if p.disability else None)
            pp["disability_grade"].append(p.disability.grade if p.disability else None)
            pp["self_care"].append(p.self_care.value if p.self_care else None)
            pp["labour_capacity"].append(p.labour_capacity)
            pp["in_school"].append(p.in_school.value if p.in_school else None)
            pp["employment"].append(p.employment.value if p.employment else None)
            for i, name in enumerate(INCOME_COLUMNS):
                pp[name].append(values[first_income + i])
            pp["able_supporters"].append(values[able])
            pp["statuses"].append(
                [
                    {
                        "kind": s.kind.value,
                        "parent": s.parent,
                        "since": s.since,
                        "term_months": s.term_months,
                    }
                    for s in p.statuses
                ]
            )
    return (
        pa.table(hh, schema=HOUSEHOLDS_SCHEMA),
        pa.table(pp, schema=PERSONS_SCHEMA),
    )
