"""Store methods of named leases: a job one replica at a time does (mixed into Store)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete

from bot.store.tables import LeaseRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class LeaseMethods:
    """Like a digest claim: held by an owner's token until it expires or is released; one
    that is not renewed (its replica died) can be taken by anyone once it expired."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractContextManager[Session]: ...

        def _insert(self, table: Any) -> Any: ...

    def acquire_lease(
        self, name: str, *, owner: str, ttl: timedelta, now: datetime | None = None
    ) -> bool:
        """Take (or renew, when already ours) the lease `name` until now + ttl; False while
        another owner holds it unexpired."""
        now = now or datetime.now(UTC)
        stmt = (
            self._insert(LeaseRow)
            .values(name=name, owner=owner, expires_at=now + ttl)
            .on_conflict_do_update(
                index_elements=["name"],
                set_={"owner": owner, "expires_at": now + ttl},
                where=(LeaseRow.expires_at < now) | (LeaseRow.owner == owner),
            )
            .returning(LeaseRow.name)
        )
        with self._write() as s:
            return s.connection().execute(stmt).scalar() is not None

    def release_lease(self, name: str, *, owner: str) -> bool:
        """Give the lease up (only its owner can); True when it was held by `owner`."""
        with self._write() as s:
            stmt = delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.owner == owner)
            return int(s.connection().execute(stmt).rowcount) == 1
