"""Pure: a conversation Reply -> Slack Block Kit and mrkdwn (terminal text: conversation_text).

Answers keep their own renderers (bot.render.blocks, bot.render.text); this module renders the
other kinds: notes, questions back with their buttons, subscription changes, previews, verdicts,
a disagreement's quotes and the thanks for a vote.
Text from a Reply is plain and may hold what a user typed, so it is escaped here; only the
announcement line (built from a Slack user id and validated values) is sent as it is.
"""

from __future__ import annotations

import json
from typing import Any

from bot.conversation.replies import (
    ChangeReply,
    FeedbackReply,
    NoteReply,
    PreviewReply,
    QuestionReply,
    QuotesReply,
    Reply,
    VerdictReply,
)
from bot.render.actions import ACTION_CHOICE
from bot.render.digest import render_digest_messages
from bot.render.flags import quotes_mrkdwn
from bot.render.kit import Block, actions, button, context, sections
from bot.render.limits import ACTION_ELEMENTS_MAX, BUTTON_VALUE_MAX, MESSAGE_BLOCKS_MAX
from bot.render.mrkdwn import escape_mrkdwn


def choice_value(say: str) -> str:
    """The value of a choice button: the request it makes (cut to fit; requests are short)."""
    value = json.dumps({"say": say}, ensure_ascii=False, separators=(",", ":"))
    return value if len(value) <= BUTTON_VALUE_MAX else json.dumps({"say": ""})


def choice_said(value: dict[str, Any]) -> str:
    """What a pressed choice button asks for ("" when its value says nothing usable)."""
    say = value.get("say")
    return say if isinstance(say, str) and len(say) <= BUTTON_VALUE_MAX else ""


def reply_mrkdwn(reply: Reply) -> str:
    """The reply as one mrkdwn text (the message, or the fallback of its blocks)."""
    if isinstance(reply, VerdictReply):
        return reply.line
    if isinstance(reply, QuotesReply):
        return quotes_mrkdwn(reply.flag)
    if isinstance(reply, FeedbackReply):
        word = "helpful" if reply.helpful else "not helpful"
        name = f" on *{escape_mrkdwn(reply.topic)}*" if reply.topic else ""
        return f"Thanks, noted as {word}{name}."
    if isinstance(reply, PreviewReply):
        return escape_mrkdwn(reply.note)
    if isinstance(reply, NoteReply | QuestionReply | ChangeReply):
        return escape_mrkdwn(reply.text)
    return escape_mrkdwn(reply.answer.headline)


def reply_blocks(reply: Reply) -> list[Block]:
    """Block Kit for a note, a question back (text and choice buttons) or a change."""
    if isinstance(reply, PreviewReply):
        return preview_blocks(reply)
    blocks = sections(reply_mrkdwn(reply).strip() or "…")
    if isinstance(reply, QuestionReply) and reply.choices:
        buttons = [
            button(c.label, ACTION_CHOICE, choice_value(c.say), style=c.style)
            for c in reply.choices[:ACTION_ELEMENTS_MAX]
        ]
        # Each button needs its own action_id within a block: Slack refuses duplicates.
        for i, b in enumerate(buttons):
            b.action_id = f"{ACTION_CHOICE}:{i}" if i else ACTION_CHOICE
        blocks.append(actions(buttons))
    return blocks


def preview_blocks(reply: PreviewReply) -> list[Block]:
    """The first message of the digest as it would post, under a line saying it is a preview."""
    messages = render_digest_messages(reply.digest)
    note = escape_mrkdwn(reply.note)
    if len(messages) > 1:
        note += f" {_more_parts(len(messages) - 1)}"
    return [context(note), *messages[0][: MESSAGE_BLOCKS_MAX - 1]]


def preview_text(reply: PreviewReply) -> str:
    n = len(render_digest_messages(reply.digest))
    return reply_mrkdwn(reply) + (f" {_more_parts(n - 1)}" if n > 1 else "")


def _more_parts(n: int) -> str:
    return f"(The real digest has {n} more message{'s' if n != 1 else ''}.)"
