"""Published dates come from front matter, else the text, and keep their precision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.ingest import build_corpus
from bot.ingest.metadata import infer_published


@pytest.mark.parametrize(
    ("line", "when", "precision"),
    [
        ("Published 2026-11-02.", date(2026, 11, 2), "day"),
        ("Updated November 2026 by the team.", date(2026, 11, 1), "month"),
        ("Published 2 November 2026.", date(2026, 11, 2), "day"),
        ("Status as of 2025, in short.", date(2025, 1, 1), "year"),
        ("As of March 2025 the field moved.", date(2025, 3, 1), "month"),
    ],
)
def test_a_date_in_the_text_keeps_its_precision(line: str, when: date, precision: str) -> None:
    got = infer_published("Plain title", 1, [line])
    assert (got.published, got.precision) == (when, precision)


def test_a_stated_day_wins_over_the_title_year() -> None:
    got = infer_published("Outlook 2026", 1, ["Published 2026-11-02."])
    assert (got.published, got.precision) == (date(2026, 11, 2), "day")


def test_an_impossible_stated_date_is_skipped_not_fatal() -> None:
    got = infer_published("Outlook 2026", 1, ["Published 2026-13-45."])
    assert (got.published, got.precision) == (date(2026, 1, 1), "year")


def test_front_matter_precision(make_content: Callable[..., Path]) -> None:
    for value, precision in (("2024", "year"), ("2024-05", "month"), ("2024-05-06", "day")):
        text = f"---\npublished: {value}\n---\n# T\n\n## Quantum\nQubits grow.\n"
        src = build_corpus(make_content({"r.md": text})).corpus.sources[0]
        assert src.published_precision == precision
