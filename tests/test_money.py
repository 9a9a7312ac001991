from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import CivilAffairsError, InvalidMoney
from civilaffairs.money import ZERO, Money, Rounding, round_fen
from civilaffairs.testing import strategies as cst


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1450", 145000),
        ("1450.5", 145050),
        ("1,450.00", 145000),
        ("1,234,567.89", 123456789),
        ("0.01", 1),
        ("-3.20", -320),
        (Decimal("1450.50"), 145050),
        (Decimal("1450.500"), 145050),
        (1450, 145000),
    ],
)
def test_parse_accepts(text: object, fen: int) -> None:
    assert Money.parse(text).fen == fen


@pytest.mark.parametrize(
    "bad",
    [
        1450.0,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("1.234"),
        "1.234",
        "",
        "   ",
        "abc",
        "1,45.00",
        "1e3",
        "１４５０",
        "12.3.4",
        "--1",
        "+7",
        "  12.30 ",
        "12.",
        True,
        None,
        [1],
        "9" * 50,
    ],
)
def test_parse_rejects(bad: object) -> None:
    with pytest.raises(InvalidMoney) as info:
        Money.parse(bad)
    assert isinstance(info.value, CivilAffairsError)
    assert info.value.code == "invalid_money"
    assert str(info.value)


def test_more_than_two_decimals_message() -> None:
    with pytest.raises(InvalidMoney, match="more than two decimals"):
        Money.parse("1.005")


def test_display_forms() -> None:
    m = Money.from_fen(145000)
    assert str(m) == "1450.00"
    assert m.zh() == "1,450.00 元"
    assert f"{m:zh}" == "1,450.00 元"
    assert repr(Money.from_fen(-5)) == "Money('-0.05')"
    assert Money.from_fen(-5).zh() == "-0.05 元"


def test_arithmetic_and_sum() -> None:
    a, b = Money.parse("1450"), Money.parse("3600")
    assert a * 3 - b == Money.parse("750")
    assert 3 * a == a * 3
    assert sum([a, b]) == Money.parse("5050")
    assert sum([], ZERO) == ZERO
    assert -a == Money.from_fen(-145000)
    assert abs(-a) == a
    assert a < b
    assert not a > b
    with pytest.raises(TypeError):
        _ = a * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = a + 1  # type: ignore[operator]


def test_immutable_and_int_only() -> None:
    m = Money.from_fen(1)
    with pytest.raises(AttributeError):
        m._fen = 2  # type: ignore[misc]
    with pytest.raises(InvalidMoney):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidMoney):
        Money.yuan(True)


@pytest.mark.parametrize(
    ("fen", "how", "expected"),
    [
        (12301, Rounding.UP, 12400),
        (12300, Rounding.UP, 12300),
        (12399, Rounding.DOWN, 12300),
        (12350, Rounding.HALF_UP, 12400),
        (12349, Rounding.HALF_UP, 12300),
        (-12350, Rounding.HALF_UP, -12400),
        (12345, Rounding.NONE, 12345),
    ],
)
def test_rounding(fen: int, how: Rounding, expected: int) -> None:
    assert round_fen(fen, how) == expected
    assert Money.from_fen(fen).round_yuan(how).fen == expected
    assert Money.from_fen(fen).round_yuan(how.value).fen == expected


def test_div_round() -> None:
    assert Money.parse("10.00").div_round(3).fen == 333
    assert Money.parse("0.02").div_round(3).fen == 1
    with pytest.raises(InvalidMoney):
        Money.parse("1").div_round(0)


@given(cst.fen(-(10**15), 10**15))
def test_str_parse_round_trip(fen: int) -> None:
    m = Money.from_fen(fen)
    assert Money.parse(str(m)) == m
    assert Money.parse(m.zh().removesuffix(" 元")) == m
    assert Money.parse(m.to_decimal()) == m


@given(cst.money_strings(-(10**12), 10**12))
def test_generated_strings_parse(text: str) -> None:
    m = Money.parse(text)
    assert Money.parse(str(m)) == m


@given(st.lists(cst.fen(-(10**12), 10**12), max_size=50))
def test_sums_are_exact(values: list[int]) -> None:
    total = sum((Money.from_fen(v) for v in values), ZERO)
    assert total.fen == sum(values)
    assert total.to_decimal() == sum((Decimal(v) / 100 for v in values), Decimal(0))


@given(cst.fen(-(10**12), 10**12), st.sampled_from(list(Rounding)))
def test_rounding_properties(fen: int, how: Rounding) -> None:
    r = round_fen(fen, how)
    assert abs(r - fen) < 100
    if how is not Rounding.NONE:
        assert r % 100 == 0
    if how is Rounding.UP:
        assert r >= fen
    if how is Rounding.DOWN:
        assert r <= fen
