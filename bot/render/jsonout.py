"""Answer -> the JSON object of ``briefbot ask --json`` (one per line in JSON Lines mode)."""

from __future__ import annotations

from typing import Any

from bot.models import Answer, Flag
from bot.render.blocks import render_blocks
from bot.render.text import render_text


def flag_to_json(flag: Flag) -> dict[str, Any]:
    """A flag as JSON: flag_id, topic, kind, summary, sides[{source_id, heading, claim}], status."""
    return {
        "flag_id": flag.flag_id,
        "topic": flag.topic,
        "kind": flag.kind,
        "summary": flag.summary,
        "sides": [
            {"source_id": s.source_id, "heading": s.heading, "claim": s.claim} for s in flag.sides
        ],
        "status": flag.status,
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """intent, topic, confidence, citations (in order shown), conflicts, lead, text, blocks."""
    return {
        "intent": answer.intent.value,
        "topic": answer.topic,
        "confidence": min(1.0, max(0.0, float(answer.confidence))),
        "citations": [
            {
                "source_id": c.source_id,
                "heading": c.heading,
                "published": c.published.isoformat() if c.published else None,
            }
            for c in answer.citations
        ],
        "conflicts": [flag_to_json(f) for f in answer.conflicts],
        "lead": answer.lead.text if answer.lead else None,
        # Plain text for programs and people; the Block Kit in "blocks" is escaped for Slack.
        "text": render_text(answer, escape=False),
        "blocks": render_blocks(answer),
    }
