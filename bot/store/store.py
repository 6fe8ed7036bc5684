"""The Store: subscriptions, deliveries, the event inbox, feedback, thread topics, corpus state."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from bot.errors import SettingsError
from bot.store.inbox import EventInboxMethods
from bot.store.leases import LeaseMethods
from bot.store.tables import (
    CorpusStateRow,
    DeliveryRow,
    DigestSnapshotRow,
    FeedbackRow,
    FlagVerdictRow,
    SourceSeenRow,
    SubscriptionRow,
    ThreadTopicRow,
)
from bot.store.values import Delivery, Feedback, LatestDigest, Subscription, Verdict

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "briefbot_sqlite_begin"
DATABASE_SETTING = "DATABASE_URL"
CONNECT_TIMEOUT_SECONDS = 10  # an unreachable host fails start-up in seconds, not minutes
# What a driver's message says -> the short reason we print (never the URL or its host).
_REASONS = (
    ("password authentication failed", "authentication failed"),
    ("no password supplied", "authentication failed"),
    ("does not exist", "the database or role does not exist"),
    ("connection refused", "connection refused"),
    ("timeout", "connection timed out"),
    ("timed out", "connection timed out"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("nodename nor servname", "unknown host"),
    ("unable to open database file", "cannot open the SQLite file"),
    ("no route to host", "no route to host"),
    ("network is unreachable", "network unreachable"),
)


def _now() -> datetime:
    return datetime.now(UTC)


def database_setting_error(exc: BaseException) -> SettingsError:
    """One line naming DATABASE_URL and what is wrong with it (never its value)."""
    if isinstance(exc, NoSuchModuleError | ImportError):  # NoSuchModuleError is an ArgumentError
        return SettingsError(
            f"setting {DATABASE_SETTING} is invalid: unknown or uninstalled database driver "
            "(use postgresql+psycopg:// or sqlite:///)"
        )
    if isinstance(exc, ArgumentError | ValueError):
        return SettingsError(
            f"setting {DATABASE_SETTING} is invalid: not a database URL "
            "(use postgresql+psycopg://user@host:5432/db or sqlite:///path/to/file)"
        )
    message = str(getattr(exc, "orig", None) or exc).lower()
    fallback = "connection failed" if isinstance(exc, SQLAlchemyError) else type(exc).__name__
    reason = next((short for needle, short in _REASONS if needle in message), fallback)
    return SettingsError(f"setting {DATABASE_SETTING}: cannot reach the database ({reason})")


def _build_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        return create_engine(url, pool_pre_ping=True, future=True, connect_args=connect_args)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    memory = database in ("", ":memory:")
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        # One connection for an in-memory database (else each connection is a new empty DB).
        # Files keep a pool: opening a connection (WAL, pragmas) costs ~25 ms per transaction.
        # A process that forks must not reuse its parent's Store; build a new one.
        poolclass=StaticPool if memory else None,
        **({} if memory else {"pool_size": 10, "max_overflow": 20}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN IMMEDIATE is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers begin IMMEDIATE: they queue on the busy timeout instead of failing with
        # SQLITE_BUSY when upgrading a read snapshot to a write lock.
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        channel=row.channel,
        day=row.day,
        time=row.time,
        tz=row.tz,
        topics=tuple(row.topics or ()),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        channel=row.channel,
        period_key=row.period_key,
        scheduled_for=row.scheduled_for,
        status=row.status,
        attempts=row.attempts,
        error=row.error,
        claimed_at=row.claimed_at,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        covered_since=row.covered_since,
        covered_until=row.covered_until,
        digest_json=row.digest_json,
        messages_sent=row.messages_sent,
        thread_ts=row.thread_ts,
    )


def _verdict(row: FlagVerdictRow) -> Verdict:
    return Verdict(
        id=row.id,
        flag_id=row.flag_id,
        channel=row.channel,
        verdict=row.verdict,
        user=row.user,
        created_at=row.created_at,
    )


class Store(EventInboxMethods, LeaseMethods):
    """One database (SQLite file or PostgreSQL) behind small, typed, transactional methods.

    The event inbox's methods (bot/store/inbox.py) and named leases (bot/store/leases.py)
    are mixed in and share this write path."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = _build_engine(url)
        except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
            raise database_setting_error(exc) from None
        except OSError as exc:  # the SQLite file's folder cannot be created
            raise SettingsError(
                f"setting {DATABASE_SETTING}: cannot create the SQLite file's folder "
                f"({exc.strerror or type(exc).__name__})"
            ) from None
        self.dialect = self.engine.dialect.name
        self._writer = (
            self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            if self.dialect == "sqlite"
            else self.engine
        )
        # SQLite has one writer at a time. Threads of this process queue on a lock (fair, no
        # polling); other processes still wait on the busy timeout.
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if self.dialect == "sqlite" else nullcontext()
        )

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def ping(self) -> None:
        """One round trip to the database (readiness); raises when it cannot be reached."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with (
            self._write_lock,
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision (safe to race)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        try:
            conn = self._writer.connect()
        except SQLAlchemyError as exc:  # start-up: the one place an unreachable DB is fatal
            raise database_setting_error(exc) from None
        with conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # --- feedback and threads --------------------------------------------------------------

    def add_feedback(
        self,
        user: str,
        channel: str,
        question: str,
        topic: str | None,
        answer_text: str,
        vote: int,
    ) -> int:
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        row = FeedbackRow(
            user=user,
            channel=channel,
            question=question,
            topic=topic,
            answer_text=answer_text,
            vote=vote,
            created_at=_now(),
        )
        with self._write() as s:
            s.add(row)
            s.flush()
            return row.id

    def list_feedback(self) -> list[Feedback]:
        with self._read() as s:
            rows = s.scalars(select(FeedbackRow).order_by(FeedbackRow.id)).all()
            return [
                Feedback(
                    id=r.id,
                    user=r.user,
                    channel=r.channel,
                    question=r.question,
                    topic=r.topic,
                    answer_text=r.answer_text,
                    vote=r.vote,
                    created_at=r.created_at,
                )
                for r in rows
            ]

    def remember_thread_topic(self, channel: str, thread_ts: str, topic: str) -> None:
        now = _now()
        stmt = (
            self._insert(ThreadTopicRow)
            .values(channel=channel, thread_ts=thread_ts, topic=topic, updated_at=now)
            .on_conflict_do_update(
                index_elements=["channel", "thread_ts"], set_={"topic": topic, "updated_at": now}
            )
        )
        with self._write() as s:
            s.execute(stmt)

    def thread_topic(self, channel: str, thread_ts: str) -> str | None:
        with self._read() as s:
            return s.scalar(
                select(ThreadTopicRow.topic).where(
                    ThreadTopicRow.channel == channel, ThreadTopicRow.thread_ts == thread_ts
                )
            )

    # --- corpus state (shared between replicas) --------------------------------------------

    def publish_corpus_version(self, version: str, key: str = "corpus") -> None:
        now = _now()
        stmt = (
            self._insert(CorpusStateRow)
            .values(key=key, version=version, updated_at=now)
            .on_conflict_do_update(
                index_elements=["key"], set_={"version": version, "updated_at": now}
            )
        )
        with self._write() as s:
            s.execute(stmt)

    def current_corpus_version(self, key: str = "corpus") -> str | None:
        with self._read() as s:
            return s.scalar(select(CorpusStateRow.version).where(CorpusStateRow.key == key))

    def sources_first_seen(self, source_ids: Iterable[str]) -> dict[str, datetime]:
        """When each of these reports was first seen (a read: unseen ids are left out)."""
        ids = sorted(set(source_ids))
        if not ids:
            return {}
        with self._read() as s:
            return self._first_seen(s, ids)

    def record_sources_seen(self, source_ids: Iterable[str], at: datetime) -> dict[str, datetime]:
        """Note when each report was first seen; returns first-seen times of all given ids."""
        ids = sorted(set(source_ids))
        if not ids:
            return {}
        with self._read() as s:
            known = self._first_seen(s, ids)
        missing = [i for i in ids if i not in known]
        if missing:
            stmt = (
                self._insert(SourceSeenRow)
                .values([{"source_id": i, "first_seen_at": at} for i in missing])
                .on_conflict_do_nothing(index_elements=["source_id"])
            )
            with self._write() as s:
                s.connection().execute(stmt)
                known = self._first_seen(s, ids)
        return known

    @staticmethod
    def _first_seen(session: Session, ids: list[str]) -> dict[str, datetime]:
        q = select(SourceSeenRow.source_id, SourceSeenRow.first_seen_at).where(
            SourceSeenRow.source_id.in_(ids)
        )
        return {sid: at for sid, at in session.execute(q)}

    # --- subscriptions ---------------------------------------------------------------------

    def subscribe(
        self,
        channel: str,
        day: str,
        time: str,
        tz: str,
        topics: Iterable[str] = (),
        user: str | None = None,
    ) -> Subscription:
        """Create or replace the channel's subscription (values must be validated already)."""
        now = _now()
        values = {"day": day, "time": time, "tz": tz, "topics": list(topics), "updated_at": now}
        stmt = (
            self._insert(SubscriptionRow)
            .values(channel=channel, created_by=user, created_at=now, **values)
            .on_conflict_do_update(index_elements=["channel"], set_=values)
        )
        with self._write() as s:
            s.execute(stmt)
            row = s.scalars(select(SubscriptionRow).where(SubscriptionRow.channel == channel)).one()
            return _subscription(row)

    def unsubscribe(self, channel: str) -> bool:
        with self._write() as s:
            stmt = delete(SubscriptionRow).where(SubscriptionRow.channel == channel)
            return bool(s.connection().execute(stmt).rowcount)

    def subscriptions(self) -> list[Subscription]:
        with self._read() as s:
            rows = s.scalars(select(SubscriptionRow).order_by(SubscriptionRow.channel)).all()
            return [_subscription(r) for r in rows]

    def subscription(self, channel: str) -> Subscription | None:
        with self._read() as s:
            row = s.scalars(
                select(SubscriptionRow).where(SubscriptionRow.channel == channel)
            ).first()
            return _subscription(row) if row else None

    def subscriptions_for_channels(self, channels: Iterable[str]) -> list[Subscription]:
        wanted = sorted(set(channels))
        if not wanted:
            return []
        with self._read() as s:
            rows = s.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.channel.in_(wanted))
                .order_by(SubscriptionRow.channel)
            ).all()
            return [_subscription(r) for r in rows]

    # --- deliveries ------------------------------------------------------------------------

    def claim_delivery(
        self,
        subscription_id: int,
        period_key: str,
        *,
        channel: str = "",
        scheduled_for: datetime | None = None,
        now: datetime | None = None,
        token: str | None = None,
    ) -> int | None:
        """Claim the digest of one subscription for one period; None if anyone claimed it.

        `token` names the claimer; only it can renew the claim (renew_delivery)."""
        at = now or _now()
        stmt = (
            self._insert(DeliveryRow)
            .values(
                subscription_id=subscription_id,
                channel=channel,
                period_key=period_key,
                scheduled_for=scheduled_for or at,
                status="claimed",
                attempts=0,
                claimed_at=at,
                claim_token=token or uuid.uuid4().hex,
                messages_sent=0,
            )
            .on_conflict_do_nothing(index_elements=["subscription_id", "period_key"])
            .returning(DeliveryRow.id)
        )
        with self._write() as s:
            return s.connection().execute(stmt).scalar()

    def reclaim_delivery(
        self, delivery_id: int, *, now: datetime, stale_before: datetime, token: str | None = None
    ) -> bool:
        """Take over a delivery waiting for retry, or one whose claimer vanished (stale lease)."""
        stmt = (
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .where(
                ((DeliveryRow.status == "retry") & (DeliveryRow.next_attempt_at <= now))
                | ((DeliveryRow.status == "claimed") & (DeliveryRow.claimed_at < stale_before))
            )
            .values(status="claimed", claimed_at=now, claim_token=token or uuid.uuid4().hex)
        )
        with self._write() as s:
            return bool(s.connection().execute(stmt).rowcount == 1)

    def renew_delivery(self, delivery_id: int, *, token: str, now: datetime) -> bool:
        """Extend the claimer's own lease; False if another run took the delivery over."""
        stmt = (
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .where(DeliveryRow.status == "claimed")
            .where(DeliveryRow.claim_token == token)
            .values(claimed_at=now)
        )
        with self._write() as s:
            return bool(s.connection().execute(stmt).rowcount == 1)

    def resumable_deliveries(self, *, now: datetime, stale_before: datetime) -> list[Delivery]:
        """Deliveries due for another try or abandoned mid-send."""
        with self._read() as s:
            rows = s.scalars(
                select(DeliveryRow).where(
                    ((DeliveryRow.status == "retry") & (DeliveryRow.next_attempt_at <= now))
                    | ((DeliveryRow.status == "claimed") & (DeliveryRow.claimed_at < stale_before))
                )
            ).all()
            return [_delivery(r) for r in rows]

    def deliveries_for_periods(self, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
        """Which (subscription_id, period_key) pairs already have a delivery row."""
        wanted = set(keys)
        if not wanted:
            return set()
        periods = sorted({p for _, p in wanted})
        with self._read() as s:
            found = s.execute(
                select(DeliveryRow.subscription_id, DeliveryRow.period_key).where(
                    DeliveryRow.period_key.in_(periods)
                )
            )
            return {(sid, p) for sid, p in found if (sid, p) in wanted}

    def delivery(self, delivery_id: int) -> Delivery | None:
        with self._read() as s:
            row = s.get(DeliveryRow, delivery_id)
            return _delivery(row) if row else None

    def deliveries(self, channel: str | None = None) -> list[Delivery]:
        with self._read() as s:
            q = select(DeliveryRow).order_by(DeliveryRow.id)
            if channel is not None:
                q = q.where(DeliveryRow.channel == channel)
            return [_delivery(r) for r in s.scalars(q).all()]

    def save_digest(
        self,
        delivery_id: int,
        *,
        digest_json: str,
        covered_since: datetime | None,
        covered_until: datetime,
        snapshot_json: str | None = None,
    ) -> None:
        """Keep the composed digest so a retry resends the same one, from where it stopped,
        and (when given) the snapshot of what it shows, for the channel's next digest."""
        with self._write() as s:
            row = s.get(DeliveryRow, delivery_id)
            s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(
                    digest_json=digest_json,
                    covered_since=covered_since,
                    covered_until=covered_until,
                )
            )
            if snapshot_json is not None and row is not None:
                s.merge(
                    DigestSnapshotRow(
                        delivery_id=delivery_id,
                        channel=row.channel,
                        snapshot_json=snapshot_json,
                        created_at=_now(),
                    )
                )

    def digest_snapshot(self, delivery_id: int) -> str | None:
        """The snapshot JSON stored with a delivery (None for digests sent before snapshots)."""
        with self._read() as s:
            row = s.get(DigestSnapshotRow, delivery_id)
            return row.snapshot_json if row else None

    # --- verdicts on flags -----------------------------------------------------------------

    def add_verdict(
        self, *, flag_id: str, channel: str, verdict: str, user: str, now: datetime | None = None
    ) -> Verdict:
        """Record a verdict; the newest one per flag and channel is the one that counts."""
        with self._write() as s:
            row = FlagVerdictRow(
                flag_id=flag_id,
                channel=channel,
                verdict=verdict,
                user=user,
                created_at=now or _now(),
            )
            s.add(row)
            s.flush()
            return _verdict(row)

    def verdicts(self, channel: str | None = None) -> list[Verdict]:
        """Every verdict, oldest first (optionally of one channel)."""
        with self._read() as s:
            q = select(FlagVerdictRow).order_by(FlagVerdictRow.id)
            if channel is not None:
                q = q.where(FlagVerdictRow.channel == channel)
            return [_verdict(r) for r in s.scalars(q).all()]

    def current_verdicts(self, channel: str | None = None) -> dict[tuple[str, str], Verdict]:
        """(flag id, channel) -> its newest verdict."""
        out: dict[tuple[str, str], Verdict] = {}
        for v in self.verdicts(channel):
            out[(v.flag_id, v.channel)] = v
        return out

    def dismissed_flags(self, channel: str) -> frozenset[str]:
        """Flags this channel now says are not a disagreement (they leave its digests)."""
        return frozenset(
            fid
            for (fid, _), v in self.current_verdicts(channel).items()
            if v.verdict == "not_disagreement"
        )

    def mark_progress(self, delivery_id: int, *, messages_sent: int, thread_ts: str | None) -> None:
        with self._write() as s:
            s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(messages_sent=messages_sent, thread_ts=thread_ts)
            )

    def mark_sent(self, delivery_id: int, *, attempts: int, now: datetime | None = None) -> None:
        with self._write() as s:
            s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(
                    status="sent",
                    sent_at=now or _now(),
                    attempts=attempts,
                    next_attempt_at=None,
                )
            )

    def mark_failed(
        self,
        delivery_id: int,
        *,
        attempts: int,
        error: str,
        retry_at: datetime | None = None,
    ) -> None:
        """Record a failed send: waits for `retry_at` if given, else gives up for this period."""
        with self._write() as s:
            s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(
                    status="retry" if retry_at else "failed",
                    attempts=attempts,
                    error=error[:2000],
                    next_attempt_at=retry_at,
                )
            )

    def mark_missed(self, delivery_id: int, *, reason: str = "") -> None:
        with self._write() as s:
            s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(status="missed", error=reason or None, next_attempt_at=None)
            )

    def last_delivery(self, channel: str) -> Delivery | None:
        """The channel's most recent sent digest (its `covered_until` starts the next one)."""
        with self._read() as s:
            row = s.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.channel == channel, DeliveryRow.status == "sent")
                .order_by(DeliveryRow.covered_until.desc(), DeliveryRow.id.desc())
                .limit(1)
            ).first()
            return _delivery(row) if row else None

    def last_deliveries(self, channels: Iterable[str]) -> Mapping[str, Delivery]:
        """The newest sent digest of each given channel (one query for many channels)."""
        wanted = sorted(set(channels))
        out: dict[str, Delivery] = {}
        if not wanted:
            return out
        with self._read() as s:
            newest = (
                select(DeliveryRow.channel, func.max(DeliveryRow.id).label("mid"))
                .where(DeliveryRow.channel.in_(wanted), DeliveryRow.status == "sent")
                .group_by(DeliveryRow.channel)
                .subquery()
            )
            rows = s.scalars(select(DeliveryRow).join(newest, DeliveryRow.id == newest.c.mid)).all()
            for r in rows:
                out[r.channel] = _delivery(r)
        return out

    def latest_digest(self, channels: Iterable[str] | None = None) -> LatestDigest | None:
        """The newest sent digest (optionally among some channels), for App Home."""
        with self._read() as s:
            q = select(DeliveryRow).where(
                DeliveryRow.status == "sent", DeliveryRow.digest_json.is_not(None)
            )
            if channels is not None:
                q = q.where(DeliveryRow.channel.in_(sorted(set(channels))))
            row = s.scalars(q.order_by(DeliveryRow.sent_at.desc()).limit(1)).first()
            if row is None or row.sent_at is None or row.digest_json is None:
                return None
            return LatestDigest(
                channel=row.channel,
                sent_at=row.sent_at,
                period_key=row.period_key,
                digest_json=row.digest_json,
            )


__all__ = ["MIGRATIONS_DIR", "Store"]
