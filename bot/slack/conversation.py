"""The Slack edge of the conversation: build a Context, call reply(), render, send."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.conversation import (
    AnswerReply,
    ChangeReply,
    Context,
    Ports,
    PreviewReply,
    Reply,
    Surface,
    needs_user_zone,
)
from bot.models import Intent
from bot.render.conversation import preview_blocks, preview_text, reply_blocks, reply_mrkdwn
from bot.slack.delivery_rules import DM_THREAD, fallback_text
from bot.slack.deps import SlackDeps
from bot.slack.replies import post_answer

logger = logging.getLogger(__name__)

# A person's zone rarely changes; a quarter of an hour keeps users.info to one call per
# person per burst of digest requests, and a changed zone is seen soon.
ZONE_TTL_SECONDS = 900.0


class UserZones:
    """users.info time zones, cached per Slack workspace client and user."""

    def __init__(self, ttl: float = ZONE_TTL_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._zones: dict[tuple[str, str], tuple[float, str | None]] = {}

    def zone(self, client: WebClient, user: str) -> str | None:
        key = (str(client.base_url), user)
        now = time.monotonic()
        with self._lock:
            cached = self._zones.get(key)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        try:
            response = client.users_info(user=user)
        except SlackApiError as exc:
            logger.warning("users.info failed (%s); no time zone", exc.response.get("error"))
            return None
        tz = (response.get("user") or {}).get("tz")
        zone = str(tz) if isinstance(tz, str) and tz else None
        with self._lock:
            self._zones[key] = (now, zone)
        return zone


USER_ZONES = UserZones()


def ports_for(deps: SlackDeps) -> Ports:
    return Ports(book=deps.store, corpus=deps.corpus, verdicts=deps.store, feedback=deps.store)


def context_for(
    deps: SlackDeps,
    client: WebClient,
    text: str,
    *,
    surface: Surface,
    channel: str | None,
    user: str,
    thread: str | None,
    topic: str | None = None,
    asked: Intent | None = None,
) -> Context:
    """The Context of one message; users.info is asked only when the reply may need a zone.

    A button under an answer names that answer's topic (`topic`), which is the thread's topic
    at the time the answer was posted; without one the thread's stored topic is used.
    """
    if topic is None and channel:
        topic = deps.store.thread_topic(channel, thread or DM_THREAD)
    zone_words = dict(deps.corpus().corpus.zone_words)
    tz = USER_ZONES.zone(client, user) if user and needs_user_zone(text, zone_words) else None
    return Context(
        surface=surface,
        channel=channel,
        user=user,
        now=datetime.now(UTC),
        user_tz=tz,
        thread_topic=topic,
        asked=asked,
    )


def message_of(reply: Reply) -> dict[str, Any]:
    """chat.postMessage arguments (text and blocks) for every kind but answers."""
    if isinstance(reply, PreviewReply):
        return {"text": fallback_text(preview_text(reply)), "blocks": preview_blocks(reply)}
    return {"text": fallback_text(reply_mrkdwn(reply)), "blocks": reply_blocks(reply)}


def announce(client: WebClient, channel: str, reply: ChangeReply) -> None:
    """The one line the channel sees when its digest changed (who changed what)."""
    client.chat_postMessage(channel=channel, text=reply.announcement)
    logger.info(
        "digest changed channel=%s before=%s after=%s",
        channel,
        reply.before.describe() if reply.before else None,
        reply.after.describe() if reply.after else None,
    )


def send_reply(
    deps: SlackDeps,
    client: WebClient,
    reply: Reply,
    *,
    channel: str,
    thread: str | None,
    surface: Surface,
    started: float | None = None,
    page: int = 0,
) -> None:
    """Post a reply where the message was (in its thread); a change is also announced at the
    channel's top level, since a thread reply is easily missed."""
    if isinstance(reply, AnswerReply):
        post_answer(
            deps,
            client,
            reply.answer,
            channel=channel,
            thread=thread,
            surface=surface,
            started=started,
            page=page,
        )
        return
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread,
        unfurl_links=False,
        unfurl_media=False,
        **message_of(reply),
    )
    if isinstance(reply, ChangeReply):
        announce(client, channel, reply)
    logger.info("replied kind=%s channel=%s thread=%s", reply.kind, channel, thread)
