"""Pure: a chat question -> Match (intent + topic); every candidate scored, floor applied."""

from __future__ import annotations

from bot.matcher.match import match_question
from bot.matcher.normalize import normalize, normalize_for_index, strip_markup
from bot.matcher.tables import prepare

__all__ = [
    "match_question",
    "normalize",
    "normalize_for_index",
    "prepare",
    "strip_markup",
]
