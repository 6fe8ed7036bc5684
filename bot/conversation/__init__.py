"""Pure: one conversation layer. A message and its context become a Reply value; the edges
(Slack, the console, `briefbot ask`) render it and send it."""

from bot.conversation.context import Context, Surface
from bot.conversation.ports import Ports, SubscriptionBook, VerdictBook, local_ports
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
from bot.conversation.reply import act_on, needs_user_zone, preview, reply
from bot.conversation.requests import DigestRequest, parse_request, request_text
from bot.conversation.subscriptions import proposal
from bot.conversation.verdicts import record_verdict

__all__ = [
    "AnswerReply",
    "ChangeReply",
    "DigestRequest",
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
    "act_on",
    "local_ports",
    "needs_user_zone",
    "parse_request",
    "preview",
    "proposal",
    "record_verdict",
    "reply",
    "request_text",
]
