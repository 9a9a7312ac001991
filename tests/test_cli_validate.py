"""``civilaffairs validate`` and ``civilaffairs schema``."""

from __future__ import annotations

import json
import pathlib
import re
import tempfile

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs.cli import cli, main
from civilaffairs.cli.validate import TYPE_CHOICES
from civilaffairs.convert import RECORD_TYPES, json_schema

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
BEIJING = EXAMPLES / "households" / "beijing-3.json"
SAMPLE = EXAMPLES / "households" / "registry-sample.jsonl"
HOME = EXAMPLES / "institutions" / "elderly-home.json"
WHOLE_ID = "11010519491231002X"
# Any 18-character resident ID (or 15 digits and more) printed whole.
ID_RUN = re.compile(r"\d{17}[\dXx]")


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not ID_RUN.search(result.output), result.output
    return result


def test_valid_files_give_one_summary_line_each() -> None:
    files = [*sorted((EXAMPLES / "households").glob("*.json")), HOME]
    result = run("validate", "--lang", "en", *map(str, files))
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    assert lines[0] == f"{files[0]}: ok, 1 household (3 members)"
    assert lines[-1] == f"{HOME}: ok, 1 institution"
    assert (
        f"{EXAMPLES / 'households' / 'guizhou-rural-tekun.json'}: ok, 1 household (1 member)"
        in lines
    )
    lines = run("validate", *map(str, files)).stdout.splitlines()
    assert lines[0] == f"{files[0]}：有效，1 户（3 人）"
    assert lines[-1] == f"{HOME}：有效，1 个机构"


def test_errors_are_listed_one_per_line_with_file_line_and_path() -> None:
    result = run("validate", "--lang", "en", str(SAMPLE), str(BEIJING))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {SAMPLE}:3: members[0].incomes[0].monthly: must not be negative",
        f"error: {SAMPLE}:3: members[1].incomes[0].monthly: give money as text such as "
        '"1450.00", not as a JSON number',
        f"error: {SAMPLE}:3: members[1].relation: a second head; members[0] is already the head",
    ]
    assert result.stdout.splitlines() == [
        f"{SAMPLE}: invalid, 1 of 5 records with errors (3 errors)",
        f"{BEIJING}: ok, 1 household (3 members)",
    ]
    result = run("validate", str(SAMPLE), str(BEIJING))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"错误：{SAMPLE}:3：members[0].incomes[0].monthly：金额不得为负数",
        f"错误：{SAMPLE}:3：members[1].incomes[0].monthly："
        '金额须以文本表示，如 "1450.00"，不能写成 JSON 数值',
        f"错误：{SAMPLE}:3：members[1].relation：户主只能有一人，members[0] 已是户主",
    ]
    assert result.stdout.splitlines() == [
        f"{SAMPLE}：无效，共 5 条记录，其中 1 条有错误（共 3 处错误）",
        f"{BEIJING}：有效，1 户（3 人）",
    ]


def test_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--lang", "en", str(BEIJING)]) == 0
    assert capsys.readouterr().out == f"{BEIJING}: ok, 1 household (3 members)\n"
    assert main(["validate", str(SAMPLE)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count(f"错误：{SAMPLE}:3：") == 3
    assert not ID_RUN.search(captured.out + captured.err)
    assert main(["validate"]) == 2  # usage: no file given


def test_a_list_in_a_json_file(tmp_path: pathlib.Path) -> None:
    house = json.loads(BEIJING.read_text("utf-8"))
    home = json.loads(HOME.read_text("utf-8"))
    bad = dict(house, residence="suburban")
    path = tmp_path / "many.json"
    path.write_text(json.dumps([house, home, house]), "utf-8")
    assert run("validate", "--lang", "en", str(path)).stdout == (
        f"{path}: ok, 2 households (6 members), 1 institution\n"
    )
    assert run("validate", str(path)).stdout == f"{path}：有效，2 户（6 人）、1 个机构\n"
    path.write_text(json.dumps([house, bad]), "utf-8")
    result = run("validate", "--lang", "en", str(path))
    assert result.exit_code == 1
    assert result.stderr == (f"error: {path}: [1].residence: is not one of: urban, rural\n")
    result = run("validate", str(path))
    assert result.stderr == (
        f"错误：{path}：[1].residence：不是有效取值，应为以下之一：urban, rural\n"
    )


def test_the_type_option(tmp_path: pathlib.Path) -> None:
    assert run("validate", "--type", "household", str(BEIJING)).exit_code == 0
    result = run("validate", "--lang", "en", "--type", "institution", str(BEIJING))
    assert result.exit_code == 1
    assert "type: must be 'institution'" in result.stderr
    shapeless = tmp_path / "thing.json"
    shapeless.write_text('{"name": "x"}', "utf-8")
    result = run("validate", "--lang", "en", str(shapeless))
    assert "cannot tell what kind of record" in result.stderr
    assert "无法识别记录类型" in run("validate", str(shapeless)).stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe\x00{", "not valid UTF-8"),
        (b'{"id": "BJ-1", "members": [', "not valid JSON at line 1 column"),
        (b"[" * 200_000, "too deeply nested"),
        (b'{"beds": ' + b"9" * 5000 + b"}", "too long"),
        (b'{"beds": NaN}', "not a JSON number"),
        (b"", "not valid JSON"),
        (
            b'{"members": [' + b'{"relation": "child"},' * 10_000 + b'{"relation": "head"}]}',
            "at most 100",
        ),
    ],
)
def test_unreadable_files_are_reported_without_a_traceback(
    tmp_path: pathlib.Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("validate", "--lang", "en", str(path), str(BEIJING))
    assert result.exit_code == 1
    assert words in result.stderr
    assert result.stderr.startswith(f"error: {path}: ")
    assert result.stdout.splitlines()[-1] == f"{BEIJING}: ok, 1 household (3 members)"
    result = run("validate", str(path), str(BEIJING))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{path}：")


def test_missing_files_and_directories(tmp_path: pathlib.Path) -> None:
    args = (str(tmp_path / "nope.json"), str(tmp_path), str(BEIJING))
    result = run("validate", "--lang", "en", *args)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == f"error: {tmp_path / 'nope.json'}: cannot read: No such file or directory"
    assert errors[1].startswith(f"error: {tmp_path}: cannot read: ")
    assert result.stdout.splitlines()[-1].endswith("ok, 1 household (3 members)")
    errors = run("validate", *args).stderr.splitlines()
    assert errors[0] == f"错误：{tmp_path / 'nope.json'}：无法读取：文件不存在"
    assert errors[1] == f"错误：{tmp_path}：无法读取：这是一个目录，不是文件"


def test_resident_ids_are_never_printed_whole(tmp_path: pathlib.Path) -> None:
    house = json.loads(BEIJING.read_text("utf-8"))
    house["members"][0]["sex"] = WHOLE_ID
    house["members"][1]["id_number"] = WHOLE_ID[:-1] + "1"
    house[WHOLE_ID] = WHOLE_ID
    path = tmp_path / f"{WHOLE_ID}.jsonl"
    path.write_text(json.dumps(house, ensure_ascii=False) + "\n" + WHOLE_ID + "\n", "utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert WHOLE_ID not in result.output
    assert "110105********002X" in result.output


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=300)
    | st.builds(
        lambda prefix, cut: prefix[:cut],
        st.just(SAMPLE.read_bytes()),
        st.integers(0, len(SAMPLE.read_bytes())),
    ),
    st.sampled_from([".json", ".jsonl"]),
)
def test_any_bytes_give_a_clean_exit(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / ("input" + suffix)
        path.write_bytes(content)
        result = run("validate", str(path))
    assert result.exit_code in (0, 1)
    assert len(result.stdout.splitlines()) == 1


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert "validate" in result.output and "schema" in result.output
    assert "JSON Lines" in run("validate", "--help").output


@pytest.mark.parametrize("name", ["household", "institution"])
def test_schema_prints_the_generated_schema(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(RECORD_TYPES[name])
    assert "类别" in result.stdout  # Chinese is printed as is


def test_schema_of_an_unknown_type_is_a_usage_error() -> None:
    result = run("schema", "hamster")
    assert result.exit_code == 2
    assert "household" in result.output


def test_the_type_choices_are_the_record_types() -> None:
    assert tuple(RECORD_TYPES) == TYPE_CHOICES
