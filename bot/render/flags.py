"""How a conflict, consensus or single-source flag reads, in mrkdwn and in plain text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.models import CONFLICT_KINDS, KIND_WORDS, Flag, kind_words
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, source_label

__all__ = [
    "KIND_WORDS",
    "flag_mrkdwn",
    "flag_plain",
    "is_disagreement",
    "kind_words",
    "quotes_mrkdwn",
    "split_flags",
]

CLAIM_MAX = 300
SUMMARY_MAX = 600
MARKERS = {"consensus": "✅", "single_source": "☝️"}


def is_disagreement(flag: Flag) -> bool:
    return flag.kind in CONFLICT_KINDS


def split_flags(flags: Iterable[Flag]) -> tuple[list[Flag], list[Flag]]:
    """(disagreements, the rest: consensus and single-source), order kept."""
    disagreements: list[Flag] = []
    others: list[Flag] = []
    for flag in flags:
        (disagreements if is_disagreement(flag) else others).append(flag)
    return disagreements, others


def flag_mrkdwn(flag: Flag, titles: Mapping[str, str]) -> str:
    """One ⚠/✅/☝️ paragraph: the summary line, then one line per side with its claim."""
    mark = "⚠" if is_disagreement(flag) else MARKERS.get(flag.kind, "•")
    kind = KIND_WORDS.get(flag.kind, flag.kind)
    summary = escape_mrkdwn(shorten(one_line(flag.summary), SUMMARY_MAX))
    lines = [f"{mark} *{kind}:* {summary}" if summary else f"{mark} *{kind}*"]
    for side in flag.sides:
        title = escape_mrkdwn(one_line(side.title or source_label(side.source_id, dict(titles))))
        heading = escape_mrkdwn(one_line(side.heading))
        claim = escape_mrkdwn(shorten(one_line(side.claim), CLAIM_MAX))
        lines.append(f"    › _{title}_, § {heading}: “{claim}”")
    return "\n".join(lines)


def flag_plain(flag: Flag, titles: Mapping[str, str]) -> list[str]:
    """The same paragraph as plain lines (no markup, no escaping)."""
    mark = "⚠" if is_disagreement(flag) else MARKERS.get(flag.kind, "•")
    kind = KIND_WORDS.get(flag.kind, flag.kind)
    summary = shorten(one_line(flag.summary), SUMMARY_MAX)
    lines = [f"{mark} {kind}: {summary}" if summary else f"{mark} {kind}"]
    for side in flag.sides:
        title = one_line(side.title or source_label(side.source_id, dict(titles)))
        claim = shorten(one_line(side.claim), CLAIM_MAX)
        lines.append(f"    › {title}, § {one_line(side.heading)}: “{claim}”")
    return lines


def quotes_mrkdwn(flag: Flag) -> str:
    """Both (or all) exact quotes of a disagreement, whole, each under its report and heading."""
    lines = [f"⚠ *{escape_mrkdwn(kind_words(flag.kind).capitalize())}*"]
    for side in flag.sides:
        title = escape_mrkdwn(one_line(side.title or side.source_id))
        heading = escape_mrkdwn(one_line(side.heading))
        lines.append(f"> _{title}_, § {heading}:\n> “{escape_mrkdwn(one_line(side.claim))}”")
    return "\n".join(lines)
