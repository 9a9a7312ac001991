"""Service modules registered through ``civilaffairs_register_modules``: scope, programme
ids, dependencies, keys, and what a bad registration does to the other plugins."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs import registry as registry_module
from civilaffairs.cli import main
from civilaffairs.errors import PluginError, ProgramError, UnknownProgram
from civilaffairs.programs.module import ServiceModule, in_scope
from civilaffairs.registry import ModuleRegistrar
from civilaffairs.standards import KeySpec, Unit
from civilaffairs.testing import isolated_registry
from modules_support import SOURCE, ModulePlugin, make_program, module

MEALS = KeySpec(
    "anhui.meal_subsidy",
    "老年助餐补贴",
    "elderly meal subsidy",
    Unit.YUAN_PER_MONTH,
    "Monthly meal subsidy per person aged 80 or over.",
    "安徽省老年助餐服务实施意见",
)


def meals_module(**kw: Any) -> ServiceModule:
    program = make_program("anhui_meals", money_keys=["anhui.meal_subsidy"])
    return module("anhui.elderly_meals", program, keys=(MEALS,), **kw)


def add_meal_values(register: Any) -> None:
    register.add("anhui.meal_subsidy", "340100", "2024-01-01", "150", source=SOURCE)


@attrs.frozen
class DuckProgramme:
    id: str
    policy_points: dict[str, object] = attrs.field(factory=dict)


def only_error(registry: Any) -> PluginError:
    (error,) = registry.errors
    return error  # type: ignore[no-any-return]


# -- the good path ---------------------------------------------------------------------


def test_a_provincial_module_is_assessed_only_inside_its_scope() -> None:
    registry = isolated_registry({"anhui": ModulePlugin(meals_module(), standards=add_meal_values)})
    assert "anhui_meals" in registry.programs_for("340102")
    assert "anhui_meals" not in registry.programs_for("110105")
    assert "dibao" in registry.programs_for("110105")
    assert "dibao" in registry.programs_for("340102")
    assert registry.programs_for("340102")[-1] == "anhui_meals"
    assert registry.program_scope("anhui_meals") == ("340000",)
    assert registry.program_scope("dibao") == ()
    assert registry.program_module["anhui_meals"] == "anhui.elderly_meals"
    assert registry.modules["anhui.elderly_meals"].zh == "模块anhui.elderly_meals"
    from civilaffairs.modules import core_modules

    core = {m.id: "national" for m in core_modules()}
    assert registry.module_plugins == {
        "social_assistance": "national",
        **core,
        "anhui.elderly_meals": "anhui",
    }
    with pytest.raises(UnknownProgram):
        registry.program_scope("nope")


def test_programs_for_keeps_registration_order() -> None:
    registry = isolated_registry({"anhui": ModulePlugin(meals_module(), standards=add_meal_values)})
    order = list(registry.programs)
    got = registry.programs_for("340102")
    assert list(got) == [p for p in order if p in got]


def test_the_core_module_holds_the_national_programmes() -> None:
    registry = isolated_registry()
    core = registry.modules["social_assistance"]
    assert (core.zh, core.en, core.scope) == (
        "社会救助与社会福利",
        "Social assistance and welfare",
        (),
    )
    assert set(core.program_ids) == set(registry.programs)
    assert all(registry.program_module[p] == "social_assistance" for p in registry.programs)
    from civilaffairs.modules import core_modules

    counts = registry.plugin("national").counts
    others = core_modules()
    assert counts["modules"] == 1 + len(others)
    assert counts["programs"] == len(registry.programs)
    assert counts["keys"] == len({k.key for m in others for k in m.keys})


def test_module_keys_and_checks_are_registered() -> None:
    @attrs.frozen
    class Check:
        id: str

        def __call__(self, *args: object) -> list[object]:
            return []

    mod = attrs.evolve(meals_module(), checks=(Check("meal_after_death"),))
    registry = isolated_registry({"anhui": ModulePlugin(mod, standards=add_meal_values)})
    assert registry.keys["anhui.meal_subsidy"] is MEALS
    assert {k: v for k, v in registry.key_plugins.items() if v != "national"} == {
        "anhui.meal_subsidy": "anhui"
    }
    assert registry.audit_checks["meal_after_death"] == Check("meal_after_death")
    assert registry.audit_check_plugins["meal_after_death"] == "anhui"
    value = registry.resolve("anhui.meal_subsidy", "340102", "2024-03-01")
    assert str(value.value) == "150.00" and value.spec is MEALS
    counts = registry.plugin("anhui").counts
    assert (counts["modules"], counts["keys"], counts["standards"]) == (1, 1, 1)
    assert counts["audit_checks"] == 1


# -- bad registrations: a named error, and the others still load ------------------------


def test_a_duck_typed_programme_is_refused_by_name() -> None:
    registry = isolated_registry(
        {
            "duck": ModulePlugin(DuckProgramme("local_heating")),
            "anhui": ModulePlugin(meals_module(), standards=add_meal_values),
        },
        strict=False,
    )
    error = only_error(registry)
    assert error.plugin == "duck"
    assert "ServiceModule" in error.message and "DuckProgramme" in error.message
    assert "'local_heating'" in error.message and "looks like a programme" in error.message
    assert registry.plugin("duck").status == "failed"
    assert registry.plugin("anhui").status == "loaded" and "dibao" in registry.programs


def test_a_module_holding_a_duck_typed_programme_cannot_be_built() -> None:
    with pytest.raises(ProgramError, match=r"is not a civilaffairs Program") as info:
        ServiceModule("anhui.x", zh="x", en="x", scope=("340000",), programs=(DuckProgramme("p"),))
    assert info.value.path == "anhui.x.programs[0]"

    class Plugin:
        @hookimpl
        def civilaffairs_register_modules(self, register: Any) -> None:
            register.add(
                ServiceModule(
                    "anhui.x", zh="x", en="x", scope=("340000",), programs=(DuckProgramme("p"),)
                )
            )

    registry = isolated_registry({"builder": Plugin()}, strict=False)
    error = only_error(registry)
    assert error.plugin == "builder" and "civilaffairs_register_modules" in error.message
    assert "is not a civilaffairs Program" in error.message


def test_a_programme_reading_an_undeclared_key_fails_its_plugin() -> None:
    reader = module("anhui.reader", make_program("anhui_reader", money_keys=["anhui.heating"]))
    registry = isolated_registry(
        {
            "reader": ModulePlugin(reader),
            "anhui": ModulePlugin(meals_module(), standards=add_meal_values),
        },
        strict=False,
    )
    error = only_error(registry)
    assert error.plugin == "reader"
    assert "'anhui_reader'" in error.message and "'anhui.heating'" in error.message
    assert "anhui_reader" not in registry.programs and "anhui_meals" in registry.programs


def test_a_programme_may_read_a_key_another_plugin_declares() -> None:
    reader = module("anhui.reader", make_program("anhui_reader", money_keys=["anhui.meal_subsidy"]))
    registry = isolated_registry(
        {
            "anhui": ModulePlugin(meals_module(), standards=add_meal_values),
            "reader": ModulePlugin(reader),
        }
    )
    assert "anhui_reader" in registry.programs_for("340102")


def test_a_cycle_across_programmes_fails_the_plugins_involved() -> None:
    first = module("anhui.first", make_program("anhui_first", requires=["anhui_second"]))
    second = module("anhui.second", make_program("anhui_second", requires=["anhui_first"]))
    registry = isolated_registry(
        {
            "one": ModulePlugin(first),
            "two": ModulePlugin(second),
            "anhui": ModulePlugin(meals_module(), standards=add_meal_values),
        },
        strict=False,
    )
    assert sorted(e.plugin for e in registry.errors) == ["one", "two"]
    for error in registry.errors:
        assert "cycle" in error.message
        assert "'anhui_first' -> 'anhui_second' -> 'anhui_first'" in error.message
        assert "from plugin 'one'" in error.message and "from plugin 'two'" in error.message
    assert "anhui_meals" in registry.programs and "anhui_first" not in registry.programs


def test_reading_eligibility_of_an_unregistered_programme_fails() -> None:
    lonely = module("anhui.lonely", make_program("anhui_lonely", requires=["anhui_gone"]))
    registry = isolated_registry({"lonely": ModulePlugin(lonely)}, strict=False)
    error = only_error(registry)
    assert error.plugin == "lonely"
    assert "reads eligible('anhui_gone')" in error.message and "'anhui_lonely'" in error.message


def test_a_dependency_on_a_failed_plugin_fails_the_reader_too() -> None:
    base = module("anhui.base", make_program("anhui_base"), scope=())
    reader = module("anhui.reader", make_program("anhui_reader", requires=["anhui_base"]))
    registry = isolated_registry(
        {"base": ModulePlugin(base), "reader": ModulePlugin(reader)}, strict=False
    )
    assert [e.plugin for e in registry.errors] == ["base", "reader"]
    assert "reads eligible('anhui_base')" in registry.errors[1].message


@pytest.mark.parametrize("scope", [(), ("000000",)])
def test_only_the_core_registers_a_national_module(scope: tuple[str, ...]) -> None:
    national = module("anhui.everywhere", make_program("anhui_everywhere"), scope=scope)
    registry = isolated_registry(
        {
            "wide": ModulePlugin(national),
            "anhui": ModulePlugin(meals_module(), standards=add_meal_values),
        },
        strict=False,
    )
    error = only_error(registry)
    assert error.plugin == "wide"
    assert "'anhui.everywhere' has a national scope" in error.message
    assert "only the core" in error.message
    assert registry.plugin("anhui").status == "loaded"
    core = ModuleRegistrar("national", core=True)
    assert core.add(national) is national


def test_a_module_id_registered_by_two_plugins_names_both() -> None:
    registry = isolated_registry(
        {"one": ModulePlugin(meals_module()), "two": ModulePlugin(meals_module())}, strict=False
    )
    error = only_error(registry)
    assert error.plugin == "two"
    assert "service module 'anhui.elderly_meals' is already registered by plugin 'one'" in str(
        error
    )


def test_strict_raises_the_first_error() -> None:
    with pytest.raises(PluginError, match="only the core"):
        isolated_registry({"wide": ModulePlugin(module("anhui.w", make_program("w"), scope=()))})


def test_module_registrar_refuses_twice() -> None:
    register = ModuleRegistrar("anhui")
    register.add(meals_module())
    with pytest.raises(PluginError, match="registered twice"):
        register.add(meals_module())
    assert repr(register) == "<ModuleRegistrar for plugin 'anhui'>"


def test_module_keys_are_checked_when_the_module_is_built() -> None:
    builtin = attrs.evolve(MEALS, key="dibao.standard")
    with pytest.raises(ProgramError, match="built-in key"):
        module("anhui.m", keys=(builtin,))
    with pytest.raises(ProgramError, match="appears twice"):
        module("anhui.m", keys=(MEALS, MEALS))
    with pytest.raises(ProgramError, match="no valid 'id'"):
        ServiceModule("anhui.m", zh="m", en="m", scope=("340000",), checks=(print,))


# -- scope ------------------------------------------------------------------------------

codes = st.sampled_from(["340102", "340103", "340202", "110105", "110101", "310101", "330106"])
scopes = st.lists(
    st.sampled_from(["340000", "340100", "340102", "110000", "330100", "310101"]),
    max_size=3,
    unique=True,
)


@given(codes, scopes)
def test_programs_for_agrees_with_in_scope(region: str, scope: list[str]) -> None:
    registry = _scoped_registry(tuple(scope) or ("340000",))
    expected = in_scope(region, tuple(scope) or ("340000",))
    assert ("anhui_scoped" in registry.programs_for(region)) is expected


_CACHE: dict[tuple[str, ...], Any] = {}


def _scoped_registry(scope: tuple[str, ...]) -> Any:
    if scope not in _CACHE:
        mod = module("anhui.scoped", make_program("anhui_scoped"), scope=scope)
        _CACHE[scope] = isolated_registry({"scoped": ModulePlugin(mod)})
    return _CACHE[scope]


# -- the plugins command ----------------------------------------------------------------


def test_plugins_command_lists_modules(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = isolated_registry({"anhui": ModulePlugin(meals_module(), standards=add_meal_values)})
    monkeypatch.setattr(registry_module, "_registry", reg)
    monkeypatch.delenv("CIVILAFFAIRS_STRICT_PLUGINS", raising=False)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert (
        "模块 social_assistance: 社会救助与社会福利 · Social assistance and welfare [全国]" in out
    )
    assert "模块 anhui.elderly_meals: 模块anhui.elderly_meals · module anhui.elderly_meals" in out
    assert "[340000 安徽省]" in out and "服务模块 1" in out and "标准项目 1" in out
    assert main(["plugins", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        "module social_assistance: Social assistance and welfare · 社会救助与社会福利 [national]"
        in out
    )
    assert "modules 1, keys 1" in out
    assert main(["plugins", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    anhui = next(p for p in data["plugins"] if p["name"] == "anhui")
    assert anhui["modules"] == [
        {
            "id": "anhui.elderly_meals",
            "zh": "模块anhui.elderly_meals",
            "en": "module anhui.elderly_meals",
            "scope": ["340000"],
        }
    ]
    assert anhui["counts"]["modules"] == 1 and anhui["counts"]["keys"] == 1


@pytest.mark.parametrize("module", ["elderly_care", "children", "funeral", "vagrancy"])
def test_a_bundled_provincial_plugin_sets_a_value_of_each_people_service_module(
    module: str,
) -> None:
    from civilaffairs.registry import get_registry

    values = [
        v
        for v in get_registry().standards.values()
        if v.key.startswith(f"{module}.") and v.region != "000000"
    ]
    assert values, f"no provincial value of {module}"
    for v in values:
        assert v.source is not None and v.source.issuer
        assert not v.provisional or v.note, v.describe()
