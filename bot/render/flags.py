"""How a flag reads: which kinds are disagreements, and a disagreement's exact quotes."""

from __future__ import annotations

from bot.models import CONFLICT_KINDS, KIND_WORDS, Flag, kind_words
from bot.render.mrkdwn import escape_mrkdwn, escaped_within, one_line
from bot.sentences import shorten_quote

__all__ = [
    "KIND_WORDS",
    "is_disagreement",
    "kind_words",
    "quotes_mrkdwn",
    "sides_mrkdwn",
]

# In a digest's thread reply, where the quotes share a message with the verdict buttons.
THREAD_QUOTE_MAX = 700
THREAD_SIDES_MAX = 6
_NAME_MAX = 150


def is_disagreement(flag: Flag) -> bool:
    return flag.kind in CONFLICT_KINDS


def sides_mrkdwn(flag: Flag, quote_max: int | None = None, sides_max: int | None = None) -> str:
    """Each side's exact quote under its report and heading, as mrkdwn quote lines; whole
    unless ``quote_max`` bounds each (a digest's thread reply), at most ``sides_max`` sides."""
    shown = flag.sides[:sides_max] if sides_max else flag.sides
    lines: list[str] = []
    for side in shown:
        title = escaped_within(side.title or side.source_id, _NAME_MAX)
        heading = escaped_within(side.heading, _NAME_MAX)
        claim = escape_mrkdwn(one_line(side.claim))
        if quote_max and len(claim) > quote_max:
            # Whole sentences or a clause when they fit, never mid-phrase; entities can still
            # make it longer, and then it is cut at a word.
            claim = escape_mrkdwn(shorten_quote(side.claim, quote_max))
            if len(claim) > quote_max:
                claim = escaped_within(side.claim, quote_max)
        lines.append(f"> _{title}_, § {heading}:\n> “{claim}”")
    if len(shown) < len(flag.sides):
        lines.append(f"…and {len(flag.sides) - len(shown)} more reports")
    return "\n".join(lines)


def quotes_mrkdwn(flag: Flag) -> str:
    """Both (or all) exact quotes of a disagreement, whole, each under its report and heading."""
    head = f"⚠ *{escape_mrkdwn(kind_words(flag.kind).capitalize())}*"
    sides = sides_mrkdwn(flag)
    return f"{head}\n{sides}" if sides else head
