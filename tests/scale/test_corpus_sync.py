"""A corpus version published by one replica reaches the others without a restart."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider, adopt_or_publish
from bot.models import Corpus, Source


def corpus(version: str, *reports: str) -> Corpus:
    return Corpus(
        version=version,
        built_at=datetime(2025, 1, 1, tzinfo=UTC),
        topics=(),
        sources=tuple(Source(source_id=r, title=r, path=f"{r}.md", sha256="0") for r in reports),
        sections=(),
    )


class MemorySource:
    """An in-memory shared corpus, recording how often it was asked (a fake, not a mock)."""

    def __init__(self) -> None:
        self.blobs: dict[str, Corpus] = {}
        self.version: str | None = None
        self.version_checks = 0
        self.fail = False

    def current_version(self) -> str | None:
        self.version_checks += 1
        if self.fail:
            raise ConnectionError("database unreachable")
        return self.version

    def fetch(self, version: str) -> Corpus | None:
        return self.blobs.get(version)

    def knows(self, version: str) -> bool:
        return version in self.blobs

    def publish(self, c: Corpus) -> None:
        self.blobs[c.version] = c
        self.version = c.version


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_new_version_is_swapped_in_after_the_interval() -> None:
    shared, clock = MemorySource(), Clock()
    provider = CorpusProvider(corpus("v1", "a"), shared, check_every=5, clock=clock)
    shared.publish(corpus("v2", "a", "b"))
    assert provider.current().version == "v1"  # not yet: last check was just now
    assert shared.version_checks == 0
    clock.now = 5.0
    index = provider.current()
    assert index.version == "v2" and set(index.sources) == {"a", "b"}
    assert provider().version == "v2"  # callable, as the Slack edge expects


def test_version_is_checked_at_most_once_per_interval() -> None:
    shared, clock = MemorySource(), Clock()
    provider = CorpusProvider(corpus("v1"), shared, check_every=5, clock=clock)
    shared.publish(corpus("v1"))
    for step in range(100):
        clock.now = step * 0.5
        provider.current()
    assert shared.version_checks == 9  # at 5, 10, ... 45 s


def test_database_failure_keeps_the_current_corpus() -> None:
    shared, clock = MemorySource(), Clock()
    provider = CorpusProvider(corpus("v1"), shared, check_every=1, clock=clock)
    shared.fail = True
    clock.now = 2
    assert provider.current().version == "v1"
    shared.fail = False
    shared.publish(corpus("v3"))
    clock.now = 4
    assert provider.current().version == "v3"


def test_version_without_a_stored_blob_is_not_adopted() -> None:
    shared = MemorySource()
    provider = CorpusProvider(corpus("v1"), shared)
    shared.version = "ghost"
    assert provider.refresh() is False and provider.version == "v1"


def test_readers_never_see_a_half_built_index() -> None:
    shared = MemorySource()
    provider = CorpusProvider(corpus("v0", "r0"), shared, check_every=0)
    seen: list[CorpusIndex] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            index = provider.current()
            # Each index is whole: its version names exactly the reports it holds.
            n = int(index.version[1:])
            assert set(index.sources) == {f"r{i}" for i in range(n + 1)}
            seen.append(index)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    for n in range(1, 30):
        shared.publish(corpus(f"v{n}", *(f"r{i}" for i in range(n + 1))))
        provider.refresh()
    stop.set()
    for t in readers:
        t.join()
    assert provider.version == "v29" and seen


def test_startup_publishes_news_and_never_rolls_back() -> None:
    shared = MemorySource()
    # First replica ever: its corpus becomes the shared one.
    assert adopt_or_publish(corpus("v1", "a"), shared).version == "v1"
    assert shared.version == "v1"
    # A new image with a new report: news, published for everyone.
    assert adopt_or_publish(corpus("v2", "a", "b"), shared).version == "v2"
    assert shared.version == "v2"
    # An old replica restarting with v1 baked in answers from v2 and leaves it current.
    assert adopt_or_publish(corpus("v1", "a"), shared).version == "v2"
    assert shared.version == "v2"
