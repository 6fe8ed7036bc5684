"""Answer -> Block Kit: layout, citations, ⚠ lines, buttons and pagination."""

from __future__ import annotations

import json
from typing import Any

from render_builders import (
    NEW,
    OLD,
    answer,
    assert_valid_message,
    buttons,
    grouped,
    mrkdwn_of,
    point,
)

from bot.models import Intent, Note, Point
from bot.render import render_blocks, render_pages
from bot.render.actions import (
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_MORE,
    ACTION_NEXT_PAGE,
    ACTION_SOURCES,
    ACTION_SUBSCRIBE,
    ALL_ACTIONS,
)
from bot.render.limits import (
    BUTTON_VALUE_MAX,
    HEADER_TEXT_MAX,
    MESSAGE_BLOCKS_TEXT_MAX,
    block_text_length,
)


def test_action_ids_are_the_contract_names() -> None:
    assert ALL_ACTIONS == (
        "briefbot_sources",
        "briefbot_more",
        "briefbot_subscribe",
        "briefbot_feedback_up",
        "briefbot_feedback_down",
        "briefbot_next_page",
        "briefbot_show_quotes",
        "briefbot_verdict_real",
        "briefbot_verdict_not",
        "briefbot_verdict_curator",
        "briefbot_choice",
    )


def test_answer_opens_with_the_headline_as_header() -> None:
    blocks = render_blocks(answer())
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "What's new in quantum computing", "emoji": True},
    }
    assert_valid_message(blocks)


NEW_SOURCE = "*§ Quantum-Enhanced LLMs* — _Transformative Advances in LLMs_ (2025)"
OLD_SOURCE = (
    "*§ Quantum Computing Integration* — _Advancements and Challenges_ (2023) · 2 years older"
)


def test_suggestions_and_notes_are_shown() -> None:
    a = answer(
        intent=Intent.UNKNOWN,
        topic=None,
        topic_name=None,
        conflicts=(),
        headline="I don't know that one",
        suggestions=("Quantum computing", "Multimodal"),
        parts=(Note(text="Topics: multimodal, quantum, regulation"),),
    )
    blocks = render_blocks(a)
    text = mrkdwn_of(blocks)
    assert "Did you mean: *Quantum computing*, *Multimodal*?" in text
    assert "Topics: multimodal, quantum, regulation" in text
    assert_valid_message(blocks)


def test_answer_buttons_carry_topic_and_question() -> None:
    found = buttons(render_blocks(answer()))
    assert set(found) == {
        ACTION_SOURCES,
        ACTION_MORE,
        ACTION_SUBSCRIBE,
        ACTION_FEEDBACK_UP,
        ACTION_FEEDBACK_DOWN,
    }
    assert json.loads(found[ACTION_MORE]["value"]) == {
        "topic": "quantum",
        "q": "what's new in quantum?",
    }
    assert found[ACTION_FEEDBACK_UP]["text"]["text"] == "👍"
    assert found[ACTION_FEEDBACK_DOWN]["text"]["text"] == "👎"
    assert json.loads(found[ACTION_FEEDBACK_DOWN]["value"])["intent"] == "whats_new"


def test_without_a_topic_there_is_nothing_to_subscribe_to() -> None:
    found = buttons(render_blocks(answer(topic=None, topic_name=None)))
    assert ACTION_SUBSCRIBE not in found and ACTION_MORE not in found
    assert {ACTION_SOURCES, ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN} <= set(found)


def test_a_huge_question_still_fits_the_button_value() -> None:
    question = "why " * 5000 + "\U0001f600" * 3000
    for button in buttons(render_blocks(answer(question=question))).values():
        assert len(button["value"]) <= BUTTON_VALUE_MAX
        assert json.loads(button["value"])["q"].startswith("why why")


def test_a_long_headline_is_shortened_at_a_word_boundary() -> None:
    headline = "What the reports say about " + "multimodal " * 40
    header = render_blocks(answer(headline=headline))[0]["text"]["text"]
    assert len(header) <= HEADER_TEXT_MAX and header.endswith("multimodal…")


def test_a_blank_headline_still_gives_a_valid_header() -> None:
    blocks = render_blocks(answer(headline="   "))
    assert blocks[0]["text"]["text"].strip()
    assert_valid_message(blocks)


FACTS = [f"Fact number {i} says something about quantum {'detail ' * 30}" for i in range(400)]


def _long_groups() -> tuple[tuple[str, tuple[Point, ...]], ...]:
    return tuple(
        (
            f"Group {g}",
            # Runs of three facts from one section, so runs go on across sections and pages.
            tuple(point(f, OLD if i // 3 % 2 else NEW) for i, f in enumerate(FACTS[g::20])),
        )
        for g in range(20)
    )


def _long_answer() -> tuple[list[str], list[list[dict[str, Any]]]]:
    return FACTS, render_pages(
        answer(parts=grouped(*_long_groups()), question="tell me everything")
    )


def test_first_page_ends_with_a_more_hint_and_a_next_page_button() -> None:
    _, pages = _long_answer()
    first = pages[0]
    assert first == render_blocks(
        answer(parts=grouped(*_long_groups()), question="tell me everything")
    )
    hint = first[-2]
    assert hint["type"] == "context" and "more" in hint["elements"][0]["text"]
    nxt = buttons(first)[ACTION_NEXT_PAGE]
    assert json.loads(nxt["value"]) == {"topic": "quantum", "q": "tell me everything", "page": 1}
    assert ACTION_FEEDBACK_UP in buttons(first)


def test_later_pages_link_onwards_and_the_last_page_stops() -> None:
    _, pages = _long_answer()
    for index, page in enumerate(pages[1:], start=1):
        assert page[0]["type"] == "context"
        assert page[0]["elements"][0]["text"].startswith(f"Page {index + 1} of {len(pages)}")
        nxt = buttons(page).get(ACTION_NEXT_PAGE)
        if index + 1 < len(pages):
            assert nxt is not None and json.loads(nxt["value"])["page"] == index + 1
        else:
            assert nxt is None


def test_pages_keep_under_slacks_total_text_limit() -> None:
    _, pages = _long_answer()
    for page in pages:
        assert sum(block_text_length(b) for b in page) <= MESSAGE_BLOCKS_TEXT_MAX


def test_a_short_answer_is_one_page() -> None:
    pages = render_pages(answer())
    assert len(pages) == 1
    assert ACTION_NEXT_PAGE not in buttons(pages[0])


def test_an_answer_that_cites_nothing_has_no_sources_button() -> None:
    hello = answer(intent=Intent.GREETING, topic=None, headline="Hi!", parts=())
    ids = buttons(render_blocks(hello))
    assert ACTION_SOURCES not in ids and ACTION_FEEDBACK_UP in ids
    assert ACTION_SOURCES in buttons(render_blocks(answer()))
