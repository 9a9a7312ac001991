"""The plain-Python rule inputs of one household equal the column-wise frame's."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from civilaffairs.domain import Household
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.single_inputs import scalar_inputs
from civilaffairs.periods import Month
from civilaffairs.testing.strategies import households, months


def _plain(values: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: v.tolist() for k, v in values.items()}


@settings(max_examples=300)
@given(households(), months())
def test_scalar_inputs_equal_the_frame(household: Household, month: Month) -> None:
    frame = Frame.from_household(household, month)
    H, P = scalar_inputs(household, month)
    assert frame.hh == H
    expected = _plain(frame.pp)
    assert list(P) == list(expected)
    for name, column in expected.items():
        assert P[name] == column, name
        assert [type(v) for v in P[name]] == [type(v) for v in column], name
