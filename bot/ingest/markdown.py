"""Split a report's Markdown into its title and sections with markdown-it-py tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.ingest.text import normalize_ws

# "1. ", "2) ", "1.2 ", "IV. ", "A) " at the start of a heading.
_NUMBERING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[.):]|\d+(?:\.\d+)+|[IVXLC]+[.)]|[A-Za-z][.)])\s+(?=\S)"
)
_CLOSING = re.compile(
    r"^(?:in conclusion|in summary|to conclude|to sum up|overall,|"
    r"this (?:\w+ ){0,2}report|these (?:\w+ ){0,2}(?:advancements|developments|trends)"
    r" collectively)",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", "…", ":", ";")


@dataclass
class Block:
    """A paragraph, list item, table row or code block, whitespace-normalized."""

    text: str
    line: int  # 1-based
    kind: str  # "paragraph" | "item" | "row" | "code"
    strong: tuple[str, ...] = ()  # emphasized spans (often named systems)


@dataclass
class RawSection:
    heading: str
    level: int
    line: int
    parents: tuple[str, ...] = ()
    blocks: list[Block] = field(default_factory=list)
    after_rule: list[Block] = field(default_factory=list)  # blocks after a thematic break


@dataclass
class ParsedReport:
    title: str | None
    title_line: int | None
    preamble: list[Block]
    sections: list[RawSection]
    closing: list[Block]
    heading_count: int


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


_MD = _parser()


def inline_text(token: Token) -> tuple[str, tuple[str, ...]]:
    """Plain text of an inline token (emphasis, links and code marks dropped) and its bold spans."""
    parts: list[str] = []
    strong: list[str] = []
    current: list[str] | None = None
    for child in token.children or ():
        piece = ""
        if child.type in ("text", "code_inline"):
            piece = child.content
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        elif child.type == "image":
            piece = child.content
        elif child.type == "strong_open":
            current = []
        elif child.type == "strong_close" and current is not None:
            span = normalize_ws("".join(current))
            if span:
                strong.append(span)
            current = None
        parts.append(piece)
        if current is not None:
            current.append(piece)
    return normalize_ws("".join(parts)), tuple(strong)


def clean_heading(text: str) -> str:
    """Heading text without its numbering ("1.", "2)") and trailing colon."""
    stripped = _NUMBERING.sub("", text, count=1).strip()
    return (stripped or text).rstrip(":").strip()


def parse_report(lines: list[str]) -> ParsedReport:
    """Parse repaired lines (front matter already blanked) into a title and raw sections.

    Sections start at headings of level 2 or deeper (ATX or setext); the first level-1
    heading is the report title. A report with no level-2 headings uses its level-1
    headings as sections. Blocks keep their 1-based line numbers.
    """
    tokens = _MD.parse("\n".join(lines))
    headings = [
        (i, int(t.tag[1:]), t.map[0] + 1 if t.map else 1)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    has_deeper = any(level >= 2 for _, level, _ in headings)

    title: str | None = None
    title_line: int | None = None
    preamble: list[Block] = []
    sections: list[RawSection] = []
    stack: list[tuple[int, str]] = []  # (level, heading) of open ancestors
    current: list[Block] = preamble
    current_section: RawSection | None = None
    in_item = 0
    row: list[str] = []
    row_line = 0

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            line = tok.map[0] + 1 if tok.map else 1
            text, _ = inline_text(tokens[i + 1])
            heading = clean_heading(text)
            if level == 1 and title is None and has_deeper:
                title, title_line = heading, line
            elif level >= 2 or not has_deeper:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                current_section = RawSection(
                    heading=heading,
                    level=level,
                    line=line,
                    parents=tuple(h for _, h in stack),
                )
                stack.append((level, heading))
                sections.append(current_section)
                current = current_section.blocks
                if title is None:
                    title, title_line = heading, line
            i += 3
            continue
        if tok.type == "hr":
            if current_section is not None:
                current = current_section.after_rule
        elif tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "tr_open":
            row, row_line = [], (tok.map[0] + 1 if tok.map else 0)
        elif tok.type == "tr_close":
            if any(row):
                current.append(Block(" | ".join(row), row_line, "row"))
        elif tok.type == "inline":
            text, strong = inline_text(tok)
            line = tok.map[0] + 1 if tok.map else 0
            if tokens[i - 1].type in ("th_open", "td_open"):
                row.append(text)
            elif text:
                kind = "item" if in_item else "paragraph"
                if kind == "item" and not text.endswith(_TERMINAL):
                    text += "."
                current.append(Block(text, line, kind, strong))
        elif tok.type in ("fence", "code_block"):
            text = normalize_ws(tok.content)
            if text:
                current.append(Block(text, tok.map[0] + 1 if tok.map else 0, "code"))
        i += 1

    closing: list[Block] = []
    if sections:
        last = sections[-1]
        # Text after a closing rule in the last section speaks for the whole report.
        if last.after_rule and last.blocks:
            closing = last.after_rule
            last.after_rule = []
        elif len(last.blocks) > 1 and _CLOSING.match(last.blocks[-1].text):
            closing = [last.blocks.pop()]
        for sec in sections:
            sec.blocks.extend(sec.after_rule)
            sec.after_rule = []
    return ParsedReport(
        title=title,
        title_line=title_line,
        preamble=preamble,
        sections=sections,
        closing=closing,
        heading_count=len(headings),
    )
