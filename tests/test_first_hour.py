"""A new user's first hour: install from a checkout, follow the plugin how-to with a
city-level value, and copy the tutorial's code as written."""

from __future__ import annotations

import datetime
import json
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

from civilaffairs.hookspecs import hookimpl
from civilaffairs.plugin_manager import make_plugin_manager
from civilaffairs.registry import Registry, build_registry
from civilaffairs.standards import StandardsRegistrar
from civilaffairs.templates import render_plugin
from civilaffairs.testing import assert_counties_covered
from template_support import clean_env, install_and_test, venv_seeing_this_environment

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("en", "zh")


def howto(lang: str) -> str:
    return (DOCS / lang / "howto" / "write-a-province-plugin.rst").read_text(encoding="utf-8")


def tutorial(lang: str) -> str:
    path = DOCS / lang / "tutorials" / "assess-your-first-household.rst"
    return path.read_text(encoding="utf-8")


# -- 1. install from a checkout ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_howto_installs_from_a_checkout_or_a_built_wheel(lang: str) -> None:
    text = howto(lang)
    assert "pip install civilaffairs pytest" not in text  # not on a package index
    assert "$ pip install /path/to/civilaffairs pytest" in text
    assert "$ pip install /path/to/civilaffairs/plugins/civilaffairs-beijing" in text
    assert "python -m build" in text
    assert "$ pip install /path/to/civilaffairs/dist/*.whl pytest" in text
    assert "nox -s docs" in text and "docs/_build/html/index.html" in text
    assert (ROOT / "plugins" / "civilaffairs-beijing" / "pyproject.toml").is_file()


@pytest.mark.parametrize("with_program", [False, True])
def test_the_generated_readme_points_at_the_local_docs_build(
    tmp_path: pathlib.Path, with_program: bool
) -> None:
    root = render_plugin("anhui", "340000", tmp_path, with_program=with_program)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"https?://", readme), "no link to a documentation host"
    assert "nox -s docs" in readme and "docs/_build/html/index.html" in readme
    assert "pip install /path/to/civilaffairs" in readme and "python -m build" in readme
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '"docs" / "_build"' in noxfile and 'str(out / "html")' in noxfile
    # the how-tos it names exist under those titles
    assert "Write your province's plugin" in howto("en")
    assert "编写本省插件" in howto("zh")


# -- 2. a city-level value ---------------------------------------------------------------


class HefeiOnly:
    @hookimpl
    def civilaffairs_register_standards(self, register: StandardsRegistrar) -> None:
        register.add(
            "dibao.standard", "340100", "2024-01-01", "900", source={"issuer": "合肥市民政局"}
        )


def hefei_only() -> Registry:
    pm = make_plugin_manager(
        load_entrypoints=False, plugins={"anhui": HefeiOnly()}, provinces={"anhui": ("340000",)}
    )
    return build_registry(pm)


def test_the_coverage_failure_says_what_to_do_and_groups_by_prefecture() -> None:
    with pytest.raises(AssertionError) as info:
        assert_counties_covered(hefei_only(), "340000", on=datetime.date(2024, 8, 1))
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0] == "190 uncovered county value(s) under 340000 安徽省 on 2024-08-01."
    assert "province-level value" in lines[1] and "prefecture-level city" in lines[1]
    assert lines[2] == "dibao.standard: no value in 95 county(ies) of 15 prefecture(s):"
    assert lines[3] == (
        "  340200 芜湖市: 7 county(ies): 340202 镜湖区 (urban, rural), "
        "340207 鸠江区 (urban, rural), 340209 弋江区 (urban, rural), … and 4 more"
    )
    assert len(lines) == 3 + 15  # one line per prefecture
    assert "340100" not in "\n".join(lines[2:])  # Hefei is covered


def test_a_province_value_beside_the_city_value_covers_every_county() -> None:
    class Both(HefeiOnly):
        @hookimpl
        def civilaffairs_register_standards(self, register: StandardsRegistrar) -> None:
            super().civilaffairs_register_standards(register)
            register.add(
                "dibao.standard", "340000", "2024-01-01", "850", source={"issuer": "安徽省民政厅"}
            )

    pm = make_plugin_manager(
        load_entrypoints=False, plugins={"anhui": Both()}, provinces={"anhui": ("340000",)}
    )
    assert_counties_covered(build_registry(pm), "340000", on=datetime.date(2024, 8, 1))


@pytest.mark.parametrize("lang", LANGS)
def test_the_howto_says_every_county_must_resolve(lang: str) -> None:
    text = howto(lang)
    assert 'region = "340100"' in text
    assert "190 uncovered county value(s) under 340000 安徽省" in text
    assert ("province-level value" if lang == "en" else "省级值") in text


def test_the_generated_coverage_test_says_it(tmp_path: pathlib.Path) -> None:
    root = render_plugin("anhui", "340000", tmp_path)
    source = (root / "tests" / "test_plugin.py").read_text(encoding="utf-8")
    body = source[source.index("def test_every_county_has_a_dibao_standard") :]
    docstring = body[body.index('"""') : body.index('"""', body.index('"""') + 3)]
    assert 'province-level\n    value (region = "340000")' in docstring
    assert "one value per prefecture-level city" in docstring


def test_the_generated_plugin_with_a_city_value_fails_with_the_guidance(
    tmp_path: pathlib.Path,
) -> None:
    root = render_plugin("anhui", "340000", tmp_path)
    data = root / "src" / "civilaffairs_anhui" / "standards.toml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('region = "340000"\nresidence', 'region = "340100"\nresidence'))
    python = venv_seeing_this_environment(tmp_path)
    result = install_and_test(python, root, cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 1, out
    assert "1 failed, 2 passed" in out
    assert "190 uncovered county value(s) under 340000 安徽省 on 2024-08-01." in out
    assert "give a province-level value" in out
    assert "340200 芜湖市: 7 county(ies)" in out


# -- 3. the tutorial as written ----------------------------------------------------------


def doctest_blocks(text: str) -> list[str]:
    """The ``.. doctest::`` blocks of an rst text, dedented, without directive options."""
    blocks: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != ".. doctest::":
            i += 1
            continue
        i += 1
        body: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("   ")):
            body.append(lines[i])
            i += 1
        block = textwrap.dedent("\n".join(body)).strip("\n")
        block = "\n".join(line for line in block.splitlines() if not line.startswith(":"))
        blocks.append(block)
    return blocks


RUN_DOCTESTS = """
import doctest, sys
text = open(sys.argv[1], encoding="utf-8").read()
test = doctest.DocTestParser().get_doctest(text, {}, "tutorial", sys.argv[1], 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
runner.run(test)
result = runner.summarize(verbose=False)
print(f"attempted {result.attempted}, failed {result.failed}")
sys.exit(1 if result.failed or not result.attempted else 0)
"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_tutorial_uses_only_public_names(lang: str) -> None:
    code = "\n".join(doctest_blocks(tutorial(lang)))
    assert code
    assert "EXAMPLES" not in code
    assert "civilaffairs.testing" not in code and "isolated_registry" not in code
    assert 'pathlib.Path("examples/households/beijing-3.json")' in code
    assert "civilaffairs.assess(" in code


@pytest.mark.parametrize("lang", LANGS)
def test_the_tutorial_code_runs_as_written_from_the_repository_root(
    lang: str, tmp_path: pathlib.Path
) -> None:
    script = tmp_path / "tutorial.txt"
    script.write_text("\n\n".join(doctest_blocks(tutorial(lang))) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", RUN_DOCTESTS, str(script)],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "failed 0" in result.stdout


def test_the_tutorial_commands_run_from_the_repository_root() -> None:
    commands = [
        line.strip()
        for line in tutorial("en").splitlines()
        if line.strip().startswith("civilaffairs assess ")
    ]
    assert len(commands) == 2
    outputs = []
    for command in commands:
        args = command.split()[1:]
        result = subprocess.run(
            [sys.executable, "-m", "civilaffairs", *args],
            cwd=ROOT,
            env=clean_env(),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(result.stdout)
    data = json.loads(outputs[1])
    assert {"household", "month", "decisions"} <= set(data)
    (decision,) = data["decisions"]
    assert decision["program"] == "dibao" and decision["amount"] == "750.00"
