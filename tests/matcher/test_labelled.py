"""The hand-labelled questions: intent and topic accuracy on the real corpus, at least 95% each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.corpus import CorpusIndex
from bot.matcher import match_question

QUESTIONS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("questions.yaml")).read_text(encoding="utf-8")
)
REQUIRED_ACCURACY = 0.95


def _misses(index: CorpusIndex, field: str) -> list[str]:
    misses = []
    for case in QUESTIONS:
        match = match_question(case["q"], index, context_topic=case.get("context"))
        got = match.intent.value if field == "intent" else match.topic
        if got != case[field]:
            misses.append(f"{case['q']!r}: expected {field} {case[field]!r}, got {got!r}")
    return misses


def test_labelled_set_is_big_and_varied() -> None:
    assert len(QUESTIONS) >= 100
    intents = {case["intent"] for case in QUESTIONS}
    assert intents >= {
        "whats_new", "topic_brief", "conflicts", "sources", "list_topics", "digest",
        "subscribe", "unsubscribe", "help", "unknown",
    }  # fmt: skip


@pytest.mark.parametrize("field", ["intent", "topic"])
def test_accuracy_on_the_labelled_set(index: CorpusIndex, field: str) -> None:
    misses = _misses(index, field)
    accuracy = 1 - len(misses) / len(QUESTIONS)
    print(f"\n{field} accuracy: {accuracy:.1%} ({len(QUESTIONS) - len(misses)}/{len(QUESTIONS)})")
    for miss in misses:
        print("  miss:", miss)
    assert accuracy >= REQUIRED_ACCURACY, "\n".join(misses)
