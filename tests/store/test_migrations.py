"""Migrations that move data: 0005 folds processed_events into the event inbox."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from bot.store import MIGRATIONS_DIR, Store


def _alembic(store: Store, target: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.connect() as conn:  # as Store.migrate does: alembic runs the transaction
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)


def test_recent_command_keys_survive_the_move_to_the_inbox(db_url: str) -> None:
    store = Store(db_url)
    _alembic(store, "0004")
    seen = datetime.now(UTC).replace(tzinfo=None)
    with store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO processed_events (event_id, received_at) VALUES (:k, :at)"),
            [{"k": "cmd:replayed", "at": seen}, {"k": "Ev1", "at": seen}],
        )
    store.migrate()
    assert "processed_events" not in inspect(store.engine).get_table_names()
    assert store.first_request("cmd:replayed") is False  # still refused after the upgrade
    assert store.first_request("cmd:new") is True
    assert store.pending_event_count() == 0  # event ids were already in the inbox, if anywhere

    _alembic(store, "0004", down=True)
    with store.engine.connect() as conn:
        kept = conn.execute(text("SELECT event_id FROM processed_events ORDER BY 1")).scalars()
        assert list(kept) == ["cmd:new", "cmd:replayed"]
    store.close()
