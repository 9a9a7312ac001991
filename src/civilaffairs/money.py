"""Exact money (金额): integer fen (分), never float.

:class:`Money` holds a whole number of fen. It parses and prints decimal yuan
(``"1450.00"``), adds and subtracts exactly, multiplies by whole numbers, and rounds
to whole yuan only when asked, with the direction named (:meth:`Money.round_yuan`).

>>> from civilaffairs.money import Money
>>> m = Money.parse("1,450.5")
>>> m.fen
145050
>>> str(m)
'1450.50'
>>> m.zh()
'1,450.50 元'
>>> str(Money.parse("1450") * 3 - Money.parse("3600"))
'750.00'
>>> str(Money.from_fen(12345).round_yuan("up"))
'124.00'
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from functools import total_ordering

from civilaffairs.errors import InvalidMoney

__all__ = ["MAX_MONEY_FEN", "ZERO", "Money", "Rounding", "parse_fen"]

# The grammar of an amount written as text (金额文本): an optional minus sign, whole yuan
# written without leading zeros, either plain ("1450") or with commas between groups of
# three ("1,450"), then optionally a point and one or two decimals ("1450.5", "1450.00").
# Nothing else: no plus sign, no "5." or ".5", no white space around or inside, no "-0".
_MONEY_RE = re.compile(r"(-?)((?:[1-9]\d{0,2}(?:,\d{3})+)|0|[1-9]\d*)(?:\.(\d{1,2}))?", re.ASCII)
# What may be quoted back of an amount that does not parse: short, and only the characters
# of numbers (never a name typed into a money field).
_NUMBER_LIKE = re.compile(r"[0-9,.+\-]{1,24}", re.ASCII)
# A sanity bound: more than a quadrillion yuan is a data error, and it keeps every
# amount far inside int64 fen for the columnar engine.
MAX_FEN = 10**17
#: The largest amount one money field of a record may hold: 10**12 fen, 100 亿元 (ten
#: billion yuan) per income, asset or expense item. The reasoning: a household has at most
#: 100 members with at most 50 incomes and 20 supporters each, plus 200 assets and 100
#: expenses, about 7,300 amounts; 7,300 * 10**12 fen is 7.3 * 10**15, and even twelve months
#: of it (8.8 * 10**16) stays a hundred times inside int64 (9.2 * 10**18), for the scalar
#: and the column-wise engine alike. Larger amounts are refused by validation, naming the
#: field (:func:`civilaffairs.domain._validators.money_field`).
MAX_MONEY_FEN = 10**12


class Rounding(enum.Enum):
    """How an amount is rounded to whole yuan (取整方式), a policy point.

    * ``NONE`` keeps fen (不取整);
    * ``UP`` rounds toward +∞ (向上取整到元, as some provinces do for benefits);
    * ``DOWN`` rounds toward −∞ (向下取整);
    * ``HALF_UP`` rounds to the nearest yuan, halves away from zero (四舍五入).
    """

    NONE = "none"
    UP = "up"
    DOWN = "down"
    HALF_UP = "half_up"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _ROUNDING_ZH[self]


_ROUNDING_ZH = {
    Rounding.NONE: "保留到分",
    Rounding.UP: "向上取整到元",
    Rounding.DOWN: "向下取整到元",
    Rounding.HALF_UP: "四舍五入到元",
}


def round_fen(fen: int, how: Rounding) -> int:
    """Round an amount in fen to whole yuan (a multiple of 100 fen).

    >>> round_fen(12301, Rounding.UP), round_fen(-12301, Rounding.UP)
    (12400, -12300)
    >>> round_fen(12350, Rounding.HALF_UP), round_fen(-12350, Rounding.HALF_UP)
    (12400, -12400)
    """
    if how is Rounding.NONE:
        return fen
    if how is Rounding.UP:
        return -((-fen) // 100) * 100
    if how is Rounding.DOWN:
        return (fen // 100) * 100
    # HALF_UP: away from zero at exactly .50
    sign = -1 if fen < 0 else 1
    return sign * ((abs(fen) + 50) // 100) * 100


def parse_fen(value: object) -> int:
    """Parse *value* into a whole number of fen; see :meth:`Money.parse`."""
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, bool):
        raise InvalidMoney(
            f"expected an amount of money, got a boolean ({value})",
            zh=f"应为金额，实为是/否值（{value}）",
        )
    if isinstance(value, int):
        fen = value * 100
    elif isinstance(value, float):
        raise InvalidMoney(
            f"float {value!r} is not accepted for money: give a decimal string such as "
            "'1450.00' or a Decimal (金额不接受浮点数)",
            zh=f"金额不接受浮点数 {value!r}，请写成 '1450.00' 这样的十进制文本或 Decimal",
        )
    elif isinstance(value, Decimal):
        fen = _decimal_to_fen(value)
    elif isinstance(value, str):
        fen = _str_to_fen(value)
    else:
        raise InvalidMoney(
            f"expected an amount of money as a string, Decimal or int, got {type(value).__name__}",
            zh=f"金额应为文本、Decimal 或整数，实为 {type(value).__name__}",
        )
    if abs(fen) > MAX_FEN:
        raise InvalidMoney("amount is too large (金额超出范围)", zh="金额超出范围")
    return fen


def _decimal_to_fen(value: Decimal) -> int:
    if not value.is_finite():
        raise InvalidMoney(
            f"{value} is not a finite amount (金额必须是有限数)", zh=f"{value} 不是有限的金额"
        )
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp < -2 and value != value.quantize(Decimal("0.01")):
        raise InvalidMoney(
            f"{value} has more than two decimals (金额最多两位小数)",
            zh=f"{value} 超过两位小数（金额最多两位小数）",
        )
    if abs(value) > MAX_FEN:
        raise InvalidMoney("amount is too large (金额超出范围)", zh="金额超出范围")
    return int(value * 100)


def _str_to_fen(text: str) -> int:
    if not text:
        raise InvalidMoney("empty amount (金额为空)", zh="金额为空")
    if text != text.strip():
        raise InvalidMoney(
            "amount has white space or a line break around it (金额前后不得有空白)",
            zh="金额前后不得有空格或换行",
        )
    if len(text) > 40:
        raise InvalidMoney(
            "amount is too long to be money (金额格式错误)", zh="金额格式错误：位数过多"
        )
    m = _MONEY_RE.fullmatch(text)
    if m is None:
        shown = f"{text!r} " if _NUMBER_LIKE.fullmatch(text) else ""
        if re.fullmatch(r"-?[\d,]*\.\d{3,}", text):
            raise InvalidMoney(
                f"{shown}has more than two decimals (金额最多两位小数)",
                zh=f"{shown}超过两位小数（金额最多两位小数）",
            )
        message, zh = _format_problem(text, shown)
        raise InvalidMoney(message, zh=zh)
    sign, whole, frac = m.groups()
    fen = int(whole.replace(",", "")) * 100 + int((frac or "").ljust(2, "0"))
    if sign == "-":
        if fen == 0:
            raise InvalidMoney(
                f"{text!r} is not an amount: zero has no sign (零不带负号)",
                zh=f"{text!r} 不是有效金额：零不带负号",
            )
        return -fen
    return fen


def _format_problem(text: str, shown: str) -> tuple[str, str]:
    """Why *text* is not an amount, as ``(message, Chinese message)``."""
    if text.startswith("+"):
        en, zh = "has a plus sign; write amounts without one", "金额不带加号"
    elif text.startswith((".", "-.")) or text.endswith("."):
        en, zh = "needs digits on both sides of the decimal point", "小数点前后都应有数字"
    elif re.fullmatch(r"-?0[\d,]+(?:\.\d*)?", text):
        en, zh = "has a leading zero", "整数部分不得以0开头"
    else:
        en, zh = (
            "is not an amount in yuan such as '1450', '1450.5' or '1,450.00'",
            "不是以元为单位的金额",
        )
        return (
            f"{shown}{en} (金额格式错误)",
            f"{shown}{zh}，应写成 '1450'、'1450.5' 或 '1,450.00' 这样的形式",
        )
    return f"{shown}{en} (金额格式错误)", f"{shown}金额格式错误：{zh}"


#: Most amounts :meth:`Money.from_fen` keeps one object of, and ``str`` keeps the text of
#: (bounded, so that a run over millions of distinct amounts does not grow them).
_POOL_SIZE = 65_536
_POOL: dict[int, Money] = {}
_TEXT: dict[int, str] = {}


@total_ordering
class Money:
    """An exact amount of money in fen (分); immutable and hashable.

    Build it with :meth:`parse` (yuan) or :meth:`from_fen`. Arithmetic: ``+`` and ``-``
    with Money, ``*`` and ``//`` by whole numbers, comparisons, ``sum()`` (0 is the
    start value). Division by a whole number is explicit: :meth:`div_round`.
    """

    __slots__ = ("_fen",)
    _fen: int

    def __init__(self, fen: int = 0) -> None:
        if isinstance(fen, bool) or not isinstance(fen, int):
            raise InvalidMoney(
                f"Money() takes a whole number of fen; use Money.parse for yuan, got {fen!r}"
            )
        object.__setattr__(self, "_fen", fen)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    @classmethod
    def from_fen(cls, fen: int) -> Money:
        """Money from a whole number of fen (分): ``Money.from_fen(145000)`` is 1450.00 yuan."""
        if type(fen) is int and cls is Money:
            # amounts repeat (standards, zero, a household's incomes): Money is immutable,
            # so one object per amount serves every decision that shows it
            hit = _POOL.get(fen)
            if hit is None:
                hit = cls(fen)
                if len(_POOL) < _POOL_SIZE:
                    _POOL[fen] = hit
            return hit
        return cls(fen)

    @classmethod
    def parse(cls, value: object) -> Money:
        """Parse yuan (元) into Money.

        Accepts ``"1450"``, ``"1450.5"``, ``"1,450.00"``, ``"-3.20"``, a :class:`~decimal.Decimal`
        or an ``int`` (whole yuan). Rejects floats, NaN, infinities, more than two decimals,
        empty strings and anything else with :class:`~civilaffairs.errors.InvalidMoney`.
        """
        return cls(parse_fen(value))

    @classmethod
    def yuan(cls, whole: int) -> Money:
        """Money from whole yuan: ``Money.yuan(1450)``."""
        if isinstance(whole, bool) or not isinstance(whole, int):
            raise InvalidMoney(f"Money.yuan takes a whole number, got {whole!r}")
        return cls(whole * 100)

    @property
    def fen(self) -> int:
        """The amount in fen (分), an ``int``."""
        return self._fen

    def to_decimal(self) -> Decimal:
        """The amount in yuan as an exact :class:`~decimal.Decimal`."""
        return Decimal(self._fen).scaleb(-2)

    def round_yuan(self, how: Rounding | str = Rounding.HALF_UP) -> Money:
        """Round to whole yuan: ``"up"``, ``"down"``, ``"half_up"`` or ``"none"``."""
        return Money(round_fen(self._fen, Rounding(how)))

    def div_round(self, n: int, how: Rounding | str = Rounding.NONE) -> Money:
        """Divide by a positive whole number, rounding the fen half up, then by *how*.

        Used for displayed figures such as per-capita income; benefit arithmetic avoids it.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise InvalidMoney(f"can only divide money by a positive whole number, got {n!r}")
        q, r = divmod(abs(self._fen), n)
        if 2 * r >= n:
            q += 1
        fen = q if self._fen >= 0 else -q
        return Money(round_fen(fen, Rounding(how)))

    def is_negative(self) -> bool:
        """True when below zero."""
        return self._fen < 0

    # formatting -------------------------------------------------------------------
    def __str__(self) -> str:
        text = _TEXT.get(self._fen)
        if text is None:
            sign = "-" if self._fen < 0 else ""
            whole, frac = divmod(abs(self._fen), 100)
            text = f"{sign}{whole}.{frac:02d}"
            if len(_TEXT) < _POOL_SIZE:
                _TEXT[self._fen] = text
        return text

    def zh(self) -> str:
        """Chinese display form: ``1,450.00 元``."""
        sign = "-" if self._fen < 0 else ""
        whole, frac = divmod(abs(self._fen), 100)
        return f"{sign}{whole:,}.{frac:02d} 元"

    def __repr__(self) -> str:
        return f"Money('{self}')"

    def __format__(self, spec: str) -> str:
        if spec == "zh":
            return self.zh()
        return format(str(self), spec)

    # arithmetic -------------------------------------------------------------------
    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            return Money(self._fen + other._fen)
        return NotImplemented

    def __radd__(self, other: object) -> Money:
        if isinstance(other, Money):
            return Money(self._fen + other._fen)
        if other == 0 and isinstance(other, int):  # sum() starts at 0
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            return Money(self._fen - other._fen)
        return NotImplemented

    def __mul__(self, n: object) -> Money:
        if isinstance(n, int) and not isinstance(n, bool):
            return Money(self._fen * n)
        return NotImplemented

    __rmul__ = __mul__

    def __floordiv__(self, n: object) -> Money:
        if isinstance(n, int) and not isinstance(n, bool) and n != 0:
            return Money(self._fen // n)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(-self._fen)

    def __abs__(self) -> Money:
        return Money(abs(self._fen))

    def __bool__(self) -> bool:
        return self._fen != 0

    # comparison --------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self._fen == other._fen
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self._fen < other._fen
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Money", self._fen))

    def __reduce__(self) -> tuple[type[Money], tuple[int]]:
        return (Money, (self._fen,))


ZERO = Money(0)
