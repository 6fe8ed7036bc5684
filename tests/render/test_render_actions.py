"""Button values: small JSON with topic and question, always within Slack's 2000 characters."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.render.actions import QUESTION_MAX, button_value, parse_button_value
from bot.render.limits import BUTTON_VALUE_MAX


def test_value_is_compact_json_with_topic_and_question() -> None:
    assert button_value(topic="multimodal", question="what's new?") == (
        '{"topic":"multimodal","q":"what\'s new?"}'
    )
    assert json.loads(button_value(topic=None, question="", page=2)) == {
        "topic": None,
        "q": "",
        "page": 2,
    }


def test_long_questions_are_cut_at_a_word_boundary() -> None:
    q = json.loads(button_value(topic="t", question="word " * 1000))["q"]
    assert len(q) <= QUESTION_MAX and q.endswith("word") and "  " not in q


def test_parse_round_trips_and_tolerates_junk() -> None:
    assert parse_button_value(button_value(topic="t", question="q")) == {"topic": "t", "q": "q"}
    assert parse_button_value("not json") == {}
    assert parse_button_value("[1, 2]") == {}


@given(st.text(max_size=3000), st.one_of(st.none(), st.text(max_size=300)))
def test_any_value_fits(question: str, topic: str | None) -> None:
    value = button_value(topic=topic, question=question)
    assert len(value) <= BUTTON_VALUE_MAX
    assert parse_button_value(value)["topic"] == topic
