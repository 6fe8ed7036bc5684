"""What replicas share through the database, on SQLite and PostgreSQL: the corpus.

(The event inbox's store methods are tested in tests/store/test_inbox.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
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
