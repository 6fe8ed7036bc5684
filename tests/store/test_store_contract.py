"""The Store's contract, run against SQLite and the PostgreSQL server alike."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.store import Store
from bot.store.tables import Base

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_create_exactly_the_models(store: Store) -> None:
    if importlib.util.find_spec("bot.store.corpus_blobs"):
        importlib.import_module("bot.store.corpus_blobs")  # registers its table on Base
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_twice_is_a_no_op(store: Store) -> None:
    store.migrate()
    assert store.subscriptions() == []


def test_feedback_is_listed_in_order(store: Store) -> None:
    store.add_feedback("U1", "C1", "what about rag?", "rag", "RAG is ...", 1)
    store.add_feedback("U2", "C1", "quantum?", None, "No idea", -1)
    rows = store.list_feedback()
    assert [(r.user, r.topic, r.vote) for r in rows] == [("U1", "rag", 1), ("U2", None, -1)]
    assert rows[0].created_at.tzinfo is not None


def test_thread_topic_is_remembered_and_replaced(store: Store) -> None:
    assert store.thread_topic("C1", "1.1") is None
    store.remember_thread_topic("C1", "1.1", "multimodal")
    store.remember_thread_topic("C1", "1.1", "regulation")
    assert store.thread_topic("C1", "1.1") == "regulation"
    assert store.thread_topic("C2", "1.1") is None


def test_corpus_version_is_shared(store: Store, db_url: str) -> None:
    assert store.current_corpus_version() is None
    store.publish_corpus_version("v1")
    other = Store(db_url)
    other.publish_corpus_version("v2")
    assert store.current_corpus_version() == "v2"
    other.close()


def test_subscribe_upserts_one_row_per_channel(store: Store) -> None:
    first = store.subscribe("C1", "mon", "09:00", "Europe/Berlin", ["multimodal"], "U1")
    again = store.subscribe("C1", "fri", "17:30", "UTC", [], "U2")
    assert again.id == first.id
    assert (again.day, again.time, again.tz, again.topics) == ("fri", "17:30", "UTC", ())
    assert again.created_by == "U1"
    assert [s.channel for s in store.subscriptions()] == ["C1"]


def test_unsubscribe_reports_whether_there_was_one(store: Store) -> None:
    store.subscribe("C1", "mon", "09:00", "UTC")
    assert store.unsubscribe("C1") is True
    assert store.unsubscribe("C1") is False
    assert store.subscriptions() == []


def test_subscriptions_for_channels(store: Store) -> None:
    for ch in ("C1", "C2", "C3"):
        store.subscribe(ch, "mon", "09:00", "UTC")
    assert [s.channel for s in store.subscriptions_for_channels(["C3", "C1", "C9"])] == ["C1", "C3"]
    assert store.subscriptions_for_channels([]) == []


def test_delivery_is_claimed_once_per_period(store: Store) -> None:
    sub = store.subscribe("C1", "mon", "09:00", "UTC")
    first = store.claim_delivery(sub.id, "2025-W43", channel="C1")
    assert first is not None
    assert store.claim_delivery(sub.id, "2025-W43", channel="C1") is None
    assert store.claim_delivery(sub.id, "2025-W44", channel="C1") is not None


def test_delivery_lifecycle_and_latest_digest(store: Store) -> None:
    sub = store.subscribe("C1", "mon", "09:00", "UTC")
    now = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    did = store.claim_delivery(sub.id, "2025-W44", channel="C1", scheduled_for=now, now=now)
    assert did is not None
    assert store.latest_digest() is None
    store.save_digest(did, digest_json="{}", covered_since=None, covered_until=now)
    store.mark_failed(did, attempts=3, error="boom", retry_at=now + timedelta(minutes=5))
    assert store.delivery(did).status == "retry"  # type: ignore[union-attr]
    assert store.reclaim_delivery(did, now=now, stale_before=now) is False  # not yet
    later = now + timedelta(minutes=6)
    assert [d.id for d in store.resumable_deliveries(now=later, stale_before=now)] == [did]
    assert store.reclaim_delivery(did, now=later, stale_before=now) is True
    assert store.reclaim_delivery(did, now=later, stale_before=now) is False
    store.mark_progress(did, messages_sent=1, thread_ts="111.1")
    store.mark_sent(did, attempts=4, now=later)
    d = store.delivery(did)
    assert d is not None
    assert (d.status, d.attempts, d.messages_sent, d.thread_ts) == ("sent", 4, 1, "111.1")
    assert store.last_delivery("C1") == d
    assert store.last_deliveries(["C1", "C2"]) == {"C1": d}
    latest = store.latest_digest()
    assert latest is not None and latest.channel == "C1" and latest.period_key == "2025-W44"


def test_missed_delivery_is_recorded(store: Store) -> None:
    sub = store.subscribe("C1", "mon", "09:00", "UTC")
    did = store.claim_delivery(sub.id, "2025-W44", channel="C1")
    assert did is not None
    store.mark_missed(did, reason="down for 20 h")
    d = store.delivery(did)
    assert d is not None and d.status == "missed" and d.error == "down for 20 h"
    assert store.last_delivery("C1") is None


def test_sources_first_seen_are_kept(store: Store) -> None:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    t1 = t0 + timedelta(days=1)
    assert store.record_sources_seen(["a", "b"], t0) == {"a": t0, "b": t0}
    assert store.record_sources_seen(["b", "c"], t1) == {"b": t0, "c": t1}


def test_only_the_claimer_can_renew_a_delivery(store: Store) -> None:
    sub = store.subscribe("C1", "mon", "09:00", "UTC")
    now = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    did = store.claim_delivery(sub.id, "2025-W44", channel="C1", now=now, token="run-a")
    assert did is not None
    later = now + timedelta(minutes=1)
    assert store.renew_delivery(did, token="run-a", now=later) is True
    assert store.renew_delivery(did, token="run-b", now=later) is False
    # run-a stalls past its lease; run-b takes the delivery over and run-a's renewal is refused.
    much_later = now + timedelta(hours=1)
    stale = later + timedelta(minutes=1)
    assert store.reclaim_delivery(did, now=much_later, stale_before=stale, token="run-b")
    assert store.renew_delivery(did, token="run-a", now=much_later) is False
    assert store.renew_delivery(did, token="run-b", now=much_later) is True


def test_digest_snapshot_is_kept_with_its_delivery(store: Store) -> None:
    sub = store.subscribe("C1", "mon", "09:00", "UTC")
    now = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    did = store.claim_delivery(sub.id, "2025-W44", channel="C1", scheduled_for=now, now=now)
    assert did is not None
    assert store.digest_snapshot(did) is None
    store.save_digest(
        did, digest_json="{}", covered_since=None, covered_until=now, snapshot_json='{"a":1}'
    )
    # A retry saves again: the snapshot is replaced, never duplicated.
    store.save_digest(
        did, digest_json="{}", covered_since=None, covered_until=now, snapshot_json='{"a":2}'
    )
    assert store.digest_snapshot(did) == '{"a":2}'


def test_newest_verdict_per_flag_and_channel_counts(store: Store) -> None:
    t0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    store.add_verdict(flag_id="f1", channel="C1", verdict="real", user="U1", now=t0)
    store.add_verdict(
        flag_id="f1", channel="C1", verdict="not_disagreement", user="U2", now=t0 + timedelta(1)
    )
    store.add_verdict(flag_id="f1", channel="C2", verdict="needs_curator", user="U1", now=t0)
    assert [v.verdict for v in store.verdicts()] == ["real", "not_disagreement", "needs_curator"]
    assert [v.user for v in store.verdicts("C1")] == ["U1", "U2"]
    assert store.current_verdicts("C1")[("f1", "C1")].user == "U2"
    assert store.dismissed_flags("C1") == frozenset({"f1"})
    assert store.dismissed_flags("C2") == frozenset()
    assert store.verdicts()[0].created_at == t0
