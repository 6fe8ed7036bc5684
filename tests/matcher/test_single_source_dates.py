"""A single-source answer writes each report's date at the precision the report gives it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.ingest import build_corpus
from bot.models import Intent
from bot.render import render_text

CONTENT = Path(__file__).resolve().parents[2] / "content"

YEAR_ONLY = """\
# Neuromorphic Chips, As Of 2025

## Neuromorphic Training

As of 2025, training a small neuromorphic LLM on the Zephyr-9 chip requires 120 watts, a figure
no other lab has published.
"""

DAY = """\
---
title: "A Dated Note on Robotics"
published: 2026-03-02
---
# A Dated Note on Robotics

## Robots in Warehouses

Warehouse robots now sort parcels in most large depots.
"""


def test_a_year_only_report_is_dated_by_its_year_not_an_invented_first_of_january(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "sources" / "a_year.md").write_text(YEAR_ONLY, encoding="utf-8")
    (content / "sources" / "b_day.md").write_text(DAY, encoding="utf-8")
    index = CorpusIndex(build_corpus(content).corpus)
    answer = answer_question("which claims rest on a single source?", index)
    assert answer.intent is Intent.SINGLE_SOURCE
    text = render_text(answer)
    assert "Zephyr-9" in text
    # Reports dated "as of 2025" (ours and seeds like it) are written 2025, never 1 Jan 2025.
    assert "1 Jan 2025" not in text
