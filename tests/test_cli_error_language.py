"""Error messages in one language: Chinese output is Chinese, English output is English.

For each hostile input, the printed error line is stripped of what may stay as it is (the
file label, the field path, quoted values the user typed, codes, keys and identifiers); what
is left must hold no English word in Chinese output and no Chinese character in English.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
from collections.abc import Callable
from typing import Any

import pytest

from civilaffairs.cli import main
from civilaffairs.errors import (
    FieldError,
    InvalidIdentifier,
    InvalidMoney,
    InvalidPeriod,
    MissingStandard,
    PluginError,
    PolicyError,
    UnknownRegion,
    ValidationError,
)
from civilaffairs.ids import ResidentId
from civilaffairs.money import Money
from civilaffairs.periods import Month

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
BEIJING = EXAMPLES / "households" / "beijing-3.json"

CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\uff0c\uff1a\uff1b]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
#: Names that stay as they are in both languages: field names, enumeration values and
#: programme ids the user writes, standard names and formats.
IDENTIFIERS = re.compile(
    r"\b(?:GB/T \d+|GB \d+|JSON(?: Lines)?|UTF-8|YYYY-MM(?:-DD)?|null|true|false|urban|rural"
    r"|id_number|type|household|institution|[a-z]+(?:[._][a-z]+)+)\b"
)


def _household(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(json.loads(BEIJING.read_text("utf-8")))
    change(data)
    return data


HOSTILE: dict[str, Callable[[dict[str, Any]], None]] = {
    "bad_money": lambda d: d["members"][0]["incomes"][0].update(monthly="12元"),
    "money_number": lambda d: d["members"][0]["incomes"][0].update(monthly=12),
    "bad_resident_id": lambda d: d["members"][0].update(id_number="110105198503120179"),
    "unknown_region": lambda d: d.update(region="999999"),
    "missing_field": lambda d: d["members"][0].pop("relation"),
    "wrong_type": lambda d: d.update(residence=5),
    "unknown_value": lambda d: d.update(residence="城市"),
    "unknown_field": lambda d: d.update(colour="red"),
    "bad_date": lambda d: d["members"][2].update(birth_date="2015-02-30"),
    "too_long": lambda d: d["members"][0].update(name="王" * 300),
    "out_of_range": lambda d: d["assets"][0].update(count=-1),
}


def _program_ids() -> re.Pattern[str]:
    from civilaffairs.registry import get_registry

    return re.compile(r"\b(?:" + "|".join(map(re.escape, get_registry().programs)) + r")\b")


def _leftover(line: str, label: str, lang: str) -> str:
    """*line* without its prefix, file label, field paths, quoted values and identifiers."""
    prefix = "错误：" if lang == "zh" else "error: "
    assert line.startswith(prefix), line
    rest = line[len(prefix) :].replace(label, "", 1)
    rest = re.sub(r"\b[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*(?=[:：])", "", rest)
    rest = re.sub(r"\b\w+\[\d+\](?:\.\w+(?:\[\d+\])?)*", "", rest)
    rest = QUOTED.sub("", rest)
    return _program_ids().sub("", IDENTIFIERS.sub("", rest))


def _check(lines: list[str], label: str, lang: str) -> None:
    assert lines
    for line in lines:
        left = _leftover(line, label, lang)
        if lang == "zh":
            assert not ENGLISH_WORD.search(left), (line, left)
            assert CJK.search(left), line
        else:
            assert not CJK.search(left), (line, left)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validate_errors_are_in_one_language(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], case: str, lang: str
) -> None:
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(_household(HOSTILE[case]), ensure_ascii=False), "utf-8")
    code, lines = _run(capsys, "validate", "--lang", lang, str(path))
    assert code == 1
    _check(lines, str(path), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", ["bad_money", "bad_resident_id", "unknown_region", "wrong_type"])
def test_assess_errors_are_in_one_language(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], case: str, lang: str
) -> None:
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(_household(HOSTILE[case]), ensure_ascii=False), "utf-8")
    code, lines = _run(capsys, "assess", "--lang", lang, "--on", "2024-08", str(path))
    assert code == 1
    _check(lines, str(path), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "extra",
    [
        ("--on", "2024-13"),
        ("--on", "2024-08", "--program", "nope"),
    ],
)
def test_bad_month_and_unknown_programme(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], lang: str
) -> None:
    code, lines = _run(capsys, "assess", "--lang", lang, *extra, str(BEIJING))
    assert code == 1
    _check(lines, str(BEIJING), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_standard_with_dibao(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    path = tmp_path / "urumqi.json"
    path.write_text(json.dumps(_household(lambda d: d.update(region="650102"))), "utf-8")
    code, lines = _run(
        capsys, "assess", "--lang", lang, "--on", "2024-08", "--program", "dibao", str(path)
    )
    assert code == 1 and len(lines) == 1
    assert "dibao.standard" in lines[0] and "650102" in lines[0]
    _check(lines, str(path), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unreadable_json(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": ', "utf-8")
    code, lines = _run(capsys, "validate", "--lang", lang, str(path))
    assert code == 1
    _check(lines, str(path), lang)


def test_library_errors_carry_both_languages() -> None:
    with pytest.raises(InvalidPeriod) as month:
        Month.parse("2024-13")
    assert month.value.message_zh == "'2024-13' 不是有效的月份：月份 13 不在1至12之间"
    assert month.value.message_en == "'2024-13' is not a valid month: month 13 is not 1-12"
    assert str(month.value) == (
        "'2024-13' is not a valid month: month 13 is not 1-12 (月份无效)"
    )  # unchanged
    with pytest.raises(InvalidMoney) as money:
        Money.parse("abc")
    assert "金额" in money.value.message_zh
    with pytest.raises(InvalidIdentifier) as rid:
        ResidentId.parse("110105198503120179")
    text = rid.value.message_zh + rid.value.message_en
    assert "110105198503120179" not in text and "110105********0179" in text
    missing = MissingStandard("dibao.standard", "650102", "2024-08-01", "urban")
    assert missing.message_zh == (
        "缺少适用标准：标准项目 'dibao.standard' 在行政区划 650102（城市）于 2024-08-01 "
        "没有适用的取值"
    )
    assert (
        missing.message_en == "no standard 'dibao.standard' for region 650102 (urban) on 2024-08-01"
    )
    assert missing.to_dict()["code"] == "missing_standard"
    region = UnknownRegion("999999", path="region")
    assert region.text("zh") == "region：未知的行政区划代码 '999999'"
    assert region.text("en") == "region: unknown administrative division code '999999'"
    plugin = PluginError("anhui", "boom: RuntimeError")
    assert plugin.message_zh == "插件 'anhui' 出错：boom: RuntimeError"
    assert plugin.message_en == "plugin 'anhui': boom: RuntimeError"
    policy = PolicyError("rounding must be 'yuan' or 'fen'")
    assert policy.message_zh == "政策参数错误：rounding must be 'yuan' or 'fen'"


def test_field_errors_carry_both_languages_and_keep_equality() -> None:
    err = ValidationError.single(
        "region", "is required (缺少必填字段)", "missing", zh="缺少必填字段"
    )
    moved = err.at("members[0]")
    assert moved.lines("zh") == ["members[0].region：缺少必填字段"]
    assert moved.lines("en") == ["members[0].region: is required"]
    assert str(moved) == "members[0].region: is required (缺少必填字段)"
    assert moved.errors[0] == FieldError(
        "members[0].region", "is required (缺少必填字段)", "missing"
    )
    untranslated = FieldError("x", "must match [a-z]+ (格式错误)")
    assert untranslated.message_zh == "格式错误：must match [a-z]+"
    assert untranslated.to_dict()["message_en"] == "must match [a-z]+"
