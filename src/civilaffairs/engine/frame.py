"""The inputs of rules as columns (规则输入).

A :class:`Frame` holds what programmes read about households, in one shape for both back
ends: household-level columns in ``hh`` and person-level columns in ``pp``, persons
grouped by household (``person_hh``, the household index of each person). For one household
the household columns are Python ints and the person columns small numpy arrays; for a
batch every column is a numpy array.

Codes: enumerations are held as their position in the enumeration plus one, so that ``0``
means "not recorded" (e.g. ``dis_grade == 0`` is no disability).

**How a frame is built: two readers, one derivation.** Every column is derived in one
place, in two steps:

1. A *reader* turns its input into :class:`RawInputs`: the facts as recorded, one numpy
   column each, not yet read for a month: dates as day numbers (:func:`day_number`),
   enumeration members as codes (:data:`ENUM_CODES`), statuses as one row per status
   (person, kind, parent, since, term), incomes summed by kind, assets and expenses
   summed into the household amounts (:func:`household_amounts`, :func:`person_values`).
   There are two readers: :func:`raw_from_households` here, for domain objects (plain
   Python, no pyarrow), and :func:`civilaffairs.bulk.arrow.frame_from_arrow`, which
   reads and checks Arrow tables with numpy and ``pyarrow.compute`` and leaves out bad
   rows (:meth:`RawInputs.take`) before deriving.
2. :func:`derive` computes the rule inputs for a month: alive flags, ages, the female
   flag, the status bit masks (own, father, mother, the six-month variants and the
   six-month-term variants), household sizes, the rural flag, the residence names and
   the (region, residence) groups. Raw columns that are rule inputs as recorded
   (relation, disability, incomes, the household amounts, ...) pass through unchanged.

:meth:`Frame.from_households` is :func:`raw_from_households` then :func:`derive`; the bulk
reader ends with the same :func:`derive`. What is left to agree is the raw columns of
the two readers, which a differential property test checks
(``tests/test_bulk_differential.py``); ``tests/test_frame_derive.py`` holds the derived
columns against the domain objects' own methods.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs._lazy import lazy_module
from civilaffairs.domain import (
    AssetKind,
    DisabilityCategory,
    Employment,
    ExpenseKind,
    Household,
    IncomeKind,
    Person,
    Relation,
    Residence,
    SchoolLevel,
    SelfCare,
    StatusKind,
)
from civilaffairs.ids import Sex
from civilaffairs.periods import Month

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]
else:
    np = lazy_module("numpy")  # imported by the first column built, not by one household

__all__ = [
    "ALWAYS",
    "AMOUNT_FIELDS",
    "ENUM_CODES",
    "HH_FIELDS",
    "NO_DEATH",
    "PARENT_VALUES",
    "PERSON_FIELDS",
    "RAW_PERSON_FIELDS",
    "TERM_MONTHS",
    "Frame",
    "RawInputs",
    "code_of",
    "codes",
    "constant",
    "day_number",
    "derive",
    "household_amounts",
    "is_constant",
    "person_values",
    "raw_from_households",
]

#: Household-level fields and what they mean.
HH_FIELDS: dict[str, str] = {
    "size": "members alive on the first day of the month (共同生活家庭成员人数)",
    "rural": "1 if the household's residence is rural (农村)",
    "deposits": "deposits and securities, fen (存款及有价证券)",
    "vehicles": "number of vehicles (机动车辆)",
    "real_estate": "number of real-estate properties (房产)",
    "businesses": "number of business registrations (工商登记)",
    "other_assets": "other assets, fen",
    "medical": "monthly medical expenses, fen (医疗支出)",
    "education": "monthly education expenses, fen (教育支出)",
}

#: Person-level fields (before income and status columns).
PERSON_FIELDS: dict[str, str] = {
    "alive": "alive on the first day of the month",
    "age": "age in whole years on the first day of the month (周岁)",
    "female": "1 if female",
    "relation": "relation to the head, code",
    "dis_cat": "disability category code, 0 none",
    "dis_grade": "disability grade 1-4, 0 none",
    "self_care": "self-care band code (1 full, 2 partial, 3 none), 0 not assessed",
    "labour": "stated labour capacity: 1 yes, 0 no, -1 not stated",
    "school": "full-time schooling level code, 0 none",
    "employment": "employment status code, 0 not recorded",
    "able_supporters": "legal supporters outside the household able to support",
    "own": "bit mask of the person's own statuses in force",
    "father": "bit mask of statuses in force of the father",
    "mother": "bit mask of statuses in force of the mother",
    "father_6m": (
        "bit mask of the father's statuses in force for at least 6 months, counted from a "
        "recorded start date (a status without one does not count)"
    ),
    "mother_6m": (
        "bit mask of the mother's statuses in force for at least 6 months, counted from a "
        "recorded start date (a status without one does not count)"
    ),
    "father_term6": (
        "bit mask of the father's statuses in force whose recorded term (sentence or "
        "measure) is at least 6 months"
    ),
    "mother_term6": (
        "bit mask of the mother's statuses in force whose recorded term (sentence or "
        "measure) is at least 6 months"
    ),
}

#: Household columns that are read as they are (the household amounts, in fen or units).
AMOUNT_FIELDS: tuple[str, ...] = (
    "deposits",
    "vehicles",
    "real_estate",
    "businesses",
    "other_assets",
    "medical",
    "education",
)

#: The income columns of the frame, one per :class:`~civilaffairs.domain.IncomeKind`.
INCOME_FIELDS: tuple[str, ...] = tuple(f"inc_{k.value}" for k in IncomeKind)

#: Enumerations held as codes in :attr:`RawInputs.persons`: raw column -> enumeration.
ENUM_CODES: dict[str, Any] = {
    "sex": Sex,
    "relation": Relation,
    "dis_cat": DisabilityCategory,
    "self_care": SelfCare,
    "school": SchoolLevel,
    "employment": Employment,
}

#: Person columns of :data:`PERSON_FIELDS` that are rule inputs as read (codes and counts;
#: they pass through :func:`derive`, as do the :data:`INCOME_FIELDS`).
_READ_AS_IS: tuple[str, ...] = (
    "relation",
    "dis_cat",
    "dis_grade",
    "self_care",
    "labour",
    "school",
    "employment",
    "able_supporters",
)

#: The columns of :attr:`RawInputs.persons`, in the order of :func:`person_values`:
#: ``birth`` and ``died`` (day numbers, ``died`` :data:`NO_DEATH` when alive), ``sex``,
#: then the columns that pass through to the frame unchanged.
RAW_PERSON_FIELDS: tuple[str, ...] = ("birth", "died", "sex", *_READ_AS_IS, *INCOME_FIELDS)

#: The values of ``Status.parent`` that are recorded, coded 1 and 2 (0 for none).
PARENT_VALUES: tuple[str, ...] = ("father", "mother")

#: Residence names by code - 1.
_RESIDENCE_NAMES: tuple[str, ...] = tuple(r.value for r in Residence)
_EPOCH = _dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
#: Day number standing for "no date of death": the last day a date32 can hold.
NO_DEATH = 2**31 - 1
#: Day number standing for "no start date" of a status: in force on any day, but never
#: counted as in force for six months (that needs a recorded start).
ALWAYS = -(2**31)
#: Shortest recorded term, in months, of the ``father_term6``/``mother_term6`` masks.
TERM_MONTHS = 6


def constant(value: int, n: int) -> IntArray:
    """A read-only int64 column of *n* times *value* that takes no memory: a column the
    bulk input does not have, every row holding its default. The column-wise evaluator
    reads it as one value (:func:`is_constant`)."""
    out: IntArray = np.broadcast_to(np.int64(value), (n,))
    return out


def is_constant(arr: Any) -> bool:
    """Whether *arr* is a :func:`constant` column (one value for every row)."""
    return isinstance(arr, np.ndarray) and arr.ndim == 1 and arr.size > 0 and arr.strides[0] == 0


def day_number(day: _dt.date) -> int:
    """Days from 1970-01-01 to *day* (the value of an Arrow ``date32``)."""
    return day.toordinal() - _EPOCH_ORDINAL


def codes(enum_cls: Any) -> dict[Any, int]:
    """Member -> code (position + 1) for an enumeration."""
    return {m: i + 1 for i, m in enumerate(enum_cls)}


def code_of(member: Any) -> int:
    """The code of one enumeration member (0 for ``None``)."""
    if member is None:
        return 0
    return _code_table(type(member))[member]


_CODE_TABLES: dict[Any, dict[Any, int]] = {}


def _code_table(enum_cls: Any) -> dict[Any, int]:
    """:func:`codes` of *enum_cls*, with ``None`` coded 0 (cached)."""
    table = _CODE_TABLES.get(enum_cls)
    if table is None:
        table = {None: 0, **codes(enum_cls)}
        _CODE_TABLES[enum_cls] = table
    return table


def _id_list(ids: Any) -> list[str]:
    """Household ids as a list of str (from a list or an Arrow array)."""
    if isinstance(ids, list):
        return ids
    out: list[str] = ids.to_pylist()
    return out


@attrs.define
class Frame:
    """Columns of rule inputs for ``n`` households in one month.

    The households' identity is kept as read: :attr:`ids` (a list of str, or the Arrow
    array of the bulk input, passed through untouched), :attr:`region_codes` (the county
    codes as integers) and ``hh["rural"]``. :attr:`household_ids`, :attr:`regions`,
    :attr:`residences` and :attr:`groups` are their Python forms, built on first use.
    """

    n: int
    month: Month
    hh: dict[str, Any]
    pp: dict[str, Any]
    person_hh: np.ndarray
    #: Per household, its id: a list of str, or an Arrow string array as read.
    ids: Any
    #: Per household, its county code as an integer (``110105``).
    region_codes: np.ndarray
    _cache: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def household_ids(self) -> list[str]:
        """The household ids as a list of str."""
        hit = self._cache.get("household_ids")
        if hit is None:
            hit = self._cache["household_ids"] = _id_list(self.ids)
        return hit

    @property
    def regions(self) -> list[str]:
        """The county codes as 6-digit strings."""
        hit = self._cache.get("regions")
        if hit is None:
            hit = self._cache["regions"] = region_names(self.region_codes)
        return hit

    @property
    def residences(self) -> list[str]:
        """The residences by name (``urban``, ``rural``)."""
        hit = self._cache.get("residences")
        if hit is None:
            names = _RESIDENCE_NAMES
            rural = np.asarray(self.hh["rural"]).reshape(-1).tolist()
            hit = self._cache["residences"] = [names[int(r)] for r in rural]
        return hit

    @property
    def group_codes(self) -> tuple[IntArray, IntArray]:
        """Distinct (region, residence) pairs as ``region code * 2 + rural``, ascending, and
        each household's index into them (no Python objects: the bulk path's groups)."""
        hit = self._cache.get("group_codes")
        if hit is None:
            rural = np.asarray(self.hh["rural"], dtype=np.int64).reshape(-1)
            keys = self.region_codes.astype(np.int64) * 2 + rural
            low = int(keys.min()) if keys.size else 0
            span = int(keys.max()) - low + 1 if keys.size else 0
            if keys.size > 10_000 and low >= 0 and span <= 2_000_000:
                # a batch: mark the keys present in a table of every key between the least
                # and the greatest, in one pass, rather than sorting them
                present = np.zeros(span, dtype=bool)
                offset = keys - low
                present[offset] = True
                uniq = np.flatnonzero(present)
                number = np.empty(span, dtype=np.int64)
                number[uniq] = np.arange(uniq.size, dtype=np.int64)
                hit = (uniq.astype(np.int64) + low, number[offset])
            else:
                uniq, inverse = np.unique(keys, return_inverse=True)
                hit = (uniq, inverse.astype(np.int64).reshape(-1))
            self._cache["group_codes"] = hit
        return hit

    @property
    def groups(self) -> tuple[list[tuple[str, str]], np.ndarray]:
        """Distinct (region, residence) pairs, numbered by first appearance, and each
        household's number."""
        hit = self._cache.get("groups")
        if hit is None:
            uniq, inverse = self.group_codes
            if uniq.size:
                first = np.full(uniq.size, self.n, dtype=np.int64)
                np.minimum.at(first, inverse, np.arange(self.n, dtype=np.int64))
                order = np.argsort(first, kind="stable")
                rank = np.empty_like(order)
                rank[order] = np.arange(order.size)
                names = _RESIDENCE_NAMES
                keys = [(f"{int(k) // 2:06d}", names[int(k) % 2]) for k in uniq[order].tolist()]
                hit = (keys, rank[inverse].astype(np.int64))
            else:
                hit = ([], np.zeros(0, dtype=np.int64))
            self._cache["groups"] = hit
        return hit

    @classmethod
    def from_household(cls, household: Household, month: Month) -> Frame:
        """One household: household columns are Python ints."""
        f = cls.from_households([household], month)
        f.hh = {k: int(v[0]) for k, v in f.hh.items()}
        return f

    @classmethod
    def from_households(cls, households: Sequence[Household], month: Month) -> Frame:
        """A batch from domain objects: :func:`raw_from_households`, then :func:`derive`
        (the columnar reader derives its columns with the same function)."""
        return derive(raw_from_households(households), month)

    def take(self, keep: BoolArray) -> Frame:
        """The households where *keep* is true, with their members."""
        keep = np.asarray(keep, dtype=bool)
        keep_p = keep[self.person_hh]
        new_index = np.cumsum(keep, dtype=np.int64) - 1
        people = int(keep_p.sum())
        return Frame(
            n=int(keep.sum()),
            month=self.month,
            hh={k: np.asarray(v)[keep] for k, v in self.hh.items()},
            pp={k: _take_column(v, keep_p, people) for k, v in self.pp.items()},
            person_hh=new_index[self.person_hh[keep_p]],
            ids=_take_ids(self.ids, keep),
            region_codes=self.region_codes[keep],
        )


def region_names(codes: np.ndarray) -> list[str]:
    """Integer county codes as 6-digit strings."""
    uniq, inverse = np.unique(np.asarray(codes, dtype=np.int64), return_inverse=True)
    names = [f"{int(c):06d}" for c in uniq.tolist()]
    return [names[i] for i in inverse.reshape(-1).tolist()]


def _take_column(column: Any, keep: BoolArray, count: int) -> Any:
    """The rows of *column* where *keep* holds (a :func:`constant` stays one)."""
    if is_constant(column):
        return column[:count]  # still one value, still no memory
    return column[keep]


def _take_ids(ids: Any, keep: BoolArray) -> Any:
    if isinstance(ids, list):
        return [x for x, k in zip(ids, keep.tolist(), strict=True) if k]
    import pyarrow as pa

    return ids.filter(pa.array(keep))


# -- raw inputs ---------------------------------------------------------------------------


@attrs.define
class RawInputs:
    """Rule inputs as recorded, before :func:`derive` (原始输入列).

    ``n`` households, ``m`` persons, ``s`` statuses; every array is int64.
    """

    #: Per household (``n``): identifiers (a list of str, or an Arrow string array as read).
    household_ids: Any
    #: Per household: the county code as an integer (6 digits, checked by the reader).
    region_codes: IntArray
    #: Per household: :class:`~civilaffairs.domain.Residence` code (1 urban, 2 rural).
    residence: IntArray
    #: Per household: the :data:`AMOUNT_FIELDS`.
    amounts: dict[str, IntArray]
    #: Per person (``m``): index of the household, in order (persons grouped by household).
    person_hh: IntArray
    #: Per person: the :data:`RAW_PERSON_FIELDS`.
    persons: dict[str, IntArray]
    #: Per status (``s``): index of the person it belongs to.
    status_person: IntArray
    #: Per status: :class:`~civilaffairs.domain.StatusKind` code (1-based).
    status_kind: IntArray
    #: Per status: 0 the person's own, 1 the father's, 2 the mother's (:data:`PARENT_VALUES`).
    status_parent: IntArray
    #: Per status: day number of ``since``, :data:`ALWAYS` when not recorded.
    status_since: IntArray
    #: Per status: ``term_months``, 0 when not recorded.
    status_term: IntArray

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.region_codes)

    def take(self, keep: BoolArray) -> RawInputs:
        """The households where *keep* is true, with their persons and statuses."""
        keep = np.asarray(keep, dtype=bool)
        keep_p = keep[self.person_hh]
        keep_s = keep_p[self.status_person]
        new_hh = np.cumsum(keep, dtype=np.int64) - 1
        new_p = np.cumsum(keep_p, dtype=np.int64) - 1
        return RawInputs(
            household_ids=_take_ids(self.household_ids, keep),
            region_codes=self.region_codes[keep],
            residence=self.residence[keep],
            amounts={k: _take_column(v, keep, int(keep.sum())) for k, v in self.amounts.items()},
            person_hh=new_hh[self.person_hh[keep_p]],
            persons={
                k: _take_column(v, keep_p, int(keep_p.sum())) for k, v in self.persons.items()
            },
            status_person=new_p[self.status_person[keep_s]],
            status_kind=self.status_kind[keep_s],
            status_parent=self.status_parent[keep_s],
            status_since=self.status_since[keep_s],
            status_term=self.status_term[keep_s],
        )


def household_amounts(h: Household) -> tuple[int, ...]:
    """The :data:`AMOUNT_FIELDS` of *h*: assets and expenses summed as the rules read them
    (deposits = deposits + securities; counts of vehicles, real estate and business
    registrations, an item without a count counting one; values in fen)."""
    deposits = vehicles = real_estate = businesses = other = 0
    for a in h.assets:
        kind = a.kind
        if kind is AssetKind.DEPOSIT or kind is AssetKind.SECURITIES:
            if a.value is not None:
                deposits += a.value.fen
        elif kind is AssetKind.OTHER:
            if a.value is not None:
                other += a.value.fen
        elif kind is AssetKind.VEHICLE:
            vehicles += a.quantity
        elif kind is AssetKind.REAL_ESTATE:
            real_estate += a.quantity
        elif kind is AssetKind.BUSINESS_REGISTRATION:
            businesses += a.quantity
    medical = education = 0
    for e in h.expenses:
        if e.kind is ExpenseKind.MEDICAL:
            medical += e.monthly.fen
        elif e.kind is ExpenseKind.EDUCATION:
            education += e.monthly.fen
    return deposits, vehicles, real_estate, businesses, other, medical, education


_INCOME_INDEX: dict[IncomeKind, int] = {k: i for i, k in enumerate(IncomeKind)}
_STATUS_CODE = _code_table(StatusKind)
_PARENT_CODE: dict[str | None, int] = {None: 0, **{v: i + 1 for i, v in enumerate(PARENT_VALUES)}}


def person_values(p: Person) -> list[int]:
    """The :data:`RAW_PERSON_FIELDS` of *p*, in order (statuses are not among them)."""
    incomes = [0] * len(_INCOME_INDEX)
    for item in p.incomes:
        incomes[_INCOME_INDEX[item.kind]] += item.monthly.fen
    d = p.disability
    return [
        p.birth_date.toordinal() - _EPOCH_ORDINAL,
        NO_DEATH if p.died_on is None else p.died_on.toordinal() - _EPOCH_ORDINAL,
        _code_table(Sex)[p.sex],
        _code_table(Relation)[p.relation],
        0 if d is None else _code_table(DisabilityCategory)[d.category],
        0 if d is None else d.grade,
        _code_table(SelfCare)[p.self_care],
        -1 if p.labour_capacity is None else int(p.labour_capacity),
        _code_table(SchoolLevel)[p.in_school],
        _code_table(Employment)[p.employment],
        sum(1 for s in p.supporters if s.able),
        *incomes,
    ]


def raw_from_households(households: Sequence[Household]) -> RawInputs:
    """The raw inputs of domain households (plain Python; one numpy array per block)."""
    amounts: list[tuple[int, ...]] = []
    rows: list[list[int]] = []
    person_hh: list[int] = []
    statuses: list[tuple[int, int, int, int, int]] = []
    for i, h in enumerate(households):
        amounts.append(household_amounts(h))
        for p in h.members:
            if p.statuses:
                j = len(rows)
                for s in p.statuses:
                    since = ALWAYS if s.since is None else s.since.toordinal() - _EPOCH_ORDINAL
                    term = s.term_months or 0
                    statuses.append((j, _STATUS_CODE[s.kind], _PARENT_CODE[s.parent], since, term))
            rows.append(person_values(p))
            person_hh.append(i)
    person_cols = _columns(rows, len(RAW_PERSON_FIELDS))
    status_cols = _columns(statuses, 5)
    residence = _code_table(Residence)
    return RawInputs(
        household_ids=[h.id for h in households],
        region_codes=np.array([int(h.region) for h in households], dtype=np.int64),
        residence=np.array([residence[h.residence] for h in households], dtype=np.int64),
        amounts=dict(zip(AMOUNT_FIELDS, _columns(amounts, len(AMOUNT_FIELDS)), strict=True)),
        person_hh=np.array(person_hh, dtype=np.int64),
        persons=dict(zip(RAW_PERSON_FIELDS, person_cols, strict=True)),
        status_person=status_cols[0],
        status_kind=status_cols[1],
        status_parent=status_cols[2],
        status_since=status_cols[3],
        status_term=status_cols[4],
    )


def _columns(rows: Sequence[Sequence[int]], width: int) -> IntArray:
    """Rows of ints as a (width, len(rows)) array: row ``j`` is column ``j``, contiguous."""
    table = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    return np.ascontiguousarray(table.T)


# -- derivation -----------------------------------------------------------------------------


def derive(raw: RawInputs, month: Month) -> Frame:
    """The frame of *raw* for *month*: the one place where rule inputs are derived.

    Ages, alive flags and statuses are taken on the first day of the month. A status is
    in force from its ``since`` day on (always, without one); it has lasted six months when
    it has a ``since`` on or before the first day of the month six months earlier, i.e.
    when there are at least six whole months from ``since`` to the first day of *month*
    (a status without ``since`` is in force but has not been shown to have lasted). The
    ``*_term6`` masks hold the parents' statuses in force with a recorded ``term_months``
    of at least :data:`TERM_MONTHS`, however long they have lasted.
    """
    n = raw.n
    persons = raw.persons
    day = day_number(month.first_day)
    alive = (persons["birth"] <= day) & (day < persons["died"])
    pp: dict[str, Any] = {
        "alive": alive,
        "age": _whole_years(persons["birth"], month),
        "female": persons["sex"] == _code_table(Sex)[Sex.FEMALE],
    }
    for name in _READ_AS_IS:
        pp[name] = persons[name]
    year, month0 = divmod(month.index - 6, 12)  # (month - 6) can be before 1900
    pp.update(_status_masks(raw, day, day_number(_dt.date(year, month0 + 1, 1))))
    for name in INCOME_FIELDS:
        pp[name] = persons[name]
    rural = raw.residence == _code_table(Residence)[Residence.RURAL]
    everyone = bool(alive.all())
    size = np.bincount(raw.person_hh if everyone else raw.person_hh[alive], minlength=n)
    size = size.astype(np.int64, copy=False)
    hh: dict[str, Any] = {"size": size, "rural": rural.astype(np.int64), **raw.amounts}
    return Frame(
        n=n,
        month=month,
        hh=hh,
        pp=pp,
        person_hh=raw.person_hh,
        ids=raw.household_ids,
        region_codes=raw.region_codes,
    )


def _whole_years(birth: IntArray, month: Month) -> IntArray:
    """Age in whole years (周岁) on the first day of *month* of people born on *birth*.

    That is the whole months from the birth date to that day, divided by 12 rounding down:
    the months are those from the birth month, less one when the birth day is after the
    1st (a 29 February birthday falls on 1 March, as in :func:`civilaffairs.ids.age_on`).
    Negative before the birth date.
    """
    birth = np.asarray(birth, dtype=np.int64)
    if birth.size == 0:
        return np.zeros(0, dtype=np.int64)
    target = month.index - 1970 * 12  # months from 1970-01 to the month
    if birth.size < 4096:  # a few households: month arithmetic costs less than a table
        return _month_arithmetic(birth, target)
    youngest, oldest = _month_arithmetic(np.array([birth.max(), birth.min()]), target).tolist()
    if oldest - youngest > 10_000:  # dates far apart: month arithmetic row by row
        return _month_arithmetic(birth, target)
    # age >= a exactly when the birth is on or before the first day of the month 12 a
    # months back: one table of those days, ascending, and one search per person
    ages = np.arange(oldest, youngest - 1, -1, dtype=np.int64)
    firsts = (target - 12 * ages).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    low = int(birth.min())
    span = int(birth.max()) - low + 1
    if span <= 200_000:  # births within some 550 years: the age of every day, then a lookup
        days = np.arange(low, low + span, dtype=np.int64)
        table = youngest - 1 + (firsts.size - np.searchsorted(firsts, days, side="left"))
        looked_up: IntArray = table[birth - low]
        return looked_up
    reached = firsts.size - np.searchsorted(firsts, birth, side="left")
    out: IntArray = youngest - 1 + reached
    return out


def _month_arithmetic(birth: IntArray, target: int) -> IntArray:
    """:func:`_whole_years` row by row: the whole months from each birth date to the first
    day of month *target* (counted from 1970-01), over 12."""
    b = birth.astype("datetime64[D]")
    birth_month = b.astype("datetime64[M]")
    months = target - birth_month.astype(np.int64)
    months -= birth_month.astype("datetime64[D]") != b
    years: IntArray = months // 12
    return years


def _status_masks(raw: RawInputs, day: int, six_months_before: int) -> dict[str, IntArray]:
    """The ``own``/``father``/``mother`` bit masks (bit ``code - 1`` of the status kind) of
    statuses in force on *day*; the parents' masks of those with a recorded start on
    *six_months_before* at the latest; and the parents' masks of those in force with a
    recorded term of at least :data:`TERM_MONTHS`."""
    m = raw.person_hh.size
    names = ("own", "father", "mother", "father_6m", "mother_6m", "father_term6", "mother_term6")
    if raw.status_person.size == 0:
        return {name: constant(0, m) for name in names}
    masks = {name: np.zeros(m, np.int64) for name in names}
    since = raw.status_since
    in_force = since <= day
    lasted = (since != ALWAYS) & (since <= six_months_before)
    long_term = in_force & (raw.status_term >= TERM_MONTHS)
    parent = raw.status_parent
    bits = np.left_shift(np.int64(1), raw.status_kind - 1)
    for name, sel in (
        ("own", in_force & (parent == 0)),
        ("father", in_force & (parent == 1)),
        ("mother", in_force & (parent == 2)),
        ("father_6m", lasted & (parent == 1)),
        ("mother_6m", lasted & (parent == 2)),
        ("father_term6", long_term & (parent == 1)),
        ("mother_term6", long_term & (parent == 2)),
    ):
        np.bitwise_or.at(masks[name], raw.status_person[sel], bits[sel])
    return masks
