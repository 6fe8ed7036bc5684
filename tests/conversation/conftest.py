"""Fixtures: the test backend over a real SQLite store and a small corpus written for the tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.corpus import CorpusIndex  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.conversation.backend import Backend  # noqa: E402
from tests.digests.sample import small_corpus  # noqa: E402

ZONE_WORDS = (("london", "Europe/London"), ("new york", "America/New_York"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'conversation.sqlite3'}")
    s.migrate()
    yield s
    s.close()


@pytest.fixture
def bot(store: Store) -> Backend:
    corpus = small_corpus().model_copy(update={"zone_words": ZONE_WORDS})
    return Backend(store, CorpusIndex(corpus))
