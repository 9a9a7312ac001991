"""One test per hook (``test_hook_<name>``), and the meta-test that enforces it."""

from __future__ import annotations

import datetime
import inspect
import re

import attrs
import pytest

from civilaffairs import hookimpl, hookspecs
from civilaffairs.errors import PluginError
from civilaffairs.programs.points import IntPoint
from civilaffairs.testing import isolated_registry
from modules_support import ModulePlugin, make_program, module

HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("civilaffairs_") and inspect.isfunction(obj)
)
D = datetime.date


def test_hooks_are_marked_specs() -> None:
    assert HOOKS
    for name in HOOKS:
        func = getattr(hookspecs, name)
        assert hasattr(func, "civilaffairs_spec"), name
        assert func.__doc__ and ":param register:" in func.__doc__, name
        assert re.search(r"\.\. versionadded:: 0\.\d+\n", func.__doc__), name
        hints = inspect.signature(func)
        assert list(hints.parameters) == ["register"], name


def test_every_hook_has_a_test() -> None:
    tests = {name for name in globals() if name.startswith("test_hook_")}
    missing = [h for h in HOOKS if f"test_hook_{h}" not in tests]
    assert not missing, f"hooks without a test_hook_<name> test: {missing}"
    extra = [t for t in tests if t[len("test_hook_") :] not in HOOKS]
    assert not extra, f"tests for hooks that do not exist: {extra}"


def test_hook_civilaffairs_register_standards() -> None:
    class Plugin:
        @hookimpl
        def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
            assert register.plugin == "anhui"
            register.add(
                "dibao.standard",
                "340000",
                "2024-01-01",
                "900",
                source={"issuer": "安徽省民政厅", "title": "通知"},
            )

    registry = isolated_registry({"anhui": Plugin()})
    value = registry.resolve("dibao.standard", "340102", D(2024, 6, 1), "urban")
    assert (str(value.value), value.plugin) == ("900.00", "anhui")
    assert registry.plugin("anhui").counts["standards"] == 1
    assert registry.plugin("anhui").hooks == ("civilaffairs_register_standards",)


def test_hook_civilaffairs_register_modules() -> None:
    supplement = module("anhui.supplement", make_program("local_supplement"))
    registry = isolated_registry({"one": ModulePlugin(supplement)})
    assert registry.program_plugins["local_supplement"] == "one"
    assert registry.module_plugins["anhui.supplement"] == "one"
    assert registry.program_module["local_supplement"] == "anhui.supplement"
    assert registry.program_scope("local_supplement") == ("340000",)
    assert registry.plugin("one").counts["modules"] == 1
    assert registry.plugin("one").counts["programs"] == 1
    assert registry.plugin("one").hooks[0] == "civilaffairs_register_modules"
    clash = module("anhui.other", make_program("local_supplement"))
    registry = isolated_registry(
        {"one": ModulePlugin(supplement), "two": ModulePlugin(clash)}, strict=False
    )
    (error,) = registry.errors
    assert error.plugin == "two"
    assert "programme 'local_supplement' is already registered by plugin 'one'" in str(error)
    with pytest.raises(PluginError, match="got an object of type 'object'"):
        isolated_registry({"bad": ModulePlugin(object())})


def test_hook_civilaffairs_register_policies() -> None:
    cap = IntPoint("cap", zh="上限", en="cap", default=3, nullable=False)
    supplement = module("anhui.supplement", make_program("local_supplement", points=[cap]))

    class Plugin(ModulePlugin):
        @hookimpl
        def civilaffairs_register_policies(self, register):  # type: ignore[no-untyped-def]
            register.add("local_supplement", "cap", "340000", "2024-01-01", 5)

    registry = isolated_registry({"anhui": Plugin(supplement)})
    assert registry.policy("local_supplement", "cap", "340102", D(2024, 2, 1)).value == 5
    assert registry.policy("local_supplement", "cap", "110105", D(2024, 2, 1)).value == 3
    assert registry.plugin("anhui").counts["policies"] == 1


def test_hook_civilaffairs_register_audit_checks() -> None:
    @attrs.frozen
    class Check:
        id: str

        def __call__(self, *args: object) -> list[object]:
            return []

    class Plugin:
        @hookimpl
        def civilaffairs_register_audit_checks(self, register):  # type: ignore[no-untyped-def]
            register.add(Check("payment_after_death"))

    registry = isolated_registry({"audits": Plugin()})
    assert registry.audit_checks["payment_after_death"] == Check("payment_after_death")
    assert registry.audit_check_plugins["payment_after_death"] == "audits"
    registry = isolated_registry({"a": Plugin(), "b": Plugin()}, strict=False)
    assert [e.plugin for e in registry.errors] in (["a"], ["b"])
    assert "audit check 'payment_after_death' is already registered" in str(registry.errors[0])


def test_hook_civilaffairs_register_audit_matchers() -> None:
    @attrs.frozen
    class Matcher:
        id: str

        def __call__(self, caseload: object) -> list[object]:
            return []

    class Plugin:
        @hookimpl
        def civilaffairs_register_audit_matchers(self, register):  # type: ignore[no-untyped-def]
            register.add(Matcher("vehicles"))

    registry = isolated_registry({"anhui": Plugin()})
    assert registry.audit_matchers["vehicles"] == Matcher("vehicles")
    assert registry.audit_matcher_plugins["vehicles"] == "anhui"
    registry = isolated_registry({"a": Plugin(), "b": Plugin()}, strict=False)
    assert [e.plugin for e in registry.errors] in (["a"], ["b"])
    assert "audit matcher 'vehicles' is already registered" in str(registry.errors[0])


def test_hooks_are_called_modules_standards_policies_audits() -> None:
    calls: list[str] = []

    class Plugin:
        @hookimpl
        def civilaffairs_register_audit_checks(self, register):  # type: ignore[no-untyped-def]
            calls.append("audit")

        @hookimpl
        def civilaffairs_register_policies(self, register):  # type: ignore[no-untyped-def]
            calls.append("policies")

        @hookimpl
        def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
            calls.append("standards")

        @hookimpl
        def civilaffairs_register_modules(self, register):  # type: ignore[no-untyped-def]
            calls.append("modules")

    isolated_registry({"p": Plugin()}, national=False)
    assert calls == ["modules", "standards", "policies", "audit"]
