"""Report metadata: front matter when present, otherwise title and date inferred from the text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.ingest import build_corpus
from bot.ingest.metadata import infer_published, readable_title


def _source(make_content: Callable[..., Path], text: str):  # type: ignore[no-untyped-def]
    result = build_corpus(make_content({"r.md": text}))
    return result.corpus.sources[0], result.warnings


@pytest.mark.parametrize(
    ("title", "lines", "expected", "note"),
    [
        ("Report on AI (2024)", [], date(2024, 1, 1), "title year (line 1)"),
        ("Advancements - 2025", [], date(2025, 1, 1), "title year (line 1)"),
        ("Plain", ["", "Models, as of 2025, shift."], date(2025, 1, 1), "'as of 2025' (line 2)"),
        ("Plain", ["The year 2025 has seen growth."], date(2025, 1, 1), "'The year 2025 has seen'"),
        ("Plain", ["x", "x", "2025 marks a shift."], date(2025, 1, 1), "'2025 marks' (line 3)"),
        ("Plain", ["As of March 2024 things moved."], date(2024, 3, 1), "'As of March 2024'"),
    ],
)
def test_published_is_inferred_and_explained(
    title: str, lines: list[str], expected: date, note: str
) -> None:
    inferred = infer_published(title, 1, lines)
    assert inferred.published == expected
    assert note in inferred.notes[0]


def test_title_year_wins_over_phrases_in_the_text() -> None:
    inferred = infer_published("Outlook (2024)", 1, ["As of 2025 x."])
    assert inferred.published == date(2024, 1, 1)


def test_first_phrase_wins_and_incidental_years_are_ignored() -> None:
    lines = ["400 startups in 2024 and GPT-2030.", "As of 2025, x.", "2026 marks y."]
    assert infer_published("Plain", 1, lines).published == date(2025, 1, 1)


def test_no_date_gives_none_and_a_warning(make_content: Callable[..., Path]) -> None:
    src, warnings = _source(make_content, "# Untitled Report\n\n## Quantum\nQubits grow.\n")
    assert src.published is None
    assert any("no date found" in w and "r.md" in w for w in warnings)


def test_title_from_first_heading_without_report_label(make_content: Callable[..., Path]) -> None:
    src, _ = _source(make_content, "# Report: Big Things - 2025\n\n## Quantum\nQubits grow.\n")
    assert src.title == "Big Things - 2025"
    assert src.published == date(2025, 1, 1)
    assert any("title inferred from the first heading (line 1)" in n for n in src.inferred)
    assert any("published 2025 inferred from the title year" in n for n in src.inferred)


def test_front_matter_overrides_inference(make_content: Callable[..., Path]) -> None:
    text = (
        "---\ntitle: The Real Title\npublished: 2023-06-30\npublisher: ACME Research\n"
        "url: https://example.com/r\n---\n# Report: Other (2025)\n\n## Quantum\nQubits grow.\n"
    )
    src, _ = _source(make_content, text)
    assert (src.title, src.published, src.publisher, src.url) == (
        "The Real Title",
        date(2023, 6, 30),
        "ACME Research",
        "https://example.com/r",
    )
    assert src.inferred == ()


def test_front_matter_keeps_line_numbers_of_the_file(make_content: Callable[..., Path]) -> None:
    text = "---\npublished: 2024\n---\n# T\n\n## Quantum\nQubits grow.\n"
    result = build_corpus(make_content({"r.md": text}))
    assert result.corpus.sources[0].published == date(2024, 1, 1)
    assert result.corpus.sections[0].line == 6


def test_readable_title() -> None:
    assert readable_title("Report: Transformative Advances") == "Transformative Advances"
    assert readable_title("Report on AI") == "Report on AI"
