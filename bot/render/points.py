"""How a group's points read: consecutive points that share a citation go under one source line.

``*§ Heading* — _Report title_ (2025) · 1 year older`` is said once, then its points follow as
bullets, so three points from one section no longer repeat the same citation three times. The
order of the points is kept; a source line reappears whenever the citation changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.models import Citation, Point
from bot.render.limits import SECTION_TEXT_MAX
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, split_text

# Caps on a source line in Block Kit, so its line (repeated atop a continued section) always
# leaves most of a section for the points. Real headings and titles are far shorter; the plain
# text and the JSON citations keep them whole.
HEADING_MAX = 400
TITLE_MAX = 300
AGE_NOTE_MAX = 200
CONTINUED = " · continued"


@dataclass(frozen=True)
class SourceRun:
    """Consecutive points with the same citation (and so the same report, heading and age)."""

    citation: Citation
    age_note: str | None
    points: tuple[Point, ...]


def source_runs(points: Iterable[Point]) -> list[SourceRun]:
    """Points in their order, cut into runs of the same source_id and heading.

    The whole citation and the age note are part of the key, so a run never hides a second
    date, title or age behind the first one's source line.
    """
    runs: list[SourceRun] = []
    for point in points:
        last = runs[-1] if runs else None
        if last and last.citation == point.citation and last.age_note == point.age_note:
            runs[-1] = SourceRun(last.citation, last.age_note, (*last.points, point))
        else:
            runs.append(SourceRun(point.citation, point.age_note, (point,)))
    return runs


def _year(published: date | None, title: str) -> str:
    """`` (2025)`` after a title, unless the title already says its year."""
    if not published or str(published.year) in title:
        return ""
    return f" ({published.year})"


def _escaped_within(text: str, width: int) -> str:
    """Escaped for mrkdwn and at most ``width`` characters once escaped (entities make text
    longer, so the raw text is shortened, at a word boundary, until its escaped form fits)."""
    raw, cut = one_line(text), width
    while len(shown := escape_mrkdwn(shorten(raw, cut))) > width:
        cut -= len(shown) - width
    return shown


def source_line_mrkdwn(run: SourceRun) -> str:
    """``*§ Heading* — _Title_ (2025) · 2 years older``, escaped for mrkdwn; never blank."""
    heading = _escaped_within(run.citation.heading, HEADING_MAX)
    title = _escaped_within(run.citation.title or run.citation.source_id, TITLE_MAX)
    line = f"*§ {heading}*" if heading else "§"
    if title:
        line += f" — _{title}_"
    line += _year(run.citation.published, run.citation.title)
    age = _escaped_within(run.age_note or "", AGE_NOTE_MAX)
    if age:
        line += f" · {age}"
    return line


def source_parts_plain(run: SourceRun) -> tuple[str, str]:
    """The plain source line in two parts: ``§ Heading`` and `` — Title (2025) · age``."""
    heading = one_line(run.citation.heading)
    title = one_line(run.citation.title) or one_line(run.citation.source_id)
    rest = f" — {title}" if title else ""
    rest += _year(run.citation.published, run.citation.title)
    age = one_line(run.age_note or "")
    if age:
        rest += f" · {age}"
    return (f"§ {heading}" if heading else "§"), rest


def source_line_plain(run: SourceRun) -> str:
    """``§ Heading — Title (2025) · 2 years older`` without markup, escaping or shortening."""
    return "".join(source_parts_plain(run))


def bullet_plain(point: Point) -> str:
    return f"• {one_line(point.text)}".rstrip()


def points_plain(points: Iterable[Point], indent: str = "  ") -> list[str]:
    """Plain lines: each source line, then its points as bullets indented under it."""
    lines: list[str] = []
    for run in source_runs(points):
        lines.append(source_line_plain(run))
        lines.extend(indent + bullet_plain(p) for p in run.points)
    return lines


class _Sections:
    """Lines packed into section texts of at most ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.lines: list[str] = []
        self.size = 0

    def fits(self, *lines: str) -> bool:
        extra = sum(len(line) + 1 for line in lines) - (0 if self.lines else 1)
        return self.size + extra <= self.limit

    def add(self, line: str) -> None:
        self.size += len(line) + (1 if self.lines else 0)
        self.lines.append(line)

    def place(self, line: str) -> None:
        if not self.fits(line):
            self.flush()
        self.add(line)

    def flush(self) -> None:
        if self.lines:
            self.done.append("\n".join(self.lines))
        self.lines, self.size = [], 0


def points_sections(
    points: Sequence[Point], label: str = "", limit: int = SECTION_TEXT_MAX
) -> list[str]:
    """Section texts (already-escaped mrkdwn, each at most ``limit`` characters) for one group:
    its ``label`` line, then every source line with its points as bullets.

    Sections break between lines, and inside a point only at a word boundary. No section starts
    with a bare bullet: a run that goes on in a new section repeats its source line there,
    marked "continued", so every point shows under its source even on the next page.
    """
    sections = _Sections(limit)
    for piece in split_text(label, limit) if label.strip() else []:
        sections.place(piece)
    for run in source_runs(points):
        head = source_line_mrkdwn(run)
        again = head + CONTINUED
        room = limit - len(again) - 1
        first = True
        for point in run.points:
            bullet = f"• {escape_mrkdwn(one_line(point.text))}".rstrip()
            for piece in split_text(bullet, room) if len(bullet) > room else [bullet]:
                if first:
                    # A source line never ends a section without its first point under it.
                    if not sections.fits(head, piece):
                        sections.flush()
                    sections.add(head)
                    first = False
                elif not sections.fits(piece):
                    sections.flush()
                    sections.add(again)
                sections.add(piece)
    sections.flush()
    return sections.done
