"""A content file that breaks or is fixed while serve runs: one log line, metric, health."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.briefing import answer_question
from bot.corpus_sync import ContentWatcher, CorpusProvider, starting_index
from bot.ingest import load_or_last_good
from bot.ops.metrics import sample_value

from .test_corpus_sync import MemorySource

TOPICS = """\
[[topic]]
id = "quantum"
name = "Quantum computing"
aliases = ["quantum"]
keywords = ["qubits"]
"""
GOOD = (
    "# Quantum Notes (2025)\n\n## Quantum Outlook\n"
    "Qubits are still noisy, and error correction is years away.\n"
)
MORE = (
    "# Qubit Digest (2026)\n\n## Quantum Hardware\n"
    "Qubits doubled in count in 2026 while noise fell.\n"
)


def _now() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


def _content(tmp_path: Path, **reports: str) -> Path:
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "topics.toml").write_text(TOPICS)
    for name, text in reports.items():
        (content / "sources" / f"{name}.md").write_text(text)
    return content


def _rejected() -> float:
    return sample_value("briefbot_content_rejected")


def _rejections() -> float:
    return sample_value("briefbot_content_rejections_total")


def _watch(tmp_path: Path, content: Path, source: MemorySource | None = None) -> ContentWatcher:
    data = tmp_path / "data"
    load = load_or_last_good(content, data)
    provider = CorpusProvider(starting_index(load, source, _now), source)
    return ContentWatcher(
        provider, content, data, source, problem=str(load.error) if load.error else None
    )


def test_a_file_that_breaks_while_serving_is_logged_once_and_answers_stay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = _content(tmp_path, a=GOOD)
    watcher = _watch(tmp_path, content)
    assert watcher.health() == {"content": "ok"} and _rejected() == 0
    version = watcher._provider.version
    before = _rejections()

    (content / "sources" / "b.md").write_text("no headings here\n")
    with caplog.at_level(logging.INFO, logger="bot.corpus_sync"):
        assert watcher.check() is False
        for _ in range(5):  # later checks (and requests) add no line while nothing changes
            watcher.check()
            answer_question("tell me about quantum", watcher._provider.current())
    lines = [r for r in caplog.records if "content refused" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert "b.md:1: no headings" in lines[0].getMessage()
    assert _rejected() == 1 and _rejections() == before + 1
    health = watcher.health()
    assert health["content"] == "stale" and "b.md:1: no headings" in health["content_error"]
    index = watcher._provider.current()
    assert index.version == version
    answer = answer_question("tell me about quantum", index)
    assert "noisy" in " ".join(p.text for p in answer.points)


def test_a_fixed_file_is_swapped_in_and_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = _content(tmp_path, a=GOOD, b="")
    watcher = _watch(tmp_path, content)
    assert watcher.health()["content"] == "broken"
    assert "My content is broken" in answer_question("quantum?", watcher._provider()).headline
    (content / "sources" / "b.md").write_text(MORE)
    with caplog.at_level(logging.INFO, logger="bot.corpus_sync"):
        assert watcher.check() is True
        watcher.check()
    assert [r.getMessage() for r in caplog.records if "content accepted" in r.getMessage()]
    assert watcher.health() == {"content": "ok"} and _rejected() == 0
    assert set(watcher._provider.current().sources) == {"a", "b"}


def test_with_no_good_corpus_every_answer_says_the_content_is_broken(tmp_path: Path) -> None:
    content = _content(tmp_path, a="\x00\x01binary")
    watcher = _watch(tmp_path, content)
    health = watcher.health()
    assert health["content"] == "broken" and "a.md:1: binary file" in health["content_error"]
    for question in ("what's new in quantum", "help", "list topics", ""):
        answer = answer_question(question, watcher._provider())
        assert answer.headline.startswith("My content is broken: ")
        assert "a.md:1: binary file" in answer.headline


def test_a_restarting_replica_with_a_bad_file_answers_from_the_shared_corpus(
    tmp_path: Path,
) -> None:
    shared = MemorySource()
    good = _watch(tmp_path / "one", _content(tmp_path / "one", a=GOOD, b=MORE), shared)
    published = good._provider.version
    assert shared.version == published

    # Another replica (own data dir, no cache) restarts with a broken ConfigMap file.
    bad = _watch(tmp_path / "two", _content(tmp_path / "two", a=GOOD, b="---\nx: [\n---\n"), shared)
    assert bad._provider.version == published  # the cluster's corpus, not an exit
    assert bad.health()["content"] == "stale"
    assert shared.version == published  # nothing was published by the bad replica


def test_a_rebuilt_corpus_is_published_for_the_other_replicas(tmp_path: Path) -> None:
    shared = MemorySource()
    content = _content(tmp_path, a=GOOD)
    watcher = _watch(tmp_path, content, shared)
    first = shared.version
    (content / "sources" / "b.md").write_text(MORE)
    assert watcher.check() is True
    assert shared.version not in (None, first)
    assert shared.version == watcher._provider.version
