"""Replicas on one PostgreSQL database rebuild changed content one at a time: one rebuilds and
publishes, the others adopt the version it published instead of building it again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.corpus_sync import (
    REBUILD_LEASE_NAME,
    ContentWatcher,
    CorpusProvider,
    StoreCorpusSource,
    starting_index,
)
from bot.ingest import load_or_last_good
from bot.ingest.build import CORPUS_FILE
from bot.store import Store
from tests.store.databases import postgres_schema_url

from .test_content_watcher import GOOD, MORE, _content


def _now() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Replica:
    name: str
    store: Store
    data: Path
    provider: CorpusProvider
    watcher: ContentWatcher

    def built_at(self) -> int:
        """When this replica last wrote its compiled corpus (it does on every rebuild)."""
        return (self.data / CORPUS_FILE).stat().st_mtime_ns


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        yield url


def _replica(name: str, url: str, content: Path, tmp_path: Path) -> Replica:
    store = Store(url)  # its own engine and pool, as a separate process would have
    store.migrate()
    data = tmp_path / f"data-{name}"
    source = StoreCorpusSource(store)
    load = load_or_last_good(content, data)
    # Checks of the shared version only when asked (refresh), so the test decides the order.
    provider = CorpusProvider(starting_index(load, source, _now), source, check_every=3600)
    watcher = ContentWatcher(provider, content, data, source, owner=name)
    return Replica(name, store, data, provider, watcher)


@pytest.fixture
def two(pg_url: str, tmp_path: Path) -> Iterator[tuple[Replica, Replica, Path]]:
    content = _content(tmp_path, a=GOOD)
    a = _replica("a", pg_url, content, tmp_path)
    b = _replica("b", pg_url, content, tmp_path)
    yield a, b, content
    a.store.close()
    b.store.close()


def test_the_replica_without_the_lease_adopts_what_the_holder_published(
    two: tuple[Replica, Replica, Path], caplog: pytest.LogCaptureFixture
) -> None:
    a, b, content = two
    first = a.provider.version
    assert b.provider.version == first
    b_built = b.built_at()
    (content / "sources" / "b.md").write_text(MORE)

    # Someone else is rebuilding: b builds nothing and keeps answering.
    assert a.store.acquire_lease(REBUILD_LEASE_NAME, owner="c", ttl=timedelta(minutes=10))
    with caplog.at_level(logging.INFO, logger="bot.corpus_sync"):
        assert b.watcher.check() is False
        assert b.watcher.check() is False  # still waiting: looked again, logged once
    assert b.provider.version == first and b.built_at() == b_built
    waiting = [r for r in caplog.records if "another replica is rebuilding" in r.getMessage()]
    assert len(waiting) == 1
    assert a.store.release_lease(REBUILD_LEASE_NAME, owner="c")

    # a takes the lease, rebuilds and publishes; b adopts that version without building.
    a_built = a.built_at()
    assert a.watcher.check() is True
    assert a.built_at() != a_built
    new = a.provider.version
    assert new != first and b.store.current_corpus_version() == new
    assert b.watcher.check() is True
    assert b.provider.version == new and b.built_at() == b_built
    assert b.watcher.check() is False  # nothing changed since


def test_two_replicas_seeing_the_change_at_once_build_it_once(
    two: tuple[Replica, Replica, Path],
) -> None:
    a, b, content = two
    before = {r.name: r.built_at() for r in (a, b)}
    (content / "sources" / "b.md").write_text(MORE)
    start = threading.Barrier(2)

    def check(replica: Replica) -> None:
        start.wait()
        replica.watcher.check()

    threads = [threading.Thread(target=check, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for replica in (a, b):  # the one that waited adopts at its next check
        replica.watcher.check()
    rebuilt = [r.name for r in (a, b) if r.built_at() != before[r.name]]
    assert len(rebuilt) == 1, rebuilt
    shared = a.store.current_corpus_version()
    assert a.provider.version == b.provider.version == shared
    assert shared is not None and len(a.provider.current().corpus.sources) == 2


def test_a_rebuild_lease_left_by_a_dead_replica_is_taken_once_it_expired(
    two: tuple[Replica, Replica, Path],
) -> None:
    a, _, content = two
    dead = timedelta(seconds=-1)  # its replica died mid-rebuild; the lease ran out
    assert a.store.acquire_lease(REBUILD_LEASE_NAME, owner="dead", ttl=dead)
    (content / "sources" / "b.md").write_text(MORE)
    assert a.watcher.check() is True
    assert a.store.current_corpus_version() == a.provider.version
