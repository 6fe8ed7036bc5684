"""Store methods of the durable event inbox (mixed into Store: one write path, one session rule)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from bot.store.tables import EventInboxRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

REQUEST_TYPE = "request"  # the event_type of a signed command or button press (replay guard)


@dataclass(frozen=True)
class InboxEvent:
    event_id: str
    event_type: str
    body: dict[str, Any]
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC)


class EventInboxMethods:
    """Events kept from before the ack until answered, leased to one worker; and the record of
    signed requests already run. Every write goes through the Store's `_write`."""

    if TYPE_CHECKING:

        def _read(self) -> AbstractContextManager[Session]: ...

        def _write(self) -> AbstractContextManager[Session]: ...

        def _insert(self, table: Any) -> Any: ...

    def accept_event(
        self,
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
        stmt = (
            self._insert(EventInboxRow)
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
        with self._write() as s:
            return s.connection().execute(stmt).scalar() is not None

    def first_request(self, key: str, *, now: datetime | None = None) -> bool:
        """True only the first time this signed request is seen, across replicas.

        Stored as an inbox row that is done from the start: never leased, never recovered,
        pruned with the other finished rows (Slack refuses signatures older than 5 minutes
        anyway, so the retention is ample)."""
        now = now or _now()
        stmt = (
            self._insert(EventInboxRow)
            .values(
                event_id=key,
                event_type=REQUEST_TYPE,
                body="{}",
                received_at=now,
                lease_owner="",
                lease_until=now,
                attempts=1,
                done_at=now,
                outcome="ran",
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(EventInboxRow.event_id)
        )
        with self._write() as s:
            return s.connection().execute(stmt).scalar() is not None

    def finish_event(
        self, event_id: str, *, outcome: str = "answered", now: datetime | None = None
    ) -> None:
        """Mark an event done (answered, or given up): it is never taken over again."""
        with self._write() as s:
            s.connection().execute(
                update(EventInboxRow)
                .where(EventInboxRow.event_id == event_id, EventInboxRow.done_at.is_(None))
                .values(done_at=now or _now(), outcome=outcome[:32])
            )

    def renew_event_leases(
        self,
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
        mine = (
            EventInboxRow.event_id.in_(ids),
            EventInboxRow.lease_owner == owner,
            EventInboxRow.done_at.is_(None),
        )
        with self._write() as s:
            conn = s.connection()
            conn.execute(update(EventInboxRow).where(*mine).values(lease_until=now + lease))
            held = conn.execute(select(EventInboxRow.event_id).where(*mine))
            return {str(eid) for eid in held.scalars()}

    def retry_event_later(
        self, event_id: str, *, owner: str, at: datetime, now: datetime | None = None
    ) -> bool:
        """Let `owner`'s lease end at `at` (sooner than it would), so recovery retries the event."""
        now = now or _now()
        with self._write() as s:
            result = s.connection().execute(
                update(EventInboxRow)
                .where(
                    EventInboxRow.event_id == event_id,
                    EventInboxRow.lease_owner == owner,
                    EventInboxRow.done_at.is_(None),
                )
                .values(lease_until=max(at, now))
            )
            return int(result.rowcount) == 1

    def take_over_expired_events(
        self,
        *,
        owner: str,
        lease: timedelta,
        limit: int = 50,
        now: datetime | None = None,
    ) -> list[InboxEvent]:
        """Lease events whose worker let the lease run out (it died) to `owner`, one winner each."""
        now = now or _now()
        with self._read() as s:
            candidates = list(
                s.execute(
                    select(EventInboxRow.event_id)
                    .where(EventInboxRow.done_at.is_(None), EventInboxRow.lease_until < now)
                    .order_by(EventInboxRow.received_at)
                    .limit(limit)
                ).scalars()
            )
        taken: list[InboxEvent] = []
        for event_id in candidates:
            with self._write() as s:
                won = s.connection().execute(
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
                if won.rowcount != 1:
                    continue  # another replica took it first
                row = s.get(EventInboxRow, event_id)
                assert row is not None
                taken.append(
                    InboxEvent(row.event_id, row.event_type, json.loads(row.body), row.attempts)
                )
        return taken

    def pending_event_count(self) -> int:
        """Events stored and not yet done (answered, found or given up)."""
        with self._read() as s:
            count = s.execute(
                select(func.count())
                .select_from(EventInboxRow)
                .where(EventInboxRow.done_at.is_(None))
            ).scalar()
            return int(count or 0)

    def event_row_count(self) -> int:
        """All inbox rows, pending and done (what pruning keeps bounded)."""
        with self._read() as s:
            return int(s.execute(select(func.count()).select_from(EventInboxRow)).scalar() or 0)

    def prune_finished_events(self, before: datetime) -> int:
        """Delete rows finished before `before`; pending events are never pruned."""
        with self._write() as s:
            result = s.connection().execute(
                delete(EventInboxRow).where(
                    EventInboxRow.done_at.is_not(None), EventInboxRow.done_at < before
                )
            )
            return int(result.rowcount)
