"""Edge: persistence (SQLAlchemy 2 on SQLite or PostgreSQL, schema migrated by Alembic)."""

from __future__ import annotations

# corpus_blobs: imported so its table is on Base.metadata (scale, issue 6).
from bot.store import corpus_blobs  # noqa: F401
from bot.store.inbox import InboxEvent
from bot.store.store import MIGRATIONS_DIR, Store
from bot.store.values import Delivery, DeliveryStatus, Feedback, LatestDigest, Subscription, Verdict

__all__ = [
    "MIGRATIONS_DIR",
    "Delivery",
    "DeliveryStatus",
    "Feedback",
    "InboxEvent",
    "LatestDigest",
    "Store",
    "Subscription",
    "Verdict",
]
