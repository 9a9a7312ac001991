"""Arrow tables to rule inputs (Arrow 表到规则输入), and domain objects to Arrow tables.

:func:`frame_from_arrow` builds, with numpy and ``pyarrow.compute`` only, the same
:class:`~civilaffairs.engine.frame.Frame` columns as
:meth:`Frame.from_households <civilaffairs.engine.frame.Frame.from_households>` builds from
domain objects: ages, alive flags, enumeration codes, status bit masks (own, father,
mother, and the six-month variants) and income columns. A household whose row is bad (an
unknown region, a negative income, an unknown code, a disability grade out of range, no
member, ...) is left out of the frame and reported in the errors table with its row
number and the reason; every other household is assessed, so
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
    HOUSEHOLD_AMOUNTS,
    HOUSEHOLDS_SCHEMA,
    INCOME_COLUMNS,
    PERSONS_SCHEMA,
    BulkInputError,
    conform,
)
from civilaffairs.engine.frame import PERSON_FIELDS, Frame
from civilaffairs.periods import Month
from civilaffairs.programs.common import INCOME_KINDS

__all__ = ["ArrowFrame", "frame_from_arrow", "households_to_arrow"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Most members a household may have (as :data:`civilaffairs.domain.MAX_MEMBERS`).
MAX_MEMBERS = 100
_EARLIEST_BIRTH = (_dt.date(1850, 1, 1) - _dt.date(1970, 1, 1)).days
_EPOCH = _dt.date(1970, 1, 1)


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
    from civilaffairs.domain import (
        DisabilityCategory,
        Employment,
        Relation,
        SchoolLevel,
        SelfCare,
        StatusKind,
    )
    from civilaffairs.ids import Sex

    return {
        "sex": tuple(m.value for m in Sex),
        "relation": tuple(m.value for m in Relation),
        "disability_category": tuple(m.value for m in DisabilityCategory),
        "self_care": tuple(m.value for m in SelfCare),
        "in_school": tuple(m.value for m in SchoolLevel),
        "employment": tuple(m.value for m in Employment),
        "status": tuple(m.value for m in StatusKind),
        "parent_kinds": tuple(m.value for m in StatusKind if m.concerns_parent),
    }


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
    """An integer Arrow column as int64 numpy, nulls as *fill*."""
    arr: IntArray = (
        pc.fill_null(col, fill).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    )
    return arr


def _days(col: Any, fill: int) -> IntArray:
    """A date32 column as days since 1970-01-01, nulls as *fill*."""
    return _np(pc.cast(col, pa.int32()), fill)


def _codes(col: Any, values: tuple[str, ...]) -> tuple[IntArray, BoolArray]:
    """Enumeration codes (position + 1; 0 for null) and a mask of unknown values."""
    idx = pc.index_in(col, value_set=pa.array(values, pa.string()))
    codes = _np(idx, -1) + 1
    valid = np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), dtype=bool)
    return codes, valid & (codes == 0)


def _ymd(days: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Year, month and day of dates given as days since 1970-01-01."""
    d = days.astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


class _Reasons:
    """First reason per household row, filled check by check."""

    def __init__(self, n: int) -> None:
        self.reason: list[str | None] = [None] * n
        self.bad = np.zeros(n, dtype=bool)

    def add(self, mask: BoolArray, describe: Any) -> None:
        new = np.flatnonzero(mask & ~self.bad)
        for i in new.tolist():
            self.reason[i] = describe(i)
        self.bad[new] = True


def _first_person(
    mask: BoolArray, person_hh: IntArray, starts: IntArray
) -> tuple[BoolArray, IntArray]:
    """Households with a flagged person, and the index of the first such person of each."""
    n = starts.size
    flagged = np.flatnonzero(mask)
    first = np.full(n, -1, dtype=np.int64)
    hh_mask = np.zeros(n, dtype=bool)
    if flagged.size:
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
    lengths = np.diff(np.append(starts, m))
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
    :raises BulkInputError: if a column is missing or of the wrong type, or the persons
        are not grouped in the households' order (the message names the persons row).
    """
    month = Month.parse(month)
    hh = conform(households, "households").combine_chunks()
    pp = conform(persons, "persons").combine_chunks()
    k = hh.num_rows
    values = _enum_values()
    hids = hh.column("household_id").chunk(0) if k else pa.array([], pa.string())
    pids = pp.column("household_id").chunk(0) if pp.num_rows else pa.array([], pa.string())
    person_hh, counts, first_person = _person_map(hids, pids, person_first_row)
    reasons = _Reasons(k)

    # -- household rows ---------------------------------------------------------------
    id_ok = np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(hids), 0), False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    reasons.add(~id_ok, lambda i: "household_id is missing (缺少家庭编号)")
    dup = _duplicates(hids)
    reasons.add(dup, lambda i: "household_id appears more than once in the input (家庭编号重复)")
    region_col = hh.column("region")
    region_list: list[str | None] = region_col.to_pylist()
    problems = {
        code: (region_problem(code) if code is not None else "is missing")
        for code in set(region_list)
    }
    bad_region = np.array([problems[c] is not None for c in region_list], dtype=bool)
    reasons.add(
        bad_region,
        lambda i: (
            f"region {_scrub(region_list[i])!r} {problems[region_list[i]]} (行政区划代码无效)"
            if region_list[i] is not None
            else "region is missing (缺少行政区划代码)"
        ),
    )
    res_codes, _ = _codes(hh.column("residence"), ("urban", "rural"))
    res_list = hh.column("residence")
    reasons.add(
        res_codes == 0,
        lambda i: (
            f"residence must be urban or rural, got {_scrub(res_list[i].as_py())!r} "
            "(城乡属性应为 urban 或 rural)"
        ),
    )
    amounts = {name: _np(hh.column(name)) for name in HOUSEHOLD_AMOUNTS}
    for name, arr in amounts.items():
        reasons.add(
            arr < 0,
            lambda i, name=name, arr=arr: f"{name} is negative ({int(arr[i])}) (不能为负数)",
        )
    reasons.add(counts == 0, lambda i: "the household has no members in the persons table (无成员)")
    reasons.add(
        counts > MAX_MEMBERS,
        lambda i: f"the household has {int(counts[i])} members, more than {MAX_MEMBERS} (成员过多)",
    )

    # -- person rows --------------------------------------------------------------------
    day = month.first_day
    day_num = (day - _EPOCH).days
    birth = _days(pp.column("birth_date"), np.iinfo(np.int32).min)
    died = _days(pp.column("died_on"), np.iinfo(np.int32).max)
    sex, bad_sex = _codes(pp.column("sex"), values["sex"])
    relation, bad_rel = _codes(pp.column("relation"), values["relation"])
    dis_cat, bad_cat = _codes(pp.column("disability_category"), values["disability_category"])
    grade = _np(pp.column("disability_grade"))
    self_care, bad_care = _codes(pp.column("self_care"), values["self_care"])
    school, bad_school = _codes(pp.column("in_school"), values["in_school"])
    employment, bad_emp = _codes(pp.column("employment"), values["employment"])
    incomes = {name: _np(pp.column(name)) for name in INCOME_COLUMNS}
    able = _np(pp.column("able_supporters"))
    heads = np.bincount(person_hh, weights=relation == 1, minlength=k).astype(np.int64)

    def member(i: int, p: IntArray) -> str:
        return f"member {int(p[i] - first_person[i]) + 1}"

    person_checks: list[tuple[BoolArray, Any]] = [
        (birth == np.iinfo(np.int32).min, lambda i, p: f"{member(i, p)}: birth_date is missing"),
        (
            (birth != np.iinfo(np.int32).min) & (birth < _EARLIEST_BIRTH),
            lambda i, p: f"{member(i, p)}: birth_date is before 1850-01-01",
        ),
        (
            died < birth,
            lambda i, p: f"{member(i, p)}: died_on is before the birth date",
        ),
        (
            bad_sex | (sex == 0),
            lambda i, p: (
                f"{member(i, p)}: sex must be male or female, got "
                f"{_scrub(pp.column('sex')[int(p[i])].as_py())!r}"
            ),
        ),
        (
            bad_rel | (relation == 0),
            lambda i, p: (
                f"{member(i, p)}: unknown relation "
                f"{_scrub(pp.column('relation')[int(p[i])].as_py())!r}"
            ),
        ),
    ]
    for name, bad in (
        ("disability_category", bad_cat),
        ("self_care", bad_care),
        ("in_school", bad_school),
        ("employment", bad_emp),
    ):
        person_checks.append(
            (
                bad,
                lambda i, p, name=name: (
                    f"{member(i, p)}: unknown {name} {_scrub(pp.column(name)[int(p[i])].as_py())!r}"
                ),
            )
        )
    person_checks += [
        (
            (grade != 0) & ((grade < 1) | (grade > 4)),
            lambda i, p: (
                f"{member(i, p)}: disability_grade {int(grade[int(p[i])])} is out of "
                "range 1-4 (残疾等级应为1至4级)"
            ),
        ),
        (
            (grade != 0) & (dis_cat == 0) & ~bad_cat,
            lambda i, p: f"{member(i, p)}: disability_grade without disability_category",
        ),
        (
            (grade == 0) & (dis_cat != 0),
            lambda i, p: f"{member(i, p)}: disability_category without disability_grade",
        ),
    ]
    for name, arr in incomes.items():
        person_checks.append(
            (
                arr < 0,
                lambda i, p, name=name, arr=arr: (
                    f"{member(i, p)}: {name} is negative "
                    f"({int(arr[int(p[i])])} fen) (收入不能为负数)"
                ),
            )
        )
    person_checks.append((able < 0, lambda i, p: f"{member(i, p)}: able_supporters is negative"))
    own, father, mother, father6, mother6, bad_status, status_reason = _statuses(
        pp.column("statuses"), day, pp.num_rows
    )
    person_checks.append((bad_status, lambda i, p: f"{member(i, p)}: {status_reason[int(p[i])]}"))
    for mask, describe in person_checks:
        hh_mask, first = _first_person(mask, person_hh, first_person)
        reasons.add(hh_mask, lambda i, describe=describe, first=first: describe(i, first))
    reasons.add(heads == 0, lambda i: "no member is the head of household (缺少户主)")
    reasons.add(
        heads > 1, lambda i: f"{int(heads[i])} members are the head of household (户主只能有一人)"
    )

    # -- the frame of the good rows -------------------------------------------------------
    keep = ~reasons.bad
    keep_p = keep[person_hh] if person_hh.size else np.zeros(0, dtype=bool)
    new_index = np.cumsum(keep) - 1
    alive = (birth <= day_num) & (day_num < died)
    y, mo, d = _ymd(np.where(birth == np.iinfo(np.int32).min, 0, birth))
    age = (day.year - y) - ((day.month < mo) | ((day.month == mo) & (day.day < d)))
    pp_cols: dict[str, Any] = {
        "alive": alive,
        "age": age,
        "female": sex == 2,
        "relation": relation,
        "dis_cat": dis_cat,
        "dis_grade": grade,
        "self_care": self_care,
        "labour": _np(pc.cast(pp.column("labour_capacity"), pa.int64()), -1),
        "school": school,
        "employment": employment,
        "able_supporters": able,
        "own": own,
        "father": father,
        "mother": mother,
        "father_6m": father6,
        "mother_6m": mother6,
    }
    assert list(pp_cols) == list(PERSON_FIELDS)
    for kind, name in zip(INCOME_KINDS, INCOME_COLUMNS, strict=True):
        pp_cols[f"inc_{kind}"] = incomes[name]
    pp_out: dict[str, Any] = {}
    for name, arr in pp_cols.items():
        out = arr[keep_p]
        pp_out[name] = out.astype(bool) if name in ("alive", "female") else out.astype(np.int64)
    hh_person = person_hh[keep_p]
    hh_out: dict[str, Any] = {
        "size": np.bincount(hh_person, weights=alive[keep_p], minlength=k)[keep].astype(np.int64),
        "rural": (res_codes[keep] == 2).astype(np.int64),
        **{name: arr[keep] for name, arr in amounts.items()},
    }
    kept_ids = pc.filter(hids, pa.array(keep)) if k else hids
    kept_regions = pc.filter(region_col, pa.array(keep)) if k else region_col
    regions_list = kept_regions.to_pylist()
    frame = Frame(
        n=int(keep.sum()),
        month=month,
        hh=hh_out,
        pp=pp_out,
        person_hh=new_index[hh_person].astype(np.int64),
        household_ids=kept_ids.to_pylist(),
        regions=regions_list,
        residences=["rural" if c == 2 else "urban" for c in res_codes[keep].tolist()],
        groups=_groups(regions_list, res_codes[keep]),
    )
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
    col: Any, day: _dt.date, m: int
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, BoolArray, dict[int, str]]:
    """Status bit masks per person, as ``engine.frame.person_row`` computes them."""
    values = _enum_values()
    own = np.zeros(m, np.int64)
    father = np.zeros(m, np.int64)
    mother = np.zeros(m, np.int64)
    father6 = np.zeros(m, np.int64)
    mother6 = np.zeros(m, np.int64)
    bad = np.zeros(m, dtype=bool)
    reason: dict[int, str] = {}
    if m == 0:
        return own, father, mother, father6, mother6, bad, reason
    flat = pc.list_flatten(col)
    if len(flat) == 0:
        return own, father, mother, father6, mother6, bad, reason
    parents = _np(pc.list_parent_indices(col))
    kinds = pc.struct_field(flat, "kind")
    parent = pc.struct_field(flat, "parent")
    since = _days(pc.struct_field(flat, "since"), np.iinfo(np.int32).min)
    kind_code, bad_kind = _codes(kinds, values["status"])
    bad_kind |= kind_code == 0
    parent_code, bad_parent = _codes(parent, ("father", "mother"))
    parent_kind, _ = _codes(kinds, values["parent_kinds"])
    misplaced = (parent_code != 0) & (parent_kind == 0) & ~bad_kind
    problem = bad_kind | bad_parent | misplaced
    for j in np.flatnonzero(problem).tolist():
        p = int(parents[j])
        if p in reason:
            continue
        if bad_kind[j]:
            reason[p] = f"unknown status kind {_scrub(kinds[j].as_py())!r}"
        elif bad_parent[j]:
            reason[p] = f"status parent must be father or mother, got {_scrub(parent[j].as_py())!r}"
        else:
            reason[p] = f"only a parent_* status names a parent, not {kinds[j].as_py()}"
        bad[p] = True
    day_num = (day - _EPOCH).days
    no_since = since == np.iinfo(np.int32).min
    in_force = ~problem & (no_since | (since <= day_num))
    sy, sm, sd = _ymd(np.where(no_since, 0, since))
    months = (day.year - sy) * 12 + day.month - sm - (day.day < sd)
    lasted = no_since | (months >= 6)
    bits = np.left_shift(np.int64(1), np.maximum(kind_code - 1, 0)).astype(np.int64)
    for target, sel in (
        (own, in_force & (parent_code == 0)),
        (father, in_force & (parent_code == 1)),
        (mother, in_force & (parent_code == 2)),
        (father6, in_force & (parent_code == 1) & lasted),
        (mother6, in_force & (parent_code == 2) & lasted),
    ):
        np.bitwise_or.at(target, parents[sel], bits[sel])
    return own, father, mother, father6, mother6, bad, reason


# -- domain objects to Arrow ----------------------------------------------------------


def households_to_arrow(households: Sequence[Any]) -> tuple[pa.Table, pa.Table]:
    """The households and persons tables of *households* (domain ``Household`` objects).

    Assets and expenses are summed into the household columns the rules read
    (deposits = deposits + securities, and so on); each person's supporters become the
    count of those able to support.
    """
    from civilaffairs.domain import AssetKind, ExpenseKind, IncomeKind

    hh: dict[str, list[Any]] = {name: [] for name in HOUSEHOLDS_SCHEMA.names}
    pp: dict[str, list[Any]] = {name: [] for name in PERSONS_SCHEMA.names}
    for h in households:
        hh["household_id"].append(h.id)
        hh["region"].append(h.region)
        hh["residence"].append(h.residence.value)
        hh["deposits"].append(
            h.total_assets(AssetKind.DEPOSIT).fen + h.total_assets(AssetKind.SECURITIES).fen
        )
        hh["vehicles"].append(h.asset_count(AssetKind.VEHICLE))
        hh["real_estate"].append(h.asset_count(AssetKind.REAL_ESTATE))
        hh["businesses"].append(h.asset_count(AssetKind.BUSINESS_REGISTRATION))
        hh["other_assets"].append(h.total_assets(AssetKind.OTHER).fen)
        hh["medical"].append(h.monthly_expenses(ExpenseKind.MEDICAL).fen)
        hh["education"].append(h.monthly_expenses(ExpenseKind.EDUCATION).fen)
        for p in h.members:
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
            for kind in IncomeKind:
                pp[f"income_{kind.value}"].append(p.monthly_income([kind]).fen)
            pp["able_supporters"].append(sum(1 for s in p.supporters if s.able))
            pp["statuses"].append(
                [{"kind": s.kind.value, "parent": s.parent, "since": s.since} for s in p.statuses]
            )
    return (
        pa.table(hh, schema=HOUSEHOLDS_SCHEMA),
        pa.table(pp, schema=PERSONS_SCHEMA),
    )


def _groups(regions: list[str], res_codes: np.ndarray) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Distinct (region, residence) pairs of valid households, by integer keys (the same
    result as :func:`civilaffairs.engine.context.group_keys`, without a Python loop)."""
    if not regions:
        return [], np.zeros(0, dtype=np.int64)
    key = np.asarray(regions, dtype="U6").astype(np.int64) * 4 + res_codes.astype(np.int64)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # number groups by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    keys = [(regions[i], "rural" if res_codes[i] == 2 else "urban") for i in first[order].tolist()]
    return keys, rank[inverse].astype(np.int64)
