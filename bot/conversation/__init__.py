"""Pure: one conversation layer. A message and its context become a Reply value; the edges
(Slack, the console, `briefbot ask`) render it and send it."""

from bot.conversation.context import Context, Surface
from bot.conversation.ports import Ports, SubscriptionBook, VerdictBook
from bot.conversation.replies import (
    AnswerReply,
    ChangeReply,
    Choice,
    NoteReply,
    Plan,
    PreviewReply,
    QuestionReply,
    Reply,
    VerdictReply,
)
from bot.conversation.reply import needs_user_zone, preview, reply
from bot.conversation.verdicts import record_verdict

__all__ = [
    "AnswerReply",
    "ChangeReply",
    "Choice",
    "Context",
    "NoteReply",
    "Plan",
    "Ports",
    "PreviewReply",
    "QuestionReply",
    "Reply",
    "SubscriptionBook",
    "Surface",
    "VerdictBook",
    "VerdictReply",
    "needs_user_zone",
    "preview",
    "record_verdict",
    "reply",
]
