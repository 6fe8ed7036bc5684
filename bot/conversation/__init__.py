"""Pure: one conversation layer. A message and its context become a Reply value; the edges
(Slack, the console, `briefbot ask`) render it and send it."""

from bot.conversation.context import Context, Surface
from bot.conversation.ports import (
    FeedbackBook,
    Ports,
    SubscriptionBook,
    VerdictBook,
    local_ports,
)
from bot.conversation.presses import Feedback, Press, ShowQuotes, Verdict, pressed
from bot.conversation.replies import (
    AnswerReply,
    ChangeReply,
    Choice,
    FeedbackReply,
    NoteReply,
    Plan,
    PreviewReply,
    QuestionReply,
    QuotesReply,
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
    "Feedback",
    "FeedbackBook",
    "FeedbackReply",
    "Context",
    "NoteReply",
    "Plan",
    "Ports",
    "Press",
    "PreviewReply",
    "QuestionReply",
    "QuotesReply",
    "Reply",
    "ShowQuotes",
    "SubscriptionBook",
    "Surface",
    "Verdict",
    "VerdictBook",
    "VerdictReply",
    "act_on",
    "local_ports",
    "needs_user_zone",
    "parse_request",
    "preview",
    "pressed",
    "proposal",
    "record_verdict",
    "reply",
    "request_text",
]
