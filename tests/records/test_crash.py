"""Appends are transactional: a writer killed with SIGKILL in the middle of a batch leaves
a ledger that verifies and holds exactly the batches it committed (SQLite and
PostgreSQL)."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
from typing import Any

from sqlalchemy import text

from civilaffairs.records.verify import verify

WRITER = pathlib.Path(__file__).with_name("crash_writer.py")


def test_a_writer_killed_mid_batch_leaves_a_ledger_that_verifies(store: Any) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), store.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    committed = 0
    try:
        assert writer.stdout is not None
        for line in writer.stdout:
            word, number = line.split()
            if word == "committed":
                committed = int(number)
            elif word == "appended" and int(number) == 3:
                # batch 3's ledger entries are written, its decisions not yet, nothing
                # committed: kill it here
                writer.send_signal(signal.SIGKILL)
                break
        else:  # pragma: no cover - the writer died on its own
            raise AssertionError(writer.stderr.read() if writer.stderr else "writer ended")
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout:
            writer.stdout.close()
        if writer.stderr:
            writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL
    assert committed == 2
    result = verify(store)
    assert result.ok, result.problem
    with store.engine.connect() as c:
        entries = c.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
        decisions = c.execute(text("SELECT count(*) FROM decisions")).scalar_one()
        head = c.execute(text("SELECT size FROM ledger_head")).scalar_one()
    # two batches of 200 households and 2 programmes, nothing of the third
    assert entries == decisions == head == result.size == 2 * 200 * 2
    # and the store takes appends again
    from records.support import record

    record(store, 1)
    assert verify(store).ok
