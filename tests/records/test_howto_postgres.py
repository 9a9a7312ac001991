"""The commands of the how-to "run the records store on PostgreSQL" run as written
(``howto_postgres.sh``, which the how-to includes) against the test PostgreSQL server."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from civilaffairs import __version__
from civilaffairs.records.config import database_url
from records.support import household_data, people, postgres_base

SCRIPT = pathlib.Path(__file__).with_name("howto_postgres.sh")


def test_the_howto_runs_as_written(tmp_path: pathlib.Path) -> None:
    base = database_url(postgres_base())
    if not (shutil.which("psql") and shutil.which("pg_dump")):
        pytest.skip("psql and pg_dump are not installed")
    schema = f"howto_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    # a libpq URL, as psql and pg_dump take it and as a deployment would write it
    url = (
        make_url(base)
        .set(drivername="postgresql")
        .update_query_dict({"options": f"-csearch_path={schema}"})
    )
    households = tmp_path / "households.json"
    households.write_text(json.dumps([household_data(n) for n in (1, 2, 3)]), encoding="utf-8")
    bindir = str(pathlib.Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_")}
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    try:
        done = subprocess.run(
            ["sh", str(SCRIPT), url.render_as_string(hide_password=False), str(households)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # three households of two adults, one earning 800 yuan, under Beijing's 1450: 2100 each
    assert lines[1:] == [
        f"ledger intact: 24 entries, root {lines[1].split()[-1]}",
        f"checkpoint: 24 entries, root {lines[1].split()[-1]} → checkpoint-2024-08.json",
        "dibao 3 630000",
        "dibao.standard 1450.00 beijing 3",
        "3",
        f"{__version__} 24",
        f"ledger intact: 48 entries, root {lines[7].split()[-1]}",
        f"checkpoint: 48 entries, root {lines[7].split()[-1]} → checkpoint-2024-09.json",
        "consistency proof 24 → 48 entries → consistency.json",
        "the tree of 48 entries extends the tree of 24: no earlier entry was changed",
    ]
    assert (tmp_path / "records.dump").stat().st_size > 0
    for rid in people(2, start=10):
        assert rid not in done.stdout + done.stderr
