"""The inputs of rules as columns (规则输入).

A :class:`Frame` holds what programmes read about households, in one shape for both back
ends: household-level columns in ``hh`` and person-level columns in ``pp``, persons
grouped by household (``person_hh``, the household index of each person). For one household
the household columns are Python ints and the person columns small numpy arrays; for a
batch every column is a numpy array.

Codes: enumerations are held as their position in the enumeration plus one, so that ``0``
means "not recorded" (e.g. ``dis_grade == 0`` is no disability).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from civilaffairs.domain import Household, Person
from civilaffairs.periods import Month

__all__ = ["HH_FIELDS", "PERSON_FIELDS", "Frame", "code_of", "codes"]

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
    "father_6m": "bit mask of the father's statuses in force for at least 6 months",
    "mother_6m": "bit mask of the mother's statuses in force for at least 6 months",
}


def codes(enum_cls: Any) -> dict[Any, int]:
    """Member -> code (position + 1) for an enumeration."""
    return {m: i + 1 for i, m in enumerate(enum_cls)}


def code_of(member: Any) -> int:
    """The code of one enumeration member (0 for ``None``)."""
    if member is None:
        return 0
    enum_type: Any = type(member)
    members: list[Any] = list(enum_type)
    return members.index(member) + 1


@attrs.define
class Frame:
    """Columns of rule inputs for ``n`` households in one month."""

    n: int
    month: Month
    hh: dict[str, Any]
    pp: dict[str, Any]
    person_hh: np.ndarray
    household_ids: list[str]
    regions: list[str]
    residences: list[str]
    #: Distinct (region, residence) pairs and each household's index into them, when the
    #: reader computed them already (see :func:`civilaffairs.engine.context.group_keys`).
    groups: tuple[list[tuple[str, str]], np.ndarray] | None = None

    @classmethod
    def from_household(cls, household: Household, month: Month) -> Frame:
        """One household: household columns are Python ints."""
        f = cls.from_households([household], month)
        f.hh = {k: v[0].item() for k, v in f.hh.items()}
        return f

    @classmethod
    def from_households(cls, households: Sequence[Household], month: Month) -> Frame:
        """A batch from domain objects (the columnar reader builds the same columns)."""
        from civilaffairs.domain import AssetKind, ExpenseKind, IncomeKind

        day = month.first_day
        n = len(households)
        hh: dict[str, list[int]] = {k: [] for k in HH_FIELDS}
        rows: list[dict[str, int]] = []
        person_hh: list[int] = []
        for i, h in enumerate(households):
            alive = [p for p in h.members if p.is_alive_on(day)]
            hh["size"].append(len(alive))
            hh["rural"].append(int(h.residence.value == "rural"))
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
                rows.append(person_row(p, day))
                person_hh.append(i)
        pp: dict[str, Any] = {}
        names = list(PERSON_FIELDS) + [f"inc_{k.value}" for k in IncomeKind]
        for name in names:
            pp[name] = np.array([r[name] for r in rows], dtype=np.int64)
        for name in ("alive", "female"):
            pp[name] = pp[name].astype(bool)
        return cls(
            n=n,
            month=month,
            hh={k: np.array(v, dtype=np.int64) for k, v in hh.items()},
            pp=pp,
            person_hh=np.array(person_hh, dtype=np.int64),
            household_ids=[h.id for h in households],
            regions=[h.region for h in households],
            residences=[h.residence.value for h in households],
        )


def _months_between(start: _dt.date, day: _dt.date) -> int:
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return months


def person_row(p: Person, day: _dt.date) -> dict[str, int]:
    """The person-level columns of one person on *day*."""
    from civilaffairs.domain import IncomeKind, StatusKind

    kinds = list(StatusKind)
    own = father = mother = father6 = mother6 = 0
    for s in p.statuses:
        if s.since is not None and s.since > day:
            continue
        bit = 1 << kinds.index(s.kind)
        lasted = s.since is None or _months_between(s.since, day) >= 6
        if s.parent == "father":
            father |= bit
            father6 |= bit if lasted else 0
        elif s.parent == "mother":
            mother |= bit
            mother6 |= bit if lasted else 0
        else:
            own |= bit
    row = {
        "alive": int(p.is_alive_on(day)),
        "age": p.age_on(day),
        "female": int(p.sex.value == "female"),
        "relation": code_of(p.relation),
        "dis_cat": code_of(p.disability.category) if p.disability else 0,
        "dis_grade": p.disability.grade if p.disability else 0,
        "self_care": code_of(p.self_care),
        "labour": -1 if p.labour_capacity is None else int(p.labour_capacity),
        "school": code_of(p.in_school),
        "employment": code_of(p.employment),
        "able_supporters": sum(1 for s in p.supporters if s.able),
        "own": own,
        "father": father,
        "mother": mother,
        "father_6m": father6,
        "mother_6m": mother6,
    }
    for kind in IncomeKind:
        row[f"inc_{kind.value}"] = p.monthly_income([kind]).fen
    return row
