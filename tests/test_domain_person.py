"""Person: identity derived from the resident ID, labour capacity, income, statuses, masking."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.domain import (
    Disability,
    DisabilityCategory,
    IncomeItem,
    IncomeKind,
    Person,
    Relation,
    Status,
    StatusKind,
    Supporter,
    masked_name,
)
from civilaffairs.errors import ValidationError
from civilaffairs.ids import ResidentId, Sex, age_on
from civilaffairs.money import Money
from civilaffairs.testing import _domain as dst

ID = "11010519491231002X"  # the example of GB 11643: born 1949-12-31, female
RID = ResidentId.parse(ID)


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.path for e in exc.value.errors]


def test_birth_date_and_sex_come_from_the_id() -> None:
    p = Person(id_number=RID, relation=Relation.HEAD)
    assert p.birth_date == dt.date(1949, 12, 31)
    assert p.sex is Sex.FEMALE


def test_matching_birth_date_and_sex_are_accepted() -> None:
    p = Person(
        id_number=RID, birth_date=dt.date(1949, 12, 31), sex=Sex.FEMALE, relation=Relation.HEAD
    )
    assert p == Person(id_number=RID, relation=Relation.HEAD)


def test_a_mismatch_with_the_id_is_an_error_naming_both_fields() -> None:
    with pytest.raises(ValidationError) as exc:
        Person(id_number=RID, birth_date=dt.date(1950, 1, 1), sex=Sex.MALE, relation=Relation.HEAD)
    assert paths(exc) == ["birth_date", "sex"]
    assert "110105********002X" in str(exc.value)
    assert ID not in str(exc.value)


def test_without_an_id_birth_date_and_sex_are_required() -> None:
    with pytest.raises(ValidationError) as exc:
        Person(relation=Relation.CHILD)
    assert paths(exc) == ["birth_date", "sex"]
    newborn = Person(birth_date=dt.date(2025, 3, 1), sex=Sex.MALE, relation=Relation.CHILD)
    assert newborn.id_number is None and newborn.masked_id is None


def test_death_before_birth_and_absurd_birth_dates_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        Person(id_number=RID, relation=Relation.HEAD, died_on=dt.date(1949, 12, 30))
    assert paths(exc) == ["died_on"]
    with pytest.raises(ValidationError) as exc:
        Person(birth_date=dt.date(1800, 1, 1), sex=Sex.MALE, relation=Relation.HEAD)
    assert paths(exc) == ["birth_date"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("relation", "head"),
        ("sex", "female"),
        ("birth_date", "1949-12-31"),
        ("birth_date", dt.datetime(1949, 12, 31)),
        ("id_number", ID),
        ("labour_capacity", 1),
        ("disability", {"category": "visual", "grade": 1}),
        ("incomes", [IncomeItem(kind=IncomeKind.WAGE, monthly=Money(1))]),
        ("incomes", ("wage",)),
        ("name", ""),
        ("name", "   "),
        ("name", "张\n三"),
        ("name", "张" * 65),
        ("name", "\ud800"),
    ],
)
def test_wrong_values_are_refused_by_field(field: str, value: object) -> None:
    kwargs: dict[str, object] = {"id_number": RID, "relation": Relation.HEAD, field: value}
    with pytest.raises(ValidationError) as exc:
        Person(**kwargs)  # type: ignore[arg-type]
    assert paths(exc)[0].startswith(field)
    assert ID not in str(exc.value)


def test_repr_masks_the_id_and_the_name() -> None:
    p = Person(id_number=RID, name="张秀兰", relation=Relation.HEAD)
    for text in (repr(p), str(p)):
        assert ID not in text
        assert "张秀兰" not in text
        assert "110105********002X" in text and "'张**'" in text


def test_persons_are_immutable_hashable_and_pickle() -> None:
    p = Person(id_number=RID, name="张秀兰", relation=Relation.HEAD)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.name = "李四"  # type: ignore[misc]
    assert {p: 1}[Person(id_number=RID, name="张秀兰", relation=Relation.HEAD)] == 1
    assert pickle.loads(pickle.dumps(p)) == p


@given(dst.persons(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
def test_age_is_whole_years_since_birth(p: Person, day: dt.date) -> None:
    b = p.birth_date
    age = p.age_on(day)
    assert age == day.year - b.year - ((day.month, day.day) < (b.month, b.day))
    assert age == age_on(b, day)
    assert p.is_elderly(day) == (age >= 60)
    assert p.is_minor(day) == (age < 18)


def test_a_leap_day_birthday_falls_on_the_first_of_march() -> None:
    p = Person(birth_date=dt.date(2000, 2, 29), sex=Sex.FEMALE, relation=Relation.CHILD)
    assert p.age_on(dt.date(2001, 2, 28)) == 0
    assert p.age_on(dt.date(2001, 3, 1)) == 1
    assert p.age_on(dt.date(2004, 2, 29)) == 4


@given(dst.persons(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
def test_alive_from_birth_until_the_day_of_death(p: Person, day: dt.date) -> None:
    expected = p.birth_date <= day and (p.died_on is None or day < p.died_on)
    assert p.is_alive_on(day) is expected
    if p.died_on is not None:
        assert not p.is_alive_on(p.died_on)
        if p.died_on > p.birth_date:
            assert p.is_alive_on(p.died_on - dt.timedelta(days=1))


@pytest.mark.parametrize("category", list(DisabilityCategory))
@pytest.mark.parametrize("grade", [1, 2, 3, 4])
def test_severe_disability(category: DisabilityCategory, grade: int) -> None:
    cognitive = category in (DisabilityCategory.INTELLECTUAL, DisabilityCategory.MENTAL)
    expected = grade <= 2 or (grade == 3 and cognitive)
    assert Disability(category=category, grade=grade).is_severe is expected


@pytest.mark.parametrize("grade", [0, 5, -1, True, 2.0, "2"])
def test_disability_grade_is_one_to_four(grade: object) -> None:
    with pytest.raises(ValidationError) as exc:
        Disability(category=DisabilityCategory.VISUAL, grade=grade)  # type: ignore[arg-type]
    assert paths(exc) == ["grade"]


def test_disability_in_chinese() -> None:
    assert Disability(category=DisabilityCategory.INTELLECTUAL, grade=2).zh == "智力残疾二级"


@given(dst.persons(), st.dates(dt.date(1950, 1, 1), dt.date(2060, 1, 1)))
def test_labour_capacity_follows_the_stated_value_or_the_national_rule(
    p: Person, day: dt.date
) -> None:
    age = p.age_on(day)
    severe = p.disability is not None and (
        p.disability.grade <= 2
        or (
            p.disability.grade == 3
            and p.disability.category
            in (DisabilityCategory.INTELLECTUAL, DisabilityCategory.MENTAL)
        )
    )
    rule = not (age >= 60 or age < 16 or severe)
    expected = rule if p.labour_capacity is None else p.labour_capacity
    assert p.has_labour_capacity(day) is expected


def test_labour_capacity_examples() -> None:
    base = Person(birth_date=dt.date(1980, 5, 1), sex=Sex.MALE, relation=Relation.HEAD)
    assert base.has_labour_capacity(dt.date(2024, 5, 1))
    assert not base.has_labour_capacity(dt.date(1996, 4, 30))  # 15
    assert base.has_labour_capacity(dt.date(1996, 5, 1))  # 16
    assert not base.has_labour_capacity(dt.date(2040, 5, 1))  # 60
    mental3 = attrs.evolve(base, disability=Disability(category=DisabilityCategory.MENTAL, grade=3))
    assert not mental3.has_labour_capacity(dt.date(2024, 5, 1))
    physical3 = attrs.evolve(
        base, disability=Disability(category=DisabilityCategory.PHYSICAL, grade=3)
    )
    assert physical3.has_labour_capacity(dt.date(2024, 5, 1))
    assert not attrs.evolve(base, labour_capacity=False).has_labour_capacity(dt.date(2024, 5, 1))
    assert attrs.evolve(mental3, labour_capacity=True).has_labour_capacity(dt.date(2024, 5, 1))


@given(dst.persons(), st.sets(st.sampled_from(IncomeKind)))
def test_monthly_income_sums_the_items_of_the_kinds_asked(
    p: Person, kinds: set[IncomeKind]
) -> None:
    assert p.monthly_income(kinds).fen == sum(i.monthly.fen for i in p.incomes if i.kind in kinds)
    assert p.monthly_income().fen == sum(i.monthly.fen for i in p.incomes)
    assert p.monthly_income(set(IncomeKind)) == p.monthly_income()


def test_income_items_must_not_be_negative() -> None:
    with pytest.raises(ValidationError) as exc:
        IncomeItem(kind=IncomeKind.WAGE, monthly=Money.parse("-0.01"))
    assert str(exc.value) == "monthly: must not be negative (不得为负数)"


@given(dst.persons(), st.sampled_from(StatusKind))
def test_statuses(p: Person, kind: StatusKind) -> None:
    assert p.has_status(kind) == any(s.kind is kind for s in p.statuses)
    assert p.statuses_of(kind) == tuple(s for s in p.statuses if s.kind is kind)


def test_status_parent_is_father_or_mother_and_only_for_parent_kinds() -> None:
    s = Status(kind=StatusKind.PARENT_IMPRISONED, since=dt.date(2023, 1, 1), parent="mother")
    assert s.concerns("mother") and not s.concerns("father")
    assert Status(kind=StatusKind.PARENT_DEAD).parent is None
    with pytest.raises(ValidationError) as exc:
        Status(kind=StatusKind.PARENT_MISSING, parent="uncle")
    assert paths(exc) == ["parent"]
    with pytest.raises(ValidationError) as exc:
        Status(kind=StatusKind.ORPHAN, parent="father")
    assert paths(exc) == ["parent"]
    assert "orphan" in str(exc.value)


def test_a_term_is_a_whole_number_of_months_for_parent_imprisoned_only() -> None:
    s = Status(kind=StatusKind.PARENT_IMPRISONED, parent="father", term_months=6)
    assert s.term_months == 6
    assert Status(kind=StatusKind.PARENT_IMPRISONED, term_months=1200).term_months == 1200
    assert Status(kind=StatusKind.PARENT_IMPRISONED).term_months is None
    for bad in (0, -1, 1201, 10**20):
        with pytest.raises(ValidationError) as exc:
            Status(kind=StatusKind.PARENT_IMPRISONED, term_months=bad)
        assert paths(exc) == ["term_months"]
        assert "between 1 and 1200" in str(exc.value)
    for wrong_type in (True, 6.0, "6"):
        with pytest.raises(ValidationError) as exc:
            Status(kind=StatusKind.PARENT_IMPRISONED, term_months=wrong_type)  # type: ignore[arg-type]
        assert paths(exc) == ["term_months"]
    for kind in StatusKind:
        if kind is StatusKind.PARENT_IMPRISONED:
            continue
        with pytest.raises(ValidationError) as exc:
            Status(kind=kind, term_months=12)
        assert paths(exc) == ["term_months"]
        assert f"not {kind.value}" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        Status(kind=StatusKind.ORPHAN, parent="mother", term_months=12)
    assert paths(exc) == ["parent", "term_months"]


@given(dst.statuses())
def test_drawn_statuses_have_terms_only_when_imprisoned(s: Status) -> None:
    assert s.term_months is None or s.kind is StatusKind.PARENT_IMPRISONED


def test_supporters() -> None:
    s = Supporter(relation="child", able=False, reason="重度残疾")
    assert not s.able
    with pytest.raises(ValidationError) as exc:
        Supporter(relation="", able="no")  # type: ignore[arg-type]
    assert paths(exc) == ["relation"]  # attrs stops at the first bad field in Python
    with pytest.raises(ValidationError) as exc:
        Supporter(relation="son", able="no")  # type: ignore[arg-type]
    assert paths(exc) == ["able"]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        ("张", "*"),
        (" 李四 ", "李*"),
        ("", ""),
    ],
)
def test_masked_name(name: str, masked: str) -> None:
    assert masked_name(name) == masked


@given(st.text(min_size=2))
def test_masked_name_keeps_only_the_first_character(name: str) -> None:
    out = masked_name(name)
    assert out is not None
    text = name.strip()
    if len(text) >= 2:
        assert out == text[0] + "*" * (len(text) - 1)
