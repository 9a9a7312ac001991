"""``civilaffairs new-plugin --with-program``: a plugin with a local programme of its own."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import attrs
import pytest

from civilaffairs import assess, hookimpl
from civilaffairs.cli import main
from civilaffairs.convert import structure
from civilaffairs.domain import Household
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.engine.frame import Frame
from civilaffairs.errors import CivilAffairsError
from civilaffairs.periods import Month
from civilaffairs.registry import Registry
from civilaffairs.templates import render_plugin, template_files
from civilaffairs.testing import assert_all_cited, assert_no_conflicts, isolated_registry
from template_support import clean_env, install_and_test, venv_seeing_this_environment

MONTH = "2024-08"
PROGRAM = "anhui_elderly_meal"
KEY = "anhui.elderly_meal"


class Jiangsuish:
    """A dibao standard for Jiangsu, so its households can be assessed at all."""

    __name__ = "jiangsuish"

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add(
            "dibao.standard",
            "320000",
            "2024-01-01",
            "1000",
            source={"issuer": "test"},
            provisional=True,
            note="test data",
        )


def household(region: str, *births: str, hid: str = "H1") -> Household:
    members = [
        {"birth_date": b, "sex": "female", "relation": "head" if i == 0 else "other"}
        for i, b in enumerate(births)
    ]
    return structure(
        {"id": hid, "region": region, "residence": "urban", "members": members}, Household
    )


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[pathlib.Path, ModuleType]]:
    """The generated anhui plugin, imported from its folder (not installed)."""
    root = render_plugin("anhui", "340000", tmp_path_factory.mktemp("gen"), with_program=True)
    sys.path.insert(0, str(root / "src"))
    try:
        import civilaffairs_anhui  # type: ignore[import-not-found]

        yield root, civilaffairs_anhui
    finally:
        sys.path.remove(str(root / "src"))
        for name in [m for m in sys.modules if m.split(".")[0] == "civilaffairs_anhui"]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def registry(generated: tuple[pathlib.Path, ModuleType]) -> Registry:
    return isolated_registry({"anhui": generated[1], "jiangsuish": Jiangsuish()})


def test_the_files_of_a_plugin_with_a_programme(generated: tuple[pathlib.Path, Any]) -> None:
    root, _ = generated
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "pyproject.toml",
        "src/civilaffairs_anhui/__init__.py",
        "src/civilaffairs_anhui/program.py",
        "src/civilaffairs_anhui/py.typed",
        "src/civilaffairs_anhui/standards.toml",
        "tests/test_plugin.py",
        "tests/test_program.py",
    ]
    for path in files:
        if path.endswith(".py"):
            compile((root / path).read_text(encoding="utf-8"), path, "exec")


def test_without_the_flag_the_template_has_no_programme() -> None:
    plain = template_files()
    assert "src/PACKAGE/program.py.tmpl" not in plain
    assert "tests/test_program.py.tmpl" not in plain
    full = template_files(with_program=True)
    assert set(plain) < set(full)
    assert "src/PACKAGE/program.py.tmpl" in full


def test_the_data_file_declares_the_key_and_a_placeholder_value(
    generated: tuple[pathlib.Path, Any],
) -> None:
    root, _ = generated
    data = tomllib.loads(
        (root / "src/civilaffairs_anhui/standards.toml").read_text(encoding="utf-8")
    )
    (key,) = data["key"]
    assert key["key"] == KEY
    assert key["unit"] == "yuan/month"
    assert key["zh"] and key["en"] and key["description"] and key["basis"]
    (value,) = [t for t in data["standard"] if t["key"] == KEY]
    assert value["provisional"] is True
    assert "replace" in value["note"]
    # no invented citation: an issuer only, and a note saying it is a placeholder
    assert set(value["source"]) == {"issuer", "note"}
    assert "placeholder" in value["source"]["note"]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "Placeholders" in readme and "Never guess a 文号 or URL" in readme


def test_the_programme_is_registered_in_a_module_scoped_to_the_province(
    registry: Registry,
) -> None:
    assert registry.plugin("anhui").status == "loaded"
    assert PROGRAM in registry.programs
    module = registry.modules["anhui.elderly_meals"]
    assert module.scope == ("340000",)
    assert module.program_ids == (PROGRAM,)
    assert registry.module_plugins["anhui.elderly_meals"] == "anhui"
    assert registry.keys[KEY].en
    assert_all_cited(registry, plugin="anhui")
    assert_no_conflicts(registry)


def test_single_case_lists_it_in_the_province_only(registry: Registry) -> None:
    home = household("340102", "1939-05-01", "1942-05-01", "1975-01-01")
    d = assess(home, MONTH, registry=registry)[PROGRAM]
    assert d.eligible
    assert str(d.amount) == "200.00"
    (used,) = [s for s in d.standards if s.key == KEY]
    assert (used.value, used.region, used.plugin, used.provisional) == (
        "100.00",
        "340000",
        "anhui",
        True,
    )
    assert [s.quantity for s in d.steps] == ["elders", "paid", "amount"]
    assert all(c.basis for c in d.conditions)
    elsewhere = attrs.evolve(home, region="320102")
    assert PROGRAM not in {x.program for x in assess(elsewhere, MONTH, registry=registry).decisions}


def test_column_wise_agrees_with_single_case(registry: Registry) -> None:
    homes = [
        household("340102", "1939-05-01", "1942-05-01", "1975-01-01"),
        household("340102", "1950-01-01"),
        household("341502", "1920-01-01", "1944-08-01", "1944-08-02"),
        household("320102", "1939-05-01"),
    ]
    homes = [attrs.evolve(h, id=f"H{i}") for i, h in enumerate(homes)]
    month = Month.parse(MONTH)
    batch = evaluate_frame(Frame.from_households(homes, month), registry)
    expected = [(0, True, 20_000), (0, False, 0), (0, True, 20_000), (2, None, None)]
    for i, home in enumerate(homes):
        listed = {d.program: d for d in assess(home, month, registry=registry).decisions}
        state, eligible, fen = expected[i]
        assert int(batch.status[PROGRAM][i]) == state
        if state == 2:
            assert PROGRAM not in listed
            continue
        d = listed[PROGRAM]
        assert bool(batch.eligible[PROGRAM][i]) == d.eligible == eligible
        assert int(batch.amount[PROGRAM][i]) == d.amount.fen == fen
        assert batch.first_failed_ids(PROGRAM)[i] == d.first_failed


def test_a_policy_override_reaches_the_programme(generated: tuple[pathlib.Path, Any]) -> None:
    class AtMostOne:
        __name__ = "at_most_one"

        @hookimpl
        def civilaffairs_register_policies(self, register: Any) -> None:
            register.add(
                PROGRAM, "max_members", "340000", "2024-01-01", 1, source={"issuer": "test"}
            )

    reg = isolated_registry({"anhui": generated[1], "at_most_one": AtMostOne()})
    home = household("340102", "1939-05-01", "1942-05-01")
    assert str(assess(home, MONTH, registry=reg)[PROGRAM].amount) == "100.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dibao", "--province", "340000"], "cannot name the local programme"),
        (["anhui", "--province", "340100"], "not a province-level division"),
        (["anhui", "--province", "810000"], "has no counties"),
    ],
)
def test_new_plugin_with_program_errors(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["new-plugin", *args, "--dir", str(tmp_path), "--with-program"])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_render_refuses_a_name_that_cannot_name_the_key(tmp_path: pathlib.Path) -> None:
    with pytest.raises(CivilAffairsError, match="built-in keys"):
        render_plugin("elderly", "340000", tmp_path, with_program=True)
    # the plain template does not need the key, so the name is fine there
    assert render_plugin("elderly", "340000", tmp_path).is_dir()


@pytest.mark.slow
def test_installed_plugin_with_program_passes_its_tests_and_assess_lists_it(
    tmp_path: pathlib.Path,
) -> None:
    """Generate Anhui with its programme and a plain Jiangsu plugin, install both next to
    civilaffairs (hatchling, no build isolation), run Anhui's own tests, then assess one
    household of each province with the ``civilaffairs`` command."""
    assert (
        main(
            [
                "new-plugin",
                "anhui",
                "--province",
                "340000",
                "--dir",
                str(tmp_path),
                "--with-program",
            ]
        )
        == 0
    )
    assert main(["new-plugin", "jiangsu", "--province", "320000", "--dir", str(tmp_path)]) == 0
    python = venv_seeing_this_environment(tmp_path)
    env = clean_env()
    result = install_and_test(
        python,
        tmp_path / "civilaffairs-anhui",
        tmp_path / "civilaffairs-jiangsu",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout
    members = [
        {"birth_date": "1939-05-01", "sex": "female", "relation": "head"},
        {"birth_date": "1942-05-01", "sex": "male", "relation": "spouse"},
    ]
    homes = tmp_path / "homes.jsonl"
    homes.write_text(
        "\n".join(
            json.dumps({"id": hid, "region": region, "residence": "urban", "members": members})
            for hid, region in (("AH-1", "340102"), ("JS-1", "320102"))
        )
        + "\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [
            str(python),
            "-m",
            "civilaffairs",
            "assess",
            str(homes),
            "--on",
            MONTH,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    anhui, jiangsu = json.loads(ran.stdout)
    (d,) = [d for d in anhui["decisions"] if d["program"] == PROGRAM]
    assert d["eligible"] is True
    assert d["amount"] == "200.00"
    assert [(s["key"], s["plugin"], s["provisional"]) for s in d["standards"]] == [
        (KEY, "anhui", True)
    ]
    assert [s["quantity"] for s in d["steps"]] == ["elders", "paid", "amount"]
    assert PROGRAM not in {d["program"] for d in jiangsu["decisions"]}
    text = subprocess.run(
        [str(python), "-m", "civilaffairs", "assess", str(homes), "--on", MONTH, "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout
    assert text.count("[Meal subsidy for members aged 80+] eligible; 200.00 yuan") == 1
    assert "anhui.elderly_meal = 100.00 yuan/month (provisional)" in text
    assert "monthly subsidy: rate * paid = 100.00 * 2 = 200.00" in text
