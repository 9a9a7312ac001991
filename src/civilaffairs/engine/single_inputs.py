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

from civilaffairs.domain import (
    DisabilityCategory,
    Employment,
    Household,
    IncomeKind,
    Relation,
    Residence,
    SchoolLevel,
    SelfCare,
)
from civilaffairs.engine.frame import (
    _EPOCH_ORDINAL,
    _PARENT_CODE,
    _STATUS_CODE,
    ALWAYS,
    AMOUNT_FIELDS,
    INCOME_FIELDS,
    TERM_MONTHS,
    _code_table,
    household_amounts,
)
from civilaffairs.ids import Sex
from civilaffairs.periods import Month

__all__ = ["scalar_inputs"]

_MASKS = ("own", "father", "mother", "father_6m", "mother_6m", "father_term6", "mother_term6")
_INCOME_KINDS = tuple(IncomeKind)

#: Position of each income kind, by the identity of the member (enumeration members are
#: singletons; an identity lookup skips ``Enum.__hash__``, a Python-level call).
_INCOME_POSITION: dict[int, int] = {id(k): i for i, k in enumerate(_INCOME_KINDS)}
_IDENTITY_TABLES: dict[Any, dict[int, int]] = {}


def _identity_table(enum_cls: Any) -> dict[int, int]:
    """:func:`~civilaffairs.engine.frame._code_table` of *enum_cls* keyed by ``id(member)``
    (``id(None)`` for none)."""
    table = _IDENTITY_TABLES.get(enum_cls)
    if table is None:
        table = {id(m): code for m, code in _code_table(enum_cls).items()}
        _IDENTITY_TABLES[enum_cls] = table
    return table


def scalar_inputs(
    household: Household, month: Month
) -> tuple[dict[str, int], dict[str, list[Any]]]:
    """``(H, P)``: the household's values (ints) and the members' values (lists, one item
    per member in order), as the compiled scalar rules read them in *month*."""
    day = month.first_day.toordinal() - _EPOCH_ORDINAL
    index = month.index
    back = index - 6
    six_before = _dt.date(back // 12, back % 12 + 1, 1).toordinal() - _EPOCH_ORDINAL
    relation_code = _identity_table(Relation)
    category_code = _identity_table(DisabilityCategory)
    care_code = _identity_table(SelfCare)
    school_code = _identity_table(SchoolLevel)
    employment_code = _identity_table(Employment)
    female = Sex.FEMALE
    alive_l: list[bool] = []
    age_l: list[int] = []
    female_l: list[bool] = []
    relation: list[int] = []
    dis_cat: list[int] = []
    dis_grade: list[int] = []
    self_care: list[int] = []
    labour: list[int] = []
    school: list[int] = []
    employment: list[int] = []
    able: list[int] = []
    masks: tuple[list[int], ...] = tuple([] for _ in _MASKS)
    own_l, father_l, mother_l, father6_l, mother6_l, fterm_l, mterm_l = masks
    kinds = len(_INCOME_KINDS)
    income_cols: list[list[int]] = [[] for _ in range(kinds)]
    income_index = _INCOME_POSITION
    alive_count = 0
    for person in household.members:
        born = person.birth_date
        died = person.died_on
        alive = born.toordinal() - _EPOCH_ORDINAL <= day and (
            died is None or day < died.toordinal() - _EPOCH_ORDINAL
        )
        alive_count += alive
        alive_l.append(alive)
        months = index - (born.year * 12 + born.month - 1) - (born.day != 1)
        age_l.append(months // 12)
        female_l.append(person.sex is female)
        relation.append(relation_code[id(person.relation)])
        d = person.disability
        dis_cat.append(0 if d is None else category_code[id(d.category)])
        dis_grade.append(0 if d is None else d.grade)
        self_care.append(care_code[id(person.self_care)])
        labour.append(-1 if person.labour_capacity is None else int(person.labour_capacity))
        school.append(school_code[id(person.in_school)])
        employment.append(employment_code[id(person.employment)])
        able.append(sum(1 for s in person.supporters if s.able))
        own = father = mother = father6 = mother6 = fterm = mterm = 0
        for status in person.statuses:
            since = ALWAYS if status.since is None else status.since.toordinal() - _EPOCH_ORDINAL
            parent = _PARENT_CODE[status.parent]
            bit = 1 << (_STATUS_CODE[status.kind] - 1)
            in_force = since <= day
            long_ago = since != ALWAYS and since <= six_before
            term = in_force and (status.term_months or 0) >= TERM_MONTHS
            if parent == 0:
                if in_force:
                    own |= bit
            elif parent == 1:
                if in_force:
                    father |= bit
                if long_ago:
                    father6 |= bit
                if term:
                    fterm |= bit
            else:
                if in_force:
                    mother |= bit
                if long_ago:
                    mother6 |= bit
                if term:
                    mterm |= bit
        own_l.append(own)
        father_l.append(father)
        mother_l.append(mother)
        father6_l.append(father6)
        mother6_l.append(mother6)
        fterm_l.append(fterm)
        mterm_l.append(mterm)
        if person.incomes:
            amounts = [0] * kinds
            for item in person.incomes:
                amounts[income_index[id(item.kind)]] += item.monthly.fen
            for col, amount in zip(income_cols, amounts, strict=True):
                col.append(amount)
        else:
            for col in income_cols:
                col.append(0)
    P: dict[str, list[Any]] = {
        "alive": alive_l,
        "age": age_l,
        "female": female_l,
        "relation": relation,
        "dis_cat": dis_cat,
        "dis_grade": dis_grade,
        "self_care": self_care,
        "labour": labour,
        "school": school,
        "employment": employment,
        "able_supporters": able,
    }
    P.update(zip(_MASKS, masks, strict=True))
    P.update(zip(INCOME_FIELDS, income_cols, strict=True))
    rural = household.residence is Residence.RURAL
    H: dict[str, int] = {"size": alive_count, "rural": int(rural)}
    H.update(zip(AMOUNT_FIELDS, household_amounts(household), strict=True))
    return H, P
