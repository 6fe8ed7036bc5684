"""Pure rendering: Answer / Digest -> Slack Block Kit, plain text, rich terminal output, JSON."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.render.blocks import render_blocks, render_pages
    from bot.render.digest import (
        render_digest_messages,
        render_digest_text,
    )
    from bot.render.home import (
        HomeSubscriptionRow,
        HomeTopicRow,
        render_home,
    )
    from bot.render.jsonout import answer_to_json, flag_to_json
    from bot.render.limits import BlockLimitError, check_blocks
    from bot.render.mrkdwn import escape_mrkdwn
    from bot.render.text import print_answer, render_text

# Imported on first use: slack_sdk (Block Kit models) costs ~0.1 s, which the plain-text path of
# `briefbot ask` should not pay.
_WHERE = {
    "render_blocks": "blocks",
    "render_pages": "blocks",
    "render_digest_messages": "digest",
    "render_digest_text": "digest",
    "HomeSubscriptionRow": "home",
    "HomeTopicRow": "home",
    "render_home": "home",
    "answer_to_json": "jsonout",
    "flag_to_json": "jsonout",
    "BlockLimitError": "limits",
    "check_blocks": "limits",
    "escape_mrkdwn": "mrkdwn",
    "print_answer": "text",
    "render_text": "text",
}

__all__ = [
    "BlockLimitError",
    "HomeSubscriptionRow",
    "HomeTopicRow",
    "answer_to_json",
    "check_blocks",
    "escape_mrkdwn",
    "flag_to_json",
    "print_answer",
    "render_blocks",
    "render_digest_messages",
    "render_digest_text",
    "render_home",
    "render_pages",
    "render_text",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'bot.render' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"bot.render.{module}"), name)
    globals()[name] = value
    return value
