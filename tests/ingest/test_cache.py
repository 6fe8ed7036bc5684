"""The compiled corpus is cached in the data dir and rebuilt only when content changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.ingest import CORPUS_FILE, load_corpus


def test_second_load_reuses_the_compiled_corpus(
    make_content: Callable[..., Path], data_dir: Path
) -> None:
    content = make_content()
    first = load_corpus(content, data_dir)
    assert first.rebuilt
    stamp = (data_dir / CORPUS_FILE).stat().st_mtime_ns
    second = load_corpus(content, data_dir)
    assert not second.rebuilt
    assert second.corpus == first.corpus
    assert second.warnings == first.warnings
    assert second.rows == first.rows
    assert (data_dir / CORPUS_FILE).stat().st_mtime_ns == stamp


def test_changed_report_rebuilds_with_a_new_version(
    make_content: Callable[..., Path], data_dir: Path
) -> None:
    content = make_content()
    first = load_corpus(content, data_dir)
    path = content / "sources" / "a.md"
    path.write_text(path.read_text() + "\n## 3. New Chips\nMore memory.\n")
    second = load_corpus(content, data_dir)
    assert second.rebuilt
    assert second.corpus.version != first.corpus.version
    assert "a#new-chips" in {s.section_id for s in second.corpus.sections}
    assert not load_corpus(content, data_dir).rebuilt


def test_changed_taxonomy_or_other_content_file_rebuilds(
    make_content: Callable[..., Path], data_dir: Path
) -> None:
    content = make_content()
    load_corpus(content, data_dir)
    (content / "rules.toml").write_text("# thresholds\n")
    assert load_corpus(content, data_dir).rebuilt
    topics = content / "topics.toml"
    topics.write_text(topics.read_text().replace('"regs"', '"regs", "rulebook"'))
    assert load_corpus(content, data_dir).rebuilt


def test_force_rebuilds_unchanged_content(
    make_content: Callable[..., Path], data_dir: Path
) -> None:
    content = make_content()
    load_corpus(content, data_dir)
    assert load_corpus(content, data_dir, force=True).rebuilt


def test_corrupt_cache_is_rebuilt(make_content: Callable[..., Path], data_dir: Path) -> None:
    content = make_content()
    load_corpus(content, data_dir)
    (data_dir / CORPUS_FILE).write_text("{not json")
    result = load_corpus(content, data_dir)
    assert result.rebuilt
    assert len(result.corpus.sections) == 3


def test_ingest_command_reports_unchanged_on_second_run(
    make_content: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    content = str(make_content())
    first = run_cli("ingest", "--content", content)
    second = run_cli("ingest", "--content", content)
    assert "rebuilt" in first.output  # type: ignore[attr-defined]
    assert "unchanged" in second.output  # type: ignore[attr-defined]


def test_bad_curation_file_stops_ingest_and_keeps_the_corpus(
    make_content: Callable[..., Path], run_cli: Callable[..., object], data_dir: Path
) -> None:
    content = make_content()
    assert run_cli("ingest", "--content", str(content)).exit_code == 0  # type: ignore[attr-defined]
    before = (data_dir / CORPUS_FILE).read_bytes()
    (content / "curation.toml").write_text("bogus = 1\n")
    result = run_cli("ingest", "--content", str(content))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "curation.toml" in result.stderr  # type: ignore[attr-defined]
    assert (data_dir / CORPUS_FILE).read_bytes() == before


def test_seed_corpus_carries_claims_and_flags(seed_copy: Path, data_dir: Path) -> None:
    corpus = load_corpus(seed_copy, data_dir).corpus
    assert sum(len(s.claims) for s in corpus.sections) > 0
    assert corpus.flags
