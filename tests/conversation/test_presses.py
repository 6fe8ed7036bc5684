"""Presses that are not a question said again, through pressed(), in-process: Show both
quotes, 👍/👎 on an answer, and a team's verdict on a disagreement."""

from __future__ import annotations

import pytest

from bot.conversation import (
    AnswerReply,
    Feedback,
    FeedbackReply,
    NoteReply,
    QuotesReply,
    ShowQuotes,
    Verdict,
    VerdictReply,
)
from bot.corpus import CorpusIndex
from bot.models import Flag, FlagSide
from bot.render.conversation import reply_blocks, reply_mrkdwn
from bot.render.conversation_text import reply_terminal
from tests.conversation.backend import Backend


def test_show_both_quotes_gives_every_side_of_the_disagreement(bot: Backend) -> None:
    got = bot.press_on(ShowQuotes("regulation-timeline-1"))
    assert isinstance(got, QuotesReply) and got.flag.flag_id == "regulation-timeline-1"
    text = reply_mrkdwn(got)
    assert "effective 2024" in text and "delayed to 2026" in text
    assert reply_blocks(got)  # posted with blocks, like every other reply
    plain = reply_terminal(got)
    assert "effective 2024" in plain and "delayed to 2026" in plain and "*" not in plain


@pytest.mark.parametrize("flag_id", ["gone-flag", "", "<!channel>"])
def test_quotes_of_a_flag_no_longer_in_the_reports_are_a_private_note(
    bot: Backend, flag_id: str
) -> None:
    got = bot.press_on(ShowQuotes(flag_id))
    assert isinstance(got, NoteReply) and got.private
    assert "no longer in the reports" in got.text and "<!channel>" not in got.text


def test_quotes_without_a_channel_are_only_told_to_the_presser(bot: Backend) -> None:
    got = bot.press_on(ShowQuotes("regulation-timeline-1"), channel=None)
    assert isinstance(got, NoteReply) and got.private


def test_thumbs_up_and_down_are_stored_with_the_answer_and_thank_the_voter(
    bot: Backend,
) -> None:
    answer = bot.say("what do the reports say about quantum?")
    assert isinstance(answer, AnswerReply)
    up = Feedback(vote=1, question=answer.answer.question, topic="quantum", answer_text="A")
    down = Feedback(vote=-1, question=answer.answer.question, topic="quantum", answer_text="A")
    got_up = bot.press_on(up, user="U0FAN")
    got_down = bot.press_on(down, user="U0CRITIC")
    assert got_up == FeedbackReply(helpful=True, topic="quantum")
    assert reply_mrkdwn(got_up) == "Thanks, noted as helpful on *quantum*."
    assert reply_mrkdwn(got_down) == "Thanks, noted as not helpful on *quantum*."
    assert reply_terminal(got_down) == "Thanks, noted as not helpful on quantum."
    rows = bot.store.list_feedback()
    assert sorted((r.user, r.vote, r.channel, r.topic) for r in rows) == [
        ("U0CRITIC", -1, "C0TEAM", "quantum"),
        ("U0FAN", 1, "C0TEAM", "quantum"),
    ]


def test_a_forged_feedback_topic_is_stored_but_never_echoed(bot: Backend) -> None:
    got = bot.press_on(Feedback(vote=1, question="q", topic="<!channel>", answer_text=""))
    assert got == FeedbackReply(helpful=True, topic=None)
    assert "<!channel>" not in reply_mrkdwn(got)
    assert [r.topic for r in bot.store.list_feedback()] == ["<!channel>"]


def test_a_vote_that_is_neither_up_nor_down_is_refused_and_nothing_is_stored(
    bot: Backend,
) -> None:
    got = bot.press_on(Feedback(vote=5, question="q", topic=None, answer_text=""))
    assert isinstance(got, NoteReply) and got.private
    assert bot.store.list_feedback() == []


def test_a_verdict_press_is_recorded_for_the_pressed_channel_and_shown(bot: Backend) -> None:
    got = bot.press_on(Verdict("regulation-timeline-1", "not_disagreement"), user="U0JUDGE")
    assert got == VerdictReply(line="Marked not a disagreement by <@U0JUDGE>")
    assert [(v.flag_id, v.channel, v.verdict) for v in bot.store.verdicts()] == [
        ("regulation-timeline-1", "C0TEAM", "not_disagreement")
    ]
    assert bot.store.dismissed_flags("C0TEAM") == frozenset({"regulation-timeline-1"})
    curator = bot.press_on(Verdict("regulation-timeline-1", "needs_curator"), user="U0JUDGE")
    assert reply_mrkdwn(curator) == "Sent to a curator by <@U0JUDGE>"


@pytest.mark.parametrize(
    ("verdict", "channel"),
    [("real", None), ("real", "D0DIRECT"), ("guilty", "C0TEAM")],
)
def test_a_verdict_outside_a_channel_or_unknown_is_refused_and_not_stored(
    bot: Backend, verdict: str, channel: str | None
) -> None:
    got = bot.press_on(Verdict("regulation-timeline-1", verdict), channel=channel)
    assert isinstance(got, NoteReply) and got.private
    assert bot.store.verdicts() == []


def test_quotes_are_escaped_so_a_report_cannot_ping_the_channel(bot: Backend) -> None:
    loud = Flag(
        flag_id="loud-1",
        topic="regulation",
        kind="numeric",
        summary="Fines",
        sides=(
            FlagSide(source_id="old", heading="Fines", claim="<!channel> fines are 7%"),
            FlagSide(source_id="new", heading="Fines", claim="fines are *3%*"),
        ),
    )
    corpus = bot.index.corpus
    bot.index = CorpusIndex(corpus.model_copy(update={"flags": (*corpus.flags, loud)}))
    got = bot.press_on(ShowQuotes("loud-1"))
    assert isinstance(got, QuotesReply)
    text = reply_mrkdwn(got)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
