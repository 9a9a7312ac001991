"""``civilaffairs plugins``, ``standards`` and ``new-plugin``."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tomllib

import pytest

from civilaffairs import hookimpl
from civilaffairs import registry as registry_module
from civilaffairs.cli import main
from civilaffairs.testing import isolated_registry
from template_support import clean_env, install_and_test, venv_seeing_this_environment

NOTICE = {
    "issuer": "北京市民政局",
    "document": "京民社救发〔2024〕9号",
    "title": "关于调整本市社会救助标准的通知",
    "date": "2024-06-28",
    "url": "https://example.org/notice",
}


class Beijingish:
    @hookimpl
    def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
        register.add("dibao.standard", "110000", "2022-07-01", "1320", source=NOTICE)
        register.add(
            "dibao.standard",
            "110000",
            "2024-07-01",
            "1450",
            source={"issuer": "北京市民政局"},
            provisional=True,
            note="third-party listing",
        )
        register.add("dibao.standard", "310000", "2021-07-01", "1330", source=NOTICE)
        register.add(
            "dibao.standard", "310000", "2021-07-01", "1200", residence="rural", source=NOTICE
        )


class Broken:
    @hookimpl
    def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


@pytest.fixture
def use_registry(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def use(*plugins: object) -> None:
        reg = isolated_registry(*plugins, strict=False)
        monkeypatch.setattr(registry_module, "_registry", reg)
        monkeypatch.delenv("CIVILAFFAIRS_STRICT_PLUGINS", raising=False)

    return use


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_standards_text(use_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish()})
    code, out, _ = run(
        capsys, "standards", "110105", "--on", "2024-08-01", "--key", "dibao.standard"
    )
    assert code == 0
    assert "1450.00 元/月" in out and "暂定" in out and "插件 beijing" in out
    assert "110000 北京市" in out and "自 2024-07-01 起执行" in out
    code, out, _ = run(
        capsys,
        "standards",
        "110105",
        "--on",
        "2022-08-01",
        "--key",
        "dibao.standard",
        "--lang",
        "en",
    )
    assert code == 0
    assert "1320.00 yuan/month" in out and "plugin beijing" in out
    assert "京民社救发〔2024〕9号" in out and "https://example.org/notice" in out
    assert "2024-06-28" in out and "PROVISIONAL" not in out


def test_standards_urban_and_rural_shown_separately_when_they_differ(use_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish()})
    code, out, _ = run(
        capsys, "standards", "310101", "--on", "2022-01-01", "--key", "dibao.standard"
    )
    assert code == 0
    assert "[城市]: 1330.00" in out and "[农村]: 1200.00" in out
    code, out, _ = run(
        capsys,
        "standards",
        "310101",
        "--on",
        "2022-01",
        "--key",
        "dibao.standard",
        "--residence",
        "rural",
    )
    assert "1200.00" in out and "1330.00" not in out


def test_standards_json_and_all_keys(use_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish()})
    code, out, _ = run(capsys, "standards", "110105", "--on", "2024-08-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["region"] == "110105" and data["on"] == "2024-08-01"
    by_key = {v["key"]: v for v in data["values"]}
    assert by_key["dibao.standard"]["value"] == "1450.00"
    assert by_key["dibao.standard"]["plugin"] == "beijing"
    assert by_key["dibao.standard"]["source"]["issuer"] == "北京市民政局"
    assert by_key["poverty_line"]["plugin"] == "national"
    assert "temporary.max_multiple" in data["missing"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["standards", "110105", "--on", "2019-01-01", "--key", "dibao.standard"],
            "no standard 'dibao.standard'",
        ),
        (["standards", "999999", "--key", "dibao.standard"], "unknown administrative division"),
        (["standards", "110105", "--key", "dibao.standrad"], "did you mean 'dibao.standard'"),
        (["standards", "110105", "--on", "2024-13-01"], "not a real calendar date"),
    ],
)
def test_standards_errors_are_one_line(use_registry, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish()})
    code, _, err = run(capsys, *args, "--lang", "en")
    assert code == 1
    assert message in err and err.startswith("error: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, *args)
    assert code == 1
    assert err.startswith("错误：") and message not in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_plugins_lists_records_and_errors(use_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish(), "broken": Broken()})
    code, out, _ = run(capsys, "plugins", "--lang", "en")
    assert code == 1
    assert "national 0.1.0  [built-in]  civilaffairs.national  loaded" in out
    assert "beijing" in out and "standards 4" in out
    assert "broken" in out and "FAILED" in out
    assert "plugin 'broken': civilaffairs_register_standards: RuntimeError: boom" in out
    code, out, _ = run(capsys, "plugins", "--format", "json")
    data = json.loads(out)
    assert {p["name"]: p["status"] for p in data["plugins"]} == {
        "national": "loaded",
        "beijing": "loaded",
        "broken": "failed",
    }
    assert data["errors"][0]["plugin"] == "broken"


def test_plugins_ok(use_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    use_registry({"beijing": Beijingish()})
    code, out, _ = run(capsys, "plugins")
    assert code == 0 and "已加载" in out and "加载错误" not in out


def test_new_plugin_writes_a_complete_skeleton(tmp_path: pathlib.Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "new-plugin", "anhui", "--province", "340000", "--dir", str(tmp_path)
    )
    assert code == 0
    root = tmp_path / "civilaffairs-anhui"
    assert out.strip() == str(root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "pyproject.toml",
        "src/civilaffairs_anhui/__init__.py",
        "src/civilaffairs_anhui/py.typed",
        "src/civilaffairs_anhui/standards.toml",
        "tests/test_plugin.py",
    ]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "civilaffairs-anhui"
    assert project["project"]["entry-points"]["civilaffairs"] == {"anhui": "civilaffairs_anhui"}
    # the package loads and its data file is valid: register it directly
    sys.path.insert(0, str(root / "src"))
    try:
        import civilaffairs_anhui  # type: ignore[import-not-found]

        registry = isolated_registry({"anhui": civilaffairs_anhui})
    finally:
        sys.path.remove(str(root / "src"))
        sys.modules.pop("civilaffairs_anhui", None)
    value = registry.resolve("dibao.standard", "340102", "2024-08-01")
    assert value.provisional and value.plugin == "anhui" and value.note
    compile(
        (root / "tests" / "test_plugin.py").read_text(encoding="utf-8"), "test_plugin.py", "exec"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new-plugin", "Anhui", "--province", "340000"], "lower-case"),
        (["new-plugin", "anhui", "--province", "340100"], "not a province-level division"),
        (["new-plugin", "anhui", "--province", "999999"], "unknown administrative division"),
    ],
)
def test_new_plugin_errors(tmp_path: pathlib.Path, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, *args, "--dir", str(tmp_path))
    assert code == 1 and message in err


def test_new_plugin_refuses_to_overwrite(tmp_path: pathlib.Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "civilaffairs-anhui").mkdir()
    code, _, err = run(
        capsys, "new-plugin", "anhui", "--province", "340000", "--dir", str(tmp_path)
    )
    assert code == 1 and "exists already" in err


@pytest.mark.slow
def test_new_plugin_installs_and_passes_its_own_tests(tmp_path: pathlib.Path) -> None:
    """Generate a plugin, install it into a fresh venv next to civilaffairs, run its tests."""
    repo = pathlib.Path(__file__).resolve().parents[1]
    assert main(["new-plugin", "anhui", "--province", "340000", "--dir", str(tmp_path)]) == 0
    python = venv_seeing_this_environment(tmp_path)
    env = clean_env()
    result = install_and_test(python, tmp_path / "civilaffairs-anhui", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    listed = subprocess.run(
        [
            str(python),
            "-m",
            "civilaffairs",
            "standards",
            "340102",
            "--on",
            "2024-08-01",
            "--key",
            "dibao.standard",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
    )
    assert "1000.00 yuan/month" in listed.stdout and "plugin anhui" in listed.stdout
