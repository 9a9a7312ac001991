"""Plugin data files (TOML and CSV): loading, and errors naming file, entry and field."""

from __future__ import annotations

import datetime
import pathlib
import textwrap

import pytest

from civilaffairs.errors import DataFileError, StandardConflict
from civilaffairs.policies import PolicyRegistrar
from civilaffairs.standards import StandardsRegistrar, read_data_file

GOOD = """
[[standard]]
key = "dibao.standard"
region = "110000"
residence = "both"
effective_from = "2024-07-01"
until = "2025-06-30"
value = "1450"
provisional = true
note = "third-party listing; confirm against the municipal notice"
source = { issuer = "北京市民政局", title = "关于调整社会救助标准的通知", \
  date = "2024-06-30", url = "https://example.org/notice" }

[[standard]]
key = "tekun.basic_living_multiple"
region = "110000"
effective_from = 2022-07-01
value = "1.5"
source = { issuer = "北京市民政局", document = "京民社救发〔2022〕1号" }

[[policy]]
program = "dibao"
point = "rounding"
region = "110000"
effective_from = "2020-01-01"
value = "up"
note = "round benefits up to whole yuan"
"""


def write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_toml(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "standards.toml", GOOD)
    register = StandardsRegistrar("beijing")
    values = register.load(path)
    assert [v.key for v in values] == ["dibao.standard", "tekun.basic_living_multiple"]
    first = values[0]
    assert first.plugin == "beijing" and first.provisional
    assert first.until == datetime.date(2025, 6, 30)
    assert first.source.url == "https://example.org/notice"
    assert values[1].effective_from == datetime.date(2022, 7, 1)  # a bare TOML date
    policies = PolicyRegistrar("beijing")
    (override,) = policies.load(path)
    assert (override.program, override.point, override.value) == ("dibao", "rounding", "up")
    assert override.source is None
    assert register.loaded_files[str(path)] == ("standards.toml", 2, 1)


def test_load_from_package_resources() -> None:
    from importlib.resources import files

    register = StandardsRegistrar("national")
    values = register.load(files("civilaffairs.national") / "standards.toml")
    assert values and all(v.region == "000000" for v in values)


def test_errors_name_file_entry_and_field(tmp_path: pathlib.Path) -> None:
    text = (
        GOOD
        + """
[[standard]]
key = "dibao.standard"
region = "110000"
effective_from = "2023-07-01"
value = 1450.5
source = { title = "no issuer" }

[[standard]]
key = "dibao.standrad"
region = "1100"
effective_from = "2023-02-30"
value = "1"
colour = "red"
source = { issuer = "x" }
"""
    )
    path = write(tmp_path, "standards.toml", text)
    with pytest.raises(DataFileError) as info:
        StandardsRegistrar("p").load(path)
    lines = str(info.value).splitlines()
    assert "standards.toml: standard[2].source.issuer: required" in lines
    assert any(line.startswith("standards.toml: standard[2].value: ") for line in lines)
    assert any("standard[3].key: unknown standard key" in line for line in lines)
    assert any(line.startswith("standards.toml: standard[3].region: ") for line in lines)
    assert any(line.startswith("standards.toml: standard[3].effective_from: ") for line in lines)
    assert any("standard[3].colour: unknown field" in line for line in lines)
    assert info.value.file == "standards.toml"
    assert all(line.startswith("standards.toml: ") for line in lines)


def test_duplicate_entries_in_one_file(tmp_path: pathlib.Path) -> None:
    entry = """
[[standard]]
key = "minimum_wage"
region = "110000"
effective_from = "2023-09-01"
value = "2420"
source = { issuer = "北京市人力资源和社会保障局", title = "通知" }
"""
    path = write(tmp_path, "standards.toml", entry + entry)
    with pytest.raises(DataFileError, match=r"standard\[1\]: same key, region"):
        StandardsRegistrar("p").load(path)


def test_conflict_with_an_earlier_add(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "standards.toml", GOOD)
    register = StandardsRegistrar("p")
    register.add(
        "dibao.standard", "110000", "2024-07-01", "1", source={"issuer": "x", "title": "y"}
    )
    with pytest.raises(StandardConflict):
        register.load(path)
    assert len(register.table) == 1  # nothing of the file was added


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("s.toml", "[[standard]\n", "not valid TOML"),
        ("s.toml", "[standard]\nkey = 1\n", "must be an array of tables"),
        ("s.toml", "[[standards]]\nkey = 1\n", "unknown table"),
        ("s.txt", "", "must end in .toml or .csv"),
        ("s.csv", "a,b\n1,2\n", "needs a 'key' column"),
        ("s.csv", "key,colour\nx,y\n", "colour: unknown column"),
    ],
)
def test_file_level_errors(tmp_path: pathlib.Path, name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(DataFileError, match=message):
        read_data_file(path)


def test_missing_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(DataFileError, match="cannot read the file"):
        read_data_file(tmp_path / "nothing.toml")


def test_not_utf8(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes("标准".encode("gbk"))
    with pytest.raises(DataFileError, match="UTF-8"):
        read_data_file(path)


HEADER = (
    "key,region,residence,effective_from,until,value,provisional,note,"
    "source_issuer,source_document,source_title,source_date,source_url,source_note"
)
CSV = (
    HEADER
    + """
dibao.standard,440300,,2017-07-01,,900,false,,深圳市民政局,,关于调整最低生活保障标准的通知,,,
disability.living_subsidy,440000,both,2026-01-01,,217,true,third-party listing,广东省民政厅,,,,,
"""
)


def test_load_csv(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "standards.csv", CSV)
    values = StandardsRegistrar("guangdong").load(path)
    assert [str(v.value) for v in values] == ["900.00", "217.00"]
    assert values[1].provisional and values[1].note == "third-party listing"
    assert values[0].source.title == "关于调整最低生活保障标准的通知"


def test_csv_errors_name_the_line_and_column(tmp_path: pathlib.Path) -> None:
    bad = CSV + "minimum_wage,440000,,2024-01-01,,x,maybe,,,,,,,\n"
    path = write(tmp_path, "standards.csv", bad)
    with pytest.raises(DataFileError) as info:
        StandardsRegistrar("p").load(path)
    lines = str(info.value).splitlines()
    assert "standards.csv: line 4.source_issuer: required" in lines
    assert any(line.startswith("standards.csv: line 4.value: ") for line in lines)
    assert any(line.startswith("standards.csv: line 4.provisional: ") for line in lines)


def test_policy_csv(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path,
        "policies.csv",
        "program,point,region,effective_from,value,source_issuer\n"
        "dibao,rounding,110000,2020-01-01,up,北京市民政局\n",
    )
    (override,) = PolicyRegistrar("p").load(path)
    assert override.value == "up" and override.source is not None


def test_policy_entry_errors(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path,
        "standards.toml",
        '[[policy]]\nprogram = "dibao"\nregion = "110000"\neffective_from = "2020-01-01"\n'
        'source = { url = "x" }\n',
    )
    with pytest.raises(DataFileError) as info:
        PolicyRegistrar("p").load(path)
    lines = str(info.value).splitlines()
    assert "standards.toml: policy[0].point: required" in lines
    assert "standards.toml: policy[0].value: required" in lines
    assert "standards.toml: policy[0].source.issuer: required" in lines
