"""Alembic environment of the records store: run by :func:`civilaffairs.records.store.upgrade`
with an open connection in ``config.attributes["connection"]``, or offline (``--sql``) with
``sqlalchemy.url`` set. Importing it outside an Alembic run does nothing."""

from __future__ import annotations

from typing import Any

from alembic import context

from civilaffairs.records.models import Base


def run(config: Any) -> None:
    """Run the migrations Alembic asked for."""
    connection = config.attributes.get("connection")
    if connection is None:
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=Base.metadata,
            literal_binds=True,
            render_as_batch=True,
        )
    else:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
    with context.begin_transaction():
        context.run_migrations()


# outside an Alembic run (a documentation or test collector importing the file) there is
# no configuration and nothing runs
_config: Any = getattr(context, "config", None)
if _config is not None:
    run(_config)
