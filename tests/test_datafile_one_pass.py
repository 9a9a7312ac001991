"""Every mistake of a plugin's data file is reported in one pass, each naming the plugin,
the file, the entry and the field: the mistakes found when the file is read and those found
when its policy values are checked against the programmes' policy points."""

from __future__ import annotations

import pathlib
import re
import textwrap

import pytest

from civilaffairs.errors import DataFileError
from civilaffairs.hookspecs import hookimpl
from civilaffairs.plugin_manager import make_plugin_manager
from civilaffairs.policies import PolicyOverride, PolicyRegistrar, validate_override
from civilaffairs.registry import Registry, build_registry
from civilaffairs.standards import StandardsRegistrar

GOOD = """
[[standard]]
key = "dibao.standard"
region = "340000"
effective_from = "2024-01-01"
value = "900"
source = { issuer = "安徽省民政厅", title = "关于提高城乡低保标准的通知" }
"""

# Mistakes, entry by entry (standard[0] is good):
#   standard[1]  an unknown key, with a float value
#   standard[2]  an impossible date
#   standard[3]  no issuer
#   standard[4]  an extra field; standard[5] repeats its key, region, residence and date
#   standard[6]  repeats standard[0], and has an extra field too
#   policy[0]    a value the policy point refuses
#   policy[1]    an unknown policy point
MISTAKES = (
    GOOD
    + """
[[standard]]
key = "dibao.standrad"
region = "340000"
effective_from = "2024-01-01"
value = 900.5
source = { issuer = "安徽省民政厅", title = "通知" }

[[standard]]
key = "dibao.standard"
region = "340100"
effective_from = "2024-02-30"
value = "950"
source = { issuer = "合肥市民政局", title = "通知" }

[[standard]]
key = "dibao.standard"
region = "340200"
effective_from = "2024-01-01"
value = "920"
source = { title = "关于提高城乡低保标准的通知" }

[[standard]]
key = "dibao.standard"
region = "340300"
effective_from = "2024-01-01"
value = "910"
colour = "red"
source = { issuer = "蚌埠市民政局", title = "通知" }

[[standard]]
key = "dibao.standard"
region = "340300"
effective_from = 2024-01-01
value = "915"
source = { issuer = "蚌埠市民政局", title = "通知" }

[[standard]]
key = "dibao.standard"
region = "340000"
residence = "both"
effective_from = "2024-01-01"
value = "900"
comment = "again"
source = { issuer = "安徽省民政厅", title = "通知" }

[[policy]]
program = "dibao"
point = "rounding"
region = "340000"
effective_from = "2024-01-01"
value = "sideways"

[[policy]]
program = "dibao"
point = "roundign"
region = "340000"
effective_from = "2024-01-01"
value = "up"
"""
)

#: (entry, field, a part of the message) of every mistake.
EXPECTED = [
    ("standard[1]", "key", "unknown standard key 'dibao.standrad'"),
    ("standard[1]", "value", "900.5 is not accepted"),
    ("standard[2]", "effective_from", "not a real calendar date"),
    ("standard[3]", "source.issuer", "required"),
    ("standard[4]", "colour", "unknown field"),
    ("standard[5]", None, "same key, region, residence and effective_from as standard[4]"),
    ("standard[6]", "comment", "unknown field"),
    ("standard[6]", None, "same key, region, residence and effective_from as standard[0]"),
    ("policy[0]", "value", "policy point 'rounding' takes one of"),
    ("policy[1]", "point", "has no policy point 'roundign'"),
]


def _plugin(path: pathlib.Path) -> object:
    class Anhui:
        @hookimpl
        def civilaffairs_register_standards(self, register: StandardsRegistrar) -> None:
            register.load(path)

        @hookimpl
        def civilaffairs_register_policies(self, register: PolicyRegistrar) -> None:
            register.load(path)

    return Anhui()


def _registry(path: pathlib.Path) -> Registry:
    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins={"anhui": _plugin(path)},
        provinces={"anhui": ("340000",)},
    )
    return build_registry(pm)


@pytest.fixture
def data_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "standards.toml"
    path.write_text(textwrap.dedent(MISTAKES), encoding="utf-8")
    return path


def _reported(registry: Registry) -> list[tuple[str, str]]:
    """(plugin, line) of every line of every load error."""
    return [(e.plugin, line) for e in registry.errors for line in str(e).splitlines()]


def test_every_mistake_is_reported_in_one_pass(data_file: pathlib.Path) -> None:
    registry = _registry(data_file)
    assert registry.plugin("anhui").status == "failed"
    reported = _reported(registry)
    for entry, field, message in EXPECTED:
        where = f"standards.toml: {entry}.{field}: " if field else f"standards.toml: {entry}: "
        found = [(p, line) for p, line in reported if where in line and message in line]
        assert found, f"{where}{message} not reported; got:\n" + "\n".join(
            line for _, line in reported
        )
        assert all(p == "anhui" for p, _ in found)
    # each reported line names the file and an entry, and names the plugin or continues
    # the error of one that does
    pattern = re.compile(r"standards\.toml: (standard|policy)\[\d+\](\.[\w.]+)?: ")
    for plugin, line in reported:
        assert plugin == "anhui"
        assert pattern.search(line), line
    assert len(reported) == len(EXPECTED)


def test_the_error_lines_name_the_plugin(data_file: pathlib.Path) -> None:
    registry = _registry(data_file)
    for error in registry.errors:
        for lang in ("en", "zh"):
            first = error.lines(lang)[0]
            assert "'anhui'" in first


def test_a_repeat_is_found_whichever_of_the_two_has_other_mistakes(
    tmp_path: pathlib.Path,
) -> None:
    extra = GOOD.replace('value = "900"', 'value = "900"\ncolour = "red"')
    for text, repeat in ((extra + GOOD, "standard[1]"), (GOOD + extra, "standard[1]")):
        path = tmp_path / "standards.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataFileError) as info:
            StandardsRegistrar("anhui").load(path)
        lines = str(info.value).splitlines()
        assert any(".colour: unknown field" in line for line in lines)
        assert any(
            line.startswith(f"standards.toml: {repeat}: same key, region") for line in lines
        ), lines


def test_a_repeated_policy_entry_is_reported(tmp_path: pathlib.Path) -> None:
    entry = """
[[policy]]
program = "dibao"
point = "rounding"
region = "340000"
effective_from = "2024-01-01"
value = "up"
"""
    path = tmp_path / "standards.toml"
    path.write_text(entry + entry.replace('value = "up"', 'value = "up"\nextra = 1'), "utf-8")
    with pytest.raises(DataFileError) as info:
        PolicyRegistrar("anhui").load(path)
    lines = str(info.value).splitlines()
    assert "standards.toml: policy[1].extra: " in "\n".join(lines)
    assert any(
        line.startswith("standards.toml: policy[1]: same programme, point, region")
        for line in lines
    ), lines


def test_an_override_loaded_from_a_file_carries_its_origin(data_file: pathlib.Path) -> None:
    text = data_file.read_text(encoding="utf-8")
    policies = text[text.index("[[policy]]") :]
    path = data_file.with_name("policies.toml")
    path.write_text(policies, encoding="utf-8")
    overrides = PolicyRegistrar("anhui").load(path)
    assert [o.origin for o in overrides] == ["policies.toml: policy[0]", "policies.toml: policy[1]"]


def test_an_override_added_in_code_keeps_its_message() -> None:
    override = PolicyOverride.build(
        "dibao", "rounding", "340000", "2024-01-01", "sideways", plugin="anhui"
    )
    assert override.origin is None
    from civilaffairs.registry import get_registry

    with pytest.raises(Exception, match=r"^policy dibao\.rounding 340000 \(both\)") as info:
        validate_override(override, get_registry().programs)
    assert "standards.toml" not in str(info.value)


BAD_KEY = """
[[key]]
key = "anhui.meal"
zh = "助餐补贴"
en = "meal subsidy"
unit = "furlongs"
description = "Monthly meal subsidy."
basis = "安徽省文件"
"""


@pytest.mark.parametrize(
    "declaration",
    [
        BAD_KEY,  # refused when the file's declarations are read
        BAD_KEY.replace('"anhui.meal"', '"tekun.care.full"').replace("furlongs", "yuan/month"),
    ],  # a well-formed declaration the registry refuses (a built-in key)
)
def test_a_bad_key_declaration_does_not_hide_the_standards_mistakes(
    tmp_path: pathlib.Path, declaration: str
) -> None:
    bad_standard = GOOD.replace('title = "关于提高城乡低保标准的通知" ', "")
    bad_standard = bad_standard.replace('issuer = "安徽省民政厅", ', "")
    path = tmp_path / "standards.toml"
    path.write_text(declaration + GOOD + bad_standard, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        StandardsRegistrar("anhui").load(path)
    lines = str(info.value).splitlines()
    assert any(line.startswith("standards.toml: key[0]") for line in lines), lines
    assert any(line.startswith("standards.toml: standard[1].source") for line in lines), lines
    assert not any(line.startswith("standards.toml: standard[0]") for line in lines), lines
