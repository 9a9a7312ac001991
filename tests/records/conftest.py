"""Fixtures of the records store tests: the database (SQLite and PostgreSQL), keys, the
registry, and households with resident IDs made by :func:`civilaffairs.testing.resident_id`.

The ``db_url`` fixture runs each test on SQLite and on PostgreSQL. PostgreSQL needs
``CIVILAFFAIRS_TEST_POSTGRES_URL`` (``nox -s tests`` starts a throw-away server and sets
it); without it the PostgreSQL cases are skipped, except when ``CI`` is set, where they
fail. Each PostgreSQL case gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import pathlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from records.support import ID_KEY, postgres_base, standards_registry


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    """Keys from the environment, the fixture registry, the working directory in tmp."""
    import civilaffairs.registry

    monkeypatch.setenv("CIVILAFFAIRS_ID_KEY", ID_KEY)
    monkeypatch.delenv("CIVILAFFAIRS_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("CIVILAFFAIRS_DATABASE_URL", raising=False)
    monkeypatch.delenv("CIVILAFFAIRS_LEDGER_PUBLIC_KEY", raising=False)
    monkeypatch.setenv("CIVILAFFAIRS_LEDGER_SIGNING_KEY", str(_signing_key(tmp_path)))
    monkeypatch.setattr(civilaffairs.registry, "get_registry", lambda **_: standards_registry())
    monkeypatch.chdir(tmp_path)


def _signing_key(tmp_path: pathlib.Path) -> pathlib.Path:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    path = tmp_path / "test-signing-key.pem"
    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from civilaffairs.records.config import database_url

    base = database_url(postgres_base())
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    """The store on :func:`db_url`, created."""
    from civilaffairs.records.store import Store

    opened = Store.open(db_url)
    try:
        yield opened
    finally:
        opened.close()
