"""The open catalogue of standard keys: plugins declare keys (``[[key]]`` tables,
``register.declare``, service modules' ``keys``) and register dated, cited values for them."""

from __future__ import annotations

import json
import pathlib
import sys
import textwrap
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs import registry as registry_module
from civilaffairs.cli import main
from civilaffairs.errors import (
    CivilAffairsError,
    DataFileError,
    StandardConflict,
    UnknownStandardKey,
    ValidationError,
)
from civilaffairs.standards import (
    CATALOGUE,
    KeySpec,
    StandardsRegistrar,
    StandardsTable,
    StandardValue,
    Unit,
    check_declared,
    get_key,
    key_differences,
    read_data_file,
)
from civilaffairs.testing import assert_data_file_matches, assert_no_conflicts, isolated_registry
from modules_support import SOURCE, ModulePlugin, make_program, module

HEATING = KeySpec(
    "anhui.heating_subsidy",
    "冬季取暖补贴",
    "winter heating subsidy",
    Unit.YUAN_PER_YEAR,
    "Yearly heating subsidy per dibao household.",
    "安徽省 2023 通知",
    by_residence=True,
)

DATA = """\
[[key]]
key = "anhui.meal_subsidy"
zh = "老年助餐补贴"
en = "elderly meal subsidy"
unit = "yuan/month"
description = "Monthly meal subsidy per person aged 80 or over."
basis = "安徽省老年助餐服务实施意见"

[[standard]]
key = "anhui.meal_subsidy"
region = "340000"
effective_from = "2023-01-01"
value = "100"
source = { issuer = "安徽省民政厅", title = "老年助餐服务实施意见" }

[[standard]]
key = "anhui.meal_subsidy"
region = "340100"
effective_from = "2024-01-01"
value = "150"
source = { issuer = "合肥市民政局", title = "老年助餐补贴通知" }

[[standard]]
key = "dibao.standard"
region = "340000"
effective_from = "2024-01-01"
value = "900"
source = { issuer = "安徽省民政厅", title = "低保标准通知" }
"""


def write(tmp_path: pathlib.Path, text: str, name: str = "standards.toml") -> pathlib.Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class FilePlugin:
    """Loads one data file in both standards and policies hooks (like data_file_hooks)."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.load(self.path)

    @hookimpl
    def civilaffairs_register_policies(self, register: Any) -> None:
        register.load(self.path)


class CodePlugin:
    """Calls *fn(register)* in its standards hook."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        self.fn(register)


# -- the good path ---------------------------------------------------------------------


def test_a_key_declared_in_a_data_file_has_dated_values(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, DATA)
    registry = isolated_registry({"anhui": FilePlugin(path)})
    spec = registry.keys["anhui.meal_subsidy"]
    assert (spec.zh, spec.unit, spec.by_residence) == ("老年助餐补贴", Unit.YUAN_PER_MONTH, False)
    assert {k: v for k, v in registry.key_plugins.items() if v != "national"} == {
        "anhui.meal_subsidy": "anhui"
    }
    assert list(registry.keys)[: len(CATALOGUE)] == list(CATALOGUE)
    hefei = registry.resolve("anhui.meal_subsidy", "340102", "2024-03-01", "urban")
    assert (str(hefei.value), hefei.region, hefei.plugin) == ("150.00", "340100", "anhui")
    assert hefei.spec == spec and hefei.format_value() == "150.00 元/月"
    wuhu = registry.resolve("anhui.meal_subsidy", "340202", "2024-03-01")
    assert str(wuhu.value) == "100.00"
    assert registry.key("anhui.meal_subsidy") == spec
    assert registry.standards.keys()[-1] == "anhui.meal_subsidy"
    compiled = registry.standards.compile("anhui.meal_subsidy")
    assert compiled.spec == spec and len(compiled.records) == 2
    counts = registry.plugin("anhui").counts
    assert (counts["keys"], counts["standards"]) == (1, 3)
    assert_data_file_matches(registry, "anhui", path)
    assert_no_conflicts(registry)


def test_register_declare_and_add() -> None:
    def register_heating(register: Any) -> None:
        assert register.declare(HEATING) is HEATING
        value = register.add("anhui.heating_subsidy", "340000", "2023-11-01", "600", source=SOURCE)
        assert value is not None and value.spec is HEATING

    registry = isolated_registry({"anhui": CodePlugin(register_heating)})
    value = registry.resolve("anhui.heating_subsidy", "340102", "2024-01-01")
    assert value.format_value("en") == "600.00 yuan/year"
    assert registry.keys["anhui.heating_subsidy"] is HEATING


def test_values_may_come_before_or_without_the_declaring_plugin_s_own_values(
    tmp_path: pathlib.Path,
) -> None:
    """A plugin registers values for a key another plugin declares, whatever the order in
    which the plugins' hooks run."""
    declares = write(
        tmp_path,
        """\
        [[key]]
        key = "anhui.meal_subsidy"
        zh = "老年助餐补贴"
        en = "elderly meal subsidy"
        unit = "yuan/month"
        """,
        "keys.toml",
    )

    def by_code(register: Any) -> None:
        assert (
            register.add("anhui.meal_subsidy", "340100", "2024-01-01", "150", source=SOURCE) is None
        )
        assert register.deferred == 1

    for plugins in (
        {"a_user": CodePlugin(by_code), "z_declares": FilePlugin(declares)},
        {"a_declares": FilePlugin(declares), "z_user": CodePlugin(by_code)},
    ):
        registry = isolated_registry(plugins)
        value = registry.resolve("anhui.meal_subsidy", "340102", "2024-03-01")
        assert value.plugin.endswith("user")


def test_module_keys_are_known_to_every_plugin_s_values() -> None:
    meals = KeySpec(
        "anhui.meal_subsidy", "老年助餐补贴", "meal subsidy", Unit.YUAN_PER_MONTH, "", ""
    )
    mod = module("anhui.meals", make_program("anhui_meals", money_keys=[meals.key]), keys=(meals,))

    def values(register: Any) -> None:
        value = register.add("anhui.meal_subsidy", "340000", "2024-01-01", "100", source=SOURCE)
        assert value is not None and value.spec is meals

    registry = isolated_registry({"module": ModulePlugin(mod), "values": CodePlugin(values)})
    assert registry.resolve("anhui.meal_subsidy", "340102", "2024-02-01").plugin == "values"


def test_the_same_key_declared_identically_by_two_plugins_is_fine(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, DATA)
    other = attrs.evolve(
        HEATING,
        key="anhui.meal_subsidy",
        zh="老年助餐补贴",
        en="elderly meal subsidy",
        unit=Unit.YUAN_PER_MONTH,
        by_residence=False,
        description="another wording",
    )
    registry = isolated_registry(
        {"anhui": FilePlugin(path), "again": CodePlugin(lambda r: r.declare(other))}
    )
    assert not registry.errors
    assert registry.key_plugins["anhui.meal_subsidy"] == "anhui"


# -- bad declarations and values ---------------------------------------------------------


def test_a_key_declared_twice_with_another_meaning_fails_the_second_plugin(
    tmp_path: pathlib.Path,
) -> None:
    path = write(tmp_path, DATA)
    clash = attrs.evolve(
        HEATING,
        key="anhui.meal_subsidy",
        zh="老年助餐补贴",
        en="elderly meal subsidy",
        unit=Unit.YUAN,
        by_residence=False,
    )
    registry = isolated_registry(
        {"anhui": FilePlugin(path), "other": CodePlugin(lambda r: r.declare(clash))}, strict=False
    )
    (error,) = registry.errors
    assert error.plugin == "other"
    assert "'anhui.meal_subsidy'" in error.message
    assert "plugin 'anhui'" in error.message and "plugin 'other'" in error.message
    assert "unit: 'yuan/month' vs 'yuan'" in error.message
    assert isinstance(error.__cause__, StandardConflict)
    assert error.__cause__.plugins == ("anhui", "other")
    assert (
        registry.plugin("anhui").status == "loaded" and registry.plugin("other").status == "failed"
    )
    with pytest.raises(AssertionError, match="1 conflict"):
        assert_no_conflicts(registry)


def test_a_value_for_an_undeclared_key_fails_its_plugin(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, DATA)

    def typo(register: Any) -> None:
        register.add("anhui.meal_subsidyy", "340000", "2024-01-01", "1", source=SOURCE)

    registry = isolated_registry(
        {"anhui": FilePlugin(path), "typo": CodePlugin(typo)}, strict=False
    )
    (error,) = registry.errors
    assert error.plugin == "typo"
    assert "unknown standard key 'anhui.meal_subsidyy'" in error.message
    assert "did you mean 'anhui.meal_subsidy'?" in error.message
    assert registry.plugin("anhui").status == "loaded"

    lonely = write(tmp_path, "[[standard]]" + DATA.split("[[standard]]", 1)[1], "lonely.toml")
    registry = isolated_registry({"lonely": FilePlugin(lonely)}, strict=False)
    (error,) = registry.errors
    assert (
        "lonely.toml: standard[0].key: unknown standard key 'anhui.meal_subsidy'" in error.message
    )
    assert "must be declared" in error.message


def test_a_typo_in_a_built_in_namespace_is_an_error_at_once() -> None:
    register = StandardsRegistrar("p")
    with pytest.raises(ValidationError, match=r"did you mean 'dibao\.standard'"):
        register.add("dibao.standrad", "110000", "2024-01-01", "1", source=SOURCE)
    with pytest.raises(ValidationError, match="unknown standard key 'minimum_wag'"):
        register.add("minimum_wag", "110000", "2024-01-01", "1", source=SOURCE)
    assert register.deferred == 0


def test_values_of_a_failed_plugin_s_key_fail_too() -> None:
    meals = KeySpec(
        "anhui.meal_subsidy", "老年助餐补贴", "meal subsidy", Unit.YUAN_PER_MONTH, "", ""
    )
    broken = module("anhui.meals", make_program("anhui_meals", requires=["gone"]), keys=(meals,))

    def values(register: Any) -> None:
        register.add("anhui.meal_subsidy", "340000", "2024-01-01", "100", source=SOURCE)

    registry = isolated_registry(
        {"module": ModulePlugin(broken), "values": CodePlugin(values)}, strict=False
    )
    assert [e.plugin for e in registry.errors] == ["module", "values"]
    assert "no longer declared" in registry.errors[1].message
    assert "anhui.meal_subsidy" not in registry.keys


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "dibao.standard"}, "built-in key"),
        ({"key": "heating"}, "needs a namespace"),
        ({"key": "dibao.heating"}, "namespace of the built-in keys"),
        ({"key": "Anhui.Heating"}, "lowercase words"),
        ({"zh": " "}, "needs a zh title"),
        ({"relative_to": "dibao.standard"}, "its unit must be 'ratio'"),
        ({"unit": "yuan"}, "unit must be a civilaffairs.standards.Unit"),
        ({"by_residence": 1}, "by_residence must be True or False"),
    ],
)
def test_declared_keys_are_checked(change: dict[str, Any], message: str) -> None:
    with pytest.raises(CivilAffairsError, match=message):
        check_declared(attrs.evolve(HEATING, **change))
    with pytest.raises(CivilAffairsError, match=message):
        StandardsRegistrar("p").declare(attrs.evolve(HEATING, **change))
    with pytest.raises(CivilAffairsError, match="not str"):
        check_declared("anhui.x")


def test_key_tables_report_every_bad_field(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path,
        """\
        [[key]]
        key = "anhui.a"
        zh = "甲"
        unit = "yuan/week"
        colour = "red"

        [[key]]
        key = "dibao.extra"
        zh = "乙"
        en = "b"
        unit = "ratio"

        [[key]]
        key = "anhui.c"
        zh = "丙"
        en = "c"
        unit = "yuan"
        by_residence = "yes"
        """,
    )
    with pytest.raises(DataFileError) as info:
        StandardsRegistrar("p").load(path)
    lines = str(info.value).splitlines()
    assert "standards.toml: key[0].en: required" in lines
    assert any(
        line.startswith("standards.toml: key[0].unit: 'yuan/week' is not one of") for line in lines
    )
    assert any(line.startswith("standards.toml: key[0].colour: unknown field") for line in lines)
    assert any("key[1].key: key 'dibao.extra' is in the namespace" in line for line in lines)
    assert any("key[2].by_residence: must be true or false" in line for line in lines)


def test_a_key_table_repeating_a_key_with_another_meaning(tmp_path: pathlib.Path) -> None:
    table = '[[key]]\nkey = "anhui.a"\nzh = "甲"\nen = "a"\nunit = "{unit}"\n\n'
    path = write(tmp_path, table.format(unit="yuan") + table.format(unit="ratio"))
    with pytest.raises(DataFileError, match=r"key\[1\]\.key: 'anhui.a' is declared twice"):
        read_data_file(path).key_specs()
    same = write(tmp_path, table.format(unit="yuan") * 2, "same.toml")
    assert [s.key for s in read_data_file(same).key_specs()] == ["anhui.a"]


def test_declare_refuses_a_second_meaning_in_one_plugin() -> None:
    register = StandardsRegistrar("p")
    register.declare(HEATING)
    register.declare(attrs.evolve(HEATING, description="same meaning"))
    with pytest.raises(CivilAffairsError, match="declared twice with different meanings"):
        register.declare(attrs.evolve(HEATING, by_residence=False))


def test_relative_to_must_name_a_known_key() -> None:
    multiple = KeySpec(
        "anhui.bonus_multiple", "倍数", "multiple", Unit.RATIO, "", "", relative_to="anhui.nope"
    )
    registry = isolated_registry({"p": CodePlugin(lambda r: r.declare(multiple))}, strict=False)
    (error,) = registry.errors
    assert "'anhui.bonus_multiple' is a multiple of 'anhui.nope'" in error.message


# -- the catalogue outside a registry -----------------------------------------------------


def test_get_key_takes_a_catalogue() -> None:
    keys = {**CATALOGUE, HEATING.key: HEATING}
    assert get_key("anhui.heating_subsidy", keys) is HEATING
    with pytest.raises(UnknownStandardKey, match=r"did you mean 'anhui\.heating_subsidy'"):
        get_key("anhui.heating_subsidyy", keys)
    with pytest.raises(UnknownStandardKey):
        get_key("anhui.heating_subsidy")


def test_a_table_learns_declared_keys_from_its_values() -> None:
    value = StandardValue.build(
        HEATING.key,
        "340000",
        "2024-01-01",
        "600",
        source=SOURCE,
        plugin="p",
        keys={HEATING.key: HEATING},
    )
    assert value.keyspec is HEATING and value.spec is HEATING
    table = StandardsTable([value])
    assert table.catalogue[HEATING.key] is HEATING
    assert table.resolve(HEATING.key, "340102", "2024-02-01", "rural") is value
    assert table.overlay([]).spec(HEATING.key) is HEATING
    with pytest.raises(UnknownStandardKey):
        StandardsTable().resolve(HEATING.key, "340102", "2024-02-01")
    with pytest.raises(CivilAffairsError, match="different meanings"):
        StandardsTable([value], keys={HEATING.key: attrs.evolve(HEATING, unit=Unit.YUAN)})
    with pytest.raises(CivilAffairsError, match="cannot be redefined"):
        attrs.evolve(
            StandardValue.build(
                "minimum_wage", "340000", "2024-01-01", "1", source=SOURCE, plugin="p"
            ),
            keyspec=attrs.evolve(CATALOGUE["minimum_wage"], zh="别的"),
        )


_MEANINGS = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(list(Unit)),
        "by_residence": st.booleans(),
        "zh": st.sampled_from(["甲", "乙"]),
        "en": st.sampled_from(["a", "b"]),
        "description": st.sampled_from(["", "one wording", "another"]),
    }
)


@given(_MEANINGS, _MEANINGS)
def test_two_declarations_conflict_exactly_when_their_meaning_differs(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    a = KeySpec("anhui.k", first["zh"], first["en"], first["unit"], first["description"], "")
    a = attrs.evolve(a, by_residence=first["by_residence"])
    b = attrs.evolve(a, **second)
    diffs = key_differences(a, b)
    meaning = ("unit", "by_residence", "zh", "en")
    assert bool(diffs) == any(first[f] != second[f] for f in meaning)
    registry = isolated_registry(
        {"one": CodePlugin(lambda r: r.declare(a)), "two": CodePlugin(lambda r: r.declare(b))},
        national=False,
        strict=False,
    )
    assert [e.plugin for e in registry.errors] == (["two"] if diffs else [])


# -- the standards command ----------------------------------------------------------------


def test_standards_command_shows_declared_keys(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = isolated_registry({"anhui": FilePlugin(write(tmp_path, DATA))})
    monkeypatch.setattr(registry_module, "_registry", reg)
    monkeypatch.delenv("CIVILAFFAIRS_STRICT_PLUGINS", raising=False)
    assert main(["standards", "340102", "--on", "2024-03-01", "--key", "anhui.meal_subsidy"]) == 0
    out = capsys.readouterr().out
    assert "anhui.meal_subsidy 老年助餐补贴 [城乡]: 150.00 元/月" in out
    assert main(["standards", "340102", "--on", "2024-03-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    meal = next(v for v in data["values"] if v["key"] == "anhui.meal_subsidy")
    assert (meal["zh"], meal["value"]) == ("老年助餐补贴", "150.00")
    assert main(["standards", "340102", "--key", "anhui.meal_subsidyy", "--lang", "en"]) != 0
    assert "did you mean 'anhui.meal_subsidy'" in capsys.readouterr().err
    assert main(["standards", "340102", "--key", "anhui.meal_subsidyy"]) != 0
    assert "是否应为 'anhui.meal_subsidy'" in capsys.readouterr().err


def test_a_data_file_plugin_declares_keys_in_its_data_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "civilaffairs_keytest"
    package.mkdir()
    (package / "standards.toml").write_text(DATA, encoding="utf-8")
    (package / "__init__.py").write_text(
        "from civilaffairs.data_plugin import data_file_hooks\n\n"
        "civilaffairs_register_standards, civilaffairs_register_policies = "
        "data_file_hooks(__name__)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import civilaffairs_keytest  # type: ignore[import-not-found]

    registry = isolated_registry({"keytest": civilaffairs_keytest})
    assert {k: v for k, v in registry.key_plugins.items() if v != "national"} == {
        "anhui.meal_subsidy": "keytest"
    }
    assert str(registry.resolve("anhui.meal_subsidy", "340102", "2024-02-01").value) == "150.00"
    assert_data_file_matches(registry, "keytest", package / "standards.toml")
    monkeypatch.delitem(sys.modules, "civilaffairs_keytest")
