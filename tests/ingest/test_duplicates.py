"""A report added twice, or a section copied into another report, is counted once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.corpus import CorpusIndex
from bot.ingest import build_corpus

from .conftest import REPORT_A, REPORT_B


def test_same_report_under_another_name_is_a_duplicate(make_content: Callable[..., Path]) -> None:
    result = build_corpus(make_content({"a.md": REPORT_A, "b.md": REPORT_B, "z.md": REPORT_A}))
    sources = {s.source_id: s for s in result.corpus.sources}
    assert sources["z"].duplicate_of == "a"
    assert sources["a"].duplicate_of is None
    assert any("report z repeats report a" in w for w in result.warnings)
    index = CorpusIndex(result.corpus)
    assert index.reports_covering("quantum") == ("a",)


def test_near_identical_report_with_other_title_and_typo_fix_is_a_duplicate(
    make_content: Callable[..., Path],
) -> None:
    copy = REPORT_A.replace(
        "# Report: Quantum and Chips (2025)", "# Quantum & Chips, again"
    ).replace("GPUs remain scarce", "GPUs remain very scarce")
    result = build_corpus(make_content({"a.md": REPORT_A, "b.md": copy}))
    assert {s.source_id: s.duplicate_of for s in result.corpus.sources} == {"a": None, "b": "a"}


def test_copied_section_in_another_report_points_to_the_first(
    make_content: Callable[..., Path],
) -> None:
    copied = (
        "# Other Report (2025)\n\n## Chips, Revisited\n"
        "New accelerators with high-bandwidth memory ship in 2025. GPUs remain scarce.\n\n"
        "## Quantum Outlook\nQubits are still noisy, and error correction is years away.\n"
    )
    result = build_corpus(make_content({"a.md": REPORT_A, "c.md": copied}))
    by_id = {s.section_id: s for s in result.corpus.sections}
    assert by_id["c#chips-revisited"].duplicate_of == "a#hardware-advances"
    assert by_id["c#quantum-outlook"].duplicate_of is None
    assert {s.source_id: s.duplicate_of for s in result.corpus.sources} == {"a": None, "c": None}
    index = CorpusIndex(result.corpus)
    assert [s.section_id for s in index.sections_for("hardware")] == ["a#hardware-advances"]


def test_different_sections_on_one_topic_are_not_duplicates(
    make_content: Callable[..., Path],
) -> None:
    other = (
        "# Chips Report (2024)\n\n## Hardware Advances\n"
        "Accelerator shipments doubled in 2024 while memory prices fell by a third.\n"
    )
    result = build_corpus(make_content({"a.md": REPORT_A, "b.md": other}))
    assert all(s.duplicate_of is None for s in result.corpus.sections)
    assert all(s.duplicate_of is None for s in result.corpus.sources)


def test_seed_reports_have_no_duplicates(seed_copy: Path) -> None:
    result = build_corpus(seed_copy)
    assert all(s.duplicate_of is None for s in result.corpus.sources)
    assert all(s.duplicate_of is None for s in result.corpus.sections)


def test_seed_report_copied_under_new_name_is_counted_once(seed_copy: Path) -> None:
    src = seed_copy / "sources" / "001_de7cd17c8301cb13.md"
    (seed_copy / "sources" / "005_copy.md").write_bytes(src.read_bytes())
    result = build_corpus(seed_copy)
    sources = {s.source_id: s for s in result.corpus.sources}
    assert sources["005_copy"].duplicate_of == "001_de7cd17c8301cb13"
    index = CorpusIndex(result.corpus)
    assert "005_copy" not in index.reports_covering("quantum")
    assert len(index.sections_for("quantum")) == 2
