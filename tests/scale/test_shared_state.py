"""What replicas share through the database, on SQLite and PostgreSQL: corpus and event inbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.corpus_sync import CorpusProvider, StoreCorpusSource, adopt_or_publish
from bot.models import Corpus, Source
from bot.store import Store
from tests.store.databases import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with database_url(str(request.param), tmp_path) as url:
        s = Store(url)
        s.migrate()
        yield s
        s.close()


def corpus(version: str, *reports: str) -> Corpus:
    return Corpus(
        version=version,
        built_at=datetime(2025, 6, 1, tzinfo=UTC),
        topics=(),
        sources=tuple(Source(source_id=r, title=r, path=f"{r}.md", sha256="0") for r in reports),
        sections=(),
    )


def test_corpus_published_by_one_replica_is_loaded_by_another(store: Store) -> None:
    first, second = StoreCorpusSource(store), StoreCorpusSource(Store(store.url))
    assert adopt_or_publish(corpus("v1", "a"), first).version == "v1"
    replica = CorpusProvider(adopt_or_publish(corpus("v1", "a"), second), second, check_every=0)
    first.publish(corpus("v2", "a", "b"))
    index = replica.current()
    assert index.version == "v2" and set(index.sources) == {"a", "b"}
    assert second.fetch("v2") == corpus("v2", "a", "b")  # the JSON round-trips exactly
    second.store.close()


def test_event_is_accepted_once_and_taken_over_only_after_its_lease(store: Store) -> None:
    body = {"event_id": "Ev1", "event": {"type": "app_mention", "channel": "C1", "ts": "1.0"}}
    lease = timedelta(seconds=30)
    assert store.accept_event("Ev1", "app_mention", body, owner="a", lease=lease)
    assert not store.accept_event("Ev1", "app_mention", body, owner="b", lease=lease)
    assert store.take_over_expired_events(owner="b", lease=lease) == []  # a is still on it
    short = timedelta(seconds=-1)  # an already-expired lease: its replica died
    assert store.accept_event("Ev2", "app_mention", body, owner="a", lease=short)
    (taken,) = store.take_over_expired_events(owner="b", lease=lease)
    assert (taken.event_id, taken.attempts, taken.body) == ("Ev2", 2, body)
    assert store.take_over_expired_events(owner="c", lease=lease) == []  # one winner
    store.finish_event("Ev1")
    store.finish_event("Ev2", outcome="recovered")
    assert store.pending_event_count() == 0
    assert store.prune_finished_events(datetime.now(UTC) + timedelta(seconds=1)) == 2
