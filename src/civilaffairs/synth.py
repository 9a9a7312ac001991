"""A synthetic registry (合成登记数据) for tests, benchmarks, docs and demos.

:func:`synth_tables` draws households and their members with numpy, vectorised and
seeded: the same ``(n, seed)`` always gives the same registry, in any chunking.
:func:`write_synth` writes one to a directory as ``households.parquet`` and
``persons.parquet`` (the bulk input schema, :mod:`civilaffairs.bulk.schema`), block by
block, so ten million households need no more memory than one block.

The default mix (:data:`DEFAULT_MIX`) is a caseload of a low-income registry, not of the
whole population, spread over the five provinces of the bundled plugins. **Households are
placed only where dibao can be assessed** on the month asked for, with the standards
installed (:func:`civilaffairs.coverage.assessable_counties`): a county and residence
without a dibao standard gets no household, and its share goes to the places that have one,
so a default run's results have every programme assessed wherever its standards exist and an
empty errors table. ``elsewhere`` places that share of households on purpose in counties of
the mix where dibao cannot be assessed, to exercise the "not assessed" paths; ``registry=None``
ignores the standards and uses every county.

What is drawn, per household: a county of the mix, urban or rural residence (the rural
share depends on the region), 1 to 6 members (one person in three lives alone), deposits,
vehicles, property, business registrations and medical and education costs. Per person:
an age that follows the household's make-up (head, spouse, children, parents,
grandchildren), sex, disability (about 8 %: category, grade 1–4, and self-care), school
level by age, employment, and incomes of several kinds: wages and business income for
those in work, the residents' basic pension (excluded from the means test) and transfers
for older people, support payments, and the like. Levels are set so that roughly a third
to a half of households with a dibao standard are dibao-eligible.

Statuses follow a joint model. About 3 % of people are seriously ill. Of the children
under 18, about 0.4 % are orphans and about 1 % have a status of one parent (imprisoned 30 %,
missing 20 %, severely disabled 35 %, dead 15 %; the father in 60 % of cases); for 40 % of
those the other parent has a status too (dead 25 %, imprisoned 20 %, severely disabled 25 %,
seriously ill 15 %, missing 15 %), so that both parents can be unable to raise the child
(事实无人抚养儿童: roughly 0.2 % of children once the six-month rules are applied). Most
imprisoned parents have a recorded term (``term_months``), about one in five under six
months. One in five of the children with a parent's status or orphaned chose to be supported
as 特困 (``chose_tekun``). About one person in a hundred has a recent ground of temporary
assistance (a sudden major illness, an accident or another hardship). Everything after the
first status of each person is drawn from a second random stream of each block, so what
came before is what the same seed gave before they were added.

``bad_fraction`` makes that share of households deliberately bad (unknown region,
residence not urban/rural, negative income, disability grade out of range), to show the
errors table; it is 0 by default.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.schema import (
    HOUSEHOLDS_SCHEMA,
    INCOME_COLUMNS,
    PERSONS_SCHEMA,
    STATUS_TYPE,
)
from civilaffairs.errors import CivilAffairsError
from civilaffairs.periods import Month

__all__ = [
    "DEFAULT_MIX",
    "MAX_HOUSEHOLDS",
    "RegionShare",
    "SynthSummary",
    "synth_tables",
    "write_synth",
]

IntArray = npt.NDArray[np.int64]


@attrs.frozen
class RegionShare:
    """A share of the synthetic households drawn from the counties under one region.

    :param region: a province, prefecture or county code.
    :param share: the share of households (the shares of a mix are normalised).
    :param rural: the share of those households with rural residence.
    """

    region: str
    share: float
    rural: float


#: The default mix: Beijing 25 %, Shanghai 20 %, Guangdong 25 %, Zhejiang 15 %, Guizhou
#: 15 % of households, each with its share of rural residents; placed only in the counties
#: where dibao can be assessed (see the module documentation).
DEFAULT_MIX: tuple[RegionShare, ...] = (
    RegionShare("110000", 0.25, 0.15),
    RegionShare("310000", 0.20, 0.10),
    RegionShare("440000", 0.25, 0.30),
    RegionShare("330000", 0.15, 0.30),
    RegionShare("520000", 0.15, 0.60),
)

#: Households drawn per random stream; the registry does not depend on how it is written.
BLOCK = 100_000
_SIZE_P = (0.33, 0.27, 0.19, 0.12, 0.06, 0.03)
# Relation codes in the order of civilaffairs.domain.Relation.
_RELATIONS = ("head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")
_CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")
_CATEGORY_P = (0.12, 0.14, 0.03, 0.40, 0.10, 0.13, 0.08)
_SCHOOL_BY_AGE = (
    (3, 6, "preschool"),
    (6, 12, "primary"),
    (12, 15, "junior_secondary"),
    (15, 18, "senior_secondary"),
    (18, 22, "bachelor"),
)


@cache
def _counties(region: str) -> tuple[str, ...]:
    from civilaffairs import regions

    found = regions.get(region)
    if found.level is regions.Level.COUNTY:
        return (region,)
    codes = tuple(r.code for r in regions.counties_under(region, current_only=True))
    if not codes:
        raise CivilAffairsError(f"region {region} has no current counties", path="mix")
    return codes


def _choice(rng: np.random.Generator, values: Sequence[str], p: Sequence[float], n: int) -> Any:
    idx = rng.choice(len(values), size=n, p=np.asarray(p) / np.sum(p))
    return np.asarray(values, dtype=object)[idx]


@attrs.frozen
class _Placement:
    """Where households may be placed: per mix share and residence, the counties where
    dibao can be assessed (``inside``) and the others (``outside``), with the weights of
    the (share, residence) cells."""

    cells: tuple[tuple[int, bool], ...]
    inside: tuple[tuple[str, ...], ...]
    outside: tuple[tuple[str, ...], ...]
    weights: npt.NDArray[np.float64]


def _placement(mix: Sequence[RegionShare], day: _dt.date, registry: Any) -> _Placement:
    """The counties of each share of *mix* where dibao is assessable on *day* with
    *registry*'s standards (``None``: every county counts as assessable)."""
    from civilaffairs.coverage import assessable_counties

    cells: list[tuple[int, bool]] = []
    inside: list[tuple[str, ...]] = []
    outside: list[tuple[str, ...]] = []
    weights: list[float] = []
    for g, share in enumerate(mix):
        counties = _counties(share.region)
        for is_rural, part in ((False, 1 - share.rural), (True, share.rural)):
            if registry is None:
                ok: tuple[str, ...] = counties
            else:
                found = set(
                    assessable_counties(
                        registry, "dibao", share.region, day, "rural" if is_rural else "urban"
                    )
                )
                ok = tuple(c for c in counties if c in found)
            cells.append((g, is_rural))
            inside.append(ok)
            outside.append(tuple(c for c in counties if c not in set(ok)))
            weights.append(share.share * part)
    return _Placement(tuple(cells), tuple(inside), tuple(outside), np.asarray(weights))


def _place(
    rng: np.random.Generator, n: int, placement: _Placement, elsewhere: float
) -> tuple[Any, npt.NDArray[np.bool_]]:
    """Draw a county and a residence for *n* households: a share *elsewhere* of them in
    counties where dibao cannot be assessed, the rest where it can."""
    region = np.empty(n, dtype=object)
    rural = np.zeros(n, dtype=bool)
    away = rng.random(n) < elsewhere
    for pool, chosen in ((placement.inside, ~away), (placement.outside, away)):
        idx = np.flatnonzero(chosen)
        weights = placement.weights * np.asarray([len(c) > 0 for c in pool], dtype=float)
        if idx.size == 0:
            continue
        if weights.sum() <= 0:
            where = "where dibao can be assessed" if pool is placement.inside else "elsewhere"
            raise CivilAffairsError(
                f"no county of the mix {where} on this month: nothing to place there",
                path="mix",
            )
        cell = rng.choice(len(pool), size=idx.size, p=weights / weights.sum())
        for c in np.unique(cell).tolist():
            sel = idx[cell == c]
            counties = np.asarray(pool[c], dtype=object)
            region[sel] = counties[rng.integers(0, len(counties), sel.size)]
            rural[sel] = placement.cells[c][1]
    return region, rural


def _block(
    rng: np.random.Generator,
    extra: np.random.Generator,
    n: int,
    first: int,
    day: _dt.date,
    placement: _Placement,
    bad_fraction: float,
    elsewhere: float,
) -> tuple[pa.Table, pa.Table]:
    """*n* households numbered from *first*, and their members (*extra* draws the terms
    and the statuses added after the first ones, leaving *rng*'s draws as they were)."""
    # -- households ------------------------------------------------------------------
    region, rural = _place(rng, n, placement, elsewhere)
    size = rng.choice(len(_SIZE_P), size=n, p=_SIZE_P) + 1
    m = int(size.sum())
    person_hh = np.repeat(np.arange(n), size)
    starts = np.concatenate(([0], np.cumsum(size)[:-1]))
    pos = np.arange(m) - starts[person_hh]

    # -- members: relation and age ---------------------------------------------------------
    head_old = rng.random(n) < 0.45
    head_age = np.where(head_old, rng.integers(60, 96, n), rng.integers(22, 60, n))
    relation = np.full(m, 2, dtype=np.int64)  # child
    relation[pos == 0] = 0
    second = pos == 1
    spouse = second & (rng.random(m) < 0.6)
    relation[spouse] = 1
    hage = head_age[person_hh]
    parent = (pos >= 1) & ~spouse & (hage < 55) & (rng.random(m) < 0.25)
    relation[parent] = 3
    grandchild = (relation == 2) & (hage >= 62) & (rng.random(m) < 0.5)
    relation[grandchild] = 5
    other = (relation == 2) & (rng.random(m) < 0.03)
    relation[other] = rng.choice([6, 7], size=int(other.sum()))
    age = np.empty(m, dtype=np.int64)
    age[relation == 0] = head_age
    age[relation == 1] = np.clip(
        hage[relation == 1] + rng.integers(-6, 7, int(spouse.sum())), 20, 99
    )
    kids = relation == 2
    age[kids] = np.clip(hage[kids] - rng.integers(22, 36, int(kids.sum())), 0, 70)
    age[relation == 3] = np.clip(
        hage[relation == 3] + rng.integers(24, 33, int(parent.sum())), 45, 102
    )
    gk = relation == 5
    age[gk] = np.clip(hage[gk] - rng.integers(50, 62, int(gk.sum())), 0, 40)
    sib = (relation == 6) | (relation == 7)
    age[sib] = np.clip(hage[sib] + rng.integers(-10, 11, int(sib.sum())), 0, 99)
    offset_days = rng.integers(0, 365, m)
    day_num = (day - _dt.date(1970, 1, 1)).days
    birth_days = day_num - age * 365 - age // 4 - offset_days
    female = np.where(relation == 1, rng.random(m) < 0.85, rng.random(m) < 0.48)
    died = np.where(
        rng.random(m) < 0.004, birth_days + (age + 1) * 365 - rng.integers(30, 200, m), 0
    )
    died_on = pa.array(died, pa.int32(), mask=died == 0).cast(pa.date32())

    # -- disability, care, school, work ---------------------------------------------------
    disabled = rng.random(m) < np.where(age >= 60, 0.12, 0.06)
    category: Any = np.full(m, None, dtype=object)
    category[disabled] = _choice(rng, _CATEGORIES, _CATEGORY_P, int(disabled.sum()))
    grade: IntArray = np.zeros(m, dtype=np.int64)
    grade[disabled] = rng.choice(4, size=int(disabled.sum()), p=(0.15, 0.25, 0.3, 0.3)) + 1
    needs_care = (grade == 1) | (grade == 2) | (age >= 80)
    care_draw = rng.random(m)
    self_care = np.full(m, None, dtype=object)
    self_care[age >= 60] = "full"
    self_care[needs_care] = "full"
    self_care[needs_care & (care_draw < 0.8)] = "partial"
    self_care[needs_care & (care_draw < 0.4)] = "none"
    school = np.full(m, None, dtype=object)
    for low, high, level in _SCHOOL_BY_AGE:
        enrolled = (age >= low) & (age < high) & (rng.random(m) < 0.92)
        school[enrolled] = level
    adult = (age >= 18) & (age < 60) & (school == None)  # noqa: E711 - element-wise
    work = rng.random(m)
    employment = np.full(m, None, dtype=object)
    employment[adult] = np.where(
        work[adult] < 0.42,
        "employed",
        np.where(
            work[adult] < 0.52,
            "self_employed",
            np.where(work[adult] < 0.80, "unemployed", "not_in_labour_force"),
        ),
    )
    employment[(grade == 1) & adult] = "not_in_labour_force"
    employment[age >= 60] = np.where(
        rng.random(int((age >= 60).sum())) < 0.5, "retired", "not_in_labour_force"
    )
    labour = np.full(m, None, dtype=object)
    stated = rng.random(m) < 0.03
    labour[stated] = rng.random(int(stated.sum())) < 0.5

    # -- incomes (fen a month) ------------------------------------------------------------
    incomes = {name: np.zeros(m, dtype=np.int64) for name in INCOME_COLUMNS}
    employed = employment == "employed"
    incomes["income_wage"][employed] = (
        rng.lognormal(np.log(2_300), 0.55, int(employed.sum())) * 100
    ).astype(np.int64)
    selfemp = employment == "self_employed"
    incomes["income_business"][selfemp] = (
        rng.lognormal(np.log(1_500), 0.7, int(selfemp.sum())) * 100
    ).astype(np.int64)
    odd_jobs = (employment == "unemployed") & (rng.random(m) < 0.35)
    incomes["income_wage"][odd_jobs] = rng.integers(20_000, 120_000, int(odd_jobs.sum()))
    old = age >= 60
    incomes["income_pension_basic"][old] = rng.integers(20_000, 110_000, int(old.sum()))
    pensioned = old & (rng.random(m) < 0.35)
    incomes["income_transfer"][pensioned] = (
        rng.lognormal(np.log(2_800), 0.45, int(pensioned.sum())) * 100
    ).astype(np.int64)
    supported = old & (rng.random(m) < 0.25)
    incomes["income_support"][supported] = rng.integers(20_000, 80_000, int(supported.sum()))
    rent = rng.random(m) < 0.04
    incomes["income_property"][rent] = rng.integers(10_000, 200_000, int(rent.sum()))
    scholars = (school != None) & (rng.random(m) < 0.05)  # noqa: E711 - element-wise
    incomes["income_scholarship"][scholars] = rng.integers(10_000, 60_000, int(scholars.sum()))
    veterans = old & (rng.random(m) < 0.02)
    incomes["income_veterans_care"][veterans] = rng.integers(50_000, 300_000, int(veterans.sum()))
    other_inc = rng.random(m) < 0.05
    incomes["income_other"][other_inc] = rng.integers(1_000, 50_000, int(other_inc.sum()))
    able = np.where(old & (size[person_hh] == 1), rng.choice(3, size=m, p=(0.6, 0.3, 0.1)), 0)

    # -- statuses ------------------------------------------------------------------------
    kind = np.full(m, None, dtype=object)
    par = np.full(m, None, dtype=object)
    ill = rng.random(m) < 0.03
    kind[ill] = "seriously_ill"
    minors = age < 18
    orphan = minors & (rng.random(m) < 0.004)
    kind[orphan] = "orphan"
    parent_status = minors & ~orphan & (rng.random(m) < 0.01)
    kind[parent_status] = _choice(
        rng,
        ("parent_imprisoned", "parent_missing", "parent_severely_disabled", "parent_dead"),
        (0.3, 0.2, 0.35, 0.15),
        int(parent_status.sum()),
    )
    par[parent_status] = _choice(rng, ("father", "mother"), (0.6, 0.4), int(parent_status.sum()))
    since = day_num - rng.integers(0, 2_000, m)
    statuses = _statuses(extra, m, kind, par, since, orphan | parent_status, day_num)

    # -- household assets and costs --------------------------------------------------------
    deposits = np.where(
        rng.random(n) < 0.7, (rng.lognormal(np.log(8_000), 1.1, n) * 100).astype(np.int64), 0
    )
    vehicles = (rng.random(n) < 0.05).astype(np.int64)
    real_estate = rng.choice(3, size=n, p=(0.45, 0.5, 0.05))
    businesses = (rng.random(n) < 0.02).astype(np.int64)
    other_assets = np.where(rng.random(n) < 0.05, rng.integers(100_000, 2_000_000, n), 0)
    medical = np.where(
        rng.random(n) < 0.15, (rng.lognormal(np.log(800), 0.8, n) * 100).astype(np.int64), 0
    )
    students = np.bincount(person_hh, weights=school != None, minlength=n)  # noqa: E711
    education = np.where(students > 0, rng.integers(0, 150_000, n), 0)

    # -- deliberately bad rows -------------------------------------------------------------
    residence = np.where(rural, "rural", "urban").astype(object)
    if bad_fraction > 0:
        bad = np.flatnonzero(rng.random(n) < bad_fraction)
        how = rng.integers(0, 4, bad.size)
        region[bad[how == 0]] = "999999"
        residence[bad[how == 1]] = "suburban"
        heads = starts[bad[how == 2]]
        incomes["income_wage"][heads] = -rng.integers(1, 100_000, heads.size)
        heads = starts[bad[how == 3]]
        grade[heads] = 7
        category[heads] = "physical"

    ids = pc.utf8_lpad(pc.cast(pa.array(np.arange(first, first + n)), pa.string()), 10, "0")
    hh_ids = pc.binary_join_element_wise("H", ids, "")
    households = pa.table(
        {
            "household_id": hh_ids,
            "region": pa.array(region, pa.string()),
            "residence": pa.array(residence, pa.string()),
            "deposits": deposits,
            "vehicles": vehicles,
            "real_estate": real_estate.astype(np.int64),
            "businesses": businesses,
            "other_assets": other_assets.astype(np.int64),
            "medical": medical,
            "education": education.astype(np.int64),
        },
        schema=HOUSEHOLDS_SCHEMA,
    )
    persons = pa.table(
        {
            "household_id": pc.take(hh_ids, pa.array(person_hh)),
            "birth_date": pa.array(birth_days, pa.int32()).cast(pa.date32()),
            "died_on": died_on,
            "sex": pa.array(np.where(female, "female", "male"), pa.string()),
            "relation": pa.array(np.asarray(_RELATIONS, dtype=object)[relation], pa.string()),
            "disability_category": pa.array(category, pa.string()),
            "disability_grade": pa.array(grade, pa.int32(), mask=grade == 0),
            "self_care": pa.array(self_care, pa.string()),
            "labour_capacity": pa.array(labour, pa.bool_()),
            "in_school": pa.array(school, pa.string()),
            "employment": pa.array(employment, pa.string()),
            **{name: pa.array(arr, pa.int64()) for name, arr in incomes.items()},
            "able_supporters": pa.array(able, pa.int32()),
            "statuses": statuses,
        },
        schema=PERSONS_SCHEMA,
    )
    return households, persons


#: Terms of imprisoned parents, in months, and how often each is drawn (about one in five
#: under six months).
_TERMS = (3, 5, 6, 8, 12, 18, 24, 36, 60, 120)
_TERM_P = (0.1, 0.08, 0.07, 0.1, 0.2, 0.12, 0.13, 0.1, 0.06, 0.04)
_SUDDEN = ("sudden_major_illness", "accident", "other_sudden_hardship")
#: Of the children with a status of one parent, the share whose other parent has one too,
#: and what it is.
_OTHER_PARENT_P = 0.4
_OTHER_PARENT = (
    "parent_dead",
    "parent_imprisoned",
    "parent_severely_disabled",
    "parent_seriously_ill",
    "parent_missing",
)
_OTHER_PARENT_KIND_P = (0.25, 0.2, 0.25, 0.15, 0.15)


def _statuses(
    extra: np.random.Generator,
    m: int,
    kind: Any,
    par: Any,
    since: IntArray,
    child_grounds: Any,
    day_num: int,
) -> pa.Array:
    """The ``statuses`` column: per person the first status drawn (*kind*, *par*, *since*),
    then, from *extra*, the term of an imprisoned parent, ``chose_tekun`` for some children
    with *child_grounds*, a recent ground of temporary assistance for a few people, and for
    some children with one parent's status a status of the other parent (drawn last, so the
    earlier draws are what the same seed gave before)."""
    first = kind != None  # noqa: E711 - element-wise
    term = np.zeros(m, dtype=np.int64)
    jailed = np.flatnonzero(kind == "parent_imprisoned")
    recorded = jailed[extra.random(jailed.size) < 0.8]
    term[recorded] = np.asarray(_TERMS)[extra.choice(len(_TERMS), size=recorded.size, p=_TERM_P)]
    chose = child_grounds & (extra.random(m) < 0.2)
    chose_since = day_num - extra.integers(0, 1_500, m)
    sudden = extra.random(m) < 0.01
    sudden_kind = np.asarray(_SUDDEN, dtype=object)[extra.choice(len(_SUDDEN), size=m)]
    sudden_since = day_num - extra.integers(0, 180, m)
    # the other parent: a joint model, so that both parents can be unable to raise a child
    has_parent_status = (par == "father") | (par == "mother")
    both = has_parent_status & (extra.random(m) < _OTHER_PARENT_P)
    other_kind = np.asarray(_OTHER_PARENT, dtype=object)[
        extra.choice(len(_OTHER_PARENT), size=m, p=_OTHER_PARENT_KIND_P)
    ]
    other_kind[~both] = None
    other_par = np.where(par == "father", "mother", "father").astype(object)
    other_since = day_num - extra.integers(0, 2_000, m)
    other_term = np.where(
        other_kind == "parent_imprisoned",
        np.asarray(_TERMS)[extra.choice(len(_TERMS), size=m, p=_TERM_P)],
        0,
    )
    # Up to four statuses a person, in this order: the first, the other parent's,
    # chose_tekun, the sudden one.
    present = np.stack([first, both, chose, sudden], axis=1)
    none = np.full(m, None, dtype=object)
    kinds = np.stack(
        [kind, other_kind, np.full(m, "chose_tekun", dtype=object), sudden_kind], axis=1
    )[present]
    parents = np.stack([par, other_par, none, none], 1)
    days = np.stack([since, other_since, chose_since, sudden_since], axis=1)[present]
    zero = np.zeros(m, np.int64)
    terms = np.stack([term, other_term, zero, zero], axis=1)[present]
    offsets = np.concatenate(([0], np.cumsum(present.sum(axis=1)))).astype(np.int32)
    items = pa.StructArray.from_arrays(
        [
            pa.array(kinds, pa.string()),
            pa.array(parents[present], pa.string()),
            pa.array(days, pa.int32()).cast(pa.date32()),
            pa.array(terms, pa.int32(), mask=terms == 0),
        ],
        fields=list(STATUS_TYPE.value_type),
    )
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items, type=STATUS_TYPE)


#: The most households :func:`synth_tables` and :func:`write_synth` make (a hundred million).
MAX_HOUSEHOLDS = 100_000_000


def _check(n: int, mix: Sequence[RegionShare], bad_fraction: float, elsewhere: float) -> None:
    if n < 0:
        raise CivilAffairsError("the number of households must not be negative", path="n")
    if n > MAX_HOUSEHOLDS:
        raise CivilAffairsError(
            f"the number of households is at most {MAX_HOUSEHOLDS:,}, got {n:,}", path="n"
        )
    if not mix or any(s.share < 0 or not 0 <= s.rural <= 1 for s in mix):
        raise CivilAffairsError("a mix needs shares >= 0 and rural shares in [0, 1]", path="mix")
    if sum(s.share for s in mix) <= 0:
        raise CivilAffairsError("the shares of a mix must not all be 0", path="mix")
    if not 0 <= bad_fraction <= 1:
        raise CivilAffairsError("bad_fraction must be between 0 and 1", path="bad_fraction")
    if not 0 <= elsewhere <= 1:
        raise CivilAffairsError("elsewhere must be between 0 and 1", path="elsewhere")
    for share in mix:
        _counties(share.region)


def _blocks(
    n: int,
    seed: int,
    on: Month,
    mix: Sequence[RegionShare],
    bad_fraction: float,
    elsewhere: float,
    registry: Any,
) -> Any:
    day = on.first_day
    if registry is _INSTALLED:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    placement = _placement(mix, day, registry) if n else None
    for b, first in enumerate(range(0, n, BLOCK)):
        rng = np.random.default_rng([seed, b])
        extra = np.random.default_rng([seed, b, 1])
        assert placement is not None
        yield _block(
            rng, extra, min(BLOCK, n - first), first, day, placement, bad_fraction, elsewhere
        )


#: The default of the ``registry`` arguments: the installed plugins' registry.
_INSTALLED: Any = object()


def synth_tables(
    n: int,
    *,
    seed: int = 0,
    on: Month | str = "2024-08",
    mix: Sequence[RegionShare] = DEFAULT_MIX,
    bad_fraction: float = 0.0,
    elsewhere: float = 0.0,
    registry: Any = _INSTALLED,
) -> tuple[pa.Table, pa.Table]:
    """*n* synthetic households and their members, in memory.

    :param seed: the random seed; the same ``(n, seed)`` with the same standards gives the
        same tables.
    :param on: the month the ages are drawn for (members' ages hold on its first day), and
        the month whose standards decide where households are placed.
    :param mix: where the households live (:data:`DEFAULT_MIX`).
    :param bad_fraction: share of deliberately bad households (default none).
    :param elsewhere: share of households placed in counties of the mix where dibao cannot
        be assessed on *on* (default none: every household lives where it can).
    :param registry: whose standards decide where dibao can be assessed (the installed
        plugins' by default); ``None`` places households in every county of the mix.
    :raises CivilAffairsError: for a bad argument, naming it, or when no county of the mix
        can take the households asked for.

    >>> households, persons = synth_tables(1000, seed=7)
    >>> households.num_rows, persons.num_rows > 1000
    (1000, True)
    >>> households.column("household_id")[0].as_py()
    'H0000000000'
    """
    _check(n, mix, bad_fraction, elsewhere)
    parts = list(_blocks(n, seed, Month.parse(on), mix, bad_fraction, elsewhere, registry))
    if not parts:
        return HOUSEHOLDS_SCHEMA.empty_table(), PERSONS_SCHEMA.empty_table()
    return (
        pa.concat_tables([h for h, _ in parts]),
        pa.concat_tables([p for _, p in parts]),
    )


@attrs.frozen
class SynthSummary:
    """What :func:`write_synth` wrote."""

    directory: Path
    households: int
    persons: int


def write_synth(
    n: int,
    out: str | Path,
    *,
    seed: int = 0,
    on: Month | str = "2024-08",
    mix: Sequence[RegionShare] = DEFAULT_MIX,
    bad_fraction: float = 0.0,
    elsewhere: float = 0.0,
    registry: Any = _INSTALLED,
    progress: Callable[[int], None] | None = None,
) -> SynthSummary:
    """Write *n* synthetic households to ``out/households.parquet`` and ``out/persons.parquet``.

    Written block by block (``BLOCK`` households, one Parquet row group each), so
    memory does not grow with *n*. The arguments are those of :func:`synth_tables`;
    *progress* is called with the number of households of each block written.
    """
    import pyarrow.parquet as pq

    _check(n, mix, bad_fraction, elsewhere)
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    persons = 0
    with (
        pq.ParquetWriter(directory / "households.parquet", HOUSEHOLDS_SCHEMA) as hw,
        pq.ParquetWriter(directory / "persons.parquet", PERSONS_SCHEMA) as pw,
    ):
        for households, people in _blocks(
            n, seed, Month.parse(on), mix, bad_fraction, elsewhere, registry
        ):
            hw.write_table(households)
            pw.write_table(people)
            persons += people.num_rows
            if progress is not None:
                progress(households.num_rows)
    return SynthSummary(directory, n, persons)
