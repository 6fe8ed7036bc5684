"""Edge: persistence (SQLAlchemy 2 on SQLite or PostgreSQL, schema migrated by Alembic)."""

from __future__ import annotations

# corpus_blobs, event_inbox: imported so their tables are on Base.metadata (scale, issue 6).
from bot.store import corpus_blobs, event_inbox  # noqa: F401
from bot.store.store import MIGRATIONS_DIR, Store
from bot.store.values import Delivery, DeliveryStatus, Feedback, LatestDigest, Subscription, Verdict

__all__ = [
    "MIGRATIONS_DIR",
    "Delivery",
    "DeliveryStatus",
    "Feedback",
    "LatestDigest",
    "Store",
    "Subscription",
    "Verdict",
]
