"""The /trends slash command: questions, topics, help, and the subscription commands."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.briefing import answer_question
from bot.models import Intent
from bot.render import render_blocks, render_text
from bot.slack.delivery_rules import fallback_text
from bot.slack.deps import SlackDeps
from bot.slack.replies import post_answer
from bot.slack.subscriptions import (
    describe_subscriptions,
    subscribe_channel,
    unsubscribe_channel,
)

logger = logging.getLogger(__name__)

Listener = Callable[..., None]

USAGE = "\n".join(
    (
        "*/trends* usage:",
        "• `/trends what's new in multimodal` – the latest on a topic",
        "• `/trends conflicts quantum` – where the reports disagree",
        "• `/trends topics` – every topic with its coverage",
        "• `/trends subscribe mon 09:00 Europe/Berlin multimodal, regulation` – weekly digest here"
        " (day, time, zone and topics optional: Monday 09:00 in your time zone, all topics)",
        "• `/trends unsubscribe` – stop this channel's digest",
        "• `/trends subscriptions` – what this channel gets",
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
        text = " ".join(str(command.get("text", "")).split())
        channel = str(command["channel_id"])
        user = str(command["user_id"])
        verb, _, rest = text.partition(" ")
        verb = verb.lower()
        if verb == "subscribe":
            reply, ok = subscribe_channel(deps, client, channel, user, rest)
            respond(text=reply, response_type="in_channel" if ok else "ephemeral")
            return
        if verb == "unsubscribe":
            reply, ok = unsubscribe_channel(deps, channel, user)
            respond(text=reply, response_type="in_channel" if ok else "ephemeral")
            return
        if verb == "subscriptions":
            respond(text=describe_subscriptions(deps, channel), response_type="ephemeral")
            return
        answer = answer_question(text or "help", deps.corpus())
        if answer.intent in _PRIVATE_INTENTS:
            blocks = render_blocks(answer)
            if answer.intent in (Intent.HELP, Intent.UNKNOWN):
                blocks = [*blocks, _usage_block()]
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
