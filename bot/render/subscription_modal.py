"""Pure: the "Subscribe this channel" modal, prefilled with the channel's current schedule."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.conversation.replies import Plan
from bot.models import Topic
from bot.render.mrkdwn import shorten
from bot.schedule import DAYS

CALLBACK_SUBSCRIBE = "briefbot_subscribe_modal"
# block_id = action_id of each input, so a validation error names the field it is about.
FIELD_CHANNEL = "channel"
FIELD_DAY = "day"
FIELD_TIME = "time"
FIELD_ZONE = "zone"
FIELD_TOPICS = "topics"
_OPTIONS_MAX = 100  # Slack: a select has at most 100 options
_OPTION_TEXT_MAX = 75
_DAY_LABELS = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _plain(shorten(text, _OPTION_TEXT_MAX)), "value": value}


def _input(
    field: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field,
        "label": _plain(label),
        "element": {**element, "action_id": field},
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def subscription_modal(
    *, channel: str | None, plan: Plan, topics: Mapping[str, Topic], subscribed: bool
) -> dict[str, Any]:
    """The modal view: channel picker, day, time, zone and topics, prefilled with `plan` (the
    current schedule, or the proposal for a channel without one). Nothing is saved until
    the person presses Save."""
    topic_options = [_option(t.id, t.name) for t in list(topics.values())[:_OPTIONS_MAX]]
    chosen = [o for o in topic_options if o["value"] in plan.topics]
    channel_select: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "default_to_current_conversation": True,
    }
    if channel:
        channel_select["initial_conversation"] = channel
    topics_select: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": _plain("All topics"),
        "options": topic_options,
    }
    if chosen:
        topics_select["initial_options"] = chosen
    day_options = [_option(d, _DAY_LABELS[d]) for d in DAYS]
    intro = (
        f"This channel gets a digest every {_DAY_LABELS.get(plan.day, plan.day)} at {plan.time} "
        f"({plan.tz}), {plan.what}. Change what you like; nothing changes until you save."
        if subscribed
        else "A weekly digest of what is new in the reports. Nothing is saved until you save."
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_SUBSCRIBE,
        "title": _plain("Weekly digest"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps({"channel": channel or ""}),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
            _input(FIELD_CHANNEL, "Channel", channel_select),
            _input(
                FIELD_DAY,
                "Day",
                {
                    "type": "static_select",
                    "options": day_options,
                    "initial_option": _option(plan.day, _DAY_LABELS.get(plan.day, plan.day)),
                },
            ),
            _input(FIELD_TIME, "Time", {"type": "timepicker", "initial_time": plan.time}),
            _input(
                FIELD_ZONE,
                "Time zone",
                {"type": "plain_text_input", "initial_value": plan.tz, "max_length": 64},
                hint="An IANA zone name, e.g. Europe/London, America/New_York or UTC",
            ),
            _input(
                FIELD_TOPICS,
                "Topics",
                topics_select,
                optional=True,
                hint="Leave empty for every topic",
            ),
        ],
    }


def submitted_fields(view: Mapping[str, Any]) -> dict[str, Any]:
    """(channel, day, time, zone, topic ids) read from a view_submission's state; missing
    or odd values come back empty, for the conversation layer to refuse with a reason."""
    values = (view.get("state") or {}).get("values") or {}

    def field(name: str) -> dict[str, Any]:
        got = (values.get(name) or {}).get(name) or {}
        return got if isinstance(got, dict) else {}

    option = field(FIELD_DAY).get("selected_option") or {}
    topics = [
        str(o.get("value", ""))
        for o in field(FIELD_TOPICS).get("selected_options") or []
        if isinstance(o, dict)
    ]
    return {
        "channel": str(field(FIELD_CHANNEL).get("selected_conversation") or ""),
        "day": str(option.get("value", "") if isinstance(option, dict) else ""),
        "time": str(field(FIELD_TIME).get("selected_time") or ""),
        "zone": str(field(FIELD_ZONE).get("value") or "").strip(),
        "topics": tuple(t for t in topics if t),
    }
