"""Digest -> Slack messages (the top-level one, then its thread) and text, from the one layout.

``layout_digest`` (bot/render/layout.py) decides what each message shows, as the same typed
parts an answer has; this module only draws them: Block Kit through the answers' part
renderer, and plain lines for the terminal preview and Slack's fallback text.
"""

from __future__ import annotations

from bot.models import Digest, Disagreement, Flag
from bot.render import kit
from bot.render.actions import (
    ACTION_VERDICT_CURATOR,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_REAL,
    button_value,
)
from bot.render.blocks import disagreement_mrkdwn, part_blocks
from bot.render.flags import THREAD_QUOTE_MAX, THREAD_SIDES_MAX, sides_mrkdwn
from bot.render.kit import Block
from bot.render.layout import (
    DigestLayout,
    DigestMessage,
    digest_disagreement,
    flag_quotes,
    layout_digest,
    part_lines,
    period_label,
)
from bot.render.limits import (
    BLOCK_ID_MAX,
    DIGEST_TOP_BLOCKS_MAX,
    DIGEST_TOP_TEXT_MAX,
    MESSAGE_BLOCKS_MAX,
    check_blocks,
)
from bot.render.mrkdwn import escape_mrkdwn, one_line

__all__ = [
    "conflict_thread_blocks",
    "messages_text",
    "period_label",
    "render_digest_messages",
    "render_digest_text",
    "verdict_line",
]

TOP_TEXT_MAX = DIGEST_TOP_TEXT_MAX
TOP_BLOCKS_MAX = DIGEST_TOP_BLOCKS_MAX
VERDICT_LABELS = (
    (ACTION_VERDICT_REAL, "Real disagreement", "primary"),
    (ACTION_VERDICT_NOT, "Not a disagreement", None),
    (ACTION_VERDICT_CURATOR, "Needs a curator", None),
)


def _reports(n: int) -> str:
    return f"{n} report" if n == 1 else f"{n} reports"


def conflict_thread_blocks(flag: Flag) -> list[Block]:
    """One disagreement as its own thread reply: its plain line, both exact quotes (each
    shortened at a sentence or clause when very long), and the three verdict buttons."""
    value = button_value(topic=flag.topic, flag=flag.flag_id)
    buttons = [kit.button(label, action, value, style) for action, label, style in VERDICT_LABELS]
    quotes = sides_mrkdwn(flag, THREAD_QUOTE_MAX, THREAD_SIDES_MAX)
    text = disagreement_mrkdwn(digest_disagreement(flag)) + (f"\n{quotes}" if quotes else "")
    return [
        *kit.sections(text),
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


def _message_blocks(
    layout: DigestLayout, message: DigestMessage, index: int, details: int
) -> list[Block]:
    if message.role == "nothing_new":
        lead, note = (one_line(part_lines(p)[0]) for p in message.parts)
        head = f"*{escape_mrkdwn(layout.headline)}*: {escape_mrkdwn(lead)}"
        return kit.sections(f"{head}\n{escape_mrkdwn(note)}")
    if message.role == "disagreement":
        (part,) = message.parts
        assert isinstance(part, Disagreement)
        return conflict_thread_blocks(part.flag)
    body = [b for part in message.parts for b in part_blocks(part, _topic(part))]
    if message.role == "top":
        return [kit.header(layout.headline), *body]
    if message.role == "details":
        label = f" ({index}/{details})" if details > 1 else ""
        opening = f"Digest {escape_mrkdwn(layout.period)} · details{label}"
    else:
        opening = f"Digest {escape_mrkdwn(layout.period)} · more new disagreements"
    return [kit.context(opening), *body]


def _topic(part: object) -> str | None:
    return part.flag.topic if isinstance(part, Disagreement) else None


def render_digest_messages(digest: Digest) -> list[list[Block]]:
    """The top-level message (at most 3,000 characters and 25 blocks: header, new reports,
    headlines, new disagreements, one line for the older ones), then its thread: what changed,
    the points by topic, then each new disagreement as its own reply with verdict buttons.
    A week with nothing new is one two-line message. Never empty."""
    layout = layout_digest(digest)
    details = len(layout.details)
    messages: list[list[Block]] = []
    n = 0
    for message in layout.messages:
        n += message.role == "details"
        messages.append(_message_blocks(layout, message, n, details))
    check_blocks(messages[0], TOP_BLOCKS_MAX, text_limit=TOP_TEXT_MAX)
    for blocks in messages[1:]:
        check_blocks(blocks, MESSAGE_BLOCKS_MAX)
    return messages


def messages_text(messages: list[list[Block]]) -> str:
    """What a reader sees of rendered messages, as text (goldens, the terminal)."""
    out: list[str] = []
    for n, message in enumerate(messages):
        out.append("── top-level message ──" if n == 0 else f"── thread reply {n} ──")
        for block in message:
            kind = block.get("type")
            if kind in ("header", "section"):
                text = str(block["text"]["text"])
                accessory = block.get("accessory")
                if accessory:
                    text += f"  [{accessory['text']['text']}]"
                out.append(text)
            elif kind == "context":
                out.extend(str(e.get("text", "")) for e in block.get("elements", []))
            elif kind == "actions":
                out.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
            elif kind == "divider":
                out.append("---")
    return "\n".join(out) + "\n"


def digest_lines(digest: Digest) -> list[str]:
    """The digest as plain lines, message after message in the layout's order: the terminal
    preview of ``briefbot digest`` and the fallback text of the posted messages."""
    layout = layout_digest(digest)
    lines = [f"{layout.headline} · {_reports(digest.report_count)}"]
    for index, message in enumerate(layout.messages):
        lines.append("")
        if index == 1:
            lines.extend(["── in the thread ──", ""])
        for n, part in enumerate(message.parts):
            if n:
                lines.append("")
            part_text = part_lines(part)
            if message.role == "nothing_new" and n == 0:
                part_text = [part_text[0][:1].upper() + part_text[0][1:]]
            lines.extend(part_text)
            if message.role == "disagreement" and isinstance(part, Disagreement):
                lines.extend(f"    › {q}" for q in flag_quotes(part.flag))
    return lines


def render_digest_text(digest: Digest, *, escape: bool = True) -> str:
    """The whole digest as text (Slack fallback; mrkdwn-escaped unless ``escape=False``)."""
    text = "\n".join(digest_lines(digest))
    return escape_mrkdwn(text) if escape else text
