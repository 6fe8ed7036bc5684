"""Events API listeners: mentions and DMs go through the conversation; App Home gets its view."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Literal

from slack_sdk import WebClient

from bot.conversation import reply
from bot.slack.conversation import context_for, ports_for, send_reply
from bot.slack.delivery_rules import (
    dm_thread,
    is_from_a_person,
    mention_thread,
    strip_mentions,
)
from bot.slack.deps import SlackDeps
from bot.slack.home import publish_home

logger = logging.getLogger(__name__)

Listener = Callable[..., None]


def _converse(
    deps: SlackDeps,
    client: WebClient,
    event: dict[str, Any],
    *,
    surface: Literal["mention", "dm"],
    thread: str | None,
) -> None:
    """A mention or a DM: the conversation's reply to its text, sent in its thread."""
    started = time.monotonic()
    channel = str(event["channel"])
    text = strip_mentions(event.get("text", ""))
    context = context_for(
        deps,
        client,
        text,
        surface=surface,
        channel=channel,
        user=str(event.get("user", "")),
        thread=thread,
    )
    send_reply(
        deps,
        client,
        reply(text, context, ports_for(deps)),
        channel=channel,
        thread=thread,
        surface=surface,
        started=started,
    )


def on_app_mention(deps: SlackDeps) -> Listener:
    def on_app_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        _converse(deps, client, event, surface="mention", thread=mention_thread(event))

    return on_app_mention


def on_direct_message(deps: SlackDeps) -> Listener:
    def on_direct_message(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        # Only DMs reach here (the manifest subscribes to message.im alone), but check anyway.
        if event.get("channel_type") != "im" or not is_from_a_person(event):
            return
        _converse(deps, client, event, surface="dm", thread=dm_thread(event))

    return on_direct_message


def on_app_home_opened(deps: SlackDeps) -> Listener:
    def on_app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing from us
        publish_home(deps, client, str(event["user"]))

    return on_app_home_opened
