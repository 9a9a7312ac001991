"""Field declarations with validators for the domain types (字段声明与校验).

Each helper returns an :func:`attrs.field` whose validator

* looks only at the value, never at the rest of the instance, so the converter can run the
  validators of a record one by one and report **every** bad field, not just the first;
* raises :class:`~civilaffairs.errors.ValidationError` with the field name as its path and a
  message in plain words (English, then the Chinese term);
* records its constraints (bounds, lengths, item counts) in the field metadata under
  :data:`META`, from which :func:`civilaffairs.convert.json_schema` generates the JSON Schema,
  so the schema and the validators cannot drift apart.

Rules that compare fields with each other (a birth date against the resident ID, exactly one
head of household) live in each type's ``__attrs_post_init__``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import CreditCode, ResidentId
from civilaffairs.money import MAX_MONEY_FEN, Money

#: Pattern of record identifiers (household, institution, service and application ids):
#: no leading or trailing white space.
ID_PATTERN = r"[^\s](?:.*[^\s])?"


class _Unread:
    """The value of a field that could not be read, for ``check_rules``."""

    def __repr__(self) -> str:
        return "UNREAD"


#: Stands for a field left out of the mapping given to a type's ``check_rules``: its value
#: could not be read, so the rules that need it are skipped.
UNREAD: Any = _Unread()

#: Metadata key holding a field's constraints, read by the JSON Schema generator.
META = "civilaffairs"

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: Pattern of programme and catalogue codes: lowercase words joined by ``_``, ``-`` or ``.``.
CODE_PATTERN = r"[a-z][a-z0-9_]*(?:[.\-][a-z0-9_]+)*"

#: What each text pattern means, in the words of an error message.
PATTERN_HINTS = {
    ID_PATTERN: "must not begin or end with white space (首尾不得有空格)",
    CODE_PATTERN: (
        "must be a lowercase code such as 'dibao' or 'elderly.day_care' (应为小写字母代码)"
    ),
}

#: The same hints in Chinese.
PATTERN_HINTS_ZH = {
    ID_PATTERN: "首尾不得有空格",
    CODE_PATTERN: "应为小写字母代码，如 'dibao' 或 'elderly.day_care'",
}

#: Characters never valid in a name, an id or a note: control characters (C0, DEL, C1), the
#: line and paragraph separators (a common sign of a corrupted export) and lone surrogates
#: (not text at all: they cannot be written as UTF-8). A regular-expression character class.
FORBIDDEN_CHARS = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff"
_CONTROL = re.compile(f"[{FORBIDDEN_CHARS}]")
#: A value short and code-like enough to be quoted back in an error message (a mistyped
#: code, never a name or free text): at most 12 ASCII letters, digits, ``.``, ``_``, ``-``.
_CODE_LIKE = re.compile(r"[A-Za-z0-9._\-]{1,12}", re.ASCII)


_DESCRIBE_ZH = {
    "null": "空值（null）",
    "true/false": "是/否值（true/false）",
    "a number": "数字",
    "text": "文本",
    "a list": "列表",
    "an object": "对象",
}


def describe(value: object, lang: str = "en") -> str:
    """Name the JSON-ish type of *value* for an error message: ``text``, ``a number``, …

    With ``lang="zh"`` the name is in Chinese: ``文本``, ``数字``, …
    """
    if lang == "zh":
        en = describe(value)
        return _DESCRIBE_ZH.get(en, en)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def fail(
    attribute: attrs.Attribute[Any], message: str, code: str = "invalid", *, zh: str | None = None
) -> None:
    """Raise a :class:`ValidationError` for one field; *zh* is the message in Chinese."""
    raise ValidationError([FieldError(attribute.name, message, code, zh=zh)])


def _optional(validator: Validator) -> Validator:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(inst, attribute, value)

    return check


def _field(
    validator: Validator,
    meta: dict[str, Any],
    *,
    optional: bool,
    default: Any = attrs.NOTHING,
    repr: bool | Callable[[Any], str] = True,
) -> Any:
    if optional:
        validator = _optional(validator)
        if default is attrs.NOTHING:
            default = None
    return attrs.field(
        default=default,
        validator=validator,
        repr=repr,
        metadata={META: {**meta, "nullable": optional}},
    )


# ---------------------------------------------------------------------------------------------
# text


def check_text(value: object, max_length: int, pattern: re.Pattern[str] | None) -> str | None:
    """The problem with a text value, or ``None`` when it is acceptable."""
    problem = text_problem(value, max_length, pattern)
    return problem[0] if problem else None


def text_problem(
    value: object, max_length: int, pattern: re.Pattern[str] | None
) -> tuple[str, str] | None:
    """The problem with a text value as ``(message, Chinese message)``, or ``None``."""
    if not isinstance(value, str):
        return (
            f"expected text, got {describe(value)} (应为文本)",
            f"应为文本，实为{describe(value, 'zh')}",
        )
    if not value.strip():
        return "must not be blank (不得为空)", "不得为空"
    if len(value) > max_length:
        return (
            f"is longer than {max_length} characters (超过{max_length}个字符)",
            f"超过{max_length}个字符",
        )
    if _CONTROL.search(value):
        return (
            "contains control characters or invalid text (含控制字符或无效字符)",
            "含控制字符或无效字符",
        )
    if pattern is not None and pattern.fullmatch(value) is None:
        return f"must match {pattern.pattern} (格式错误)", f"格式错误，应符合 {pattern.pattern}"
    return None


def text_field(
    *,
    max_length: int,
    optional: bool = False,
    pattern: str | None = None,
    repr: bool | Callable[[Any], str] = True,
    personal: bool = False,
) -> Any:
    """A non-blank text field of at most *max_length* characters without control characters.

    *pattern* is one of :data:`PATTERN_HINTS` and must match the whole value. *personal*
    marks a personal name, masked in audit exports.
    """
    compiled = re.compile(pattern) if pattern else None
    hint = PATTERN_HINTS[pattern] if pattern else ""
    hint_zh = PATTERN_HINTS_ZH[pattern] if pattern else ""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        problem = text_problem(value, max_length, compiled)
        if problem:
            message, zh = problem
            if message.startswith("must match"):
                message, zh = hint, hint_zh
            fail(attribute, message, zh=zh)

    meta: dict[str, Any] = {"type": "text", "max_length": max_length, "personal": personal}
    if pattern:
        meta["pattern"] = pattern
    return _field(check, meta, optional=optional, repr=repr)


def choice_field(choices: tuple[str, ...], *, optional: bool = False) -> Any:
    """A text field that must be one of *choices*."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices or not isinstance(value, str):
            fail(
                attribute,
                f"must be one of: {', '.join(choices)} (取值无效)",
                zh=f"取值无效，应为以下之一：{', '.join(choices)}",
            )

    return _field(check, {"type": "choice", "choices": choices}, optional=optional)


# ---------------------------------------------------------------------------------------------
# numbers, booleans, dates, money


def int_field(
    *, minimum: int, maximum: int, optional: bool = False, default: Any = attrs.NOTHING
) -> Any:
    """A whole number between *minimum* and *maximum* inclusive (``bool`` is refused)."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            fail(
                attribute,
                f"expected a whole number, got {describe(value)} (应为整数)",
                zh=f"应为整数，实为{describe(value, 'zh')}",
            )
        if not minimum <= value <= maximum:
            shown = f"{value} " if abs(value) < 10**12 else ""
            fail(
                attribute,
                f"{shown}is not between {minimum} and {maximum} (应在{minimum}至{maximum}之间)",
                "out_of_range",
                zh=f"{shown}超出范围，应在{minimum}至{maximum}之间",
            )

    return _field(
        check,
        {"type": "int", "minimum": minimum, "maximum": maximum},
        optional=optional,
        default=default,
    )


def bool_field(*, optional: bool = False) -> Any:
    """A ``True``/``False`` field."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, bool):
            fail(
                attribute,
                f"expected true or false, got {describe(value)} (应为是或否)",
                zh=f"应为是或否（true 或 false），实为{describe(value, 'zh')}",
            )

    return _field(check, {"type": "bool"}, optional=optional)


def date_field(*, optional: bool = False) -> Any:
    """A calendar date (a :class:`datetime.date`, not a ``datetime``)."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            fail(
                attribute,
                f"expected a date, got {describe(value)} (应为日期)",
                zh=f"应为日期，实为{describe(value, 'zh')}",
            )

    return _field(check, {"type": "date"}, optional=optional)


def money_field(*, optional: bool = False, default: Any = attrs.NOTHING) -> Any:
    """A non-negative amount of :class:`~civilaffairs.money.Money`, at most
    :data:`~civilaffairs.money.MAX_MONEY_FEN` (100 亿元): a record's totals then stay far
    inside int64 fen."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, Money):
            fail(
                attribute,
                f"expected an amount of money, got {describe(value)} (应为金额)",
                zh=f"应为金额，实为{describe(value, 'zh')}",
            )
        if value.is_negative():
            fail(attribute, "must not be negative (不得为负数)", "negative", zh="金额不得为负数")
        if value.fen > MAX_MONEY_FEN:
            fail(
                attribute,
                f"is more than {_MAX_MONEY} yuan, the largest amount one item may hold "
                "(金额超出上限)",
                "too_large",
                zh=f"金额超出上限：单项金额最多 {_MAX_MONEY} 元",
            )

    return _field(
        check,
        {"type": "money", "minimum": 0, "maximum_fen": MAX_MONEY_FEN},
        optional=optional,
        default=default,
    )


#: :data:`~civilaffairs.money.MAX_MONEY_FEN` in yuan, for messages.
_MAX_MONEY = str(Money.from_fen(MAX_MONEY_FEN))


# ---------------------------------------------------------------------------------------------
# enumerations, identifiers, nested records


def enum_field(enum_cls: type[enum.Enum], *, optional: bool = False) -> Any:
    """A member of *enum_cls*."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_cls):
            fail(
                attribute,
                f"expected a {enum_cls.__name__}, got {describe(value)} (取值无效)",
                zh=f"取值无效，应为 {enum_cls.__name__} 的取值，实为{describe(value, 'zh')}",
            )

    return _field(check, {"type": "enum"}, optional=optional)


def identifier_field(
    id_cls: type[ResidentId] | type[CreditCode],
    *,
    optional: bool = True,
    repr: bool | Callable[[Any], str] = True,
) -> Any:
    """A parsed :class:`~civilaffairs.ids.ResidentId` or :class:`~civilaffairs.ids.CreditCode`."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, id_cls):
            fail(
                attribute,
                f"expected a parsed {id_cls.__name__}, got {describe(value)} (应为证件号码)",
                zh=f"应为证件号码（{id_cls.__name__}），实为{describe(value, 'zh')}",
            )

    return _field(check, {"type": "identifier"}, optional=optional, repr=repr)


def record_field(cls: type, *, optional: bool = False) -> Any:
    """A nested domain record of type *cls*."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            fail(
                attribute,
                f"expected a {cls.__name__}, got {describe(value)} (类型错误)",
                zh=f"类型错误，应为 {cls.__name__}，实为{describe(value, 'zh')}",
            )

    return _field(check, {"type": "record"}, optional=optional)


#: A rule over the items of one list field: the problems, with paths relative to the field
#: (``""`` for the list itself, ``"[3].relation"`` for one item). Items that could not be read
#: are ``None``; the rule must not count them either way.
ItemsCheck = Callable[[Sequence[Any]], list[FieldError]]


def items_field(
    item_cls: type, *, max_items: int, min_items: int = 0, check: ItemsCheck | None = None
) -> Any:
    """A tuple of *item_cls* with between *min_items* and *max_items* entries.

    The default is the empty tuple unless at least one item is required. *check* is a rule
    over the items (such as "exactly one head"); the converter also runs it on the items it
    could read when others are bad, so its errors are not hidden behind theirs.
    """

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            fail(
                attribute,
                f"expected a tuple, got {describe(value)} (应为列表)",
                zh=f"应为列表，实为{describe(value, 'zh')}",
            )
        if len(value) > max_items:
            fail(
                attribute,
                f"has {len(value)} items; at most {max_items} are allowed (最多{max_items}项)",
                "too_many",
                zh=f"共{len(value)}项，最多允许{max_items}项",
            )
        if len(value) < min_items:
            fail(
                attribute,
                f"must have at least {min_items} item (至少{min_items}项)",
                "too_few",
                zh=f"至少应有{min_items}项",
            )
        bad = [
            FieldError(
                f"{attribute.name}[{i}]",
                f"expected a {item_cls.__name__} (类型错误)",
                zh=f"类型错误，应为 {item_cls.__name__}",
            )
            for i, item in enumerate(value)
            if not isinstance(item, item_cls)
        ]
        if bad:
            raise ValidationError(bad)
        if check is not None:
            problems = check(value)
            if problems:
                raise ValidationError([e.at(attribute.name) for e in problems])

    default: Any = attrs.NOTHING if min_items else ()
    meta = {"type": "items", "min_items": min_items, "max_items": max_items, "check": check}
    return attrs.field(default=default, validator=validate, metadata={META: meta})


# ---------------------------------------------------------------------------------------------
# administrative divisions

COUNTY = "county"
ANY_LEVEL = "any"


def region_problem(code: str, levels: str = COUNTY) -> str | None:
    """Why *code* is not an acceptable GB/T 2260 code, or ``None`` when it is.

    Current and retired codes are both accepted (records outlive re-zoning). With
    ``levels="county"`` only county-level codes (县级) are; with ``"any"``, codes of any level
    except the national pseudo-region.
    """
    problem = region_problems(code, levels)
    return problem[0] if problem else None


def region_problems(code: str, levels: str = COUNTY) -> tuple[str, str] | None:
    """Like :func:`region_problem`, as ``(message, Chinese message)``."""
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        # Quoted only when it is short and code-like: a name typed into the field is not
        # echoed back.
        if _CODE_LIKE.fullmatch(code):
            shown = repr(code)
            return (
                f"{shown} is not a 6-digit division code (行政区划代码应为6位数字)",
                f"{shown} 不是6位数字的行政区划代码",
            )
        return (
            "is not a 6-digit division code (行政区划代码应为6位数字)",
            "不是6位数字的行政区划代码",
        )
    return _region_problem(code, levels)


@functools.lru_cache(maxsize=8192)
def _region_problem(code: str, levels: str) -> tuple[str, str] | None:
    from civilaffairs import regions

    if code == regions.NATIONAL_CODE or not regions.exists(code):
        return (
            f"{code} is not a GB/T 2260 division code (未知行政区划代码)",
            f"{code} 不是 GB/T 2260 行政区划代码（未知行政区划）",
        )
    region = regions.get(code)
    if levels == COUNTY and region.level is not regions.Level.COUNTY:
        level_zh = {"province": "省级", "prefecture": "地级", "county": "县级"}.get(
            region.level.value, region.level.value
        )
        return (
            f"{code} {region.name} is a {region.level.value}-level division; give the "
            "county-level code (应为县级行政区划代码)",
            f"{code} {region.name} 是{level_zh}行政区划，应填写县级行政区划代码",
        )
    return None


def region_field(*, levels: str = COUNTY) -> Any:
    """A GB/T 2260 division code: county-level, or of any level with ``levels="any"``."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            fail(
                attribute,
                f"expected a 6-digit division code as text, got {describe(value)} (应为文本)",
                zh=f"应为文本形式的6位行政区划代码，实为{describe(value, 'zh')}",
            )
        problem = region_problems(value, levels)
        if problem:
            fail(attribute, problem[0], "unknown_region", zh=problem[1])

    return attrs.field(
        validator=check, metadata={META: {"type": "region", "levels": levels, "nullable": False}}
    )


def constraints(attribute: attrs.Attribute[Any]) -> dict[str, Any]:
    """The constraints recorded by the helpers above for *attribute* (empty if none)."""
    meta: dict[str, Any] = attribute.metadata.get(META, {})
    return meta
