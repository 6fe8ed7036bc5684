"""Parsing reports into sections: heading levels, setext, numbering and emphasis, line numbers."""

from __future__ import annotations

from bot.ingest.markdown import clean_heading, parse_report
from bot.ingest.text import repair_text


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_report(repair_text(text))


def test_atx_sections_keep_level_and_line_of_their_heading() -> None:
    report = _parse(
        "# Title\n\nIntro.\n\n## First\nOne.\n\n### Deeper\nTwo.\n\n## Second\nThree.\n"
    )
    assert report.title == "Title"
    assert report.title_line == 1
    assert [(s.heading, s.level, s.line) for s in report.sections] == [
        ("First", 2, 5),
        ("Deeper", 3, 8),
        ("Second", 2, 11),
    ]
    assert report.sections[1].parents == ("First",)
    assert [b.text for b in report.preamble] == ["Intro."]


def test_setext_headings_are_sections_too() -> None:
    report = _parse(
        "Big Title\n=========\n\nSub One\n-------\nBody one.\n\nSub Two\n-------\nBody.\n"
    )
    assert report.title == "Big Title"
    assert [(s.heading, s.level, s.line) for s in report.sections] == [
        ("Sub One", 2, 4),
        ("Sub Two", 2, 8),
    ]
    assert report.sections[0].blocks[0].text == "Body one."
    assert report.sections[0].blocks[0].line == 6


def test_numbering_and_emphasis_are_stripped_from_headings() -> None:
    report = _parse(
        "# T\n\n## 1. **Quantum-Enhanced LLMs: Redefining**  \nx\n\n## 2) _Tiny_ `Models`\ny\n\n"
        "## 3.1 Nested Numbering\nz\n\n## 2025 Outlook\nw\n"
    )
    assert [s.heading for s in report.sections] == [
        "Quantum-Enhanced LLMs: Redefining",
        "Tiny Models",
        "Nested Numbering",
        "2025 Outlook",
    ]


def test_clean_heading_keeps_text_that_is_only_a_number() -> None:
    assert clean_heading("1.") == "1."
    assert clean_heading("IV. Roman") == "Roman"


def test_bullets_become_sentences_and_bold_spans_are_kept() -> None:
    report = _parse(
        "# T\n\n## S\nDriven by:\n- **Destructive pruning**, removing neurons\n- Quantization.\n"
    )
    blocks = report.sections[0].blocks
    assert [b.text for b in blocks] == [
        "Driven by:",
        "Destructive pruning, removing neurons.",
        "Quantization.",
    ]
    assert blocks[1].kind == "item"
    assert blocks[1].strong == ("Destructive pruning",)


def test_closing_remarks_after_a_rule_do_not_belong_to_the_last_section() -> None:
    report = _parse("# T\n\n## Last\nBody.\n\n---\n\nThis report synthesizes everything.\n")
    assert [b.text for b in report.sections[0].blocks] == ["Body."]
    assert [b.text for b in report.closing] == ["This report synthesizes everything."]


def test_in_conclusion_paragraph_is_closing_text() -> None:
    report = _parse("# T\n\n## Last\nBody.\n\nIn conclusion, all is well.\n")
    assert [b.text for b in report.sections[0].blocks] == ["Body."]
    assert report.closing[0].text.startswith("In conclusion")


def test_rule_between_sections_is_ignored() -> None:
    report = _parse("# T\n\n## A\nOne.\n\n---\n\n## B\nTwo.\n")
    assert [[b.text for b in s.blocks] for s in report.sections] == [["One."], ["Two."]]


def test_report_without_subheadings_uses_its_level_one_headings() -> None:
    report = _parse("# Only Title\n\nSome text here.\n")
    assert report.title == "Only Title"
    assert [s.heading for s in report.sections] == ["Only Title"]


def test_tables_and_code_blocks_are_text() -> None:
    report = _parse("# T\n\n## S\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode here\n```\n")
    texts = [b.text for b in report.sections[0].blocks]
    assert texts == ["a | b", "1 | 2", "code here"]
