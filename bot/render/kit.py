"""Small Block Kit constructors over slack_sdk's block models that keep within our limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.limits import (
    BUTTON_TEXT_MAX,
    CONTEXT_ELEMENTS_MAX,
    CONTEXT_TEXT_MAX,
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
)
from bot.render.mrkdwn import neutralize_plain, one_line, shorten, split_text

Block = dict[str, Any]


def header(text: str, fallback: str = "briefbot") -> Block:
    """A header block; plain text, one line, shortened at a word boundary to 150 characters."""
    plain = one_line(neutralize_plain(text)) or fallback
    return HeaderBlock(
        text=PlainTextObject(text=shorten(plain, HEADER_TEXT_MAX), emoji=True)
    ).to_dict()


def sections(mrkdwn: str) -> list[Block]:
    """One section per ≤3000-character chunk of already-escaped mrkdwn (split at lines/words)."""
    return [
        SectionBlock(text=MarkdownTextObject(text=chunk)).to_dict()
        for chunk in split_text(mrkdwn, SECTION_TEXT_MAX)
    ]


def context(*mrkdwn: str) -> Block:
    """A context block of up to 10 mrkdwn elements (each shortened to the text limit)."""
    elements = [MarkdownTextObject(text=shorten(t, CONTEXT_TEXT_MAX)) for t in mrkdwn if t.strip()][
        :CONTEXT_ELEMENTS_MAX
    ]
    if not elements:
        elements = [MarkdownTextObject(text="…")]
    return ContextBlock(elements=elements).to_dict()


def divider() -> Block:
    return DividerBlock().to_dict()


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=shorten(text, BUTTON_TEXT_MAX), emoji=True),
        action_id=action_id,
        value=value,
        style=style,
    )


def actions(buttons: Sequence[ButtonElement], block_id: str | None = None) -> Block:
    return ActionsBlock(elements=list(buttons), block_id=block_id).to_dict()
