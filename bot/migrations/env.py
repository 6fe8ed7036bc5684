"""Alembic environment: runs on the connection Store.migrate() hands over (never by hand)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.store.tables import Base

# Any constant works; it only has to be the same for every replica.
_PG_MIGRATION_LOCK = 0x6272_6965_6662_6F74  # "briefbot"


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with connection.begin():
        if connection.dialect.name == "postgresql":
            # Replicas starting together migrate one after another, not over each other.
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        # SQLite: the Store's writer connection begins IMMEDIATE, which serializes migrators.
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through bot.store.Store.migrate(), not the alembic CLI")
    _run(connection)


run()
