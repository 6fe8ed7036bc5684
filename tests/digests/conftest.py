"""Fixtures for digests: a small hand-written corpus, stores on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.corpus import CorpusIndex  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.digests.sample import small_corpus  # noqa: E402
from tests.store.databases import db_url, store  # noqa: E402, F401  (fixtures)


@pytest.fixture
def index() -> CorpusIndex:
    return CorpusIndex(small_corpus())


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'bb.sqlite3'}")
    s.migrate()
    yield s
    s.close()
