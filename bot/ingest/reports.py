"""Turn one report file into its metadata and section drafts (text, ids, summaries)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.dates import Precision
from bot.errors import ContentError
from bot.ingest.limits import MAX_SECTIONS_PER_REPORT
from bot.ingest.markdown import ParsedReport, parse_report
from bot.ingest.metadata import infer_published, read_front_matter, readable_title
from bot.ingest.reader import ContentFile, decode
from bot.ingest.summary import summarize
from bot.ingest.text import slugify


@dataclass(frozen=True)
class Report:
    file: ContentFile
    source_id: str
    parsed: ParsedReport
    title: str
    published: date | None
    published_precision: Precision | None
    publisher: str | None
    url: str | None
    inferred: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    """A section before topic mapping, duplicate detection and claims."""

    section_id: str
    source_id: str
    heading: str
    parents: tuple[str, ...]
    level: int
    line: int
    text: str
    summary: str


def source_id_of(file: ContentFile) -> str:
    """The report's id: its file name without the extension."""
    return Path(file.rel).stem


_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")


def _refuse_many_headings(path: str, lines: list[str]) -> None:
    """Count heading lines before the Markdown parser does (it takes ~0.1 ms a line).

    A cheap upper bound of the sections: ATX heading lines outside code fences. Refusing
    here keeps a file of 100,000 one-line headings from costing half a minute.
    """
    seen, fenced = 0, False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _ATX_HEADING.match(line):
            seen += 1
            if seen > MAX_SECTIONS_PER_REPORT + 1:  # the title heading is not a section
                raise ContentError(
                    path,
                    number,
                    f"too many sections (more than {MAX_SECTIONS_PER_REPORT} headings; the "
                    f"limit is {MAX_SECTIONS_PER_REPORT} per report)",
                    "split the report into several files",
                )


def read_report(file: ContentFile, warnings: list[str]) -> Report:
    """Decode, read front matter, parse and date one report; ContentError on bad input."""
    path = file.display
    lines = decode(file)
    fm = read_front_matter(path, lines)
    # Blank the front matter instead of cutting it, so line numbers stay the file's.
    body_lines = [""] * fm.end_line + lines[fm.end_line :]
    _refuse_many_headings(path, body_lines)
    parsed = parse_report(body_lines)
    if len(parsed.sections) > MAX_SECTIONS_PER_REPORT:
        raise ContentError(
            path,
            parsed.sections[MAX_SECTIONS_PER_REPORT].line,
            f"too many sections ({len(parsed.sections)}; the limit is "
            f"{MAX_SECTIONS_PER_REPORT} per report)",
            "split the report into several files",
        )
    if parsed.heading_count == 0:
        first = next((i + 1 for i, line in enumerate(body_lines) if line.strip()), 1)
        raise ContentError(
            path,
            first,
            "no headings",
            "start the report with '# Title' and begin each section with a '## Heading' line",
        )
    if not any(sec.blocks for sec in parsed.sections):
        line = parsed.sections[0].line if parsed.sections else 1
        raise ContentError(
            path, line, "no section has any text", "write each section's text under its heading"
        )
    inferred: list[str] = []
    if fm.title:
        title = fm.title
    else:
        title = readable_title(parsed.title or source_id_of(file))
        inferred.append(f"title inferred from the first heading (line {parsed.title_line or 1})")
    published = fm.published
    precision = fm.published_precision
    if published is None:
        guess = infer_published(parsed.title, parsed.title_line, body_lines, fm.end_line)
        published, precision = guess.published, guess.precision
        inferred.extend(guess.notes)
        if published is None:
            warnings.append(
                f"{path}: no date found (no year in the title, no 'as of YEAR'); "
                "add front matter 'published: YYYY-MM-DD'"
            )
    return Report(
        file=file,
        source_id=source_id_of(file),
        parsed=parsed,
        title=title,
        published=published,
        published_precision=precision if published is not None else None,
        publisher=fm.publisher,
        url=fm.url,
        inferred=tuple(inferred),
    )


def draft_sections(report: Report, warnings: list[str]) -> list[Draft]:
    """The report's sections with unique slug ids and summaries; empty ones are skipped."""
    drafts: list[Draft] = []
    used: set[str] = set()
    secs = report.parsed.sections
    for n, raw in enumerate(secs):
        text = "\n".join(b.text for b in raw.blocks)
        if not text:
            # A heading that only opens deeper ones ("## Efficiency" then "### Pruning") is
            # structure, not an empty section.
            has_children = n + 1 < len(secs) and secs[n + 1].level > raw.level
            if not has_children:
                warnings.append(
                    f"{report.file.display}:{raw.line}: section '{raw.heading}' has no text; "
                    "skipped"
                )
            continue
        slug = slugify(raw.heading) or f"section-{n + 1}"
        unique, k = slug, 2
        while unique in used:
            unique, k = f"{slug}-{k}", k + 1
        used.add(unique)
        strong = tuple(s for b in raw.blocks for s in b.strong)
        drafts.append(
            Draft(
                section_id=f"{report.source_id}#{unique}",
                source_id=report.source_id,
                heading=raw.heading,
                parents=raw.parents,
                level=raw.level,
                line=raw.line,
                text=text,
                summary=summarize(
                    text, strong, items=[b.text for b in raw.blocks if b.kind == "item"]
                ),
            )
        )
    return drafts
