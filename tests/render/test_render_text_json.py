"""Answer -> plain text, the rich terminal view and the JSON object of `ask --json`."""

from __future__ import annotations

import json

from render_builders import OLD, answer, grouped, point, stance_flag
from rich.console import Console

from bot.render import answer_to_json, print_answer, render_blocks, render_text


def test_text_is_safe_as_slack_fallback_and_raw_on_request() -> None:
    a = answer(
        parts=grouped(
            ("", (point("R&D <!channel> rocks", OLD),)),
        )
    )
    assert "R&amp;D &lt;!channel&gt; rocks" in render_text(a)
    assert "<" not in render_text(a)
    assert "R&D <!channel> rocks" in render_text(a, escape=False)


def _printed(width: int = 300, **changes: object) -> Console:
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True)
    print_answer(answer(**changes), console)
    return console


def test_rich_markup_in_report_text_is_printed_literally() -> None:
    hostile = point("[bold red]fake[/bold red] :smile: [link=http://x]y[/link]", OLD)
    out = _printed(
        parts=grouped(
            ("", (hostile,)),
        )
    ).export_text()
    assert "[bold red]fake[/bold red] :smile: [link=http://x]y[/link]" in out


def test_json_has_the_contract_keys_and_types() -> None:
    data = answer_to_json(answer())
    assert list(data) == [
        "intent",
        "topic",
        "confidence",
        "citations",
        "conflicts",
        "lead",
        "text",
        "blocks",
    ]
    assert data["intent"] == "whats_new" and data["topic"] == "quantum"
    assert data["confidence"] == 0.92
    assert data["citations"] == [
        {"source_id": "000_new", "heading": "Quantum-Enhanced LLMs", "published": "2025-01-01"},
        {
            "source_id": "001_old",
            "heading": "Quantum Computing Integration",
            "published": "2023-06-01",
        },
    ]
    flag = stance_flag()
    assert data["conflicts"] == [
        {
            "flag_id": flag.flag_id,
            "topic": "quantum",
            "kind": "stance",
            "summary": flag.summary,
            "sides": [
                {"source_id": s.source_id, "heading": s.heading, "claim": s.claim}
                for s in flag.sides
            ],
            "status": "detected",
        }
    ]
    assert data["text"] == render_text(answer())
    assert data["blocks"] == render_blocks(answer())
    assert json.loads(json.dumps(data)) == data


def test_json_topic_is_null_and_published_null_when_unknown() -> None:
    undated = OLD.model_copy(update={"published": None})
    data = answer_to_json(
        answer(
            topic=None,
            parts=grouped(
                ("", (point("x", undated),)),
            ),
            conflicts=(),
        )
    )
    assert data["topic"] is None
    assert data["citations"][0]["published"] is None
    assert data["conflicts"] == []
