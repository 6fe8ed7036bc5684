"""Slack's delivery rules as small pure helpers: event ids, retries, threads, mentions, refs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# The label stops at the next "<" as well as at ">": with `[^>]*` a message of repeated `<@U1|`
# made every one of its 10,000 openings scan to the end (quadratic: 80,000 characters, 6 s).
_MENTION = re.compile(r"<@[UW][A-Z0-9]{1,40}(?:\|[^<>]{0,500})?>")
# A Slack message's `text` holds at most 40,000 characters; notifications show far less.
FALLBACK_TEXT_LIMIT = 3000
DM_THREAD = "im"  # thread key for a DM's top-level conversation


def event_id(body: Mapping[str, Any]) -> str | None:
    value = body.get("event_id")
    return str(value) if value else None


def retry_num(headers: Mapping[str, Sequence[str] | str]) -> int:
    """X-Slack-Retry-Num of a delivery (0 for the first attempt)."""
    raw = headers.get("x-slack-retry-num")
    value = raw[0] if isinstance(raw, Sequence) and not isinstance(raw, str) and raw else raw
    try:
        return int(value) if isinstance(value, str) else 0
    except ValueError:
        return 0


def strip_mentions(text: str) -> str:
    """The question without the `<@U123>` mentions around it."""
    return " ".join(_MENTION.sub(" ", text).split())


def is_from_a_person(event: Mapping[str, Any]) -> bool:
    """A plain message a person typed (no bot, no edit/join/... subtype)."""
    return not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))


def mention_thread(event: Mapping[str, Any]) -> str:
    """Replies to a mention go in the mention's thread (or start one under it)."""
    return str(event.get("thread_ts") or event["ts"])


def dm_thread(event: Mapping[str, Any]) -> str | None:
    """A DM is answered where it was asked: in its thread if it has one, else top level."""
    value = event.get("thread_ts")
    return str(value) if value else None


def fallback_text(text: str) -> str:
    if len(text) <= FALLBACK_TEXT_LIMIT:
        return text
    return text[: FALLBACK_TEXT_LIMIT - 1].rstrip() + "…"
