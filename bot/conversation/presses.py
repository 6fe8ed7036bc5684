"""Pure: a button press that is not a question said again (Show both quotes, 👍/👎, a verdict)
becomes a Reply; the stores are reached only through the ports."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.context import Context
from bot.conversation.ports import Ports
from bot.conversation.replies import FeedbackReply, NoteReply, QuotesReply, Reply
from bot.conversation.verdicts import record_verdict

GONE = "That disagreement is no longer in the reports."


@dataclass(frozen=True)
class ShowQuotes:
    """Show both exact quotes of one disagreement (the button names only its flag id)."""

    flag_id: str


@dataclass(frozen=True)
class Feedback:
    """👍 (+1) or 👎 (-1) on an answer: its question, its topic and the text it showed."""

    vote: int
    question: str
    topic: str | None
    answer_text: str


@dataclass(frozen=True)
class Verdict:
    """A team's verdict on a digest's disagreement: real, not_disagreement, needs_curator."""

    flag_id: str
    verdict: str


Press = ShowQuotes | Feedback | Verdict


def pressed(press: Press, context: Context, ports: Ports) -> Reply:
    """The reply to one press. The channel is the one it was pressed in; a button's value only
    names what it is about and is checked here, never trusted."""
    if isinstance(press, Verdict):
        return record_verdict(press.flag_id, press.verdict, context, ports)
    if isinstance(press, Feedback):
        return _feedback(press, context, ports)
    flags = ports.corpus().corpus.flags
    flag = next((f for f in flags if f.flag_id == press.flag_id), None) if press.flag_id else None
    if flag is None or context.channel is None:
        return NoteReply(GONE, private=True)
    return QuotesReply(flag)


def _feedback(press: Feedback, context: Context, ports: Ports) -> Reply:
    if press.vote not in (1, -1):
        return NoteReply("A vote is 👍 or 👎.", private=True)
    if ports.feedback is None:
        return NoteReply("Feedback cannot be recorded here.", private=True)
    topic = press.topic if press.topic in ports.corpus().topics else None
    ports.feedback.add_feedback(
        user=context.user,
        channel=context.channel or "",
        question=press.question,
        topic=press.topic or None,
        answer_text=press.answer_text,
        vote=press.vote,
    )
    return FeedbackReply(helpful=press.vote > 0, topic=topic)
