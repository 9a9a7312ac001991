"""A person: one member of a household (家庭成员)."""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

import datetime as _dt
from collections.abc import Collection, Mapping
from typing import Any

import attrs

from civilaffairs.domain._disability import Disability
from civilaffairs.domain._enums import Employment, HukouType, Relation, SchoolLevel, SelfCare
from civilaffairs.domain._items import IncomeItem, IncomeKind
from civilaffairs.domain._privacy import masked_repr
from civilaffairs.domain._status import Status, StatusKind, Supporter
from civilaffairs.domain._validators import (
    UNREAD,
    bool_field,
    date_field,
    enum_field,
    identifier_field,
    items_field,
    record_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import ResidentId, Sex, age_on
from civilaffairs.money import ZERO, Money

#: Age from which a person is elderly (老年人) and has no labour capacity (特困人员认定办法 art. 5).
ELDERLY_AGE = 60
#: Age below which a minor has no labour capacity
#: (特困人员认定办法 art. 5; 社会救助暂行办法 art. 14).
LABOUR_AGE = 16
#: Age of majority (成年).
ADULT_AGE = 18

#: Limits on the lists of one person; longer lists are refused as data errors.
MAX_INCOMES = 50
MAX_SUPPORTERS = 20
MAX_STATUSES = 20
#: Earliest accepted birth date, as for resident IDs.
EARLIEST_BIRTH = _dt.date(1850, 1, 1)


@attrs.frozen(kw_only=True)
class Person:
    """A member of a household (家庭成员).

    The resident ID is optional (a newborn may have none); without it, *birth_date* and
    *sex* are required. With it, either may be left out and is read from the ID, and a
    value that disagrees with the ID is an error. ``repr`` masks the ID and the name.

    :param id_number: resident ID (公民身份号码), if any.
    :param name: name (姓名); masked in ``repr`` and in audit exports.
    :param birth_date: date of birth (出生日期); read from *id_number* when not given.
    :param sex: sex (性别); read from *id_number* when not given.
    :param relation: relation to the head of household (与户主关系).
    :param hukou: household-registration type (户口性质), if recorded.
    :param disability: certified disability (残疾), if any.
    :param self_care: self-care band (生活自理能力), if assessed.
    :param labour_capacity: labour capacity (劳动能力) as stated by an assessment; ``None``
        means derive it with :meth:`has_labour_capacity`.
    :param in_school: level of full-time education (在读学段), if in school.
    :param employment: employment status (就业状况), if recorded.
    :param incomes: monthly income items (收入), at most 50.
    :param supporters: legal supporters outside the household (法定义务人), at most 20.
    :param statuses: special statuses (特殊情形), at most 20.
    :param died_on: date of death (死亡日期), where known.

    >>> import datetime
    >>> from civilaffairs.domain import Person, Relation
    >>> from civilaffairs.ids import ResidentId
    >>> p = Person(id_number=ResidentId.parse("11010519491231002X"), relation=Relation.HEAD)
    >>> p.birth_date, p.sex.zh, p.age_on(datetime.date(2024, 12, 31))
    (datetime.date(1949, 12, 31), '女', 75)
    >>> p.has_labour_capacity(on=datetime.date(2024, 1, 1))
    False
    """

    id_number: ResidentId | None = identifier_field(ResidentId)
    name: str | None = text_field(max_length=64, optional=True, repr=masked_repr, personal=True)
    birth_date: _dt.date = date_field(optional=True)
    sex: Sex = enum_field(Sex, optional=True)
    relation: Relation = enum_field(Relation)
    hukou: HukouType | None = enum_field(HukouType, optional=True)
    disability: Disability | None = record_field(Disability, optional=True)
    self_care: SelfCare | None = enum_field(SelfCare, optional=True)
    labour_capacity: bool | None = bool_field(optional=True)
    in_school: SchoolLevel | None = enum_field(SchoolLevel, optional=True)
    employment: Employment | None = enum_field(Employment, optional=True)
    incomes: tuple[IncomeItem, ...] = items_field(IncomeItem, max_items=MAX_INCOMES)
    supporters: tuple[Supporter, ...] = items_field(Supporter, max_items=MAX_SUPPORTERS)
    statuses: tuple[Status, ...] = items_field(Status, max_items=MAX_STATUSES)
    died_on: _dt.date | None = date_field(optional=True)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules(
            {
                "id_number": self.id_number,
                "birth_date": self.birth_date,
                "sex": self.sex,
                "died_on": self.died_on,
            }
        )
        if errors:
            raise ValidationError(errors, what="person")
        # birth_date and sex are None here when they are to be read from the ID.
        given: tuple[_dt.date | None, Sex | None] = (self.birth_date, self.sex)
        if self.id_number is not None:
            if given[0] is None:
                object.__setattr__(self, "birth_date", self.id_number.birth_date)
            if given[1] is None:
                object.__setattr__(self, "sex", self.id_number.sex)

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """The problems with the rules across fields (字段间规则), given field values by name.

        A field whose value could not be read is left out of *fields*, and the rules that
        need it are skipped. The rules: without an ID, birth date and sex are required; with
        one, they must agree with it; the birth date is not before 1850; death is not
        before birth.
        """
        errors: list[FieldError] = []
        rid = fields.get("id_number", UNREAD)
        birth = fields.get("birth_date", UNREAD)
        sex = fields.get("sex", UNREAD)
        died = fields.get("died_on", UNREAD)
        if rid is None:
            if birth is None:
                errors.append(_missing("birth_date"))
            if sex is None:
                errors.append(_missing("sex"))
        elif isinstance(rid, ResidentId):
            if birth is None:
                birth = rid.birth_date
            elif isinstance(birth, _dt.date) and birth != rid.birth_date:
                errors.append(
                    FieldError(
                        "birth_date",
                        f"{birth} does not match the birth date in id_number {rid.masked} "
                        "(出生日期与身份证号码不符)",
                        "mismatch",
                        zh=f"出生日期 {birth} 与身份证号码 {rid.masked} 中的出生日期不符",
                    )
                )
            if isinstance(sex, Sex) and sex is not rid.sex:
                errors.append(
                    FieldError(
                        "sex",
                        f"{sex.value} does not match id_number {rid.masked} (性别与身份证号码不符)",
                        "mismatch",
                        zh=f"性别 {sex.value} 与身份证号码 {rid.masked} 不符",
                    )
                )
        if isinstance(birth, _dt.date):
            if birth < EARLIEST_BIRTH:
                errors.append(
                    FieldError(
                        "birth_date",
                        f"is before {EARLIEST_BIRTH} (出生日期过早)",
                        zh=f"出生日期过早，早于 {EARLIEST_BIRTH}",
                    )
                )
            if isinstance(died, _dt.date) and died < birth:
                errors.append(
                    FieldError(
                        "died_on",
                        "is before the birth date (死亡日期早于出生日期)",
                        zh="死亡日期早于出生日期",
                    )
                )
        return errors

    @staticmethod
    def input_problems(fields: Mapping[str, Any]) -> list[FieldError]:
        """The rules of a person read from input, against today's date, over the fields that
        could be read: a date of death is never after today. The converter applies them;
        objects built in code (simulations, generated test data) may lie in the future.
        """
        died = fields.get("died_on")
        if isinstance(died, _dt.date) and died > _dt.date.today():
            return [
                FieldError(
                    "died_on",
                    "is in the future; a date of death is never after today (死亡日期晚于今天)",
                    "future",
                    zh="死亡日期晚于今天，不可能是未来的日期",
                )
            ]
        return []

    # ages and life ----------------------------------------------------------------------------
    def age_on(self, day: _dt.date) -> int:
        """Age in whole years on *day* (周岁); a 29 February birthday falls on 1 March.

        Negative before the birth date.
        """
        return age_on(self.birth_date, day)

    def is_alive_on(self, day: _dt.date) -> bool:
        """Born on or before *day* and not yet dead: a person is dead from ``died_on`` on."""
        return self.birth_date <= day and (self.died_on is None or day < self.died_on)

    def is_elderly(self, on: _dt.date) -> bool:
        """Aged 60 or over on *on* (老年人, 老年人权益保障法 art. 2)."""
        return self.age_on(on) >= ELDERLY_AGE

    def is_minor(self, on: _dt.date) -> bool:
        """Under 18 on *on* (未成年人)."""
        return self.age_on(on) < ADULT_AGE

    def has_labour_capacity(self, on: _dt.date) -> bool:
        """Whether the person has labour capacity on *on* (劳动能力).

        The stated ``labour_capacity`` wins. Otherwise the national rule of
        特困人员认定办法 art. 5: no labour capacity at 60 or over, under 16, or with a severe
        disability (:attr:`Disability.is_severe`: grade 1-2, or grade 3 intellectual or
        mental). The age part is in the national text; the disability part follows the
        national wording as compiled and is treated as a default that a programme may
        replace with its own policy point.
        """
        if self.labour_capacity is not None:
            return self.labour_capacity
        age = self.age_on(on)
        if age >= ELDERLY_AGE or age < LABOUR_AGE:
            return False
        return not (self.disability is not None and self.disability.is_severe)

    # statuses and income ----------------------------------------------------------------------
    def has_status(self, kind: StatusKind) -> bool:
        """Whether any of ``statuses`` is of *kind*."""
        return any(s.kind is kind for s in self.statuses)

    def statuses_of(self, kind: StatusKind) -> tuple[Status, ...]:
        """The statuses of *kind*, in the order recorded."""
        return tuple(s for s in self.statuses if s.kind is kind)

    def monthly_income(self, kinds: Collection[IncomeKind] | None = None) -> Money:
        """Total monthly income of the kinds in *kinds* (all kinds when ``None``).

        Which kinds count for a programme is that programme's policy, not this method's.
        """
        if kinds is None:
            return sum((i.monthly for i in self.incomes), ZERO)
        return sum((i.monthly for i in self.incomes if i.kind in kinds), ZERO)

    @property
    def masked_id(self) -> str | None:
        """The resident ID masked for display, or ``None``."""
        return None if self.id_number is None else self.id_number.masked


def _missing(name: str) -> FieldError:
    return FieldError(
        name,
        "is required when there is no id_number (无身份证号码时必填)",
        "missing",
        zh="无身份证号码（id_number）时必填",
    )
