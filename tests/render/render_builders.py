"""Answers, flags and digests built directly from bot.models for the render tests, and the
Slack-side checks every rendered payload must pass."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.models.blocks import Block, BlockElement
from slack_sdk.models.views import View

from bot.models import (
    Answer,
    Citation,
    Digest,
    DigestItem,
    Evidence,
    Flag,
    FlagSide,
    Intent,
    Point,
)
from bot.render.limits import (
    HOME_BLOCKS_MAX,
    MESSAGE_BLOCKS_MAX,
    MESSAGE_BLOCKS_TEXT_MAX,
    check_blocks,
)

NEW = Citation(
    source_id="000_new",
    heading="Quantum-Enhanced LLMs",
    published=date(2025, 1, 1),
    title="Transformative Advances in LLMs",
)
OLD = Citation(
    source_id="001_old",
    heading="Quantum Computing Integration",
    published=date(2023, 6, 1),
    title="Advancements and Challenges",
)


def point(text: str, citation: Citation = NEW, age_note: str | None = None) -> Point:
    return Point(text=text, citation=citation, age_note=age_note)


def stance_flag(topic: str = "quantum") -> Flag:
    return Flag(
        flag_id=f"{topic}-stance-1",
        topic=topic,
        kind="stance",
        summary=(
            "The Transformative Advances report calls quantum-enhanced LLMs a cornerstone; "
            "the Advancements and Challenges report says research is at an early stage."
        ),
        sides=(
            FlagSide(
                source_id=NEW.source_id,
                heading=NEW.heading,
                claim="positioning quantum-enhanced models as a cornerstone of next-gen AI.",
            ),
            FlagSide(
                source_id=OLD.source_id,
                heading=OLD.heading,
                claim="Research in quantum-enhanced language models is at an early stage.",
            ),
        ),
    )


def consensus_flag(topic: str = "quantum") -> Flag:
    return Flag(
        flag_id=f"{topic}-consensus-1",
        topic=topic,
        kind="consensus",
        summary="Three reports agree that quantum hardware is still scarce.",
        sides=(),
    )


def answer(**changes: Any) -> Answer:
    fields: dict[str, Any] = {
        "intent": Intent.WHATS_NEW,
        "topic": "quantum",
        "topic_name": "Quantum computing",
        "confidence": 0.92,
        "question": "what's new in quantum?",
        "headline": "What's new in quantum computing",
        "parts": (
            Evidence(
                label="Newest first",
                points=(
                    point("Hybrid models cut training cost by up to 40%."),
                    point("Quantum hardware remains scarce.", OLD, "2 years older"),
                ),
            ),
        ),
        "conflicts": (stance_flag(),),
    }
    fields.update(changes)
    return Answer(**fields)


def digest(**changes: Any) -> Digest:
    fields: dict[str, Any] = {
        "period_start": datetime(2025, 3, 3, 9, tzinfo=UTC),
        "period_end": datetime(2025, 3, 10, 9, tzinfo=UTC),
        "report_count": 2,
        "items": (
            DigestItem(
                topic="regulation",
                topic_name="Regulation",
                points=(point("The EU AI Act demands audits.", OLD),),
                markers=("single_source",),
            ),
            DigestItem(
                topic="quantum",
                topic_name="Quantum computing",
                points=(
                    point("Quantum hardware remains scarce.", OLD),
                    point("Hybrid models cut training cost by up to 40%."),
                ),
                markers=("consensus",),
            ),
        ),
        "conflicts": (stance_flag(),),
    }
    fields.update(changes)
    return Digest(**fields)


def assert_valid_message(
    blocks: Sequence[dict[str, Any]],
    limit: int = MESSAGE_BLOCKS_MAX,
    text_limit: int | None = MESSAGE_BLOCKS_TEXT_MAX,
) -> None:
    """Our own limits, then slack-sdk's validation of every block and element, then JSON."""
    check_blocks(blocks, limit, text_limit=text_limit)
    for raw in blocks:
        parsed = Block.parse(dict(raw))
        assert parsed is not None, raw
        parsed.validate_json()
        for element in raw.get("elements", []):
            if element.get("type") == "button":
                parsed_element = BlockElement.parse(dict(element))
                assert parsed_element is not None
                parsed_element.validate_json()
    json.dumps(list(blocks))


def assert_valid_home(view: dict[str, Any]) -> None:
    assert view["type"] == "home"
    assert_valid_message(view["blocks"], HOME_BLOCKS_MAX, text_limit=None)
    View(**view).validate_json()


def texts(blocks: Sequence[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Every (text type, text) in the blocks: section/header texts, context and button labels."""
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            yield text["type"], text["text"]
        for element in block.get("elements", []):
            if element.get("type") in ("mrkdwn", "plain_text"):
                yield element["type"], element["text"]
            elif isinstance(element.get("text"), dict):
                yield element["text"]["type"], element["text"]["text"]


def mrkdwn_of(blocks: Sequence[dict[str, Any]]) -> str:
    return "\n".join(t for kind, t in texts(blocks) if kind == "mrkdwn")


_SOURCE_TAIL = re.compile(r"\s\(([^()]*§[^()]*)\)(?: · [^()]*)?$")


def points_by_source(text: str) -> list[tuple[str, str]]:
    """(point text, its short source) for every ``•`` line of one section or one plain text, in
    order. A run of points from one source ends with ``(Title, date, § Heading)``; fails if a
    point's run ends without one (its source would be in another section or message)."""
    found: list[tuple[str, str]] = []
    pending: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped.startswith("•"):
            assert not pending, f"point without a source: {pending[0][:80]!r}"
            continue
        body = stripped.removeprefix("•").strip()
        tail = _SOURCE_TAIL.search(body)
        if tail is None:
            pending.append(body)
            continue
        point = body[: tail.start()]
        found.extend((p, tail.group(1)) for p in (*pending, point))
        pending = []
    assert not pending, f"point without a source: {pending[0][:80]!r}"
    return found


def section_points(blocks: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """points_by_source over every section, each on its own: a point's source must be in the
    same section (so in the same message) as the point."""
    return [
        pair
        for block in blocks
        if block["type"] == "section" and "§" in block["text"]["text"]
        for pair in points_by_source(block["text"]["text"])
    ]


def buttons(blocks: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """action_id -> button, over all actions blocks."""
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def grouped(*groups: tuple[str, tuple[Point, ...]]) -> tuple[Evidence, ...]:
    """Evidence parts from (label, points) pairs, as tests wrote groups before typed parts."""
    return tuple(Evidence(label=label, points=points) for label, points in groups)
