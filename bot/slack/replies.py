"""Post an answer: Block Kit rendering, Web API send, the thread's topic remembered."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk import WebClient

from bot.models import Answer
from bot.ops.metrics import record_answer
from bot.render import render_blocks, render_pages, render_text
from bot.slack.delivery_rules import DM_THREAD, fallback_text
from bot.slack.deps import SlackDeps

logger = logging.getLogger(__name__)


def message_args(answer: Answer, page: int = 0) -> dict[str, Any]:
    """chat.postMessage arguments for one page of an answer (blocks plus plain fallback)."""
    if page <= 0:
        blocks = render_blocks(answer)
    else:
        pages = render_pages(answer)
        blocks = pages[min(page, len(pages) - 1)]  # a stale button gets the last page
    return {"blocks": blocks, "text": fallback_text(render_text(answer))}


def post_answer(
    deps: SlackDeps,
    client: WebClient,
    answer: Answer,
    *,
    channel: str,
    thread: str | None,
    page: int = 0,
    surface: str = "mention",
    started: float | None = None,
) -> str:
    """Post an answer and remember its topic for follow-ups in the same thread; returns its ts.

    In a thread the topic is remembered first, so a quick follow-up already sees it; a
    top-level answer starts a thread named by its own ts, known only once it is posted.
    """
    if answer.topic and thread:
        deps.store.remember_thread_topic(channel, thread, answer.topic)
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread,
        unfurl_links=False,
        unfurl_media=False,
        **message_args(answer, page),
    )
    ts = str(response["ts"])
    if answer.topic and not thread:
        deps.store.remember_thread_topic(channel, ts, answer.topic)
        if channel.startswith("D"):
            # A DM is one conversation: a top-level follow-up continues it.
            deps.store.remember_thread_topic(channel, DM_THREAD, answer.topic)
    if started is not None:
        record_answer(answer.intent.value, time.monotonic() - started, surface=surface)
    logger.info(
        "answered intent=%s topic=%s channel=%s thread=%s",
        answer.intent.value,
        answer.topic,
        channel,
        thread,
    )
    return ts
