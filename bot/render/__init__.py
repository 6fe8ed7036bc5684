"""Pure rendering: Answer / Digest -> Slack Block Kit, plain text, rich terminal output, JSON."""

from __future__ import annotations

from bot.render.blocks import render_blocks, render_pages
from bot.render.jsonout import answer_to_json, flag_to_json
from bot.render.limits import BlockLimitError, check_blocks
from bot.render.mrkdwn import escape_mrkdwn
from bot.render.text import print_answer, render_text

__all__ = [
    "BlockLimitError",
    "answer_to_json",
    "check_blocks",
    "escape_mrkdwn",
    "flag_to_json",
    "print_answer",
    "render_blocks",
    "render_pages",
    "render_text",
]
