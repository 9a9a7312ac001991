"""Bulk resolution: CompiledStandard.resolve_many agrees with resolve()."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import CivilAffairsError, UnknownRegion
from civilaffairs.standards import ResidenceScope, StandardsTable, StandardValue
from civilaffairs.testing import _standards as sst

D = datetime.date
SRC = {"issuer": "北京市民政局", "title": "通知"}
REGIONS = ("000000", "110000", "110100", "110105", "110101", "310000", "310101")
QUERY = ("110105", "110101", "110100", "110000", "310101", "310000", "000000", "440305")


def table_of(values: list[StandardValue]) -> StandardsTable:
    t = StandardsTable()
    for v in values:
        if t.find_conflict(v) is None:
            t.add(v)
    return t


@given(
    st.sampled_from(["dibao.standard", "marginal.income_multiple"]).flatmap(
        lambda key: st.tuples(
            st.just(key),
            st.lists(sst.standard_values(key=key, regions=REGIONS), max_size=20),
        )
    ),
    st.lists(
        st.tuples(
            st.sampled_from(QUERY),
            st.dates(D(2019, 12, 1), D(2021, 3, 31)),
            st.integers(0, 1),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_resolve_many_agrees_with_resolve(
    key_values: tuple[str, list[StandardValue]], queries: list[tuple[str, D, int]]
) -> None:
    key, values = key_values
    table = table_of(values)
    compiled = table.compile(key)
    codes = np.array([q[0] for q in queries])
    days = np.array([q[1] for q in queries], dtype="datetime64[D]")
    res = np.array([q[2] for q in queries], dtype=np.uint8)
    out, found, index = compiled.resolve_many(codes, days, res)
    assert out.dtype == np.int64 and found.dtype == np.bool_ and index.dtype == np.int32
    for i, (region, day, r) in enumerate(queries):
        expected = table.try_resolve(
            key, region, day, (ResidenceScope.URBAN, ResidenceScope.RURAL)[r]
        )
        if expected is None:
            assert not found[i] and index[i] == -1 and out[i] == 0
        else:
            assert found[i]
            assert compiled.records[index[i]] is expected
            assert out[i] == expected.scaled
    # integer codes give the same answer as strings
    out2, found2, index2 = compiled.resolve_many(codes.astype(np.int32), days, res)
    assert (out2 == out).all() and (found2 == found).all() and (index2 == index).all()


def beijing() -> StandardsTable:
    return StandardsTable(
        StandardValue.build("dibao.standard", "110000", s, a, source=SRC, plugin="p")
        for s, a in [("2022-07-01", "1320"), ("2024-07-01", "1450")]
    )


def test_input_forms_and_broadcasting() -> None:
    compiled = beijing().compile("dibao.standard")
    day = np.datetime64("2024-08-01")
    values, found, _ = compiled.resolve_many(np.array(["110105", "110101"]), day, 0)
    assert values.tolist() == [145000, 145000] and found.all()
    values, _, _ = compiled.resolve_many(
        np.array([b"110105"]), np.array(["2022-08"], dtype="datetime64[M]"), [1]
    )
    assert values.tolist() == [132000]
    values, _, _ = compiled.resolve_many(np.array(["110105"], dtype="U10"), day, 0)
    assert values.tolist() == [145000]
    values, _, _ = compiled.resolve_many(np.array(["110105"], dtype=object), day, 0)
    assert values.tolist() == [145000]
    empty = compiled.resolve_many(
        np.array([], dtype="U6"), np.array([], "datetime64[D]"), np.array([], np.uint8)
    )
    assert [a.size for a in empty] == [0, 0, 0]


def test_bad_inputs() -> None:
    compiled = beijing().compile("dibao.standard")
    day = np.datetime64("2024-08-01")
    with pytest.raises(UnknownRegion, match="11010x"):
        compiled.resolve_many(np.array(["110105", "11010x"]), day, 0)
    with pytest.raises(UnknownRegion):
        compiled.resolve_many(np.array(["11010"]), day, 0)
    with pytest.raises(UnknownRegion):
        compiled.resolve_many(np.array([999999]), day, 0)
    with pytest.raises(UnknownRegion):
        compiled.resolve_many(np.array([1_000_000]), day, 0)
    with pytest.raises(CivilAffairsError, match="0 \\(urban\\) or 1"):
        compiled.resolve_many(np.array(["110105"]), day, 2)
    with pytest.raises(CivilAffairsError, match="NaT"):
        compiled.resolve_many(np.array(["110105"]), np.array(["NaT"], "datetime64[D]"), 0)
    with pytest.raises(CivilAffairsError, match="datetime64"):
        compiled.resolve_many(np.array(["110105"]), np.array([1.5]), 0)


def test_compile_is_cached_until_the_table_changes() -> None:
    table = beijing()
    first = table.compile("dibao.standard")
    assert table.compile("dibao.standard") is first
    table.add(
        StandardValue.build(
            "dibao.standard", "110000", "2025-07-01", "1500", source=SRC, plugin="p"
        )
    )
    second = table.compile("dibao.standard")
    assert second is not first and len(second.records) == 3
    assert len(first.records) == 2
    assert "dibao.standard" in repr(second)


@given(
    st.lists(sst.standard_values(key="dibao.standard", regions=REGIONS), max_size=20),
    st.lists(sst.standard_values(key="dibao.standard", regions=REGIONS), max_size=3),
    st.lists(
        st.tuples(st.sampled_from(QUERY), st.integers(0, 1)),
        min_size=1,
        max_size=30,
    ),
    st.dates(D(2019, 12, 1), D(2021, 3, 31)),
)
def test_resolve_codes_agrees_with_resolve_disabled_values_included(
    values: list[StandardValue],
    disabled: list[StandardValue],
    queries: list[tuple[str, int]],
    day: D,
) -> None:
    """The bulk engine's lookup (regions as integers, one day) gives the value resolve()
    gives, and CONFLICT exactly where resolve() raises the conflict of a disabled value."""
    from civilaffairs.errors import StandardConflict
    from civilaffairs.standards.compiled import CONFLICT
    from civilaffairs.standards.table import conflict_error

    table = table_of(values)
    for v in disabled:
        table.block(v, conflict_error(v, v))
    compiled = table.compile("dibao.standard")
    codes = np.array([int(q[0]) for q in queries])
    rural = np.array([q[1] for q in queries])
    out, found, index = compiled.resolve_codes(codes, rural, day)
    for i, (region, r) in enumerate(queries):
        residence = (ResidenceScope.URBAN, ResidenceScope.RURAL)[r]
        try:
            expected = table.try_resolve("dibao.standard", region, day, residence)
        except StandardConflict:
            assert index[i] == CONFLICT and not found[i]
            continue
        if expected is None:
            assert not found[i] and index[i] == -1 and out[i] == 0
        else:
            assert found[i] and compiled.records[index[i]] is expected
            assert out[i] == expected.scaled
