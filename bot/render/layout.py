"""Pure: the one layout of an answer (order of its parts, what the first message holds, pages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.dates import format_published
from bot.models import (
    Agreement,
    Answer,
    AnswerPart,
    Citation,
    Disagreement,
    Evidence,
    Flag,
    Lead,
    Note,
    Point,
    SingleSource,
    kind_words,
)
from bot.render.limits import FIRST_MESSAGE_TEXT_MAX, PAGE_TEXT_MAX
from bot.render.mrkdwn import one_line, shorten
from bot.sentences import short_title

# Evidence shows at most this many points before "More".
EVIDENCE_FIRST_MAX = 6
# Points on each later page.
EVIDENCE_PAGE_MAX = 8
# Reading order: the answer, then why, then where the reports part ways, then the rest.
ORDER: dict[str, int] = {
    "lead": 0,
    "evidence": 1,
    "agreement": 2,
    "disagreement": 3,
    "single_source": 4,
    "note": 5,
}
# Room a renderer needs per line for its markup (bullets, bold, italics): the layout budgets
# the first message with it, so the Block Kit text stays within the limit too.
MARKUP_PER_LINE = 6
QUOTE_MAX = 240


@dataclass(frozen=True)
class Page:
    """The parts one message shows, in order (an Evidence part may hold a slice of the points)."""

    parts: tuple[AnswerPart, ...]


@dataclass(frozen=True)
class Layout:
    """Pages of one answer; ``pages[0]`` is the first message. Every renderer draws from it."""

    headline: str
    pages: tuple[Page, ...]

    @property
    def first(self) -> Page:
        return self.pages[0]

    @property
    def more(self) -> bool:
        return len(self.pages) > 1


# --- how each part reads as plain lines (the terminal, the fallback text, the budget) --------


def short_source(citation: Citation) -> str:
    """``Report short title, Nov 2026, § Heading``: the short source every point carries."""
    title = short_title(citation.title) or one_line(citation.source_id)
    bits = [title] if title else []
    if citation.published:
        bits.append(format_published(citation.published, citation.published_precision))
    heading = one_line(citation.heading)
    if heading:
        bits.append(f"§ {shorten(heading, 60)}")
    return ", ".join(bits)


def _source_key(point: Point) -> tuple[str, str | None]:
    return (short_source(point.citation), point.age_note)


def evidence_lines(points: tuple[Point, ...]) -> list[str]:
    """Points in order; each run from one source ends with that source, said once."""
    lines: list[str] = []
    for n, point in enumerate(points):
        last = n + 1 == len(points) or _source_key(points[n + 1]) != _source_key(point)
        lines.append(f"• {point_line(point) if last else one_line(point.text)}")
    return lines


def point_line(point: Point) -> str:
    source = short_source(point.citation)
    line = f"{one_line(point.text)} ({source})" if source else one_line(point.text)
    if point.age_note:
        line += f" · {one_line(point.age_note)}"
    return line


def quote_line(text: str) -> str:
    return f"“{shorten(one_line(text), QUOTE_MAX)}”"


def flag_quotes(flag: Flag) -> list[str]:
    """Both (or all) exact quotes of a disagreement, each under its report and heading."""
    lines: list[str] = []
    for side in flag.sides:
        title = one_line(side.title) or side.source_id
        lines.append(f"{title}, § {one_line(side.heading)}: {quote_line(side.claim)}")
    return lines


def part_lines(part: AnswerPart) -> list[str]:
    """Plain lines of one part, without markup: what the terminal prints and the budget counts."""
    if isinstance(part, Lead):
        return [one_line(part.text)]
    if isinstance(part, Evidence):
        head = [one_line(part.label)] if one_line(part.label) else []
        return head + evidence_lines(part.points)
    if isinstance(part, Agreement):
        return ["Where the reports agree"] + [
            f"• {one_line(i.point)} ({one_line(i.coverage)})" for i in part.items
        ]
    if isinstance(part, Disagreement):
        return [f"⚠ {kind_words(part.flag.kind).capitalize()}: {one_line(part.line)}"]
    if isinstance(part, SingleSource):
        return ["Only one report says", *evidence_lines(part.items)]
    return [one_line(part.text)]


def _size(lines: Iterable[str]) -> int:
    return sum(len(line) + 1 + MARKUP_PER_LINE for line in lines)


# --- the layout -----------------------------------------------------------------------------


# No single line of a part is longer than this (a point, a lead, a disagreement line).
LINE_MAX = 1000


def _bounded(part: AnswerPart) -> AnswerPart:
    """The part with every over-long text shortened at a sentence (else word) boundary."""
    from bot.sentences import fit_sentences

    def fit(text: str) -> str:
        return text if len(text) <= LINE_MAX else fit_sentences(one_line(text), LINE_MAX)

    if isinstance(part, (Lead, Note)):
        return part.model_copy(update={"text": fit(part.text)})
    if isinstance(part, Disagreement):
        return part.model_copy(update={"line": fit(part.line)})
    if isinstance(part, (Evidence, SingleSource)):
        field = "points" if isinstance(part, Evidence) else "items"
        pts = part.points if isinstance(part, Evidence) else part.items
        shortened = tuple(p.model_copy(update={"text": fit(p.text)}) for p in pts)
        return part.model_copy(update={field: shortened})
    return part


def _ordered(parts: Iterable[AnswerPart]) -> list[AnswerPart]:
    return sorted(parts, key=lambda p: ORDER[p.kind])


def _fit_lead(part: Lead | Note, room: int) -> Lead | Note:
    """A lead or note too long for the first message, shortened at a sentence boundary."""
    from bot.sentences import fit_sentences

    text = fit_sentences(one_line(part.text), max(80, room))
    return part.model_copy(update={"text": text})


def layout_answer(answer: Answer) -> Layout:
    """Decide order and pagination once, for every renderer.

    The first message holds at most ``FIRST_MESSAGE_TEXT_MAX`` characters of rendered text and
    at most six evidence points. Its room goes first to the lead, the agreement and the
    disagreement lines (the point of the answer), then to evidence, best first; whatever does
    not fit moves, whole, to the following pages (a point or a line is never cut).
    """
    headline = one_line(answer.headline)
    budget = FIRST_MESSAGE_TEXT_MAX - _size([headline])
    used = 0
    first: list[AnswerPart] = []
    rest: list[AnswerPart] = []
    parts = _ordered(_bounded(p) for p in answer.parts)
    for part in parts:
        if isinstance(part, Evidence):
            continue
        if isinstance(part, (Lead, Note)) and not first and _size(part_lines(part)) > budget:
            part = _fit_lead(part, budget - MARKUP_PER_LINE - 1)
        cost = _size(part_lines(part))
        if isinstance(part, (SingleSource, Agreement)) and used + cost > budget and not rest:
            # Like evidence: as many whole items as fit, the others on the next pages.
            items = part.items
            n = len(items)
            while (
                n
                and used + _size(part_lines(part.model_copy(update={"items": items[:n]}))) > budget
            ):
                n -= 1
            if n:
                first.append(part.model_copy(update={"items": items[:n]}))
                used += _size(part_lines(first[-1]))
            for i in range(n, len(items), EVIDENCE_PAGE_MAX):
                rest.append(part.model_copy(update={"items": items[i : i + EVIDENCE_PAGE_MAX]}))
        elif used + cost <= budget and not rest:
            first.append(part)
            used += cost
        else:
            rest.append(part)
    shown_points = 0
    for part in parts:
        if not isinstance(part, Evidence):
            continue
        taken: list[Point] = []
        for point in part.points:
            if shown_points + len(taken) >= EVIDENCE_FIRST_MAX:
                break
            cost = _size(part_lines(Evidence(points=(*taken, point), label=part.label)))
            if used + cost > budget:
                break
            taken.append(point)
        if taken:
            shown = part.model_copy(update={"points": tuple(taken)})
            first.append(shown)
            used += _size(part_lines(shown))
            shown_points += len(taken)
        left = part.points[len(taken) :]
        if left:
            rest.append(Evidence(points=left, label=part.label))
    pages = [_ordered(first), *_paginate(_ordered(rest))]
    return Layout(headline=headline, pages=tuple(Page(tuple(p)) for p in pages if p) or (Page(()),))


def _paginate(parts: list[AnswerPart]) -> list[list[AnswerPart]]:
    """Later pages: evidence in slices of ``EVIDENCE_PAGE_MAX``, each page within its budget."""
    pages: list[list[AnswerPart]] = []
    current: list[AnswerPart] = []
    used = 0
    for part in parts:
        pieces: list[AnswerPart]
        if isinstance(part, Evidence):
            pieces = [
                Evidence(points=part.points[i : i + EVIDENCE_PAGE_MAX], label=part.label)
                for i in range(0, len(part.points), EVIDENCE_PAGE_MAX)
            ]
        else:
            pieces = [part]
        for piece in pieces:
            cost = _size(part_lines(piece))
            if current and (used + cost > PAGE_TEXT_MAX or isinstance(piece, Evidence)):
                pages.append(current)
                current, used = [], 0
            current.append(piece)
            used += cost
    if current:
        pages.append(current)
    return pages
