"""Action ids of the buttons briefbot renders, and the small JSON values they carry."""

from __future__ import annotations

import json
from typing import Any

from bot.render.limits import BUTTON_VALUE_MAX

ACTION_SOURCES = "briefbot_sources"
ACTION_MORE = "briefbot_more"
ACTION_SUBSCRIBE = "briefbot_subscribe"
ACTION_FEEDBACK_UP = "briefbot_feedback_up"
ACTION_FEEDBACK_DOWN = "briefbot_feedback_down"
ACTION_NEXT_PAGE = "briefbot_next_page"
# Both exact quotes of one disagreement, in the thread (value: {"flag": flag_id, ...}).
ACTION_SHOW_QUOTES = "briefbot_show_quotes"
# A team's verdict on one disagreement of a digest (issue 11); the value names the flag.
ACTION_VERDICT_REAL = "briefbot_verdict_real"
ACTION_VERDICT_NOT = "briefbot_verdict_not"
ACTION_VERDICT_CURATOR = "briefbot_verdict_curator"
# A choice of a question back (Keep / Replace, which day, which hour); the value carries the
# request the choice makes ({"say": "subscribe fri 16:00 Europe/London"}), so no server state.
ACTION_CHOICE = "briefbot_choice"
VERDICT_ACTIONS: dict[str, str] = {
    ACTION_VERDICT_REAL: "real",
    ACTION_VERDICT_NOT: "not_disagreement",
    ACTION_VERDICT_CURATOR: "needs_curator",
}

ALL_ACTIONS: tuple[str, ...] = (
    ACTION_SOURCES,
    ACTION_MORE,
    ACTION_SUBSCRIBE,
    ACTION_FEEDBACK_UP,
    ACTION_FEEDBACK_DOWN,
    ACTION_NEXT_PAGE,
    ACTION_SHOW_QUOTES,
    ACTION_VERDICT_REAL,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_CURATOR,
    ACTION_CHOICE,
)

# The question is only context for the handler (it re-asks it); keep values small.
QUESTION_MAX = 500


def _dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def button_value(
    *, topic: str | None, question: str = "", max_len: int = BUTTON_VALUE_MAX, **extra: Any
) -> str:
    """A compact JSON button value ``{"topic": ..., "q": ..., **extra}`` of at most ``max_len``.

    The question is cut at a word boundary until the value fits.
    """
    q = question[:QUESTION_MAX]
    if len(q) < len(question):
        cut = q.rfind(" ")
        q = q[:cut] if cut > 0 else q
    while True:
        value = _dump({"topic": topic, "q": q, **extra})
        if len(value) <= max_len:
            return value
        if not q:
            raise ValueError(f"button value cannot fit in {max_len} characters: {value[:80]}…")
        # Drop about a quarter (at least one character), preferring a word boundary.
        keep = len(q) - max(1, len(q) // 4)
        cut = q.rfind(" ", 0, keep)
        q = q[: cut if cut > 0 else keep]


def parse_button_value(value: str) -> dict[str, Any]:
    """The dict inside a button value (empty when it is not a JSON object)."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
