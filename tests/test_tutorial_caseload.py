"""The tutorial "record, review and audit a county's caseload" runs as written: its script
(``examples/records/tutorial.sh``, included in the Chinese and English pages) is run from a
copy of the repository's examples, and the output the pages show is what it prints."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from test_new_user import rst_blocks

pytest.importorskip("sqlalchemy")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "records" / "tutorial.sh"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("tutorial")
    shutil.copytree(ROOT / "examples", root / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_")}
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["bash", str(root / "examples" / "records" / "tutorial.sh")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_the_audit_finds_the_caseworkers_relative(output: str) -> None:
    assert (
        "[medium] audit.staff_relative · 2024-08 · BJ-110105-000123 · 110105********0242 · "
        "dibao: declared relative (sibling) of the caseworker W001" in output
    )
    assert "2024-08: 3 caseload rows, 1 finding(s)" in output


def test_the_review_is_due_a_year_later_and_cuts_the_dibao(output: str) -> None:
    assert "1 review(s) due by the end of 2025-08" in output
    assert re.search(r"dibao: 750\.00 yuan → 150\.00 yuan \(amount cut\)", output)


def test_the_ledger_verifies_proves_and_names_the_edited_entry(output: str) -> None:
    assert re.search(r"ledger intact: 16 entries, root [0-9a-f]{64}", output)
    assert "entry 0 is in the signed tree of 16 entries" in output
    assert "error: entry 1: its row in the decisions table differs from the ledger" in output
    assert "verify exited with 1" in output


def test_no_whole_resident_id_is_printed(output: str) -> None:
    for rid in ("110105198503120178", "110105198707220242", "110105201509010468"):
        assert rid not in output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pages_include_the_script_and_show_its_output(lang: str, output: str) -> None:
    page = ROOT / "docs" / lang / "tutorials" / "record-review-and-audit.rst"
    text = page.read_text(encoding="utf-8")
    assert "literalinclude:: ../../../examples/records/tutorial.sh" in text
    shown = [line.strip() for _, body in rst_blocks(text, "text") for line in body.splitlines()]
    assert len(shown) >= 9
    for line in filter(None, shown):
        pattern = ".*".join(re.escape(part) for part in line.split("…"))
        assert re.search(pattern, output), line
