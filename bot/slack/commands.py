"""The /trends slash command: ack, ask the conversation, respond."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.conversation import AnswerReply, ChangeReply, reply
from bot.models import Intent
from bot.render import render_blocks, render_text
from bot.slack.conversation import context_for, message_of, ports_for
from bot.slack.delivery_rules import fallback_text
from bot.slack.deps import SlackDeps
from bot.slack.replies import post_answer

logger = logging.getLogger(__name__)

Listener = Callable[..., None]

USAGE = "\n".join(
    (
        "*/trends* usage:",
        "• `/trends what's new in multimodal` – the latest on a topic",
        "• `/trends conflicts quantum` – where the reports disagree",
        "• `/trends topics` – every topic with its coverage",
        "*This channel's weekly digest, in plain words:*",
        "• `/trends send us the digest every friday at 4pm` – start one (name a zone with "
        "“London time”; without one, your Slack time zone). A channel that already has one is "
        "asked Replace or Keep first",
        "• `/trends follow regulation` / `/trends unfollow quantum` – the digest's topics",
        "• `/trends when is our next digest?` / `/trends subscriptions` – what this channel gets",
        "• `/trends show me this week's digest` – a preview; nothing is posted for the channel",
        "• `/trends stop the digest` – stop this channel's digest",
        "• The short form works too: `/trends subscribe mon 09:00 Europe/Berlin multimodal, "
        "regulation` (day, time, zone and topics optional)",
    )
)
# Answers only the asker needs to see; everything else is posted for the channel.
_PRIVATE_INTENTS = frozenset({Intent.HELP, Intent.LIST_TOPICS, Intent.UNKNOWN})
# The bot cannot post where it is not a member; the response URL works everywhere.
_CANNOT_POST = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


def _usage_block() -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": USAGE}}


def on_trends(deps: SlackDeps) -> Listener:
    def on_trends(
        ack: Ack, command: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        started = time.monotonic()
        text = " ".join(str(command.get("text", "")).split()) or "help"
        channel = str(command["channel_id"])
        context = context_for(
            deps,
            client,
            text,
            surface="command",
            channel=channel,
            user=str(command["user_id"]),
            thread=None,
        )
        got = reply(text, context, ports_for(deps))
        if isinstance(got, ChangeReply):
            # The response is the channel's announcement, with the detail under it.
            respond(
                text=f"{got.announcement}\n{message_of(got)['text']}", response_type="in_channel"
            )
            return
        if not isinstance(got, AnswerReply):
            # Notes, questions back and previews are for the asker.
            respond(**message_of(got), response_type="ephemeral")
            return
        answer = got.answer
        if answer.intent in _PRIVATE_INTENTS:
            blocks = render_blocks(answer)
            if answer.intent in (Intent.HELP, Intent.UNKNOWN):
                # The usage goes with the text, above the answer's buttons.
                at = (
                    len(blocks) - 1
                    if blocks and blocks[-1].get("type") == "actions"
                    else len(blocks)
                )
                blocks = [*blocks[:at], _usage_block(), *blocks[at:]]
            respond(
                blocks=blocks,
                text=fallback_text(render_text(answer)),
                response_type="ephemeral",
            )
            return
        try:
            post_answer(
                deps,
                client,
                answer,
                channel=channel,
                thread=None,
                surface="command",
                started=started,
            )
        except SlackApiError as exc:
            if exc.response.get("error") not in _CANNOT_POST:
                raise
            respond(
                blocks=render_blocks(answer),
                text=fallback_text(render_text(answer)),
                response_type="in_channel",
            )

    return on_trends
