"""Pure: a conversation Reply -> plain terminal text, for the console and `briefbot ask`.

Kept apart from the Block Kit renderer so the plain-text path does not load slack_sdk.
"""

from __future__ import annotations

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
from bot.models import kind_words


def reply_terminal(reply: Reply) -> str:
    """The reply as plain text (answers are printed by bot.render.text instead)."""
    if isinstance(reply, PreviewReply):
        from bot.render.digest import render_digest_text

        return reply.note + "\n\n" + render_digest_text(reply.digest, escape=False)
    if isinstance(reply, QuestionReply):
        options = "\n".join(f"  • {c.label}: say “{c.say}”" for c in reply.choices)
        return f"{reply.text}\n{options}" if options else reply.text
    if isinstance(reply, VerdictReply):
        return reply.line
    if isinstance(reply, QuotesReply):
        sides = (
            f"  {s.title or s.source_id}, § {s.heading}: “{s.claim}”" for s in reply.flag.sides
        )
        return "\n".join([f"⚠ {kind_words(reply.flag.kind).capitalize()}", *sides])
    if isinstance(reply, FeedbackReply):
        word = "helpful" if reply.helpful else "not helpful"
        return f"Thanks, noted as {word}{f' on {reply.topic}' if reply.topic else ''}."
    if isinstance(reply, NoteReply | ChangeReply):
        return reply.text
    return reply.answer.headline
