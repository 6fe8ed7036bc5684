"""How a conflict, consensus or single-source flag reads, in mrkdwn and in plain text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.models import CONFLICT_KINDS, Flag
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, source_label

CLAIM_MAX = 300
SUMMARY_MAX = 600
# The one vocabulary for flag kinds: Slack, the terminal, the CLI `conflicts` and the README.
KIND_WORDS: dict[str, str] = {
    "stance": "different assessments",
    "numeric": "different figures",
    "timeline": "different dates",
    "verification": "unverified figure",
    "caution": "a caution",
    "consensus": "agreement",
    "single_source": "one report only",
}
MARKERS = {"consensus": "✅", "single_source": "☝️"}


def kind_words(kind: str) -> str:
    """The plain words for a flag kind ("different figures"), the same everywhere."""
    return KIND_WORDS.get(kind, kind.replace("_", " "))


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
