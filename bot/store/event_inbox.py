"""Edge: Slack events kept durably from before the ack until answered, leased to one worker."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, Text, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.store.store import Store
from bot.store.tables import Base, UTCDateTime


class EventInboxRow(Base):
    """One Slack event: stored before it is acknowledged, done once it has been answered."""

    __tablename__ = "event_inbox"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str] = mapped_column(String(128))
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)


@dataclass(frozen=True)
class InboxEvent:
    event_id: str
    event_type: str
    body: dict[str, Any]
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC)


def accept_event(
    store: Store,
    event_id: str,
    event_type: str,
    body: dict[str, Any],
    *,
    owner: str,
    lease: timedelta,
    now: datetime | None = None,
) -> bool:
    """Store a new event leased to `owner`; False when the event_id is already stored."""
    now = now or _now()
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(EventInboxRow)
        .values(
            event_id=event_id,
            event_type=event_type[:64],
            body=json.dumps(body, ensure_ascii=False),
            received_at=now,
            lease_owner=owner,
            lease_until=now + lease,
            attempts=1,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(EventInboxRow.event_id)
    )
    with Session(store.engine) as session, session.begin():
        return session.execute(stmt).scalar() is not None


def finish_event(
    store: Store,
    event_id: str,
    *,
    outcome: str = "answered",
    now: datetime | None = None,
) -> None:
    """Mark an event done (answered, or given up): it is never taken over again."""
    with Session(store.engine) as session, session.begin():
        session.execute(
            update(EventInboxRow)
            .where(EventInboxRow.event_id == event_id, EventInboxRow.done_at.is_(None))
            .values(done_at=now or _now(), outcome=outcome[:32])
        )


def renew_leases(
    store: Store,
    event_ids: Iterable[str],
    *,
    owner: str,
    lease: timedelta,
    now: datetime | None = None,
) -> set[str]:
    """Extend `owner`'s leases on these pending events; returns the ids it still holds."""
    ids = sorted(set(event_ids))
    if not ids:
        return set()
    now = now or _now()
    with Session(store.engine) as session, session.begin():
        session.execute(
            update(EventInboxRow)
            .where(
                EventInboxRow.event_id.in_(ids),
                EventInboxRow.lease_owner == owner,
                EventInboxRow.done_at.is_(None),
            )
            .values(lease_until=now + lease)
        )
        held = session.execute(
            select(EventInboxRow.event_id).where(
                EventInboxRow.event_id.in_(ids),
                EventInboxRow.lease_owner == owner,
                EventInboxRow.done_at.is_(None),
            )
        )
        return {str(eid) for eid in held.scalars()}


def retry_later(
    store: Store, event_id: str, *, owner: str, at: datetime, now: datetime | None = None
) -> bool:
    """Let `owner`'s lease end at `at` (sooner than it would), so recovery retries the event."""
    now = now or _now()
    with Session(store.engine) as session, session.begin():
        result = session.connection().execute(
            update(EventInboxRow)
            .where(
                EventInboxRow.event_id == event_id,
                EventInboxRow.lease_owner == owner,
                EventInboxRow.done_at.is_(None),
            )
            .values(lease_until=max(at, now))
        )
        return int(result.rowcount) == 1


def take_over_expired(
    store: Store,
    *,
    owner: str,
    lease: timedelta,
    limit: int = 50,
    now: datetime | None = None,
) -> list[InboxEvent]:
    """Lease events whose worker let the lease run out (it died) to `owner`, one winner each."""
    now = now or _now()
    with Session(store.engine) as session:
        candidates = (
            session.execute(
                select(EventInboxRow.event_id)
                .where(EventInboxRow.done_at.is_(None), EventInboxRow.lease_until < now)
                .order_by(EventInboxRow.received_at)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    taken: list[InboxEvent] = []
    for event_id in candidates:
        with Session(store.engine) as session, session.begin():
            won = (
                session.connection()
                .execute(
                    update(EventInboxRow)
                    .where(
                        EventInboxRow.event_id == event_id,
                        EventInboxRow.done_at.is_(None),
                        EventInboxRow.lease_until < now,
                    )
                    .values(
                        lease_owner=owner,
                        lease_until=now + lease,
                        attempts=EventInboxRow.attempts + 1,
                    )
                )
                .rowcount
            )
            if won != 1:
                continue  # another replica took it first
            row = session.get(EventInboxRow, event_id)
            assert row is not None
            taken.append(
                InboxEvent(row.event_id, row.event_type, json.loads(row.body), row.attempts)
            )
    return taken


def pending_count(store: Store) -> int:
    with Session(store.engine) as session:
        count = session.execute(
            select(func.count()).select_from(EventInboxRow).where(EventInboxRow.done_at.is_(None))
        ).scalar()
        return int(count or 0)


def row_count(store: Store) -> int:
    """All rows, pending and done (what pruning keeps bounded)."""
    with Session(store.engine) as session:
        return int(session.execute(select(func.count()).select_from(EventInboxRow)).scalar() or 0)


def prune_done(store: Store, before: datetime) -> int:
    """Delete events finished before `before`; pending ones are never pruned."""
    with Session(store.engine) as session, session.begin():
        result = session.connection().execute(
            delete(EventInboxRow).where(
                EventInboxRow.done_at.is_not(None), EventInboxRow.done_at < before
            )
        )
        return int(result.rowcount)
