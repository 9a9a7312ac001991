"""Data files are parsed by rtoml where it reads them as tomllib does, with the same results.

Every bundled data file gives the document tomllib gives (same keys in the same order, same
values of the same types); a text rtoml might read differently from tomllib is left to
tomllib, and a malformed file gets tomllib's message, as before.
"""

from __future__ import annotations

import datetime as _dt
import math
import pathlib
import subprocess
import sys
import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs.errors import DataFileError
from civilaffairs.standards import read_data_file
from civilaffairs.standards.datafile import _fast_toml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA_FILES = sorted(
    [
        *(ROOT / "src" / "civilaffairs").rglob("*.toml"),
        *(ROOT / "plugins").glob("*/src/*/*.toml"),
    ]
)
TEMPLATES = sorted((ROOT / "src" / "civilaffairs" / "templates").rglob("standards.toml.tmpl"))


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down and dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, (_dt.datetime, _dt.time)) and a.tzinfo is not None:
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def tomllib_message(text: str) -> str:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    return f"not valid TOML: {caught.value}"


def test_the_bundled_data_files_are_found() -> None:
    names = {p.parent.name for p in DATA_FILES}
    assert {"national", "modules"} <= names
    assert sum(1 for p in DATA_FILES if "plugins" in p.parts) >= 5


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_bundled_data_file_parses_fast_to_what_tomllib_gives(path: pathlib.Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    fast = _fast_toml(text)
    assert fast is not None, "a bundled file should take the fast path"
    assert same(fast, tomllib.loads(text))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_plugin_templates_data_files_parse_alike(path: pathlib.Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert _fast_toml(text) is None
    else:
        assert same(_fast_toml(text), expected)


@pytest.mark.parametrize(
    "text",
    [
        "[[standard]\n",
        "a = 1\na = 2\n",
        # TOML 1.1 syntax, which tomllib (TOML 1.0) rejects: so must we.
        "a = {b = 1,}\n",
        "a = {b = 1 , }\n",
        "a = {\n b = 1 }\n",
        "a = { b = 1\n }\n",
        "a = { b = 1, # comment\n c = 2 }\n",
        'a = { b = "}", c = {d = 1}\n}\n',
        "a = { b = '{' , c = { d = 1 }\n}\n",
        "a = [{ b = 1 }, { c = 1\n}]\n",
        "a = 1979-05-27 07:32\n",
        "a = 1979-05-27T07:32Z\n",
        "a = 07:32\n",
        "a = [07:32, 08:00:00]\n",
        'a = "\\e"\n',
        'a = "\\x41"\n',
        'a = "x\\e"\n',
        # a byte-order mark left after utf-8-sig removed the first one
        "\ufeffa = 1\n",
        "a = 9223372036854775808_\n",
        "[[standard]]\nkey = 'dibao.standard'\nvalue = \n",
    ],
)
def test_a_malformed_text_gets_tomllibs_message(tmp_path: pathlib.Path, text: str) -> None:
    assert _fast_toml(text) is None
    path = tmp_path / "standards.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # reading removes this one mark
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert caught.value.errors[0].message == tomllib_message(text)
    assert str(caught.value).startswith("standards.toml")


TRIPLE = "'" * 3


@pytest.mark.parametrize(
    "text",
    [
        'a = """x\r\ny"""\n',  # CRLF inside a multi-line string: tomllib gives LF
        'a = """x \\\r\n   y"""\n',
        f"a = {TRIPLE}x\r\ny{TRIPLE}\n",
        'a = { b = "}" }\nc = { d = "{" }\n',
        "a = 'C:\\example'\nb = \"07:32 in a string\"\n",
        "a = 9223372036854775807\n",
        "a = 1979-05-27T07:32:00.999999-07:00\nb = 1979-05-27T07:32:00Z\nc = 07:32:00\n",
        "a = inf\nb = -inf\nc = nan\nd = 1e400\ne = 5e-324\n",
        "[x]\ny.z = 1\n[x.w]\nq = [1, [2, [3]], {r = 's'}]\n",
    ],
)
def test_edge_values_parse_as_tomllib_parses_them(text: str) -> None:
    fast = _fast_toml(text)
    if fast is not None:
        assert same(fast, tomllib.loads(text))
    else:
        tomllib.loads(text)  # left to tomllib because it must be


def test_integers_beyond_64_bits_are_read_whole(tmp_path: pathlib.Path) -> None:
    text = "[[standard]]\nvalue = 123456789012345678901234567890\n"
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    data = read_data_file(path)
    assert data.standards[0].data["value"] == 123456789012345678901234567890


def test_deep_nesting_is_refused_by_rtoml_not_a_crash() -> None:
    arrays = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"
    tables = "a = " + "{b=" * 50_000 + "1" + "}" * 50_000 + "\n"
    assert _fast_toml(arrays) is None  # rtoml stops at its depth limit; tomllib decides
    assert _fast_toml(tables) is None
    assert same(_fast_toml("a = [[[[1]]]]\n"), {"a": [[[[1]]]]})


def test_rtoml_is_used_from_threads_that_end() -> None:
    # Plugin hooks run in short-lived threads (civilaffairs._timelimit), and the first parse
    # may happen in one of them.
    code = (
        "import threading, sys\n"
        "from civilaffairs.standards.datafile import _fast_toml\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "for _ in range(20):\n"
        "    t = threading.Thread(target=_fast_toml, args=(text,)); t.start(); t.join()\n"
        "assert _fast_toml(text) is not None\n"
    )
    path = next(p for p in DATA_FILES if p.parent.name == "national")
    done = subprocess.run([sys.executable, "-c", code, str(path)], check=False)
    assert done.returncode == 0


def test_without_rtoml_the_files_are_read_by_tomllib(monkeypatch: pytest.MonkeyPatch) -> None:
    path = next(p for p in DATA_FILES if p.parent.name == "national")
    with_fast = read_data_file(path)
    monkeypatch.setitem(sys.modules, "rtoml", None)  # import fails
    assert _fast_toml(path.read_text(encoding="utf-8")) is None
    without = read_data_file(path)
    assert [e.data for e in without.standards] == [e.data for e in with_fast.standards]
    assert [e.where for e in without.standards] == [e.where for e in with_fast.standards]


# -- random edits of the bundled files: rtoml gives tomllib's document or steps aside --------

_TEXTS = [p.read_bytes().decode("utf-8-sig") for p in DATA_FILES]
_ENTRIES = [
    "[[" + chunk for text in _TEXTS for chunk in text.split("\n[[")[1:] if len(chunk) < 4000
]
_PIECES = [
    *"{}[],.=:\"'\\\n #-+_0123456789eExTZ\t",
    "\r\n",
    '"""',
    TRIPLE,
    "\\u00",
    "\\e",
    "\\x4",
    "inf",
    "中",
    ", }",
    "\n}",
    "07:32",
]


@st.composite
def edited_entries(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_ENTRIES))
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(_PIECES))
        if draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + 1 :]
    return text


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(edited_entries())
def test_an_edited_entry_parses_as_tomllib_parses_it_or_is_left_to_tomllib(text: str) -> None:
    fast = _fast_toml(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, "rtoml accepted a text tomllib rejects"
        return
    assert fast is None or same(fast, expected)
