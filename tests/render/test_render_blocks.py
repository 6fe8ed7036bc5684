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
    consensus_flag,
    grouped,
    mrkdwn_of,
    point,
    section_points,
    stance_flag,
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
    MESSAGE_BLOCKS_MAX,
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


def test_each_point_is_under_a_source_line_naming_its_report_heading_and_age() -> None:
    blocks = render_blocks(answer())
    assert section_points(blocks) == [
        ("Hybrid models cut training cost by up to 40%.", NEW_SOURCE),
        ("Quantum hardware remains scarce.", OLD_SOURCE),
    ]
    assert "*Newest first*\n" + NEW_SOURCE + "\n• Hybrid models" in mrkdwn_of(blocks)


def test_consecutive_points_from_one_section_share_one_source_line() -> None:
    pts = (
        point("First new fact."),
        point("Second new fact."),
        point("Third new fact."),
        point("Old fact.", OLD, "2 years older"),
        point("Newer again."),
    )
    blocks = render_blocks(
        answer(
            parts=grouped(
                ("Newest first", pts),
            )
        )
    )
    text = mrkdwn_of(blocks)
    assert (
        f"{NEW_SOURCE}\n• First new fact.\n• Second new fact.\n• Third new fact.\n"
        f"{OLD_SOURCE}\n• Old fact.\n{NEW_SOURCE}\n• Newer again."
    ) in text
    # Order kept: the source line comes back when the citation does, rather than regrouping.
    assert [p for p, _ in section_points(blocks)] == [
        "First new fact.",
        "Second new fact.",
        "Third new fact.",
        "Old fact.",
        "Newer again.",
    ]
    assert text.count(NEW_SOURCE) == 2 and text.count(OLD_SOURCE) == 1


def test_a_different_age_note_starts_a_new_source_line() -> None:
    pts = (point("A.", OLD, "2 years older"), point("B.", OLD, "3 years older"))
    found = section_points(
        render_blocks(
            answer(
                parts=grouped(
                    ("", pts),
                )
            )
        )
    )
    assert [source.rsplit(" · ", 1)[1] for _, source in found] == [
        "2 years older",
        "3 years older",
    ]


def test_citation_without_date_or_title_falls_back_to_the_source_id() -> None:
    bare = NEW.model_copy(update={"published": None, "title": ""})
    blocks = render_blocks(
        answer(
            parts=grouped(
                ("", (point("A fact.", bare),)),
            )
        )
    )
    assert section_points(blocks) == [("A fact.", "*§ Quantum-Enhanced LLMs* — _000_new_")]


def test_conflicts_show_a_warning_naming_both_reports_and_their_claims() -> None:
    text = mrkdwn_of(render_blocks(answer()))
    assert "*⚠ Sources disagree*" in text
    assert "⚠ *maturity:* The Transformative Advances report calls" in text
    assert "_Transformative Advances in LLMs_, § Quantum-Enhanced LLMs: “positioning" in text
    assert "_Advancements and Challenges_, § Quantum Computing Integration: “Research in" in text


def test_consensus_flags_are_not_listed_as_disagreement() -> None:
    text = mrkdwn_of(render_blocks(answer(conflicts=(consensus_flag(),))))
    assert "Sources disagree" not in text
    assert "✅ *consensus:* Three reports agree" in text


def test_long_claims_are_shortened_at_word_boundaries() -> None:
    flag = stance_flag()
    long_side = flag.sides[0].model_copy(update={"claim": "claimword " * 200})
    text = mrkdwn_of(
        render_blocks(
            answer(conflicts=(flag.model_copy(update={"sides": (long_side, flag.sides[1])}),))
        )
    )
    claim = text.split("“", 1)[1].split("”", 1)[0]
    assert claim.endswith("claimword…") and len(claim) <= 300


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


def test_a_long_answer_is_paginated_within_the_block_limit() -> None:
    facts, pages = _long_answer()
    assert len(pages) > 1
    for page in pages:
        assert len(page) <= MESSAGE_BLOCKS_MAX
        assert_valid_message(page)
    found = [pair for page in pages for pair in section_points(page)]
    assert [p for p, _ in found] == [f.strip() for g in range(20) for f in facts[g::20]]
    for index, (_, source) in enumerate(found):
        report = "Advancements and Challenges" if index % 20 // 3 % 2 else "Transformative"
        assert f"— _{report}" in source


def test_a_source_line_is_repeated_as_continued_atop_a_new_section() -> None:
    _, pages = _long_answer()
    sections = [b["text"]["text"] for page in pages for b in page if b["type"] == "section"]
    firsts = [s.split("\n")[0] for s in sections if s.split("\n")[0].startswith("*§")]
    assert any(line.endswith(" · continued") for line in firsts)
    for text in sections:
        # Every section opens with its group's label or a source line, never a bare point.
        assert not text.startswith("•")


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


def test_a_single_huge_point_is_split_across_sections_at_word_boundaries() -> None:
    words = [f"w{i:05d}" for i in range(4000)]
    pages = render_pages(
        answer(
            parts=grouped(
                ("", (point(" ".join(words)),)),
            )
        )
    )
    for page in pages:
        assert_valid_message(page)
    tokens = "\n".join(mrkdwn_of(p) for p in pages).split()
    assert [t for t in tokens if t.startswith("w") and t[1:].isdigit()] == words


def test_pages_keep_under_slacks_total_text_limit() -> None:
    _, pages = _long_answer()
    for page in pages:
        assert sum(block_text_length(b) for b in page) <= MESSAGE_BLOCKS_TEXT_MAX


def test_a_short_answer_is_one_page() -> None:
    pages = render_pages(answer())
    assert len(pages) == 1
    assert ACTION_NEXT_PAGE not in buttons(pages[0])
