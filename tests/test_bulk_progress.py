"""Progress of synth, assess-bulk and simulate: a bar on a terminal, nothing when piped.

A terminal is a real one here: the command runs in a child process whose stderr is the
far end of a pseudo-terminal (:func:`pty.openpty`, POSIX only), so the test sees what a
user at a terminal sees. Piped runs use an ordinary pipe for stderr.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civilaffairs.cli.bulk import _progress

SAMPLE = Path(__file__).parent.parent / "examples" / "households" / "registry-sample.jsonl"


@pytest.fixture(autouse=True)
def _bundled_plugins() -> None:
    for name in ("civilaffairs_beijing", "civilaffairs_shanghai", "civilaffairs_guangdong"):
        pytest.importorskip(name)


def _command(tmp_path: Path, name: str) -> list[str]:
    if name == "synth":
        return ["synth", "300", "--out", str(tmp_path / "registry")]
    if name == "assess-bulk":
        return ["assess-bulk", str(SAMPLE), "--on", "2024-08", "--out", str(tmp_path / "o.parquet")]
    return [
        *("simulate", str(SAMPLE), "--on", "2024-08", "--set", "dibao.standard@110000=1500"),
        *("--out", str(tmp_path / "sim")),
    ]


def _run_in_terminal(argv: list[str]) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal: (status, stdout, what the
    terminal showed)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "civilaffairs", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
        )
    finally:
        os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # the child has closed its end
            break
        if not data:
            break
        shown += data
    out, _ = child.communicate(timeout=120)
    os.close(master)
    return child.returncode, out.decode("utf-8"), shown.decode("utf-8", "replace")


LABELS = {"synth": "synth", "assess-bulk": "assess", "simulate": "simulate"}
TOTALS = {"synth": "300/300", "assess-bulk": "5/5", "simulate": "5/5"}


@pytest.mark.parametrize("name", ["synth", "assess-bulk", "simulate"])
def test_piped_stderr_shows_no_progress(tmp_path: Path, name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "civilaffairs", *_command(tmp_path, name)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\r" not in done.stderr
    assert done.stderr == b""
    assert b"\r" not in done.stdout
    assert done.stdout.strip()  # the final summary


@pytest.mark.parametrize("name", ["synth", "assess-bulk", "simulate"])
def test_a_terminal_shows_the_bar_and_its_final_state(tmp_path: Path, name: str) -> None:
    status, out, shown = _run_in_terminal(_command(tmp_path, name))
    assert status == 0, shown
    assert "\r" in shown
    assert LABELS[name] in shown
    # the last state stays on the terminal as one line: everything done, of the total
    last = shown.replace("\r\n", "\n").split("\r")[-1]
    assert TOTALS[name] in last
    assert last.endswith("\n")
    assert out.strip()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_unknown_total_counts_up(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with _progress(None, "assess") as update:
        update(3)
        update(4)
    shown = screen.getvalue()
    assert "\r" in shown
    assert "7" in shown.split("\r")[-1]
    assert "/" not in shown


def test_a_pipe_gets_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    with _progress(10, "assess") as update:
        update(10)
    assert pipe.getvalue() == ""
