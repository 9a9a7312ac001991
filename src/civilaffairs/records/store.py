"""Opening the records store: engines, schema migrations, transactions (打开案卷库).

:meth:`Store.open` resolves ``--db`` / ``CIVILAFFAIRS_DATABASE_URL`` / ``records.sqlite``
(:func:`civilaffairs.records.config.database_url`), connects, and brings the schema to the
newest Alembic migration shipped in ``civilaffairs/records/migrations`` (an empty database
is created from nothing). Commands that only read open with ``create=False`` and refuse a
database that does not exist or holds no records schema.

Writes go through :meth:`Store.writing`: one transaction that first takes the ledger's
write lock (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` of the ledger head on
PostgreSQL), so that appends are serialised and either all of a batch is stored or none.
"""

from __future__ import annotations

import contextlib
import pathlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from civilaffairs.records.config import database_url, display_url
from civilaffairs.records.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

__all__ = ["MIGRATIONS", "Store", "head_revision", "upgrade"]

#: The directory of the Alembic migrations shipped with the package.
MIGRATIONS = pathlib.Path(__file__).resolve().parent / "migrations"


def _alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of civilaffairs."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of *engine* to *revision* (default the newest), from empty if
    need be, in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def _engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling is switched off so that SQLAlchemy's
            # "begin" event below decides how a transaction starts
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            immediate = connection.get_execution_options().get("records_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _problem(exc: BaseException) -> str:
    """The first line of a driver error, without SQL or parameters."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


class Store:
    """An open records store.

    Use :meth:`open`; close with :meth:`close` or as a context manager.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._ledger_id: str | None = None

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True) -> Store:
        """Open the store named by *db* (``--db``), the environment, or the default.

        :param create: create the database and its schema if missing, and apply newer
            migrations; with ``False``, refuse a database that does not exist or has no
            records schema (commands that only read).
        :raises DatabaseError: if the database cannot be reached, is not a records
            database, or has a schema newer than this version of civilaffairs.
        """
        from sqlalchemy.exc import SQLAlchemyError

        url = database_url(db)
        shown = display_url(url)
        if not create and url.startswith("sqlite:///"):
            path = pathlib.Path(url[len("sqlite:///") :])
            if not path.is_file():
                raise DatabaseError(
                    f"no records database at {path}: record decisions first "
                    "(assess --record) or name the database with --db (案卷库不存在)",
                    path="--db",
                    zh=f"{path} 处没有案卷库：请先记录认定结果（assess --record），"
                    "或用 --db 指定数据库",
                )
        try:
            engine = _engine(url)
            with engine.connect() as connection:
                current = _current_revision(connection)
        except SQLAlchemyError as exc:
            raise DatabaseError(
                f"cannot open the database {shown}: {_problem(exc)} (无法打开数据库)",
                path="--db",
                zh=f"无法打开数据库 {shown}：{_problem(exc)}",
            ) from None
        except ImportError as exc:
            raise DatabaseError(
                f"the database driver is not installed ({exc.name}): install "
                "'civilaffairs[records]' (缺少数据库驱动)",
                path="--db",
                zh=f"未安装数据库驱动（{exc.name}）：请安装 'civilaffairs[records]'",
            ) from None
        head = head_revision()
        if current is None and not create:
            engine.dispose()
            raise DatabaseError(
                f"{shown} holds no records schema: record decisions first (assess --record) "
                "(不是案卷库)",
                path="--db",
                zh=f"{shown} 中没有案卷库的表：请先记录认定结果（assess --record）",
            )
        if current != head:
            from alembic.script import ScriptDirectory

            known = {
                s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
            }
            if current is not None and current not in known:
                engine.dispose()
                raise DatabaseError(
                    f"{shown} has schema revision {current!r}, newer than this civilaffairs "
                    f"knows (its newest is {head!r}): upgrade civilaffairs (数据库版本过新)",
                    path="--db",
                    zh=f"{shown} 的表结构版本 {current!r} 比本版本 civilaffairs 新"
                    f"（本版最新为 {head!r}）：请升级 civilaffairs",
                )
            try:
                upgrade(engine)
            except SQLAlchemyError as exc:
                engine.dispose()
                raise DatabaseError(
                    f"cannot create the records schema in {shown}: {_problem(exc)} "
                    "(无法建立案卷库表结构)",
                    path="--db",
                    zh=f"无法在 {shown} 中建立案卷库表结构：{_problem(exc)}",
                ) from None
        return cls(engine, url)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return str(self.engine.dialect.name)

    @property
    def ledger_id(self) -> str:
        """The random id of this ledger, named in its checkpoints and proofs."""
        if self._ledger_id is None:
            from sqlalchemy import select

            from civilaffairs.records.models import Meta

            with self.reading() as session:
                value = session.scalar(select(Meta.value).where(Meta.key == "ledger_id"))
            if value is None:
                raise DatabaseError("the store has no ledger id (案卷库缺少账本标识)")
            self._ledger_id = value
        return self._ledger_id

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading, in one transaction (a consistent view)."""
        from sqlalchemy.orm import Session

        with Session(self.engine) as session, session.begin():
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction holds the ledger's write lock from its first
        statement; committed when the block ends, rolled back on an exception."""
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from civilaffairs.records.models import LedgerHead

        bind = self.engine.execution_options(records_write=True)
        with Session(bind) as session, session.begin():
            if self.dialect != "sqlite":
                session.execute(select(LedgerHead).where(LedgerHead.id == 1).with_for_update())
            yield session

    def insert_many(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert *rows* into *table* inside *session*'s transaction: PostgreSQL's ``COPY``
        there, a Core ``INSERT`` of many rows (executemany) elsewhere; never the ORM."""
        if not rows:
            return
        connection = session.connection()
        if self.dialect != "postgresql":
            from sqlalchemy import insert

            connection.execute(insert(table), rows)
            return
        import json

        from sqlalchemy import JSON

        names = list(rows[0])
        as_json = {n for n in names if isinstance(table.c[n].type, JSON)}
        columns = ", ".join(f'"{n}"' for n in names)
        raw: Any = connection.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n], ensure_ascii=False) if n in as_json else row[n]
                        for n in names
                    ]
                )

    def size_on_disk(self) -> int | None:
        """The size of the database in bytes (the file, or ``pg_database_size``)."""
        from sqlalchemy import text

        if self.dialect == "sqlite":
            path = pathlib.Path(self.url[len("sqlite:///") :])
            extra = [path.with_name(path.name + s) for s in ("-wal", "-journal")]
            return sum(p.stat().st_size for p in (path, *extra) if p.exists())
        with self.engine.connect() as connection:
            size = connection.execute(text("SELECT pg_database_size(current_database())"))
            return int(size.scalar_one())

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
