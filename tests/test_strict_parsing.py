"""Strict parsing of inputs: money text, dates of death, ``--on``, JSON Lines by either
suffix, bounded memory for large inputs, and the bound on money amounts."""

from __future__ import annotations

import datetime as _dt
import io
import json
import pathlib
import tracemalloc

import pytest

from civilaffairs.cli import main
from civilaffairs.convert import structure
from civilaffairs.domain import Household
from civilaffairs.errors import InvalidMoney, ValidationError
from civilaffairs.money import MAX_MONEY_FEN, Money
from programs_support import registry

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "households" / "beijing-3.json"


@pytest.fixture(autouse=True)
def fixture_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    import civilaffairs.registry

    monkeypatch.setattr(civilaffairs.registry, "get_registry", lambda **_: registry())


def _beijing() -> dict[str, object]:
    data: dict[str, object] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


# -- money text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("  5", "white space"),
        ("5 ", "white space"),
        ("12000.00\n", "white space"),
        ("5.", "both sides of the decimal point"),
        (".5", "both sides of the decimal point"),
        ("+5", "plus sign"),
        ("-0", "zero has no sign"),
        ("-0.00", "zero has no sign"),
        ("007", "leading zero"),
        ("1,45", "is not an amount"),
        ("1 450", "is not an amount"),
        ("1.234", "more than two decimals"),
    ],
)
def test_money_text_outside_the_grammar_is_refused_with_the_reason(text: str, words: str) -> None:
    with pytest.raises(InvalidMoney, match=words):
        Money.parse(text)


@pytest.mark.parametrize(
    ("text", "fen"),
    [("0", 0), ("0.5", 50), ("5", 500), ("-3.20", -320), ("1,450.00", 145000), ("10.05", 1005)],
)
def test_money_text_inside_the_grammar_is_read(text: str, fen: int) -> None:
    assert Money.parse(text).fen == fen


def test_a_money_field_above_the_bound_is_refused_naming_the_field() -> None:
    data = _beijing()
    assets = data["assets"]
    assert isinstance(assets, list)
    assets[0]["value"] = str(Money.from_fen(MAX_MONEY_FEN + 1))
    with pytest.raises(ValidationError) as info:
        structure(data, Household)
    assert info.value.errors[0].path == "assets[0].value"
    assert "10000000000.00 yuan" in str(info.value)
    assets[0]["value"] = str(Money.from_fen(MAX_MONEY_FEN))
    assert structure(data, Household).assets[0].value == Money.from_fen(MAX_MONEY_FEN)


def test_the_money_bound_keeps_household_totals_inside_int64() -> None:
    from civilaffairs.domain._household import MAX_ASSETS, MAX_EXPENSES, MAX_MEMBERS
    from civilaffairs.domain._person import MAX_INCOMES, MAX_SUPPORTERS

    amounts = MAX_MEMBERS * (MAX_INCOMES + MAX_SUPPORTERS) + MAX_ASSETS + MAX_EXPENSES
    assert amounts * MAX_MONEY_FEN * 12 * 100 < 2**63


# -- dates of death ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "died_on",
    [(_dt.date.today() + _dt.timedelta(days=1)).isoformat(), "2101-01-01", "9999-12-31"],
)
def test_a_date_of_death_after_today_is_refused(died_on: str) -> None:
    data = _beijing()
    members = data["members"]
    assert isinstance(members, list)
    members[2]["died_on"] = died_on
    with pytest.raises(ValidationError) as info:
        structure(data, Household)
    assert [e.path for e in info.value.errors] == ["members[2].died_on"]
    assert "future" in str(info.value)


def test_a_date_of_death_in_the_past_is_accepted() -> None:
    data = _beijing()
    members = data["members"]
    assert isinstance(members, list)
    members[0]["died_on"] = "2024-01-31"
    assert structure(data, Household).members[0].died_on == _dt.date(2024, 1, 31)


# -- --on ---------------------------------------------------------------------------------------


def test_an_empty_on_is_an_error_not_the_current_month(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--on", "", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert not out
    assert "--on is empty" in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_day_given_to_on_is_refused_with_a_hint(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(EXAMPLE), "--on", "2024-08-15", "--lang", lang]) == 1
    out, err = capsys.readouterr()
    assert not out
    assert "--on 2024-08" in err
    assert err.count("\n") == 1


def test_a_programme_option_that_is_not_an_id_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["assess", str(EXAMPLE), "--on", "2024-08", "--program", "王建国"]) == 1
    out, err = capsys.readouterr()
    assert not out and "王建国" not in err and "--program" in err


# -- JSON Lines by either suffix ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".NDJSON"])
def test_ndjson_is_read_like_jsonl(
    suffix: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"homes{suffix}"
    record = json.dumps(_beijing(), ensure_ascii=False)
    path.write_text(f"{record}\n\n{record}\n", encoding="utf-8")
    assert main(["assess", str(path), "--on", "2024-08", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert len(json.loads(out)) == 2
    assert main(["validate", str(path), "--lang", "en"]) == 0
    out, _ = capsys.readouterr()
    assert "2 households" in out


# -- bounded memory -----------------------------------------------------------------------------


def test_a_json_array_is_read_item_by_item_across_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import civilaffairs.convert._jsonio as jsonio

    monkeypatch.setattr(jsonio, "_CHUNK_CHARS", 7)
    items = [{"a": i, "b": "文" * i, "c": [1.5, None, True]} for i in range(20)]
    text = "\ufeff [" + " ,\n".join(json.dumps(x, ensure_ascii=False) for x in items) + "]\n"
    got = list(jsonio.iter_json_array(io.BytesIO(text.encode("utf-8"))))
    assert got == list(enumerate(items))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[{"a": 1},]', "trailing comma"),
        ('[{"a": 1} {"a": 2}]', "expected ','"),
        ('[{"a": 1}', "not closed"),
        ('[{"a": 1}] []', "extra data"),
        ('[{"a": 1, "a": 2}]', "appears twice"),
        ('[{"a": NaN}]', "not a JSON number"),
    ],
)
def test_a_broken_json_array_ends_with_one_error(text: str, words: str) -> None:
    from civilaffairs.convert._jsonio import iter_json_array
    from civilaffairs.errors import MalformedInput

    got = list(iter_json_array(io.BytesIO(text.encode())))
    assert isinstance(got[-1][1], MalformedInput)
    assert words in str(got[-1][1])
    assert not any(isinstance(v, MalformedInput) for _, v in got[:-1])


def test_assess_reads_a_large_json_array_in_bounded_memory(tmp_path: pathlib.Path) -> None:
    from civilaffairs.cli._inputs import iter_households

    record = json.dumps(_beijing(), ensure_ascii=False)
    count = 6000
    path = tmp_path / "many.json"
    with path.open("w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join([record] * count) + "\n]\n")
    size = path.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    try:
        seen = sum(1 for _, home, error in iter_households(path) if home and not error)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < size / 2


def test_a_single_object_file_above_the_limit_is_refused(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from civilaffairs.cli._inputs import MAX_OBJECT_BYTES

    data = _beijing()
    data["padding"] = "x" * MAX_OBJECT_BYTES
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["assess", str(path), "--on", "2024-08", "--lang", "en"]) == 1
    _, err = capsys.readouterr()
    assert "larger than 1024 KiB" in err


def test_json_output_is_streamed_in_the_same_form(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from civilaffairs import assess
    from civilaffairs.periods import Month

    home = structure(_beijing(), Household)
    one = assess(home, Month(2024, 8), registry=registry()).to_dict("zh")
    for n in (1, 2, 3):
        path = tmp_path / f"{n}.json"
        path.write_text(json.dumps([_beijing()] * n, ensure_ascii=False), encoding="utf-8")
        assert main(["assess", str(path), "--on", "2024-08", "--format", "json"]) == 0
        out, _ = capsys.readouterr()
        expected = one if n == 1 else [one] * n
        assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
