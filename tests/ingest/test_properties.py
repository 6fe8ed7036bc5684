"""Property tests: no input text crashes ingest; only ContentError may come out."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import ContentError
from bot.ingest.build import _build
from bot.ingest.markdown import parse_report
from bot.ingest.reader import ContentFile, ContentFiles
from bot.ingest.summary import summarize
from bot.ingest.text import repair_text, split_sentences

from .conftest import MINI_TOPICS, REPORT_A

FRAGMENTS = [
    "# ",
    "## ",
    "### ",
    "#### ",
    "---",
    "===",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "**",
    "_",
    "`",
    "```",
    "> ",
    "| a | b |",
    "|---|---|",
    "\n",
    "\n\n",
    "  ",
    "\u00a0",
    "â€“",
    "e.g. ",
    "U.S. ",
    "2.0",
    "as of 2025",
    "(2024)",
    "title: x",
    "published: 2025-13-01",
    "<div>",
    "\x00",
    "\r\n",
    "\t",
    "Quantum",
    "qubits",
    "GPUs",
    "AI Act",
    "40%",
    ". ",
    "! ",
    "? ",
    ":",
    "[link](http://x)",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60
).map("".join)


def _files(data: bytes) -> ContentFiles:
    root = Path("/virtual/content")
    report = ContentFile(root / "sources" / "r.md", "sources/r.md", data)
    other = ContentFile(root / "sources" / "a.md", "sources/a.md", REPORT_A.encode())
    topics = ContentFile(root / "topics.toml", "topics.toml", MINI_TOPICS.encode())
    return ContentFiles(
        root=root, reports=(other, report), topics=topics, all_files=(other, report, topics)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_any_text_either_builds_or_raises_content_error(text: str) -> None:
    try:
        result, _ = _build(_files(text.encode("utf-8", errors="surrogatepass")), "v")
    except ContentError as exc:
        assert exc.path.endswith("r.md")
        return
    for section in result.corpus.sections:
        assert section.section_id.startswith(("r#", "a#"))
        assert section.text
        assert section.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_either_build_or_raise_content_error(data: bytes) -> None:
    try:
        _build(_files(data), "v")
    except ContentError as exc:
        assert exc.path.endswith("r.md")


@settings(max_examples=200, deadline=None)
@given(markdownish)
def test_parser_keeps_lines_within_the_file(text: str) -> None:
    lines = repair_text(text)
    report = parse_report(lines)
    for section in report.sections:
        assert 1 <= section.line <= len(lines)
        for block in section.blocks:
            assert 0 <= block.line <= len(lines)
            assert block.text == block.text.strip()


@settings(max_examples=200, deadline=None)
@given(markdownish)
def test_sentences_and_summaries_are_verbatim(text: str) -> None:
    flat = " ".join(text.split())
    for sentence in split_sentences(flat):
        assert sentence in flat
    summary = summarize(flat)
    for sentence in split_sentences(summary):
        assert sentence in flat
