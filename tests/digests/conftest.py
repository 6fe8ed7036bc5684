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
from tests.store.databases import database_url  # noqa: E402


@pytest.fixture
def index() -> CorpusIndex:
    return CorpusIndex(small_corpus())


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url(str(request.param), tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    s.migrate()
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'bb.sqlite3'}")
    s.migrate()
    yield s
    s.close()
