"""The plugin manager and registry building: real entry points from a fake installed
distribution, broken plugins, blocking, strict mode, tracing, laziness."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap
import uuid

import pytest

from civilaffairs import hookimpl
from civilaffairs.errors import PluginError, StandardConflict
from civilaffairs.plugin_manager import (
    get_plugin_manager,
    make_plugin_manager,
    settings_from_env,
)
from civilaffairs.registry import build_registry, get_registry, reset_registry

GOOD = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    register.add("dibao.standard", "340000", "2024-01-01", "900",
                 source={"issuer": "安徽省民政厅", "title": "通知"})
"""
IMPORT_ERROR = "import a_module_that_does_not_exist\n"
BAD_REGISTRATION = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    register.add("minimum_wage", "340000", "2024-01-01", "2000",
                 source={"issuer": "安徽省人民政府", "title": "通知"})
    register.add("dibao.standard", "340000", "2024-01-01", 900.5, source={"issuer": "x"})
"""
UNMARKED = """
def civilaffairs_register_standards(register):
    pass
"""
TYPO = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standard(register):
    pass
"""
WRONG_ARG = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(registrar):
    pass
"""
RETURNS = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    return [1]
"""
CONFLICT = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    register.add("dibao.standard", "340000", "2024-01-01", "950",
                 source={"issuer": "x", "title": "y"})
"""


class FakeDist:
    """A distribution installed into a temporary sys.path entry: a ``.dist-info`` with
    ``entry_points.txt``, found by importlib.metadata like any installed package."""

    def __init__(self, root: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.suffix = uuid.uuid4().hex[:8]
        self.monkeypatch = monkeypatch
        monkeypatch.syspath_prepend(str(root))

    def install(
        self,
        dist: str,
        plugins: dict[str, str],
        group: str = "civilaffairs",
        provinces: tuple[str, ...] = ("340000",),
    ) -> dict[str, str]:
        """Install *dist* with entry points name -> module source, declaring *provinces*
        as governed; returns name -> module."""
        modules = {}
        lines = [f"[{group}]"]
        for name, source in plugins.items():
            module = f"fake_{name}_{self.suffix}"
            (self.root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            lines.append(f"{name} = {module}")
            modules[name] = module
            self.monkeypatch.delitem(sys.modules, module, raising=False)
        info = self.root / f"{dist.replace('-', '_')}-1.2.3.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n", encoding="utf-8"
        )
        if provinces:
            lines.append("[civilaffairs.provinces]")
            lines += [f"{code} = {next(iter(modules.values()))}" for code in provinces]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        import importlib

        importlib.invalidate_caches()
        return modules


@pytest.fixture
def fake(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> FakeDist:
    return FakeDist(tmp_path, monkeypatch)


def ours(registry_or_pm: object, names: set[str]) -> dict[str, str]:
    """Status of the plugins named *names* (other installed plugins are ignored)."""
    from civilaffairs.registry import Registry

    assert isinstance(registry_or_pm, Registry)
    return {p.name: p.status for p in registry_or_pm.plugins if p.name in names}


def test_entry_point_plugins_are_discovered(fake: FakeDist) -> None:
    modules = fake.install("civilaffairs-fakeanhui", {"fakeanhui": GOOD})
    registry = build_registry(make_plugin_manager())
    record = registry.plugin("fakeanhui")
    assert record.status == "loaded"
    assert record.distribution == "civilaffairs-fakeanhui"
    assert record.version == "1.2.3"
    assert record.module == modules["fakeanhui"]
    assert record.counts["standards"] == 1
    value = registry.resolve("dibao.standard", "340102", "2024-06-01", "urban")
    assert value.plugin == "fakeanhui"
    assert registry.plugin("national").builtin


def test_import_error_and_bad_registration_are_reported_by_name(fake: FakeDist) -> None:
    fake.install(
        "civilaffairs-fakes",
        {"good": GOOD, "broken": IMPORT_ERROR, "badreg": BAD_REGISTRATION},
    )
    registry = build_registry(make_plugin_manager())
    assert ours(registry, {"good", "broken", "badreg"}) == {
        "good": "loaded",
        "broken": "failed",
        "badreg": "failed",
    }
    errors = {e.plugin: e for e in registry.errors if e.plugin in {"broken", "badreg"}}
    assert set(errors) == {"broken", "badreg"}
    assert "failed to import" in str(errors["broken"])
    assert "a_module_that_does_not_exist" in str(errors["broken"])
    assert isinstance(errors["broken"].__cause__, ImportError)
    assert "plugin 'badreg'" in str(errors["badreg"])
    assert "not accepted for money" in str(errors["badreg"])
    # the broken plugin contributed nothing, not even its valid first value
    assert all(v.plugin != "badreg" for v in registry.standards.values())
    assert registry.plugin("badreg").counts["standards"] == 0
    # the others still load
    assert registry.resolve("dibao.standard", "340102", "2024-06-01", "urban").plugin == "good"
    assert registry.plugin("national").status == "loaded"


def test_strict_mode_raises(fake: FakeDist) -> None:
    # a group of its own, so that other installed plugins cannot interfere
    group = f"civilaffairs_strict_{fake.suffix}"
    fake.install("civilaffairs-fakes", {"broken": IMPORT_ERROR}, group=group)
    pm = make_plugin_manager(load_entrypoints=False, strict=True)
    with pytest.raises(PluginError, match="plugin 'broken': failed to import"):
        pm.load_entrypoints(group)
    fake.install("civilaffairs-fakes2", {"badreg": BAD_REGISTRATION}, group=group + "b")
    pm = make_plugin_manager(load_entrypoints=False, strict=True)
    pm.load_entrypoints(group + "b")
    with pytest.raises(PluginError, match="plugin 'badreg'"):
        build_registry(pm)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (UNMARKED, "is not marked as a hook implementation"),
        (TYPO, "unknown hook 'civilaffairs_register_standard'; did you mean"),
        (WRONG_ARG, "takes (register) but the plugin's function asks for 'registrar'"),
        (RETURNS, "returned a value"),
    ],
)
def test_invalid_plugins(fake: FakeDist, source: str, message: str) -> None:
    fake.install("civilaffairs-fakeinvalid", {"invalid": source, "good": GOOD})
    registry = build_registry(make_plugin_manager())
    errors = [e for e in registry.errors if e.plugin == "invalid"]
    assert len(errors) == 1
    assert message in str(errors[0])
    assert registry.plugin("invalid").status == "failed"
    assert registry.plugin("good").status == "loaded"


def test_conflict_between_plugins_names_both(fake: FakeDist) -> None:
    fake.install("civilaffairs-fakeconflict", {"aaa": GOOD, "zzz": CONFLICT})
    registry = build_registry(make_plugin_manager())
    # A conflict never resolves by name order: both values are disabled, both plugins
    # load, and using the slot raises the conflict naming both.
    assert not [e for e in registry.errors if e.plugin in {"aaa", "zzz"}]
    assert len(registry.warnings) == 1
    message = str(registry.warnings[0])
    assert "'aaa'" in message and "'zzz'" in message and "registered twice" in message
    assert registry.plugin("aaa").status == registry.plugin("zzz").status == "loaded"
    with pytest.raises(StandardConflict):
        registry.resolve("dibao.standard", "340102", "2024-06-01", "urban")
    with pytest.raises(StandardConflict):
        build_registry(make_plugin_manager(strict=True))


def test_block_by_entry_point_or_distribution_name(fake: FakeDist) -> None:
    fake.install("civilaffairs-fakeblock", {"blockme": GOOD})
    registry = build_registry(make_plugin_manager(block=["blockme"]))
    assert registry.plugin("blockme").status == "blocked"
    assert all(v.plugin != "blockme" for v in registry.standards.values())
    registry = build_registry(make_plugin_manager(block=["civilaffairs_fakeblock"]))
    assert registry.plugin("blockme").status == "blocked"
    registry = build_registry(make_plugin_manager(block=["national"]))
    assert registry.plugin("national").status == "blocked"


def test_autoload_can_be_disabled(fake: FakeDist) -> None:
    fake.install("civilaffairs-fakeauto", {"auto": GOOD})
    registry = build_registry(make_plugin_manager(load_entrypoints=False))
    assert [p.name for p in registry.plugins] == ["national"]


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("CIVILAFFAIRS_BLOCK_PLUGINS", "beijing, civilaffairs-guizhou")
    monkeypatch.setenv("CIVILAFFAIRS_STRICT_PLUGINS", "yes")
    monkeypatch.setenv("CIVILAFFAIRS_TRACE_PLUGINS", "0")
    assert settings_from_env() == {
        "load_entrypoints": False,
        "block": ("beijing", "civilaffairs-guizhou"),
        "strict": True,
        "trace": False,
    }


def test_global_registry_is_built_once_and_honours_env(
    fake: FakeDist, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.install("civilaffairs-fakeglobal", {"globalgood": GOOD, "globalbroken": IMPORT_ERROR})
    monkeypatch.delenv("CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setenv("CIVILAFFAIRS_BLOCK_PLUGINS", "globalbroken")
    reset_registry()
    try:
        first = get_registry()
        assert get_registry() is first
        assert get_plugin_manager() is get_plugin_manager()
        assert first.plugin("globalgood").status == "loaded"
        assert first.plugin("globalbroken").status == "blocked"
        monkeypatch.setenv("CIVILAFFAIRS_BLOCK_PLUGINS", "")
        second = get_registry(reload=True)
        assert second is not first
        assert second.plugin("globalbroken").status == "failed"
        with pytest.raises(PluginError):
            get_registry(strict=True)
        monkeypatch.setenv("CIVILAFFAIRS_STRICT_PLUGINS", "1")
        with pytest.raises(PluginError):
            get_registry()
    finally:
        reset_registry()


def test_tracing_writes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    class Plugin:
        @hookimpl
        def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
            pass

    pm = make_plugin_manager(load_entrypoints=False, trace=True, plugins={"traced": Plugin()})
    build_registry(pm)
    err = capsys.readouterr().err
    assert "civilaffairs_register_standards" in err


def test_national_hooks_run_last() -> None:
    pm = make_plugin_manager(load_entrypoints=False)
    impls = pm.hook.civilaffairs_register_standards.get_hookimpls()
    national = [i for i in impls if i.plugin_name == "national"]
    assert national and national[0].trylast


def test_a_plugin_must_be_hashable() -> None:
    pm = make_plugin_manager(load_entrypoints=False, plugins={"d": {"a": 1}})
    assert "must be a module, class or instance" in str(pm.load_errors[0])


def test_import_is_lazy() -> None:
    code = (
        "import sys, civilaffairs; "
        "assert 'civilaffairs.plugin_manager' not in sys.modules; "
        "assert 'pluggy' not in sys.modules; "
        "from civilaffairs import hookimpl; "
        "assert 'numpy' not in sys.modules; "
        "import civilaffairs.testing.pytest_plugin, civilaffairs.testing; "
        "assert 'hypothesis' not in sys.modules and 'numpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_files_loaded_for_one_hook_only_are_reported(tmp_path: pathlib.Path) -> None:
    data = tmp_path / "standards.toml"
    data.write_text(
        '[[policy]]\nprogram = "dibao"\npoint = "rounding"\nregion = "110000"\n'
        'effective_from = "2020-01-01"\nvalue = "up"\n',
        encoding="utf-8",
    )

    class Plugin:
        @hookimpl
        def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
            register.load(data)

    registry = build_registry(
        make_plugin_manager(load_entrypoints=False, plugins={"forgetful": Plugin()})
    )
    (error,) = registry.errors
    assert "has 1 [[policy]] table(s) but the plugin does not load it" in str(error)
