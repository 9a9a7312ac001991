"""The README's two set-up commands and CI stay in step, and its Python example runs."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, flags=re.S)]


def test_two_one_line_setup_commands() -> None:
    blocks = _bash_blocks()
    assert len(blocks) == 2
    assert all("\n" not in b for b in blocks)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _bash_blocks()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_python_example_runs() -> None:
    code = re.findall(r"```python\n(.*?)```", README, flags=re.S)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "110105********002X"
    assert lines[1] == "1949-12-31 female 110105"
    assert lines[2] == "750.00"
    assert lines[3] == "750.00 元"
