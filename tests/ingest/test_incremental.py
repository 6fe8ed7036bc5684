"""A rebuild reuses unchanged sections' topics and claims and gives exactly a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.ingest import build as build_module
from bot.ingest import build_corpus
from bot.ingest.build import load_corpus

ROOT = Path(__file__).resolve().parents[2]

NEW_REPORT = """\
---
title: A new report on chips
published: 2026-11-02
---
# A new report on chips

## Neuromorphic hardware

Training a neuromorphic LLM on Loihi 2 requires 2,000 watts, compared with 5,000 watts on
NVIDIA H100 GPUs. The figure has not been reproduced outside vendor demos.
"""


def _same(a: build_module.IngestResult, b: build_module.IngestResult) -> None:
    assert a.corpus.sections == b.corpus.sections
    assert a.corpus.flags == b.corpus.flags
    assert a.corpus.summaries == b.corpus.summaries
    assert a.warnings == b.warnings


def _copy_seeds(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def test_adding_a_report_maps_only_its_sections_and_equals_a_full_build(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    content, data = _copy_seeds(tmp_path), tmp_path / "data"
    load_corpus(content, data)
    (content / "sources" / "900_new.md").write_text(NEW_REPORT, encoding="utf-8")
    mapped: list[str] = []
    from bot.ingest import mapping

    real = mapping.score_section

    def recording(heading: str, *args: object, **kwargs: object) -> object:
        mapped.append(heading)
        return real(heading, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mapping, "score_section", recording)
    again = load_corpus(content, data)
    assert mapped == ["Neuromorphic hardware"]
    monkeypatch.setattr(mapping, "score_section", real)
    _same(again, build_corpus(content))


def test_a_rules_change_recomputes_every_section(tmp_path: Path) -> None:
    content, data = _copy_seeds(tmp_path), tmp_path / "data"
    load_corpus(content, data)
    rules = content / "rules.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "numeric_tolerance = 0.25", "numeric_tolerance = 0.1"
        ),
        encoding="utf-8",
    )
    _same(load_corpus(content, data), build_corpus(content))


def test_adding_a_report_parses_only_that_report(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    content, data = _copy_seeds(tmp_path), tmp_path / "data"
    # A warning from reading and one from drafting, kept with the report they came from.
    (content / "sources" / "800_undated.md").write_text(
        "# Notes without a date\n\n## Empty\n\n## Chips\nLoihi 2 needs 500 watts to train.\n",
        encoding="utf-8",
    )
    first = load_corpus(content, data)
    assert any("800_undated" in w and "no date" in w for w in first.warnings)
    assert any("800_undated" in w and "has no text" in w for w in first.warnings)
    (content / "sources" / "900_new.md").write_text(NEW_REPORT, encoding="utf-8")
    from bot.ingest import reports

    parsed: list[str] = []
    real = reports.read_report

    def recording(file, warnings):  # type: ignore[no-untyped-def]
        parsed.append(file.rel)
        return real(file, warnings)

    monkeypatch.setattr(reports, "read_report", recording)
    again = load_corpus(content, data)
    assert parsed == ["sources/900_new.md"]
    monkeypatch.setattr(reports, "read_report", real)
    _same(again, build_corpus(content))


def test_an_edited_report_is_parsed_again(tmp_path: Path) -> None:
    content, data = _copy_seeds(tmp_path), tmp_path / "data"
    load_corpus(content, data)
    path = next((content / "sources").glob("000_*.md"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("7% of global revenue", "3% of global revenue"),
        encoding="utf-8",
    )
    again = load_corpus(content, data)
    assert any("3% of global revenue" in s.text for s in again.corpus.sections)
    _same(again, build_corpus(content))


def test_adding_a_repeated_report_resumes_the_duplicate_check_and_equals_a_full_build(
    tmp_path: Path,
) -> None:
    content, data = _copy_seeds(tmp_path), tmp_path / "data"
    load_corpus(content, data)
    seed = sorted((content / "sources").glob("*.md"))[1]
    # After every report (resumed from the cached sketches), then before one (checked again).
    for name in ("900_copy.md", "0_copy.md"):
        (content / "sources" / name).write_text(seed.read_text(encoding="utf-8"), "utf-8")
        again, full = load_corpus(content, data), build_corpus(content)
        _same(again, full)
        assert again.corpus.sources == full.corpus.sources
        copies = [s for s in again.corpus.sources if s.duplicate_of is not None]
        assert copies, "the copy is found as a repeat"
