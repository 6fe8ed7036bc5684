"""check_blocks refuses every Slack limit slack-sdk does not check."""

from __future__ import annotations

from typing import Any

import pytest

from bot.render import BlockLimitError, check_blocks
from bot.render.limits import (
    ACTION_ELEMENTS_MAX,
    BLOCK_ID_MAX,
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    HEADER_TEXT_MAX,
    HOME_BLOCKS_MAX,
    MESSAGE_BLOCKS_MAX,
    MESSAGE_BLOCKS_TEXT_MAX,
    SECTION_TEXT_MAX,
    block_text_length,
)


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def btn(text: str = "ok", action_id: str = "a", value: str = "{}") -> dict[str, Any]:
    label = {"type": "plain_text", "text": text}
    return {"type": "button", "text": label, "action_id": action_id, "value": value}


def ctx(n: int) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * n}


def test_limits_are_slacks() -> None:
    assert (MESSAGE_BLOCKS_MAX, HOME_BLOCKS_MAX, SECTION_TEXT_MAX) == (50, 100, 3000)
    assert (HEADER_TEXT_MAX, BUTTON_TEXT_MAX, CONTEXT_ELEMENTS_MAX) == (150, 75, 10)
    assert (ACTION_ELEMENTS_MAX, BLOCK_ID_MAX, BUTTON_VALUE_MAX) == (25, 255, 2000)


def test_a_message_at_the_limits_passes() -> None:
    blocks = [section("x" * SECTION_TEXT_MAX, block_id="b" * BLOCK_ID_MAX)]
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": "h" * 150}})
    blocks.append(ctx(CONTEXT_ELEMENTS_MAX))
    blocks.append(
        {
            "type": "actions",
            "elements": [btn("t" * 75, f"a{i}", "v" * 2000) for i in range(ACTION_ELEMENTS_MAX)],
        }
    )
    blocks.extend(section() for _ in range(MESSAGE_BLOCKS_MAX - len(blocks)))
    check_blocks(blocks, text_limit=None)


@pytest.mark.parametrize(
    ("blocks", "limit", "message"),
    [
        ([section()] * 51, 50, "51 blocks"),
        ([section()] * 101, 100, "101 blocks"),
        ([], 50, "at least one block"),
        ([section("x" * 3001)], 50, "section text"),
        ([section("  ")], 50, "empty section"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], 50, "header"),
        ([ctx(11)], 50, "context"),
        (
            [{"type": "actions", "elements": [btn(action_id=f"a{i}") for i in range(26)]}],
            50,
            "actions",
        ),
        ([{"type": "actions", "elements": [btn("t" * 76)]}], 50, "button text"),
        ([{"type": "actions", "elements": [btn(value="v" * 2001)]}], 50, "button value"),
        ([{"type": "actions", "elements": [btn(), btn()]}], 50, "duplicate action_id"),
        ([section(block_id="b" * 256)], 50, "block_id"),
        ([section(block_id="x"), section(block_id="x")], 50, "duplicate block_id"),
    ],
)
def test_each_broken_limit_is_named(blocks: list[dict[str, Any]], limit: int, message: str) -> None:
    with pytest.raises(BlockLimitError, match=message):
        check_blocks(blocks, limit)


def test_home_tab_limit_allows_100() -> None:
    check_blocks([section()] * 100, HOME_BLOCKS_MAX)


def test_total_text_of_a_message_is_bounded() -> None:
    blocks = [section("x" * 3000) for _ in range(4)]
    assert sum(block_text_length(b) for b in blocks) > MESSAGE_BLOCKS_TEXT_MAX
    with pytest.raises(BlockLimitError, match="characters of text"):
        check_blocks(blocks)
    check_blocks(blocks, text_limit=None)


def test_text_length_counts_sections_contexts_and_buttons() -> None:
    assert block_text_length(section("abc")) == 3
    assert block_text_length(ctx(3)) == 3
    assert block_text_length({"type": "actions", "elements": [btn("four"), btn("six!!!")]}) == 10
