"""The page on the bundled provincial plugins shows exactly what their data files hold.

``docs/{zh,en}/explanation/bundled-plugins.rst`` has, for every package under ``plugins/``,
a table of its standards (and of its policy overrides, if any) and a ``literalinclude`` of
its data file. The tables are compared here with the data files row by row, so the page
cannot drift from the data.
"""

from __future__ import annotations

import csv
import json
import pathlib
import re
import tomllib
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("civilaffairs-*/pyproject.toml"))
PAGES = {
    lang: ROOT / "docs" / lang / "explanation" / "bundled-plugins.rst" for lang in ("zh", "en")
}
YES_NO = {"zh": {"是": True, "否": False}, "en": {"yes": True, "no": False}}


def short_name(plugin_dir: pathlib.Path) -> str:
    return plugin_dir.name.removeprefix("civilaffairs-")


def data_file(plugin_dir: pathlib.Path) -> pathlib.Path:
    name = short_name(plugin_dir)
    return plugin_dir / "src" / f"civilaffairs_{name}" / "standards.toml"


def load(plugin_dir: pathlib.Path) -> dict[str, Any]:
    return tomllib.loads(data_file(plugin_dir).read_text(encoding="utf-8"))


def csv_tables(text: str) -> dict[str, list[list[str]]]:
    """Every ``.. csv-table::`` with a ``:name:``, as rows of cells (literal markup removed)."""
    tables: dict[str, list[list[str]]] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith(".. csv-table::"):
            i += 1
            continue
        i += 1
        name = None
        while i < len(lines) and lines[i].startswith("   :"):
            match = re.match(r"   :name: (\S+)", lines[i])
            if match:
                name = match.group(1)
            i += 1
        body: list[str] = []
        while i < len(lines) and (lines[i].startswith("   ") or not lines[i].strip()):
            if lines[i].strip():
                body.append(lines[i][3:])
            elif body:
                break
            i += 1
        assert name is not None, "every csv-table on the page needs a :name:"
        rows = csv.reader(body, skipinitialspace=True)
        tables[name] = [[cell.replace("``", "").strip() for cell in row] for row in rows]
    return tables


def test_there_are_plugins_to_document() -> None:
    assert {short_name(p) for p in PLUGINS} >= {
        "beijing",
        "shanghai",
        "zhejiang",
        "guangdong",
        "guizhou",
    }


@pytest.mark.parametrize("lang", sorted(PAGES))
@pytest.mark.parametrize("plugin_dir", PLUGINS, ids=short_name)
def test_standards_table_matches_the_data_file(plugin_dir: pathlib.Path, lang: str) -> None:
    tables = csv_tables(PAGES[lang].read_text(encoding="utf-8"))
    name = short_name(plugin_dir)
    shown = [
        (key, region.split()[0], residence, start, value, YES_NO[lang][flag])
        for key, region, residence, start, value, flag in tables[f"{lang}-{name}-standards"]
    ]
    expected = [
        (
            e["key"],
            e["region"],
            e.get("residence", "both"),
            e["effective_from"],
            e["value"],
            bool(e.get("provisional", False)),
        )
        for e in load(plugin_dir).get("standard", [])
    ]
    assert shown == expected


@pytest.mark.parametrize("lang", sorted(PAGES))
@pytest.mark.parametrize("plugin_dir", PLUGINS, ids=short_name)
def test_policy_table_matches_the_data_file(plugin_dir: pathlib.Path, lang: str) -> None:
    tables = csv_tables(PAGES[lang].read_text(encoding="utf-8"))
    name = short_name(plugin_dir)
    expected = [
        (e["program"], e["point"], e["region"], e["effective_from"], e["value"])
        for e in load(plugin_dir).get("policy", [])
    ]
    table = tables.get(f"{lang}-{name}-policies")
    if not expected:
        assert table is None, "a plugin without [[policy]] tables has no policy table"
        return
    assert table is not None
    shown = [
        (program, point, region.split()[0], start, json.loads(value))
        for program, point, region, start, value in table
    ]
    assert shown == expected


@pytest.mark.parametrize("lang", sorted(PAGES))
@pytest.mark.parametrize("plugin_dir", PLUGINS, ids=short_name)
def test_page_includes_the_whole_data_file(plugin_dir: pathlib.Path, lang: str) -> None:
    page = PAGES[lang]
    includes = re.findall(r"^\.\. literalinclude:: (\S+)$", page.read_text("utf-8"), re.M)
    targets = {(page.parent / inc).resolve() for inc in includes}
    assert data_file(plugin_dir).resolve() in targets


def test_table_parser_reads_quoted_cells() -> None:
    text = (
        ".. csv-table:: T\n   :name: t\n   :header: a, b\n\n"
        '   ``x``, "[80, 90]"\n   y, "a, ""b"""\n\nafter\n'
    )
    assert csv_tables(text) == {"t": [["x", "[80, 90]"], ["y", 'a, "b"']]}


@pytest.mark.parametrize("plugin_dir", PLUGINS, ids=short_name)
def test_every_provisional_value_is_listed_in_the_plugin_readme(plugin_dir: pathlib.Path) -> None:
    from civilaffairs.testing import assert_provisional_listed

    assert_provisional_listed(load(plugin_dir), (plugin_dir / "README.md").read_text("utf-8"))


def test_an_unlisted_provisional_value_is_reported() -> None:
    from civilaffairs.testing import assert_provisional_listed

    data = {
        "standard": [
            {
                "key": "dibao.standard",
                "region": "340000",
                "effective_from": "2024-07-01",
                "provisional": True,
            },
            {
                "key": "dibao.standard",
                "region": "340100",
                "effective_from": "2024-07-01",
                "provisional": True,
            },
        ]
    }
    readme = "| `dibao.standard` | 340000 | 2024-07-01 | 900 | third-party |\n"
    with pytest.raises(AssertionError, match=r"dibao.standard 340100 from 2024-07-01"):
        assert_provisional_listed(data, readme)
    assert_provisional_listed(data, readme + "| `dibao.standard` | 340100 | 2024-07-01 |\n")
