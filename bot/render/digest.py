"""Digest -> Slack messages (the first for the channel, the rest for its thread) and plain text."""

from __future__ import annotations

from datetime import date, datetime

from bot.models import Digest, DigestItem, Flag, Point
from bot.render import kit
from bot.render.flags import MARKERS, flag_mrkdwn, flag_plain
from bot.render.kit import Block
from bot.render.limits import MESSAGE_BLOCKS_MAX, check_blocks
from bot.render.mrkdwn import escape_mrkdwn, one_line
from bot.render.points import points_plain

# Each message after the first opens with a "continued" line.
_MESSAGE_BODY_MAX = MESSAGE_BLOCKS_MAX - 1
MARKER_WORDS = {"consensus": "consensus", "single_source": "single source"}


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def period_label(digest: Digest) -> str:
    """``3 Mar 2025 – 10 Mar 2025`` (one day shown once)."""
    start, end = _day(digest.period_start), _day(digest.period_end)
    return start if start == end else f"{start} – {end}"


def _reports(n: int) -> str:
    return f"{n} report" if n == 1 else f"{n} reports"


def _published(point: Point) -> date:
    return point.citation.published or date.min


def ordered_items(digest: Digest) -> list[DigestItem]:
    """Items newest first (by their newest point), each item's points newest first."""
    items = [
        item.model_copy(update={"points": tuple(sorted(item.points, key=_published, reverse=True))})
        for item in digest.items
    ]
    return sorted(
        items,
        key=lambda it: max((_published(p) for p in it.points), default=date.min),
        reverse=True,
    )


def digest_titles(digest: Digest) -> dict[str, str]:
    return {
        p.citation.source_id: p.citation.title
        for item in digest.items
        for p in item.points
        if p.citation.title
    }


def _marker_text(item: DigestItem) -> str:
    return "  ".join(f"{MARKERS[m]} {MARKER_WORDS[m]}" for m in dict.fromkeys(item.markers))


def _flag_sections(title: str, flags: tuple[Flag, ...], titles: dict[str, str]) -> list[Block]:
    if not flags:
        return []
    return kit.sections(f"*{title}*\n" + "\n".join(flag_mrkdwn(f, titles) for f in flags))


def _body(digest: Digest) -> list[Block]:
    titles = digest_titles(digest)
    blocks: list[Block] = []
    if digest.is_empty:
        blocks.extend(
            kit.sections(f"Nothing new in the reports since {_day(digest.period_start)}.")
        )
        if digest.conflicts:
            blocks.extend(
                _flag_sections("⚠ Still open: sources disagree", digest.conflicts, titles)
            )
        else:
            blocks.extend(kit.sections("No open conflicts between the reports."))
        return blocks
    for item in ordered_items(digest):
        name = escape_mrkdwn(one_line(item.topic_name or item.topic)) or "Other"
        markers = _marker_text(item)
        label = f"*{name}*" + (f"   {markers}" if markers else "")
        blocks.extend(kit.point_sections(item.points, label))
    if digest.conflicts:
        blocks.append(kit.divider())
        blocks.extend(_flag_sections("⚠ Sources disagree", digest.conflicts, titles))
    if digest.consensus:
        blocks.extend(_flag_sections("✅ Where the reports agree", digest.consensus, titles))
    if digest.single_source:
        blocks.extend(_flag_sections("☝️ Resting on one report", digest.single_source, titles))
    return blocks


def render_digest_messages(digest: Digest) -> list[list[Block]]:
    """Messages of at most 50 blocks and 10,000 characters of text. The first (header with the
    period and the number of reports) goes to the channel, the others continue in its thread.
    Never empty."""
    period = period_label(digest)
    first_open = [
        kit.header(f"AI trends digest · {period}"),
        kit.context(f"*{_reports(digest.report_count)}* · {escape_mrkdwn(period)}"),
    ]
    body = _body(digest)
    chunks = kit.paginate(
        body, first_room=MESSAGE_BLOCKS_MAX - len(first_open), room=_MESSAGE_BODY_MAX
    )
    messages = [first_open + chunks[0]]
    for index, chunk in enumerate(chunks[1:], start=2):
        opener = kit.context(f"Digest {escape_mrkdwn(period)} · continued ({index}/{len(chunks)})")
        messages.append([opener, *chunk])
    for message in messages:
        check_blocks(message, MESSAGE_BLOCKS_MAX)
    return messages


def render_digest_text(digest: Digest, *, escape: bool = True) -> str:
    """The whole digest as text (Slack fallback; mrkdwn-escaped unless ``escape=False``)."""
    titles = digest_titles(digest)
    lines = [f"AI trends digest · {period_label(digest)} · {_reports(digest.report_count)}"]

    def flags_block(title: str, flags: tuple[Flag, ...]) -> None:
        if flags:
            lines.extend(["", title])
            for flag in flags:
                lines.extend(flag_plain(flag, titles))

    if digest.is_empty:
        lines.extend(["", f"Nothing new in the reports since {_day(digest.period_start)}."])
        if digest.conflicts:
            flags_block("⚠ Still open: sources disagree", digest.conflicts)
        else:
            lines.append("No open conflicts between the reports.")
    else:
        for item in ordered_items(digest):
            markers = _marker_text(item)
            name = one_line(item.topic_name or item.topic) or "Other"
            lines.extend(["", name + (f"   {markers}" if markers else "")])
            lines.extend(points_plain(item.points))
        flags_block("⚠ Sources disagree", digest.conflicts)
        flags_block("✅ Where the reports agree", digest.consensus)
        flags_block("☝️ Resting on one report", digest.single_source)
    text = "\n".join(lines)
    return escape_mrkdwn(text) if escape else text
