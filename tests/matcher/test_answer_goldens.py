"""Golden answers: the terminal text of common questions, reviewed by reading them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.render import render_text
from bot.render.limits import FIRST_MESSAGE_TEXT_MAX
from bot.render.text import first_message_text

GOLDEN = Path(__file__).parents[1] / "render" / "golden"
QUESTIONS = {
    "whats_new_multimodal": "what's new in multimodal",
    "quantum": "tell me about quantum",
    "disagree_all": "where do the reports disagree?",
    "disagree_scaling": "where do the reports disagree on scaling?",
    "fine_eu_ai_act": "what is the fine for breaking the EU AI Act",
    "sources_lora": "sources for LoRA",
    "agree": "where do the reports agree?",
    "single_source": "which claims rest on a single source?",
    "regulation": "tell me about regulation",
    "newest_report": "which report is the newest?",
    "unknown": "who is the CEO of OpenAI",
}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_golden_answers_read_as_written(name: str, index: CorpusIndex) -> None:
    """BRIEFBOT_UPDATE_GOLDEN=1 rewrites the files; read them before committing."""
    answer = answer_question(QUESTIONS[name], index)
    text = f"> {QUESTIONS[name]}\n\n" + render_text(answer, escape=False) + "\n"
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("BRIEFBOT_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert len(first_message_text(answer)) <= FIRST_MESSAGE_TEXT_MAX
