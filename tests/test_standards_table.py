"""Resolution of standards: the rules, and hypothesis properties of them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from civilaffairs.errors import (
    AmbiguousStandard,
    CivilAffairsError,
    MissingStandard,
    StandardConflict,
    UnknownRegion,
    UnknownStandardKey,
)
from civilaffairs.money import Money
from civilaffairs.standards import ResidenceScope, StandardsTable, StandardValue
from civilaffairs.testing import _standards as sst

D = datetime.date
SRC = {"issuer": "北京市民政局", "title": "通知"}
KEY = "dibao.standard"

# A small universe of regions: two Beijing counties under one prefecture, the province,
# a Shanghai county and province, and national.
REGIONS = ("000000", "110000", "110100", "110105", "110101", "310000", "310101")
QUERY_REGIONS = ("110105", "110101", "110100", "110000", "310101", "310000", "000000")


def sv(
    region: str,
    start: str,
    amount: str,
    *,
    residence: str = "both",
    until: str | None = None,
    plugin: str = "p",
    key: str = KEY,
) -> StandardValue:
    return StandardValue.build(
        key, region, start, amount, residence=residence, until=until, source=SRC, plugin=plugin
    )


def amount(table: StandardsTable, region: str, day: str, residence: str = "urban") -> str:
    return str(table.resolve(KEY, region, day, residence).value)


def test_most_specific_region_wins() -> None:
    t = StandardsTable([sv("110000", "2024-07-01", "1450"), sv("110105", "2024-07-01", "1500")])
    assert amount(t, "110105", "2024-08-01") == "1500.00"
    assert amount(t, "110101", "2024-08-01") == "1450.00"
    assert t.resolve(KEY, "110101", "2024-08-01", "urban").region == "110000"


def test_latest_date_on_or_before_wins() -> None:
    t = StandardsTable(
        [
            sv("110000", "2020-07-01", "1170"),
            sv("110000", "2022-07-01", "1320"),
            sv("110000", "2024-07-01", "1450"),
        ]
    )
    assert amount(t, "110105", "2022-06-30") == "1170.00"
    assert amount(t, "110105", "2022-07-01") == "1320.00"
    assert amount(t, "110105", "2024-08-01") == "1450.00"
    with pytest.raises(MissingStandard) as info:
        t.resolve(KEY, "110105", "2020-06-30", "urban")
    assert (info.value.key, info.value.region, info.value.on) == (KEY, "110105", D(2020, 6, 30))
    assert "2020-06-30" in str(info.value) and "110105" in str(info.value)


def test_month_and_date_forms_of_on() -> None:
    from civilaffairs.periods import Month

    t = StandardsTable([sv("110000", "2024-07-01", "1450")])
    for on in (Month(2024, 7), "2024-07", "2024-07-01", D(2024, 7, 1)):
        assert str(t.resolve(KEY, "110105", on, "rural").value) == "1450.00"


def test_residence_specific_beats_both_at_the_same_date_only() -> None:
    t = StandardsTable(
        [
            sv("110000", "2020-01-01", "1000"),
            sv("110000", "2020-01-01", "900", residence="rural"),
            sv("110000", "2022-01-01", "1100", residence="rural"),
            sv("110000", "2024-01-01", "1200"),
        ]
    )
    assert amount(t, "110105", "2021-01-01", "rural") == "900.00"
    assert amount(t, "110105", "2021-01-01", "urban") == "1000.00"
    assert amount(t, "110105", "2023-01-01", "rural") == "1100.00"
    assert amount(t, "110105", "2023-01-01", "urban") == "1000.00"
    # a newer unified standard supersedes the older rural one
    assert amount(t, "110105", "2024-06-01", "rural") == "1200.00"


def test_until_ends_a_value_and_the_older_one_does_not_come_back() -> None:
    t = StandardsTable(
        [
            sv("110000", "2020-01-01", "1000"),
            sv("110000", "2022-01-01", "1100", until="2022-12-31"),
            sv("000000", "2010-01-01", "500", key="orphan.allowance.community"),
        ]
    )
    assert amount(t, "110105", "2022-12-31") == "1100.00"
    with pytest.raises(MissingStandard):
        t.resolve(KEY, "110105", "2023-01-01", "urban")
    # a county value that has ended falls back to its province
    t2 = StandardsTable(
        [sv("110000", "2020-01-01", "1000"), sv("110105", "2021-01-01", "1200", until="2021-12-31")]
    )
    assert amount(t2, "110105", "2021-06-01") == "1200.00"
    assert amount(t2, "110105", "2022-06-01") == "1000.00"


def test_without_residence_urban_and_rural_must_agree() -> None:
    t = StandardsTable([sv("110000", "2020-01-01", "1000")])
    assert str(t.resolve(KEY, "110105", "2021-01-01").value) == "1000.00"
    assert str(t.resolve(KEY, "110105", "2021-01-01", "both").value) == "1000.00"
    t = StandardsTable([sv("110000", "2020-01-01", "1000", residence="urban")])
    with pytest.raises(AmbiguousStandard, match="residence"):
        t.resolve(KEY, "110105", "2021-01-01")
    with pytest.raises(MissingStandard):
        StandardsTable().resolve(KEY, "110105", "2021-01-01")


def test_bad_lookups() -> None:
    t = StandardsTable([sv("110000", "2020-01-01", "1000")])
    with pytest.raises(UnknownStandardKey):
        t.resolve("dibao.standrad", "110105", "2021-01-01", "urban")
    with pytest.raises(UnknownRegion):
        t.resolve(KEY, "999999", "2021-01-01", "urban")
    with pytest.raises(CivilAffairsError, match="residence"):
        t.resolve(KEY, "110105", "2021-01-01", "suburban")
    assert t.try_resolve(KEY, "310101", "2021-01-01", "urban") is None


def test_conflict_names_both_plugins() -> None:
    t = StandardsTable([sv("110000", "2024-07-01", "1450", plugin="beijing")])
    with pytest.raises(StandardConflict) as info:
        t.add(sv("110000", "2024-07-01", "1460", plugin="other"))
    assert info.value.plugins == ("beijing", "other")
    assert "'beijing'" in str(info.value) and "'other'" in str(info.value)
    with pytest.raises(StandardConflict, match="same plugin"):
        t.add(sv("110000", "2024-07-01", "1450", plugin="beijing"))
    # different residence or date is not a conflict
    t.add(sv("110000", "2024-07-01", "1500", residence="rural"))
    t.add(sv("110000", "2024-07-02", "1450"))


def test_values_keys_and_overlay() -> None:
    t = StandardsTable(
        [
            sv("110000", "2024-07-01", "1450"),
            sv("000000", "2011-01-01", "2300", key="poverty_line"),
        ]
    )
    assert t.keys() == [KEY, "poverty_line"]
    assert [v.region for v in t.values(KEY)] == ["110000"]
    assert t.values(region="000000")[0].key == "poverty_line"
    assert len(t) == 2 and len(list(t)) == 2
    what_if = t.overlay([sv("110000", "2024-07-01", "1600", plugin="reform")])
    assert amount(what_if, "110105", "2024-08-01") == "1600.00"
    assert amount(t, "110105", "2024-08-01") == "1450.00"
    t.freeze()
    with pytest.raises(CivilAffairsError, match="read-only"):
        t.add(sv("110000", "2025-07-01", "1500"))


# --- properties -------------------------------------------------------------------------


def table_of(values: Iterable[StandardValue]) -> StandardsTable:
    """A table of *values*, skipping any that clash with an earlier one."""
    t = StandardsTable()
    for v in values:
        if t.find_conflict(v) is None:
            t.add(v)
    return t


def values_list(min_size: int = 0) -> st.SearchStrategy[list[StandardValue]]:
    return st.lists(sst.standard_values(key=KEY, regions=REGIONS), min_size=min_size, max_size=25)


days = st.dates(D(2019, 12, 1), D(2021, 3, 31))
query_residences = sst.residences(allow_both=False)


def reference(
    values: list[StandardValue], region: str, day: datetime.date, res: ResidenceScope
) -> StandardValue | None:
    """The resolution rule written out plainly, as the specification."""
    from civilaffairs import regions

    for code in regions.get(region).resolution_chain():
        here = [
            v
            for v in values
            if v.region == code
            and v.residence in (res, ResidenceScope.BOTH)
            and v.effective_from <= day
        ]
        if not here:
            continue
        best = max(here, key=lambda v: (v.effective_from, v.residence is not ResidenceScope.BOTH))
        if best.until is not None and best.until < day:
            continue
        return best
    return None


@given(values_list(), st.sampled_from(QUERY_REGIONS), days, query_residences)
def test_resolution_matches_the_written_rule(
    values: list[StandardValue], region: str, day: datetime.date, res: ResidenceScope
) -> None:
    table = table_of(values)
    assert table.try_resolve(KEY, region, day, res) is reference(table.values(), region, day, res)


@given(values_list(), sst.standard_values(key=KEY, regions=REGIONS), st.data())
def test_a_later_value_never_changes_earlier_results(
    values: list[StandardValue], new: StandardValue, data: st.DataObject
) -> None:
    before = table_of(values)
    assume(before.find_conflict(new) is None)
    after = table_of([*before.values(), new])
    for _ in range(10):
        day = data.draw(st.dates(D(2019, 1, 1), new.effective_from - datetime.timedelta(days=1)))
        region = data.draw(st.sampled_from(QUERY_REGIONS))
        res = data.draw(query_residences)
        assert before.try_resolve(KEY, region, day, res) == after.try_resolve(KEY, region, day, res)


@given(values_list(), sst.standard_values(key=KEY, regions=("110105",)), days, query_residences)
def test_a_county_override_never_changes_another_region(
    values: list[StandardValue], override: StandardValue, day: datetime.date, res: ResidenceScope
) -> None:
    before = table_of(values)
    assume(before.find_conflict(override) is None)
    after = table_of([*before.values(), override])
    for region in ("110101", "110100", "110000", "310101", "310000", "000000"):
        assert before.try_resolve(KEY, region, day, res) == after.try_resolve(KEY, region, day, res)


@given(values_list(min_size=1), st.data())
def test_a_conflict_is_always_detected(values: list[StandardValue], data: st.DataObject) -> None:
    table = table_of(values)
    existing = data.draw(st.sampled_from(table.values()))
    plugin = data.draw(st.sampled_from(["a", "b", "c"]))
    clash = StandardValue.build(
        existing.key,
        existing.region,
        existing.effective_from,
        Money.from_fen(data.draw(st.integers(0, 10**6))),
        residence=existing.residence,
        source=SRC,
        plugin=plugin,
    )
    with pytest.raises(StandardConflict) as info:
        table.add(clash)
    assert info.value.plugins == (existing.plugin, plugin)
    assert len(table) == len(table.values())
