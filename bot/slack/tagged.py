"""Edge: tag a message with Slack message metadata, and find a tagged message again.

Both exactly-once paths need this: a taken-over event looks for the answer its dead replica
may have posted, and a taken-over digest looks for the part its dead sender may have posted.
The tag is Slack's message metadata (`event_type` plus a small payload); finding it means
reading conversations.history (a channel message) or conversations.replies (a thread reply)
with `include_all_metadata`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

LOOKUP_PAGES = 10  # at most this many pages of 200 messages are searched
PAGE_SIZE = 200


def message_tag(event_type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Slack message metadata naming what a message is (`event_type`) and which (`payload`)."""
    return {"event_type": event_type, "event_payload": dict(payload)}


def is_tagged(message: object, event_type: str, match: Mapping[str, Any]) -> bool:
    """Whether a message from conversations.history/replies carries this tag.

    Every key of `match` must be in the payload with an equal value; values are compared as
    text, because Slack may hand numbers back as strings."""
    if not isinstance(message, Mapping):
        return False
    meta = message.get("metadata") or {}
    if not isinstance(meta, Mapping) or meta.get("event_type") != event_type:
        return False
    payload = meta.get("event_payload") or {}
    if not isinstance(payload, Mapping):
        return False
    return all(key in payload and str(payload[key]) == str(v) for key, v in match.items())


class HistoryClient(Protocol):
    """The two slack_sdk WebClient methods a lookup needs."""

    def conversations_history(self, *, channel: str, **kwargs: Any) -> Any: ...

    def conversations_replies(self, *, channel: str, ts: str, **kwargs: Any) -> Any: ...


def _ts(message: Any) -> float:
    try:
        return float(message.get("ts", 0))
    except (TypeError, ValueError, AttributeError):
        return 0.0


def find_tagged(
    client: HistoryClient,
    channel: str,
    event_type: str,
    match: Mapping[str, Any],
    *,
    thread_ts: str | None = None,
    oldest: str | None = None,
    stop_before: float | None = None,
    pages: int = LOOKUP_PAGES,
) -> str | None:
    """The ts of the message in `channel` (or in the thread `thread_ts`) tagged with
    `event_type` and `match`, or None when there is none. Raises when Slack cannot be asked.

    A channel message is looked for in conversations.history (newest first), from the ts
    `oldest` on when given; paging also stops once a page reaches back before `stop_before`
    (seconds). A thread reply is looked for in conversations.replies of that thread.
    """
    cursor: str | None = None
    for _ in range(max(1, pages)):
        options: dict[str, Any] = {"include_all_metadata": True, "limit": PAGE_SIZE}
        if cursor:
            options["cursor"] = cursor
        if thread_ts is None:
            if oldest is not None:
                options["oldest"] = oldest
            page = client.conversations_history(channel=channel, **options)
        else:
            page = client.conversations_replies(channel=channel, ts=thread_ts, **options)
        messages = list(page.get("messages") or [])
        for message in messages:
            if is_tagged(message, event_type, match):
                return str(message.get("ts") or "")
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor or not page.get("has_more", True):
            return None
        reached_back = stop_before is not None and any(_ts(m) < stop_before for m in messages)
        if thread_ts is None and reached_back:
            return None
    return None
