"""The one layout: a lead first, six points before More, 1,500 characters, goldens of answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from render_builders import NEW, OLD, point, stance_flag

from bot.models import Answer, Disagreement, Evidence, Intent, Lead
from bot.render import render_blocks, render_text
from bot.render.flags import quotes_mrkdwn
from bot.render.layout import EVIDENCE_FIRST_MAX, layout_answer
from bot.render.limits import FIRST_MESSAGE_TEXT_MAX, MESSAGE_BLOCKS_MAX, block_text_length
from bot.render.text import first_message_text
from bot.sentences import shorten_quote, split_sentences


def _answer(points: int = 10, disagreements: int = 2) -> Answer:
    return Answer(
        intent=Intent.TOPIC_BRIEF,
        topic="quantum",
        headline="Quantum computing: 2 reports",
        parts=(
            Lead(text="Two reports agree quantum hardware is scarce."),
            Evidence(
                points=tuple(
                    point(f"Fact number {i}.", NEW if i % 2 else OLD) for i in range(points)
                )
            ),
            *(Disagreement(flag=stance_flag(), line=f"Line {i}.") for i in range(disagreements)),
        ),
    )


def test_the_answer_opens_with_its_lead_sentence() -> None:
    text = render_text(_answer(), escape=False)
    assert text.split("\n")[2] == "Two reports agree quantum hardware is scarce."


def test_at_most_six_points_come_before_more() -> None:
    layout = layout_answer(_answer(points=20))
    first = [p for part in layout.first.parts if isinstance(part, Evidence) for p in part.points]
    assert len(first) == EVIDENCE_FIRST_MAX and layout.more
    rest = [part for page in layout.pages[1:] for part in page.parts]
    assert sum(len(part.points) for part in rest if isinstance(part, Evidence)) == 14


def test_disagreements_keep_their_place_on_the_first_message() -> None:
    layout = layout_answer(_answer(points=30, disagreements=2))
    assert [p.kind for p in layout.first.parts].count("disagreement") == 2


def test_each_disagreement_has_a_show_both_quotes_button() -> None:
    blocks = render_blocks(_answer(disagreements=2))
    buttons = [b["accessory"] for b in blocks if b.get("accessory")]
    assert [b["text"]["text"] for b in buttons] == ["Show both quotes"] * 2
    assert all(b["action_id"] == "briefbot_show_quotes" for b in buttons)


def _visible(blocks: list[dict[str, object]]) -> int:
    return sum(block_text_length(b) for b in blocks if b["type"] != "actions")  # type: ignore[arg-type]


sentences_st = st.lists(
    st.text(alphabet="abcdefgh ", min_size=1, max_size=300).map(lambda t: t.strip() + "."),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(sentences_st, st.integers(0, 6), st.text(min_size=0, max_size=2000))
def test_the_first_message_stays_within_1500_characters(
    texts: list[str], disagreements: int, lead: str
) -> None:
    a = Answer(
        intent=Intent.TOPIC_BRIEF,
        headline="h",
        parts=(
            Lead(text=lead or "x"),
            Evidence(points=tuple(point(t) for t in texts)),
            *(Disagreement(flag=stance_flag(), line=t) for t in texts[:disagreements]),
        ),
    )
    assert len(first_message_text(a)) <= FIRST_MESSAGE_TEXT_MAX
    blocks = render_blocks(a)
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    assert _visible(blocks) <= FIRST_MESSAGE_TEXT_MAX + 200  # headline, hint and markup


def test_abbreviations_and_decimals_do_not_end_sentences() -> None:
    text = (
        "The U.S. leads, e.g. in chips. Dr. Smith vs. Dr. Jones cut cost by approx. 2.5 times. "
        "Next."
    )
    assert split_sentences(text) == [
        "The U.S. leads, e.g. in chips.",
        "Dr. Smith vs. Dr. Jones cut cost by approx. 2.5 times.",
        "Next.",
    ]


def test_a_long_quote_is_shortened_at_a_clause_never_mid_word() -> None:
    quote = (
        "The push for explainability has produced new frameworks, which clarify decisions "
        "for users and regulators alike"
    )
    short = shorten_quote(quote, 70)
    assert short == "The push for explainability has produced new frameworks…"


def test_show_both_quotes_gives_each_exact_quote_whole() -> None:
    flag = stance_flag()
    text = quotes_mrkdwn(flag)
    for side in flag.sides:
        assert f"“{side.claim}”" in text
    assert text.startswith("⚠ *Different assessments*")
