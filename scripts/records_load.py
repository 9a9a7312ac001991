"""Load test of the records store (not a test of the suite): record the decisions of a bulk
run into SQLite and PostgreSQL and report how fast.

    python scripts/records_load.py 100000 [--postgres URL | --start-postgres] [--work DIR]

Steps: ``civilaffairs synth N`` makes a registry, ``civilaffairs assess-bulk`` assesses it,
then for each database :func:`civilaffairs.records.recording.record_bulk` records every
decision (Core ``INSERT`` statements of many rows, one transaction per batch of
households) and :func:`civilaffairs.records.verify.verify` verifies the whole ledger. For
each database it prints the decisions recorded, decisions per second, the size of the
database, and the time to verify the chain (and the Merkle root).

PostgreSQL: ``--postgres URL`` names a database (a fresh schema is created in it and
dropped afterwards unless ``--keep``); ``--start-postgres`` starts a throw-away server in a
temporary directory as the nox ``tests`` session does (PostgreSQL's programs under
``/usr/lib/postgresql/*/bin``; as root it runs as the ``postgres`` user). Without either,
only SQLite is measured.

Needs ``CIVILAFFAIRS_ID_KEY`` only for household snapshots, which bulk records do not
have; nothing personal is recorded (the synthetic registry holds no resident IDs).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any


def _run(*args: str) -> None:
    from civilaffairs.cli import main

    code = main(list(args))
    if code != 0:
        raise SystemExit(f"civilaffairs {' '.join(args)} exited {code}")


@contextlib.contextmanager
def _throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server in a temporary directory, on a unix socket only."""
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("no PostgreSQL server programs under /usr/lib/postgresql")
    bindir = found[-1].parent
    root = os.geteuid() == 0
    owner = ["runuser", "-u", "postgres", "--"] if root else []
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="civilaffairs-load-pg-"))
    if root:
        shutil.chown(tmp, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp / "data"

    def pg(*args: str) -> None:
        subprocess.run([*owner, *args], check=True, stdout=subprocess.DEVNULL)

    try:
        pg(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        pg(
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "-o",
            f"-p {port} -k {tmp} -c listen_addresses=''", "start",
        )  # fmt: skip
        try:
            pg(str(bindir / "createdb"), "-h", str(tmp), "-p", str(port), "-U", "postgres", "load")
            yield f"postgresql+psycopg://postgres@/load?host={tmp}&port={port}"
        finally:
            pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _fresh(url: str, keep: bool) -> Iterator[str]:
    """*url* with a fresh schema of its own (PostgreSQL), or a fresh file (SQLite)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from civilaffairs.records.config import database_url

    url = database_url(url)
    if url.startswith("sqlite"):
        path = pathlib.Path(url[len("sqlite:///") :])
        path.unlink(missing_ok=True)
        yield url
        return
    schema = f"records_load_{dt.datetime.now():%Y%m%d%H%M%S}"
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        if not keep:
            with admin.begin() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _size(store: Any) -> int:
    """Bytes used by the store: the SQLite file, or the schema's tables and indexes."""
    from sqlalchemy import text

    if store.dialect == "sqlite":
        return int(store.size_on_disk() or 0)
    with store.engine.connect() as c:
        return int(
            c.execute(
                text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).scalar_one()
        )


def measure(url: str, results: Any, manifest: dict[str, Any], batch: int) -> dict[str, Any]:
    """Record *results* into the store at *url*, verify it; return the numbers."""
    from civilaffairs.records.recording import record_bulk
    from civilaffairs.records.store import Store
    from civilaffairs.records.verify import verify
    from civilaffairs.registry import get_registry

    registry = get_registry()
    periods = {
        p: str(getattr(registry.programs[p], "period", "monthly")) for p in registry.programs
    }
    versions = {"civilaffairs": manifest["civilaffairs_version"], **manifest["plugins"]}
    with Store.open(url) as store:
        start = time.perf_counter()
        last = [start]

        def progress(done: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 30:
                last[0] = now
                print(f"    … {done:,} decisions, {done / (now - start):,.0f}/s", flush=True)

        count = record_bulk(
            store,
            results,
            month=manifest["month"],
            versions=versions,
            periods=periods,
            batch_households=batch,
            on_batch=progress,
        )
        recorded = time.perf_counter() - start
        size = _size(store)
        start = time.perf_counter()
        result = verify(store)
        verified = time.perf_counter() - start
        if not result.ok:
            raise SystemExit(f"the ledger does not verify: {result.problem}")
        return {
            "database": store.dialect,
            "decisions": count,
            "record_seconds": round(recorded, 1),
            "decisions_per_second": round(count / recorded),
            "bytes": size,
            "verify_seconds": round(verified, 1),
            "root": result.root_hash,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", type=int)
    parser.add_argument("--work", type=pathlib.Path, default=None, help="Working directory.")
    parser.add_argument("--on", default="2024-08", help="Month assessed.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=5000, help="Households per transaction.")
    parser.add_argument("--sqlite", default=None, help="SQLite file (default: in --work).")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--postgres", default=None, help="A PostgreSQL URL.")
    parser.add_argument("--start-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the databases.")
    args = parser.parse_args(argv)

    import pyarrow.parquet as pq

    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="civilaffairs-load-"))
    work.mkdir(parents=True, exist_ok=True)
    registry_dir, results_path = work / "registry", work / "results.parquet"
    started = time.perf_counter()
    if not results_path.exists():
        shutil.rmtree(registry_dir, ignore_errors=True)
        _run("synth", str(args.households), "--out", str(registry_dir), "--seed", str(args.seed),
             "--on", args.on)  # fmt: skip
        _run("assess-bulk", str(registry_dir), "--on", args.on, "--out", str(results_path))
    print(f"registry and bulk run: {time.perf_counter() - started:,.0f} s", flush=True)
    results = pq.read_table(results_path)
    manifest = json.loads(results_path.with_name("results.manifest.json").read_text())

    rows = []
    with contextlib.ExitStack() as stack:
        targets = []
        if not args.no_sqlite:
            targets.append(args.sqlite or str(work / "records.sqlite"))
        postgres = args.postgres
        if postgres is None and args.start_postgres:
            postgres = stack.enter_context(_throwaway_postgres())
        if postgres:
            targets.append(postgres)
        for target in targets:
            url = stack.enter_context(_fresh(target, args.keep))
            print(f"recording into {url.split('://', 1)[0]} …", flush=True)
            rows.append(measure(url, results, manifest, args.batch))
            print("  " + json.dumps(rows[-1]), flush=True)
    print()
    print(
        f"{args.households:,} households, {results.num_rows:,} assessed, batches of {args.batch:,}"
    )
    print(f"{'database':<12}{'decisions':>12}{'decisions/s':>14}{'size MiB':>11}{'verify s':>10}")
    for r in rows:
        print(
            f"{r['database']:<12}{r['decisions']:>12,}{r['decisions_per_second']:>14,}"
            f"{r['bytes'] / 2**20:>11,.0f}{r['verify_seconds']:>10,.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
