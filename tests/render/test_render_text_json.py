"""Answer -> plain text, the rich terminal view and the JSON object of `ask --json`."""

from __future__ import annotations

import json

from render_builders import OLD, answer, grouped, point, points_by_source, stance_flag
from rich.console import Console

from bot.render import answer_to_json, print_answer, render_blocks, render_text


def test_text_has_every_point_under_its_source_line_and_the_warning() -> None:
    text = render_text(answer())
    assert text.startswith("What's new in quantum computing\n")
    assert points_by_source(text) == [
        (
            "Hybrid models cut training cost by up to 40%.",
            "§ Quantum-Enhanced LLMs — Transformative Advances in LLMs (2025)",
        ),
        (
            "Quantum hardware remains scarce.",
            "§ Quantum Computing Integration — Advancements and Challenges (2023) · 2 years older",
        ),
    ]
    assert "⚠ Sources disagree" in text
    assert "⚠ maturity: The Transformative Advances report" in text
    assert "› Advancements and Challenges, § Quantum Computing Integration: “Research in" in text


def test_text_says_a_shared_source_once_with_its_points_indented_under_it() -> None:
    pts = (point("One."), point("Two."), point("Three.", OLD), point("Four."))
    text = render_text(
        answer(
            parts=grouped(
                ("Newest first", pts),
            ),
            conflicts=(),
        )
    )
    assert text.split("\n")[2:] == [
        "Newest first",
        "§ Quantum-Enhanced LLMs — Transformative Advances in LLMs (2025)",
        "  • One.",
        "  • Two.",
        "§ Quantum Computing Integration — Advancements and Challenges (2023)",
        "  • Three.",
        "§ Quantum-Enhanced LLMs — Transformative Advances in LLMs (2025)",
        "  • Four.",
    ]


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


def test_terminal_shows_headline_points_under_source_lines_and_conflicts() -> None:
    out = _printed().export_text()
    assert out.splitlines()[0] == "What's new in quantum computing"
    assert (
        "  § Quantum-Enhanced LLMs — Transformative Advances in LLMs (2025)\n"
        "    • Hybrid models cut training cost by up to 40%.\n"
    ) in out
    assert points_by_source(out)[1] == (
        "Quantum hardware remains scarce.",
        "§ Quantum Computing Integration — Advancements and Challenges (2023) · 2 years older",
    )
    assert "⚠ Sources disagree" in out
    assert "Research in quantum-enhanced language models is at an early stage." in out


def test_terminal_styles_headline_bold_sources_bold_and_dim_conflicts_yellow() -> None:
    console = _printed()
    styled = {seg.text: seg.style for seg in console._record_buffer if seg.text.strip()}
    assert styled["What's new in quantum computing"].bold  # type: ignore[union-attr]
    assert styled["§ Quantum-Enhanced LLMs"].bold  # type: ignore[union-attr]
    assert styled[" — Transformative Advances in LLMs (2025)"].dim  # type: ignore[union-attr]
    assert any(
        t.startswith("⚠ maturity") and s and s.color and s.color.name == "yellow"
        for t, s in styled.items()
    )


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


def test_a_title_that_already_says_its_year_is_not_followed_by_it_again() -> None:
    from datetime import date

    from bot.models import Answer, Citation, Intent, Point
    from bot.render import render_text

    cite = Citation(
        source_id="r", heading="Scaling", published=date(2024, 1, 1), title="Report (2024)"
    )
    other = Citation(source_id="s", heading="Scaling", published=date(2025, 1, 1), title="Other")
    answer = Answer(
        intent=Intent.WHATS_NEW,
        headline="h",
        parts=grouped(
            ("g", (Point(text="a", citation=cite), Point(text="b", citation=other))),
        ),
    )
    text = render_text(answer, escape=False)
    assert "Report (2024) (2024)" not in text and "Report (2024)" in text
    assert "Other (2025)" in text
