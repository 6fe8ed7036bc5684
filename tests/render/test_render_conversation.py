"""Replies of the conversation as Block Kit and terminal text; the subscription modal."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversation import ChangeReply, Choice, NoteReply, Plan, QuestionReply
from bot.models import Topic
from bot.render.actions import ACTION_CHOICE, parse_button_value
from bot.render.conversation import choice_said, reply_blocks, reply_mrkdwn
from bot.render.conversation_text import reply_terminal
from bot.render.limits import check_blocks
from bot.render.subscription_modal import submitted_fields, subscription_modal

TOPICS = {
    "quantum": Topic(id="quantum", name="Quantum-enhanced LLMs"),
    "regulation": Topic(id="regulation", name="Regulation"),
}


def test_a_question_back_has_one_button_per_choice_carrying_its_request() -> None:
    asked = QuestionReply(
        "Replace it?",
        (Choice("Replace", "subscribe thu 10:00 Europe/London", "primary"), Choice("Keep", "show")),
    )
    blocks = reply_blocks(asked)
    check_blocks(blocks)
    (row,) = [b for b in blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in row["elements"]]
    assert ids == [ACTION_CHOICE, f"{ACTION_CHOICE}:1"]  # unique within the block, as Slack asks
    said = [choice_said(parse_button_value(e["value"])) for e in row["elements"]]
    assert said == ["subscribe thu 10:00 Europe/London", "show"]
    assert "say “subscribe thu 10:00 Europe/London”" in reply_terminal(asked)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3_000))
def test_user_text_in_a_note_is_escaped_and_fits(text: str) -> None:
    blocks = reply_blocks(NoteReply(text, private=True))
    check_blocks(blocks)
    assert "<!channel>" not in reply_mrkdwn(NoteReply(text + "<!channel>"))


def test_a_change_renders_its_detail_and_keeps_the_announcement_apart() -> None:
    change = ChangeReply(
        text="Done.",
        before=None,
        after=Plan("fri", "16:00", "Europe/London"),
        announcement="<@U1> subscribed this channel to a weekly digest: Fri 16:00 Europe/London",
    )
    assert reply_mrkdwn(change) == "Done."
    assert reply_terminal(change) == "Done."


def test_the_modal_is_prefilled_and_its_state_reads_back() -> None:
    plan = Plan("fri", "16:00", "Europe/London", ("regulation",))
    view = subscription_modal(channel="C1", plan=plan, topics=TOPICS, subscribed=True)
    assert view["type"] == "modal" and len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert '"initial_conversation": "C1"' in text and '"initial_time": "16:00"' in text
    assert "Friday at 16:00 (Europe/London), regulation" in text
    state = {
        "channel": {"channel": {"selected_conversation": "C1"}},
        "day": {"day": {"selected_option": {"value": "thu"}}},
        "time": {"time": {"selected_time": "10:00"}},
        "zone": {"zone": {"value": " Europe/London "}},
        "topics": {"topics": {"selected_options": [{"value": "quantum"}]}},
    }
    assert submitted_fields({"state": {"values": state}}) == {
        "channel": "C1",
        "day": "thu",
        "time": "10:00",
        "zone": "Europe/London",
        "topics": ("quantum",),
    }
    assert submitted_fields({})["channel"] == ""
