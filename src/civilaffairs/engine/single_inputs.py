"""The rule inputs of one household in plain Python (单户规则输入).

The scalar back end evaluates one household with Python ints and lists; building a
numpy :class:`~civilaffairs.engine.frame.Frame` for one household and converting it back
cost more than evaluating every programme. :func:`scalar_inputs` derives the same
values as :func:`~civilaffairs.engine.frame.derive` does column-wise (ages, alive flags,
status masks on the first day of the month, the household's size and amounts) without
numpy; a property test checks that the two agree on any household.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from civilaffairs.domain import Household, Residence
from civilaffairs.engine.frame import (
    _EPOCH_ORDINAL,
    _PARENT_CODE,
    _READ_AS_IS,
    _STATUS_CODE,
    ALWAYS,
    AMOUNT_FIELDS,
    INCOME_FIELDS,
    RAW_PERSON_FIELDS,
    TERM_MONTHS,
    _code_table,
    household_amounts,
    person_values,
)
from civilaffairs.ids import Sex
from civilaffairs.periods import Month

__all__ = ["scalar_inputs"]

_BIRTH = RAW_PERSON_FIELDS.index("birth")
_DIED = RAW_PERSON_FIELDS.index("died")
_SEX = RAW_PERSON_FIELDS.index("sex")
_AS_IS = tuple((name, RAW_PERSON_FIELDS.index(name)) for name in _READ_AS_IS)
_INCOMES = tuple((name, RAW_PERSON_FIELDS.index(name)) for name in INCOME_FIELDS)
_MASKS = ("own", "father", "mother", "father_6m", "mother_6m", "father_term6", "mother_term6")
#: (mask name, parent code) of the masks set by a status in force.
_IN_FORCE = (("own", 0), ("father", 1), ("mother", 2))


def _whole_years(birth: int, month_index: int) -> int:
    """Age in whole years on the first day of the month *month_index* (as
    :func:`civilaffairs.engine.frame._whole_years`)."""
    b = _dt.date.fromordinal(birth + _EPOCH_ORDINAL)
    months = month_index - (b.year * 12 + b.month - 1)
    if b.day != 1:
        months -= 1
    return months // 12


def scalar_inputs(
    household: Household, month: Month
) -> tuple[dict[str, int], dict[str, list[Any]]]:
    """``(H, P)``: the household's values (ints) and the members' values (lists, one item
    per member in order), as the compiled scalar rules read them in *month*."""
    first = month.first_day
    day = first.toordinal() - _EPOCH_ORDINAL
    back = month.index - 6
    six_before = _dt.date(back // 12, back % 12 + 1, 1).toordinal() - _EPOCH_ORDINAL
    female_code = _code_table(Sex)[Sex.FEMALE]
    index = month.index
    P: dict[str, list[Any]] = {"alive": [], "age": [], "female": []}
    for name in _READ_AS_IS:
        P[name] = []
    for name in _MASKS:
        P[name] = []
    for name in INCOME_FIELDS:
        P[name] = []
    alive_count = 0
    for person in household.members:
        row = person_values(person)
        birth = row[_BIRTH]
        alive = birth <= day < row[_DIED]
        alive_count += alive
        P["alive"].append(alive)
        P["age"].append(_whole_years(birth, index))
        P["female"].append(row[_SEX] == female_code)
        for name, i in _AS_IS:
            P[name].append(row[i])
        masks = dict.fromkeys(_MASKS, 0)
        for status in person.statuses:
            since = ALWAYS if status.since is None else status.since.toordinal() - _EPOCH_ORDINAL
            parent = _PARENT_CODE[status.parent]
            bit = 1 << (_STATUS_CODE[status.kind] - 1)
            in_force = since <= day
            if in_force:
                masks[_IN_FORCE[parent][0]] |= bit
            if parent:
                side = "father" if parent == 1 else "mother"
                if since != ALWAYS and since <= six_before:
                    masks[f"{side}_6m"] |= bit
                if in_force and (status.term_months or 0) >= TERM_MONTHS:
                    masks[f"{side}_term6"] |= bit
        for name in _MASKS:
            P[name].append(masks[name])
        for name, i in _INCOMES:
            P[name].append(row[i])
    rural = household.residence is Residence.RURAL
    H: dict[str, int] = {"size": alive_count, "rural": int(rural)}
    H.update(zip(AMOUNT_FIELDS, household_amounts(household), strict=True))
    return H, P
