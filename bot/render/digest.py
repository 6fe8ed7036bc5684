"""Digest -> Slack messages (the first for the channel, the rest for its thread) and plain text."""

from __future__ import annotations

from datetime import date, datetime

from bot.dates import format_published
from bot.models import Digest, DigestItem, Flag, Point
from bot.render import kit
from bot.render.actions import (
    ACTION_VERDICT_CURATOR,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_REAL,
    button_value,
)
from bot.render.flags import KIND_WORDS, MARKERS, flag_mrkdwn, flag_plain
from bot.render.kit import Block
from bot.render.limits import BLOCK_ID_MAX, MESSAGE_BLOCKS_MAX, block_text_length, check_blocks
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, source_label
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


def _body(digest: Digest, titles: dict[str, str]) -> list[Block]:
    """The thread's detail: each topic's new points, then agreement and lone figures."""
    blocks: list[Block] = []
    for item in ordered_items(digest):
        name = escape_mrkdwn(one_line(item.topic_name or item.topic)) or "Other"
        markers = _marker_text(item)
        label = f"*{name}*" + (f"   {markers}" if markers else "")
        blocks.extend(kit.point_sections(item.points, label))
    if digest.consensus:
        blocks.extend(_flag_sections("✅ Where the reports agree", digest.consensus, titles))
    if digest.single_source:
        blocks.extend(_flag_sections("☝️ Resting on one report", digest.single_source, titles))
    return blocks


# The top-level message is the week at a glance (issue 11): read in one screen on a Monday.
TOP_TEXT_MAX = 3000
TOP_BLOCKS_MAX = 25
HEADLINE_MAX = 220  # one line each
NEW_CONFLICTS_LISTED = 5  # in the top-level message; all of them get a thread reply
CONFLICT_THREADS_MAX = 10  # own thread replies with buttons; the rest share one message
VERDICT_LABELS = (
    (ACTION_VERDICT_REAL, "Real disagreement", "primary"),
    (ACTION_VERDICT_NOT, "Not a disagreement", None),
    (ACTION_VERDICT_CURATOR, "Needs a curator", None),
)
WHERE_OLDER = "see briefbot's Home tab"


def _report_names(digest: Digest) -> str:
    names = [
        f"*{escape_mrkdwn(one_line(r.title))}* "
        f"({format_published(r.published, r.published_precision)})"
        for r in digest.new_reports
    ]
    return ", ".join(names)


def _older_line(n: int) -> str:
    noun = "disagreement" if n == 1 else "disagreements"
    verb = "is" if n == 1 else "are"
    return f"{n} older {noun} {verb} still open: {WHERE_OLDER}."


def _flag_line(flag: Flag, titles: dict[str, str]) -> str:
    sides = " vs ".join(
        dict.fromkeys(
            escape_mrkdwn(one_line(s.title or source_label(s.source_id, titles)))
            for s in flag.sides
        )
    )
    kind = KIND_WORDS.get(flag.kind, flag.kind)
    summary = escape_mrkdwn(shorten(one_line(flag.summary), HEADLINE_MAX))
    return f"• *{kind}:* {summary} — _{sides}_"


def _top_level(digest: Digest, period: str) -> list[Block]:
    titles = digest_titles(digest)
    blocks = [kit.header(f"AI trends digest · {period}")]
    first = digest.changes is None
    if digest.new_reports:
        lead = "New in this digest" if first else "New since your last digest"
        blocks.append(kit.context(f"{lead}: {_report_names(digest)}"))
    if digest.headlines:
        lines = [
            f"• {escape_mrkdwn(shorten(one_line(h.text), HEADLINE_MAX))}"
            f" — _{escape_mrkdwn(h.source)}_"
            for h in digest.headlines
        ]
        blocks.append(kit.sections("*Headlines*\n" + "\n".join(lines))[0])
    if digest.new_conflicts:
        listed = digest.new_conflicts[:NEW_CONFLICTS_LISTED]
        lines = [_flag_line(f, titles) for f in listed]
        more = len(digest.new_conflicts) - len(listed)
        if more:
            lines.append(f"…and {more} more in the thread.")
        blocks.append(kit.sections("*New disagreements*\n" + "\n".join(lines))[0])
    tail = []
    if digest.older_conflicts:
        tail.append(_older_line(digest.older_conflicts))
    tail.append("Details, what changed and each disagreement with its quotes: in the thread ↓")
    blocks.append(kit.context(*tail))
    return _fit_top(blocks)


def _fit_top(blocks: list[Block]) -> list[Block]:
    """Keep the top level within 3,000 characters: drop headline lines from the end first."""
    while sum(block_text_length(b) for b in blocks) > TOP_TEXT_MAX:
        longest = max(range(1, len(blocks) - 1), key=lambda i: block_text_length(blocks[i]))
        text = blocks[longest].get("text", {}).get("text", "")
        lines = text.split("\n")
        if len(lines) <= 2:
            blocks.pop(longest)
            continue
        blocks[longest] = kit.sections("\n".join(lines[:-1]))[0]
    return blocks[:TOP_BLOCKS_MAX]


def _changes_blocks(digest: Digest) -> list[Block]:
    changes = digest.changes
    if changes is None:
        return kit.sections(
            "*What changed since your last digest*\n"
            "This is the channel's first digest: the next one starts from here."
        )
    lines: list[str] = []
    if changes.new_claims:
        lines.append(f"• {changes.new_claims} new claims from the new reports")
    for text in changes.new_disagreements:
        lines.append(f"• New disagreement: {escape_mrkdwn(shorten(one_line(text), HEADLINE_MAX))}")
    for text in changes.resolved_disagreements:
        lines.append(
            f"• No longer disagreeing: {escape_mrkdwn(shorten(one_line(text), HEADLINE_MAX))}"
        )
    for ch in changes.agreement:
        was = f"was {ch.before}" if ch.before else "new"
        lines.append(
            f"• Agreement: {escape_mrkdwn(shorten(one_line(ch.summary), HEADLINE_MAX))} "
            f"— {ch.after} reports ({was})"
        )
    if not lines:
        lines.append("• Nothing changed in claims, disagreements or agreement.")
    return kit.sections("*What changed since your last digest*\n" + "\n".join(lines))


def conflict_thread_blocks(flag: Flag, titles: dict[str, str]) -> list[Block]:
    """One disagreement as its own thread reply: both quotes and the three verdict buttons."""
    value = button_value(topic=flag.topic, flag=flag.flag_id)
    buttons = [kit.button(label, action, value, style) for action, label, style in VERDICT_LABELS]
    return [
        *kit.sections(flag_mrkdwn(flag, titles)),
        kit.actions(buttons, block_id=f"verdict:{flag.flag_id}"[:BLOCK_ID_MAX]),
    ]


def verdict_line(verdict: str, user: str) -> str:
    """The short line a verdict leaves in the disagreement's thread."""
    words = {
        "real": "Marked a real disagreement",
        "not_disagreement": "Marked not a disagreement",
        "needs_curator": "Sent to a curator",
    }
    return f"{words.get(verdict, 'Marked')} by <@{user}>"


def _nothing_new(digest: Digest, period: str) -> list[Block]:
    open_line = (
        _older_line(len(digest.conflicts)).replace(" older", "")
        if digest.conflicts
        else "No open disagreements between the reports."
    )
    return kit.sections(
        f"*AI trends digest · {escape_mrkdwn(period)}*: nothing new in the reports since "
        f"{_day(digest.period_start)}.\n{open_line}"
    )


def render_digest_messages(digest: Digest) -> list[list[Block]]:
    """The top-level message (at most 3,000 characters and 25 blocks: header, new reports,
    headlines, new disagreements, one line for the older ones), then its thread: what changed,
    the points by topic, then each new disagreement as its own reply with verdict buttons.
    A week with nothing new is one two-line message. Never empty."""
    period = period_label(digest)
    if digest.is_empty and not digest.new_conflicts:
        return [_nothing_new(digest, period)]
    messages = [_top_level(digest, period)]
    titles = digest_titles(digest)
    body = [*_changes_blocks(digest), kit.divider(), *_body(digest, titles)]
    chunks = kit.paginate(body, first_room=_MESSAGE_BODY_MAX, room=_MESSAGE_BODY_MAX)
    for index, chunk in enumerate(chunks, start=1):
        label = f" ({index}/{len(chunks)})" if len(chunks) > 1 else ""
        messages.append([kit.context(f"Digest {escape_mrkdwn(period)} · details{label}"), *chunk])
    own = digest.new_conflicts[:CONFLICT_THREADS_MAX]
    for flag in own:
        messages.append(conflict_thread_blocks(flag, titles))
    rest = digest.new_conflicts[CONFLICT_THREADS_MAX:]
    if rest:
        more = _flag_sections("More new disagreements", rest, titles)
        messages.extend(kit.paginate(more, first_room=_MESSAGE_BODY_MAX, room=_MESSAGE_BODY_MAX))
    check_blocks(messages[0], TOP_BLOCKS_MAX)
    for message in messages[1:]:
        check_blocks(message, MESSAGE_BLOCKS_MAX)
    return messages


def messages_text(messages: list[list[Block]]) -> str:
    """What a reader sees of rendered messages, as text (goldens, the terminal)."""
    out: list[str] = []
    for n, message in enumerate(messages):
        out.append("── top-level message ──" if n == 0 else f"── thread reply {n} ──")
        for block in message:
            kind = block.get("type")
            if kind in ("header", "section"):
                out.append(str(block["text"]["text"]))
            elif kind == "context":
                out.extend(str(e.get("text", "")) for e in block.get("elements", []))
            elif kind == "actions":
                out.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
            elif kind == "divider":
                out.append("---")
    return "\n".join(out) + "\n"


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
