"""Commands ask the Runtime for the corpus: built once, its retrieval index stored in the data
dir and reused, and a refused file answered from the last good corpus with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ContentError
from bot.runtime import Runtime, load_settings
from tests.small_content import QUANTUM_AND_REGULATION

TOPICS = QUANTUM_AND_REGULATION
REPORT = """\
# Field Notes (2025)

## Quantum Progress
Error-corrected qubits doubled in 2025, and annealers cut training cost.

## Regulation Watch
Compliance audits under the new rules began in 2025.
"""


def _content(root: Path, report: str = REPORT) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "notes.md").write_text(report, encoding="utf-8")
    (root / "topics.toml").write_text(TOPICS, encoding="utf-8")
    return root


def _runtime(tmp_path: Path, content: Path) -> Runtime:
    return Runtime(
        load_settings(
            BRIEFBOT_CONTENT_DIR=content,
            BRIEFBOT_DATA_DIR=tmp_path / "data",
            DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        )
    )


def test_corpus_index_stores_its_retrieval_index_once_and_a_new_runtime_reuses_it(
    tmp_path: Path,
) -> None:
    content = _content(tmp_path / "content")
    first = _runtime(tmp_path, content).corpus_index()
    (stored,) = (tmp_path / "data").glob("retrieval-*.json")
    written = stored.stat().st_mtime_ns

    again = _runtime(tmp_path, content).corpus_index()
    assert again.version == first.version
    assert [p.name for p in (tmp_path / "data").glob("retrieval-*.json")] == [stored.name]
    assert stored.stat().st_mtime_ns == written  # read, not rebuilt


def test_a_changed_corpus_replaces_the_stored_retrieval_index(tmp_path: Path) -> None:
    content = _content(tmp_path / "content")
    _runtime(tmp_path, content).corpus_index()
    (before,) = (tmp_path / "data").glob("retrieval-*.json")
    _content(content, REPORT + "\n## Outlook\nMore qubits next year.\n")
    _runtime(tmp_path, content).corpus_index()
    (after,) = (tmp_path / "data").glob("retrieval-*.json")
    assert after.name != before.name


def test_answering_index_with_a_refused_file_is_the_last_good_one_with_a_warning(
    tmp_path: Path,
) -> None:
    content = _content(tmp_path / "content")
    good = _runtime(tmp_path, content).answering_index()
    assert good.warning is None
    (content / "sources" / "broken.md").write_text("", encoding="utf-8")

    stale = _runtime(tmp_path, content).answering_index()
    assert stale.index.version == good.index.version
    assert stale.warning is not None
    assert "broken.md" in stale.warning and "answering from the last good corpus" in stale.warning


def test_answering_index_with_no_good_corpus_raises_or_says_it_is_broken(tmp_path: Path) -> None:
    content = _content(tmp_path / "content", report="")
    with pytest.raises(ContentError):
        _runtime(tmp_path, content).answering_index()
    broken = _runtime(tmp_path, content).answering_index(allow_broken=True)
    assert broken.warning is not None and "no good corpus" in broken.warning
    assert broken.index.sources == {}


def test_ingest_refuses_a_bad_file(tmp_path: Path) -> None:
    content = _content(tmp_path / "content", report="")
    with pytest.raises(ContentError, match="notes.md"):
        _runtime(tmp_path, content).ingest()


def test_publish_corpus_shares_it_through_the_database_only_when_one_is_set(
    tmp_path: Path,
) -> None:
    from bot.corpus_sync import StoreCorpusSource

    content = _content(tmp_path / "content")
    shared = _runtime(tmp_path, content)
    corpus = shared.ingest().corpus
    assert shared.publish_corpus(corpus)
    assert StoreCorpusSource(shared.store).current_version() == corpus.version
    shared.close()

    alone = Runtime(
        load_settings(
            BRIEFBOT_CONTENT_DIR=content, BRIEFBOT_DATA_DIR=tmp_path / "alone", DATABASE_URL=None
        )
    )
    assert not alone.publish_corpus(corpus)
    assert "store" not in alone.__dict__  # no database was opened for it
