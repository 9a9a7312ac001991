"""The array vocabulary is exact: sums in fen never go through a lossy path."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.engine.ops import ArrayOps, ScalarOps


@given(
    st.lists(
        st.lists(st.integers(-(10**17), 10**17), min_size=1, max_size=6), min_size=1, max_size=20
    )
)
def test_sum_members_is_exact_for_any_fen(households: list[list[int]]) -> None:
    person_hh = np.repeat(np.arange(len(households)), [len(h) for h in households])
    values = np.array([v for h in households for v in h], dtype=np.int64)
    ops = ArrayOps(person_hh, len(households))
    assert ops.sum_members(values).tolist() == [sum(h) for h in households]
    assert ops.count_members(values > 0).tolist() == [sum(v > 0 for v in h) for h in households]


@given(st.integers(-(10**15), 10**15), st.integers(0, 10**6), st.sampled_from([0, 1, 2, 3]))
def test_ratio_and_rounding_agree_between_back_ends(fen: int, units: int, code: int) -> None:
    scalar, array = ScalarOps(), ArrayOps(np.zeros(1, dtype=np.int64), 1)
    assert array.mul_ratio(np.array([fen]), units)[0] == scalar.mul_ratio(fen, units)
    assert array.round(np.array([fen]), code)[0] == scalar.round(fen, code)
