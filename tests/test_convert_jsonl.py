"""JSON and JSON Lines files: lazy reading, bad lines that do not stop good ones, writing."""

from __future__ import annotations

import json
import pathlib
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.convert import (
    Result,
    dumps,
    load_json,
    read_jsonl,
    unstructure,
    write_json,
    write_jsonl,
)
from civilaffairs.domain import Household, Institution
from civilaffairs.errors import MalformedInput, ValidationError
from civilaffairs.testing import _domain as dst

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
SAMPLE = EXAMPLES / "households" / "registry-sample.jsonl"
BEIJING = EXAMPLES / "households" / "beijing-3.json"
HOME = EXAMPLES / "institutions" / "elderly-home.json"


def test_the_registry_sample_has_one_invalid_line() -> None:
    results = list(read_jsonl(SAMPLE, Household))
    assert [r.line for r in results] == [1, 2, 3, 4, 5]
    assert [r.ok for r in results] == [True, True, False, True, True]
    bad = results[2]
    assert bad.value is None and bad.error is not None
    assert [e.path for e in bad.error.errors] == [
        "members[0].incomes[0].monthly",
        "members[1].incomes[0].monthly",
        "members[1].relation",
    ]
    with pytest.raises(ValidationError):
        bad.unwrap()
    # The README under examples/ names the invalid line, so nobody mistakes it.
    readme = (EXAMPLES / "README.md").read_text("utf-8")
    bad_id = json.loads(SAMPLE.read_text("utf-8").splitlines()[2])["id"]
    assert "`registry-sample.jsonl` line 3 is invalid on purpose" in readme
    assert bad_id in readme
    assert results[0].unwrap() == load_json(BEIJING, Household)
    newborn = results[1].unwrap().members[3]
    assert newborn.id_number is None and newborn.sex.value == "female"


def test_lines_are_read_lazily_and_bad_lines_do_not_stop_the_rest(tmp_path: pathlib.Path) -> None:
    good = json.dumps(json.loads(BEIJING.read_text("utf-8")), ensure_ascii=False)
    lines = [
        "\ufeff" + good,  # a byte-order mark on the first line is allowed
        "",
        "   ",
        '{"members": [',  # truncated
        "[1, 2]",
        good.replace('"2600.00"', "2600.0"),
        good + "\r",  # CRLF line ending
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        ("\n".join(lines) + "\n").encode("utf-8") + b'{"id": "\xff"}\n' + good.encode()
    )
    results = read_jsonl(path, Household)
    first = next(results)
    assert first.line == 1 and first.ok
    rest = list(results)
    assert [(r.line, r.ok) for r in rest] == [
        (4, False), (5, False), (6, False), (7, True), (8, False), (9, True),
    ]  # fmt: skip
    assert isinstance(rest[0].error, MalformedInput)
    assert "not valid JSON at line 4 column 14" in str(rest[0].error)
    assert str(rest[1].error) == "expected an object, got a list (应为对象)"
    assert "members[0].incomes[0].monthly" in str(rest[2].error)
    assert "UTF-8" in str(rest[4].error)


def test_an_overlong_line_is_an_error_and_reading_goes_on(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civilaffairs.convert import _jsonio

    monkeypatch.setattr(_jsonio, "MAX_LINE_BYTES", 2048)
    good = json.dumps(json.loads(BEIJING.read_text("utf-8")), ensure_ascii=False)
    path = tmp_path / "long.jsonl"
    path.write_text(good + "\n" + '{"id": "' + "x" * 10_000 + '"}\n' + good + "\n", "utf-8")
    results = list(read_jsonl(path, Household))
    assert [(r.line, r.ok) for r in results] == [(1, True), (2, False), (3, True)]
    assert "longer than 2 KiB" in str(results[1].error)


def test_mixed_records_are_told_apart(tmp_path: pathlib.Path) -> None:
    house = load_json(BEIJING, Household)
    home = load_json(HOME, Institution)
    path = tmp_path / "mixed.jsonl"
    assert write_jsonl(path, [house, home, house]) == 3
    assert [r.unwrap() for r in read_jsonl(path)] == [house, home, house]
    with pytest.raises(ValidationError, match="type: must be 'household'"):
        list(read_jsonl(path, Household))[1].unwrap()


@given(st.lists(dst.households(max_members=3), max_size=5))
def test_write_then_read_gives_the_same_households(households: list[Household]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "out.jsonl"
        assert write_jsonl(path, households) == len(households)
        text = path.read_text("utf-8")
        assert text.count("\n") == len(households)
        assert [r.unwrap() for r in read_jsonl(path, Household)] == households


@given(dst.households())
def test_the_audit_jsonl_masks_ids(h: Household) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "audit.jsonl"
        write_jsonl(path, [h], for_audit=True)
        text = path.read_text("utf-8")
    for m in h.members:
        if m.id_number is not None:
            assert m.id_number.unmasked not in text


def test_write_json_and_load_json(tmp_path: pathlib.Path) -> None:
    house = load_json(BEIJING, Household)
    path = tmp_path / "house.json"
    write_json(path, house)
    assert load_json(path, Household) == house
    assert path.read_text("utf-8") == dumps(house) + "\n"
    assert "王建国" in path.read_text("utf-8")  # Chinese is written as is
    write_json(path, house, for_audit=True)
    assert "王**" in path.read_text("utf-8")


def test_missing_files_raise_os_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_json(tmp_path / "nope.json", Household)
    with pytest.raises(FileNotFoundError):
        next(read_jsonl(tmp_path / "nope.jsonl", Household))


def test_a_file_that_is_too_large_is_refused(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civilaffairs.convert import _jsonio

    monkeypatch.setattr(_jsonio, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(MalformedInput, match="larger than"):
        load_json(BEIJING, Household)


def test_results_are_plain_values() -> None:
    house = load_json(BEIJING, Household)
    ok: Result[Household] = Result(1, house)
    assert ok.ok and ok.unwrap() is house
    assert unstructure(house)["id"] == house.id
