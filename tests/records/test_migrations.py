"""The schema: Alembic migrations shipped in the package build it from an empty database,
and the models agree with the newest migration, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select

from civilaffairs.records.errors import DatabaseError
from civilaffairs.records.models import Base, LedgerHead, Meta
from civilaffairs.records.store import Store, head_revision, upgrade


def test_upgrade_from_empty_and_models_match_head(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Store.open(db_url) as store:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head_revision()
            assert compare_metadata(context, Base.metadata) == []
            tables = set(inspect(connection).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        with store.reading() as session:
            head = session.execute(select(LedgerHead.size, LedgerHead.head_hash)).one()
            ledger_id = session.scalar(select(Meta.value).where(Meta.key == "ledger_id"))
        assert (head.size, head.head_hash) == (0, "0" * 64)
        assert ledger_id and len(ledger_id) == 36


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    from alembic import command

    from civilaffairs.records.store import _alembic_config

    with Store.open(db_url) as store:
        with store.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "base")
        with store.engine.connect() as connection:
            left = set(inspect(connection).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade(store.engine)
        with store.engine.connect() as connection:
            assert "ledger_entries" in inspect(connection).get_table_names()


def test_reopening_keeps_the_ledger(db_url: str) -> None:
    with Store.open(db_url) as store:
        first = store.ledger_id
    with Store.open(db_url, create=False) as store:
        assert store.ledger_id == first


def test_read_only_commands_refuse_a_missing_database(tmp_path: Any) -> None:
    with pytest.raises(DatabaseError, match="no records database"):
        Store.open(str(tmp_path / "nothing.sqlite"), create=False)
    assert not (tmp_path / "nothing.sqlite").exists()


def test_a_newer_schema_is_refused(db_url: str) -> None:
    from sqlalchemy import text

    with Store.open(db_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseError, match="newer than this civilaffairs"):
        Store.open(db_url)


def test_unsupported_and_unreachable_databases() -> None:
    with pytest.raises(DatabaseError, match="SQLite and PostgreSQL"):
        Store.open("mysql://u:secret@localhost/db")
    with pytest.raises(DatabaseError, match="cannot open") as info:
        Store.open("postgresql://u:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in str(info.value)
