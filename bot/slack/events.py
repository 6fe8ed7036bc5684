"""Events API listeners: mentions and DMs get answers; App Home gets its view published."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient

from bot.digest import compose_digest
from bot.models import Intent
from bot.render import escape_mrkdwn, render_digest_messages
from bot.render.limits import MESSAGE_BLOCKS_MAX
from bot.slack.delivery_rules import (
    dm_thread,
    is_from_a_person,
    mention_thread,
    strip_mentions,
)
from bot.slack.deps import SlackDeps
from bot.slack.home import publish_home
from bot.slack.replies import answer_in_conversation, post_answer
from bot.slack.subscriptions import (
    describe_subscriptions,
    subscribe_channel,
    unsubscribe_channel,
)

logger = logging.getLogger(__name__)

Listener = Callable[..., None]


def on_app_mention(deps: SlackDeps) -> Listener:
    def on_app_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        started = time.monotonic()
        channel = str(event["channel"])
        thread = mention_thread(event)
        question = strip_mentions(event.get("text", ""))
        reply = subscription_reply(deps, client, question, channel, str(event.get("user", "")))
        if reply is not None:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=reply)
            return
        answer = answer_in_conversation(deps, question, channel, thread)
        if answer.intent is Intent.DIGEST:
            post_digest_preview(deps, client, channel, thread)
            return
        post_answer(
            deps, client, answer, channel=channel, thread=thread, surface="mention", started=started
        )

    return on_app_mention


def post_digest_preview(
    deps: SlackDeps, client: WebClient, channel: str, thread: str | None
) -> None:
    """`@briefbot digest`: what this channel's next digest would say, posted in the thread.

    Nothing is recorded, so the scheduled digest still covers the same period."""
    sub = deps.store.subscription(channel)
    last = deps.store.last_delivery(channel)
    digest = compose_digest(
        deps.corpus(),
        since=last.covered_until if last else None,
        until=datetime.now(UTC),
        topics=sub.topics if sub else (),
    )
    messages = render_digest_messages(digest)
    if sub:
        when = f"{sub.day.capitalize()} {sub.time} ({sub.tz})"
        note = f"Preview of this channel's next digest; it posts every {escape_mrkdwn(when)}."
    else:
        note = (
            "Preview of a digest for this channel. To get one every week: "
            "`@briefbot subscribe mon 09:00 Europe/Berlin`."
        )
    more = f" ({len(messages) - 1} more part(s) in the real digest.)" if len(messages) > 1 else ""
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread,
        text=note + more,
        blocks=[{"type": "context", "elements": [{"type": "mrkdwn", "text": note + more}]}]
        + messages[0][: MESSAGE_BLOCKS_MAX - 1],
        unfurl_links=False,
        unfurl_media=False,
    )


def subscription_reply(
    deps: SlackDeps, client: WebClient, question: str, channel: str, user: str
) -> str | None:
    """`@briefbot subscribe mon 09:00 Europe/Berlin`, `unsubscribe`, `subscriptions` act on the
    channel, like `/trends`; None when the message is a question for the core."""
    verb, _, rest = " ".join(question.split()).partition(" ")
    verb = verb.lower()
    if verb not in ("subscribe", "unsubscribe", "subscriptions"):
        return None
    if verb == "subscribe":
        return subscribe_channel(deps, client, channel, user, rest)[0]
    if verb == "unsubscribe":
        return unsubscribe_channel(deps, channel, user)[0]
    return describe_subscriptions(deps, channel)


def on_direct_message(deps: SlackDeps) -> Listener:
    def on_direct_message(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        # Only DMs reach here (the manifest subscribes to message.im alone), but check anyway.
        if event.get("channel_type") != "im" or not is_from_a_person(event):
            return
        started = time.monotonic()
        channel = str(event["channel"])
        thread = dm_thread(event)
        answer = answer_in_conversation(
            deps, strip_mentions(event.get("text", "")), channel, thread
        )
        post_answer(
            deps, client, answer, channel=channel, thread=thread, surface="dm", started=started
        )

    return on_direct_message


def on_app_home_opened(deps: SlackDeps) -> Listener:
    def on_app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing from us
        publish_home(deps, client, str(event["user"]))

    return on_app_home_opened
