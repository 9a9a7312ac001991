"""Structuring the leaves of a record (读入字段值): text, numbers, dates, money, identifiers,
code lists, and lists of items.

Each structurer takes one raw value and returns the domain value or raises
:class:`~civilaffairs.errors.ValidationError` with a path relative to that value; the record
structurers in :mod:`civilaffairs.convert._structure` add the field names.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any

from civilaffairs.domain._validators import describe
from civilaffairs.errors import (
    CivilAffairsError,
    FieldError,
    InvalidIdentifier,
    InvalidMoney,
    InvalidPeriod,
    ValidationError,
)
from civilaffairs.ids import CreditCode, ResidentId
from civilaffairs.money import Money
from civilaffairs.periods import parse_date

#: Structures one raw value; raises :class:`ValidationError` with paths relative to it.
Structurer = Callable[[Any], Any]


def bad(
    message: str, code: str = "invalid", *, zh: str | None = None, en: str | None = None
) -> ValidationError:
    """A :class:`ValidationError` for the value at hand (its path is filled in by callers);
    *zh* is the message in Chinese."""
    return ValidationError([FieldError("", message, code, zh=zh, en=en)])


def bad_from(exc: CivilAffairsError) -> ValidationError:
    """A :class:`ValidationError` for the value at hand carrying *exc*'s messages."""
    return ValidationError([exc.field_error("")])


# ---------------------------------------------------------------------------------------------
# leaves


def structure_str(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    raise bad(
        f"expected text, got {describe(raw)} (应为文本)",
        "type",
        zh=f"应为文本，实为{describe(raw, 'zh')}",
    )


def structure_int(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise bad(
        f"expected a whole number, got {describe(raw)} (应为整数)",
        "type",
        zh=f"应为整数，实为{describe(raw, 'zh')}",
    )


def structure_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    raise bad(
        f"expected true or false, got {describe(raw)} (应为 true 或 false)",
        "type",
        zh=f"应为是或否（true 或 false），实为{describe(raw, 'zh')}",
    )


def structure_date(raw: Any) -> _dt.date:
    if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
        return raw
    if not isinstance(raw, str):
        raise bad(
            f"expected a date as text 'YYYY-MM-DD', got {describe(raw)} (应为日期)",
            "type",
            zh=f"应为 'YYYY-MM-DD' 格式的日期文本，实为{describe(raw, 'zh')}",
        )
    try:
        return parse_date(raw)
    except InvalidPeriod as exc:
        raise bad_from(exc) from None


def structure_money(raw: Any) -> Money:
    """Money from text such as ``"1450.00"``; JSON numbers are refused (they can lose fen)."""
    if isinstance(raw, Money):
        return raw
    if isinstance(raw, str):
        try:
            return Money.parse(raw)
        except InvalidMoney as exc:
            raise bad_from(exc) from None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise bad(
            'give money as text such as "1450.00", not as a JSON number '
            '(金额须以文本表示，如 "1450.00")',
            "money_number",
            zh='金额须以文本表示，如 "1450.00"，不能写成 JSON 数值',
        )
    raise bad(
        f'expected money as text such as "1450.00", got {describe(raw)} (应为金额)',
        "type",
        zh=f'应为文本形式的金额，如 "1450.00"，实为{describe(raw, "zh")}',
    )


def structure_resident_id(raw: Any) -> ResidentId:
    if isinstance(raw, ResidentId):
        return raw
    if not isinstance(raw, str):
        raise bad(
            f"expected a resident ID as text, got {describe(raw)} (身份证号码应为文本)",
            zh=f"身份证号码应为文本，实为{describe(raw, 'zh')}",
        )
    try:
        return ResidentId.parse(raw)
    except InvalidIdentifier as exc:
        raise bad_from(exc) from None


def structure_credit_code(raw: Any) -> CreditCode:
    if isinstance(raw, CreditCode):
        return raw
    if not isinstance(raw, str):
        raise bad(
            f"expected a credit code as text, got {describe(raw)} (信用代码应为文本)",
            zh=f"统一社会信用代码应为文本，实为{describe(raw, 'zh')}",
        )
    try:
        return CreditCode.parse(raw)
    except InvalidIdentifier as exc:
        raise bad_from(exc) from None


LEAVES: dict[Any, Structurer] = {
    str: structure_str,
    int: structure_int,
    bool: structure_bool,
    _dt.date: structure_date,
    Money: structure_money,
    ResidentId: structure_resident_id,
    CreditCode: structure_credit_code,
}


def enum_structurer(cls: type[enum.Enum]) -> Structurer:
    """Members of *cls* by their exact value."""
    by_value = {m.value: m for m in cls}
    allowed = ", ".join(str(v) for v in by_value)

    def structure_enum(raw: Any) -> Any:
        if isinstance(raw, cls):
            return raw
        if isinstance(raw, str):
            member = by_value.get(raw)
            if member is not None:
                return member
            # The value given is never quoted (it may be a name typed into the wrong
            # field); a candidate it resembles is.
            near = _near_miss(raw, by_value)
            hint = f"; did you mean {near!r}?" if near else ""
            hint_zh = f"；是否应为 {near!r}？" if near else ""
            raise bad(
                f"is not one of: {allowed}{hint} (取值无效)",
                "choice",
                zh=f"不是有效取值，应为以下之一：{allowed}{hint_zh}",
            )
        raise bad(
            f"expected one of: {allowed}; got {describe(raw)} (取值无效)",
            "type",
            zh=f"应为以下之一：{allowed}；实为{describe(raw, 'zh')}",
        )

    return structure_enum


def _near_miss(raw: str, by_value: dict[Any, Any]) -> str | None:
    """The candidate *raw* differs from only in case, white space or ``-``/``_``."""
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    for value in by_value:
        if isinstance(value, str) and value.lower().replace("-", "_") == key:
            return value
    return None


def tuple_structurer(item: Structurer) -> Structurer:
    """A list (or tuple) structured item by item into a tuple, errors collected by index."""

    def structure_items(raw: Any) -> tuple[Any, ...]:
        if not isinstance(raw, list | tuple):
            raise bad(
                f"expected a list, got {describe(raw)} (应为列表)",
                "type",
                zh=f"应为列表，实为{describe(raw, 'zh')}",
            )
        out = []
        partial: list[Any] = []
        errors: list[FieldError] = []
        for i, value in enumerate(raw):
            try:
                out.append(item(value))
            except ValidationError as exc:
                errors.extend(exc.at(f"[{i}]").errors)
                if not partial:
                    partial = [*out]
                partial.append(ReadFields(exc.fields) if isinstance(exc, PartialRecord) else None)
            else:
                if partial:
                    partial.append(out[-1])
        if errors:
            raise PartialItems(errors, partial)
        return tuple(out)

    return structure_items


class PartialItems(ValidationError):
    """Some items of a list were bad; :attr:`partial` has the others.

    A bad record item is a :class:`ReadFields` view of the fields that could be read; any
    other bad item is ``None``.
    """

    def __init__(self, errors: list[FieldError], partial: list[Any]) -> None:
        super().__init__(errors)
        self.partial = partial


class PartialRecord(ValidationError):
    """A record had bad fields; :attr:`fields` has those that could be read, by name."""

    def __init__(self, errors: list[FieldError], fields: dict[str, Any]) -> None:
        super().__init__(errors)
        self.fields = fields


class ReadFields:
    """Attribute access to the fields of a bad record that could be read; others are ``None``.

    Lets a rule over list items (such as "exactly one head") look at a member whose income
    was bad but whose relation was fine.
    """

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        return self._fields.get(name)
