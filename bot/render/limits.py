"""Slack Block Kit limits slack-sdk does not check for us, and one validator for them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MESSAGE_BLOCKS_MAX = 50
HOME_BLOCKS_MAX = 100
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
CONTEXT_TEXT_MAX = 3000
ACTION_ELEMENTS_MAX = 25
BLOCK_ID_MAX = 255
ACTION_ID_MAX = 255
# Slack truncates a message's fallback ``text`` beyond this.
MESSAGE_TEXT_MAX = 40000
# Slack also refuses a message whose blocks hold too much text in total (``msg_blocks_too_long``,
# undocumented: about 12,000 text characters "with a buffer for block containers", reported to
# fail near 13,200). We stay well below it.
MESSAGE_BLOCKS_TEXT_MAX = 10000
# Ours, not Slack's (issue 11): what a reader takes in at a glance. The first message of an
# answer shows at most this much rendered text, later pages and a digest's top message 3,000.
FIRST_MESSAGE_TEXT_MAX = 1500
PAGE_TEXT_MAX = 3000
DIGEST_TOP_TEXT_MAX = 3000
DIGEST_TOP_BLOCKS_MAX = 25


class BlockLimitError(ValueError):
    """A rendered payload breaks one of Slack's Block Kit limits (a bug in a renderer)."""


def _text_of(obj: Any) -> str:
    if isinstance(obj, Mapping):
        text = obj.get("text")
        return text if isinstance(text, str) else ""
    return ""


def block_text_length(block: Mapping[str, Any]) -> int:
    """Characters of text a block shows: its text, its fields, its elements' texts and labels."""
    total = len(_text_of(block.get("text")))
    for item in [*(block.get("fields") or []), *(block.get("elements") or [])]:
        total += len(_text_of(item))
        if isinstance(item, Mapping):
            total += len(_text_of(item.get("text")))
    return total


def check_blocks(
    blocks: Iterable[Mapping[str, Any]],
    limit: int = MESSAGE_BLOCKS_MAX,
    *,
    text_limit: int | None = MESSAGE_BLOCKS_TEXT_MAX,
) -> None:
    """Raise BlockLimitError naming the first limit a list of block dicts breaks.

    ``limit`` is 50 for a message and 100 for a Home tab; ``text_limit`` bounds the text of all
    blocks together (a message's limit; pass None for a view).
    """
    blocks = list(blocks)
    if not blocks:
        raise BlockLimitError("a message needs at least one block")
    if len(blocks) > limit:
        raise BlockLimitError(f"{len(blocks)} blocks; at most {limit} are allowed")
    if text_limit is not None:
        total = sum(block_text_length(b) for b in blocks)
        if total > text_limit:
            raise BlockLimitError(
                f"blocks hold {total} characters of text; at most {text_limit} per message"
            )
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"block {i} ({kind})"
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > BLOCK_ID_MAX:
                raise BlockLimitError(f"{where}: block_id longer than {BLOCK_ID_MAX} characters")
            if block_id in block_ids:
                raise BlockLimitError(f"{where}: duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        if kind == "section":
            text = _text_of(block.get("text"))
            if not text.strip():
                raise BlockLimitError(f"{where}: empty section text")
            if len(text) > SECTION_TEXT_MAX:
                raise BlockLimitError(
                    f"{where}: section text has {len(text)} characters; at most {SECTION_TEXT_MAX}"
                )
        elif kind == "header":
            text = _text_of(block.get("text"))
            if not text.strip() or len(text) > HEADER_TEXT_MAX:
                raise BlockLimitError(
                    f"{where}: header text must have 1 to {HEADER_TEXT_MAX} characters"
                )
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > CONTEXT_ELEMENTS_MAX:
                raise BlockLimitError(
                    f"{where}: context needs 1 to {CONTEXT_ELEMENTS_MAX} elements"
                )
            for element in elements:
                text = _text_of(element)
                if not text.strip() or len(text) > CONTEXT_TEXT_MAX:
                    raise BlockLimitError(
                        f"{where}: context text must have 1 to {CONTEXT_TEXT_MAX} characters"
                    )
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > ACTION_ELEMENTS_MAX:
                raise BlockLimitError(f"{where}: actions needs 1 to {ACTION_ELEMENTS_MAX} elements")
            action_ids: set[str] = set()
            for element in elements:
                label = _text_of(element.get("text"))
                if not label.strip() or len(label) > BUTTON_TEXT_MAX:
                    raise BlockLimitError(
                        f"{where}: button text must have 1 to {BUTTON_TEXT_MAX} characters"
                    )
                value = element.get("value")
                if value is not None and len(value) > BUTTON_VALUE_MAX:
                    raise BlockLimitError(
                        f"{where}: button value longer than {BUTTON_VALUE_MAX} characters"
                    )
                action_id = element.get("action_id", "")
                if len(action_id) > ACTION_ID_MAX:
                    raise BlockLimitError(f"{where}: action_id longer than {ACTION_ID_MAX}")
                if action_id in action_ids:
                    raise BlockLimitError(f"{where}: duplicate action_id {action_id!r}")
                action_ids.add(action_id)
