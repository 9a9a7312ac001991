"""A new user's first hour, command by command, in fresh virtual environments.

The commands are read from the README, the first tutorial and the plugin how-to, and run
as written in ``bash`` from a copy of the checkout (the files ``git`` tracks, as a clone
has them):

1. the README's first command (install with the bundled plugins, assess the example);
2. the first tutorial: its install command, its Python session and its commands;
3. the plugin how-to: a fresh venv, install from the checkout, ``new-plugin``, install the
   plugin, its tests, then the city-level value the how-to adds and the checks it shows;
4. the new plugin's tests pass with the city value beside the province value.

The only substitution is the how-to's placeholder ``/path/to/civilaffairs``, which stands for
the reader's checkout. Packages come from the package index, as for a new user, so the
test needs it reachable; it takes a few minutes and is marked ``slow``.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from template_support import clean_env
from test_first_hour import RUN_DOCTESTS, doctest_blocks

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOWTO = ROOT / "docs" / "en" / "howto" / "write-a-province-plugin.rst"
TUTORIAL = ROOT / "docs" / "en" / "tutorials" / "assess-your-first-household.rst"

pytestmark = pytest.mark.slow


def fenced_blocks(markdown: str, language: str) -> list[str]:
    """The bodies of the ```language fenced blocks of *markdown*."""
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, flags=re.M | re.S)


def rst_blocks(text: str, directive: str) -> list[tuple[str, str]]:
    """``(section title, body)`` of each ``.. code-block:: directive`` of an rst *text*."""
    out: list[tuple[str, str]] = []
    lines = text.splitlines()
    section = ""
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and re.fullmatch(r"-{3,}", lines[i + 1]) and lines[i].strip():
            section = lines[i].strip()
        if lines[i].strip() != f".. code-block:: {directive}":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip().startswith(":"):
            i += 1
        body: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("   ")):
            body.append(lines[i][3:])
            i += 1
        out.append((section, "\n".join(body).strip("\n")))
    return out


def console_commands(body: str) -> list[str]:
    """The ``$ `` lines of a console block, without the prompt."""
    return [line[2:] for line in body.splitlines() if line.startswith("$ ")]


def checkout_copy(dest: pathlib.Path) -> pathlib.Path:
    """The tracked files of the checkout, as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        elif src.is_file():
            shutil.copy2(src, target)
    return dest


def bash(script: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to copy")
    return checkout_copy(tmp_path_factory.mktemp("new-user") / "civilaffairs")


def test_the_readme_then_the_first_tutorial(checkout: pathlib.Path) -> None:
    readme = (checkout / "README.md").read_text(encoding="utf-8")
    first = fenced_blocks(readme, "bash")[0].strip()
    assert first.startswith("python3 -m venv .venv") and "civilaffairs assess" in first
    out = ok(bash(first, checkout))
    assert "750.00" in out and "11010519491231002X" not in out

    tutorial = TUTORIAL.read_text(encoding="utf-8")
    blocks = rst_blocks(tutorial, "bash")
    assert [section for section, _ in blocks] == ["1. Install", "5. On the command line"]
    ok(bash(blocks[0][1], checkout))
    session = checkout / "tutorial-session.txt"
    session.write_text("\n\n".join(doctest_blocks(tutorial)) + "\n", encoding="utf-8")
    python = checkout / ".venv" / "bin" / "python"
    assert "failed 0" in ok(
        subprocess.run(
            [str(python), "-c", RUN_DOCTESTS, str(session)],
            cwd=checkout,
            env=clean_env(),
            capture_output=True,
            text=True,
        )
    )
    out = ok(bash(blocks[1][1], checkout))
    assert '"amount": "750.00"' in out


def test_the_readme_commands_at_registry_scale_and_the_others(checkout: pathlib.Path) -> None:
    readme = (checkout / "README.md").read_text(encoding="utf-8")
    if not (checkout / ".venv" / "bin" / "civilaffairs").exists():
        ok(bash(fenced_blocks(readme, "bash")[0].strip(), checkout))
    scale, others = fenced_blocks(readme, "text")[:2]
    commands = [line for line in scale.splitlines() if line.startswith("civilaffairs ")]
    assert [c.split()[1] for c in commands] == ["synth", "assess-bulk", "simulate"]
    out = ok(bash(". .venv/bin/activate\n" + "\n".join(commands), checkout))
    assert (checkout / "results.parquet").is_file() and (checkout / "reform").is_dir()
    # the command list: every line that is a complete command (no FILE… or [option])
    runnable = [
        line.split("  ")[0].strip()
        for line in others.splitlines()
        if line.startswith("civilaffairs ") and "…" not in line and "[" not in line
    ]
    assert len(runnable) >= 6
    for command in runnable:
        out = ok(bash(". .venv/bin/activate\n" + command, checkout))
        assert "11010519491231002X" not in out, command


def test_the_plugin_howto_with_a_city_level_value(
    checkout: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    text = HOWTO.read_text(encoding="utf-8")
    consoles = rst_blocks(text, "console")
    steps = {
        "1. Install civilaffairs": consoles[0][1],
        "2. Create the skeleton": consoles[2][1],
        "3. Install it and run its test": consoles[3][1],
    }
    assert [consoles[i][0] for i in (0, 2, 3)] == list(steps)
    script = [
        command.replace("/path/to/civilaffairs", str(checkout))
        for body in steps.values()
        for command in console_commands(body)
    ]
    assert script[:3] == [
        "python -m venv .venv",
        ". .venv/bin/activate",
        f"pip install {checkout} pytest",
    ]
    # the plugin pytest runs lives in the venv: the outer python is only used to create it
    work = tmp_path / "work"
    work.mkdir()
    out = ok(bash(f"PATH={pathlib.Path(sys.executable).parent}:$PATH\n" + "\n".join(script), work))
    assert re.search(r"\b3 passed\b", out), out

    # the city-level value: the toml table the how-to appends, then its checks
    (city,) = [body for _, body in rst_blocks(text, "toml") if 'region = "340100"' in body]
    data = work / "civilaffairs-anhui" / "src" / "civilaffairs_anhui" / "standards.toml"
    with data.open("a", encoding="utf-8") as f:
        f.write("\n" + city + "\n")
    (checks,) = [body for section, body in consoles if "340102" in body and "3 passed" in body]
    commands = console_commands(checks)
    assert commands[0] == "pytest civilaffairs-anhui/tests"
    out = ok(bash(". .venv/bin/activate\n" + "\n".join(commands), work))
    assert re.search(r"\b3 passed\b", out), out
    shown = [
        line.strip()
        for line in checks.splitlines()
        if line.strip() and not line.startswith("$ ") and line.strip() not in ("...", "3 passed")
    ]
    assert len(shown) == 6
    printed = {line.strip() for line in out.splitlines()}
    for line in shown:
        assert line in printed, (line, out)

    # step 6 of the how-to: check the result
    (final,) = [body for section, body in consoles if section == "6. Check the result"]
    out = ok(bash(". .venv/bin/activate\n" + "\n".join(console_commands(final)), work))
    assert "anhui" in out and "1050.00 yuan/month" in out
