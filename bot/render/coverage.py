"""The coverage grid as a terminal table (rich) and as monospaced text for App Home."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from bot.coverage import CellState, CoverageGrid, GridReport
from bot.render import kit
from bot.render.kit import Block
from bot.render.limits import SECTION_TEXT_MAX
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten

# One glyph per state, each one column wide in every terminal font (no emoji: their width
# varies, and a grid that does not line up is unreadable).
GLYPHS: dict[CellState, str] = {
    "none": "·",
    "covered": "●",
    "agreeing": "✓",
    "disagreeing": "✗",
    "single_source": "1",
}
WORDS: dict[CellState, str] = {
    "none": "not covered",
    "covered": "covered",
    "agreeing": "agrees with other reports",
    "disagreeing": "disagrees with another report",
    "single_source": "the only source of a claim",
}
STYLES: dict[CellState, str] = {
    "none": "dim",
    "covered": "cyan",
    "agreeing": "green",
    "disagreeing": "bold red",
    "single_source": "yellow",
}
NEWEST_MARK = "*"
TOPIC_MAX = 28  # topic names in the text grid are cut here so rows fit a Home tab
HOME_REPORTS_MAX = 12  # the newest reports shown as columns in App Home
HOME_TOPICS_MAX = 200  # rows shown in App Home (the Home tab holds 100 blocks in all)


def report_label(number: int, report: GridReport) -> str:
    """`R3` (or `R3*` for the newest report): short enough to head a one-glyph column."""
    return f"R{number}" + (NEWEST_MARK if report.newest else "")


def legend_lines(grid: CoverageGrid, first: int = 0) -> list[str]:
    """What each column is (`R3* = Title (2025-01-01), newest`) and what each glyph means."""
    lines = []
    for number, report in enumerate(grid.reports[first:], start=first + 1):
        when = report.published.isoformat() if report.published else "undated"
        newest = ", newest" if report.newest else ""
        title = shorten(one_line(report.title), 80)
        lines.append(f"{report_label(number, report)} = {title} ({when}{newest})")
    lines.append(
        "  ".join(f"{GLYPHS[s]} {WORDS[s]}" for s in GLYPHS) + f"  {NEWEST_MARK} newest report"
    )
    return lines


def coverage_table(grid: CoverageGrid) -> Group:
    """A rich table (one row per topic, one column per report) and its legend under it."""
    table = Table(title="Coverage: topics × reports", title_justify="left", show_lines=False)
    table.add_column("topic", overflow="fold")
    for number, report in enumerate(grid.reports, start=1):
        table.add_column(report_label(number, report), justify="center", no_wrap=True)
    for topic, row in zip(grid.topics, grid.cells, strict=True):
        table.add_row(
            topic.name or topic.topic_id,
            *(Text(GLYPHS[c.state], style=STYLES[c.state]) for c in row),
        )
    # The legend is not the table's caption: a caption wraps to the table's width.
    return Group(table, Text("\n".join(legend_lines(grid))))


def coverage_text(
    grid: CoverageGrid, max_reports: int = HOME_REPORTS_MAX, max_topics: int = HOME_TOPICS_MAX
) -> str:
    """The grid as plain monospaced lines: the newest `max_reports` reports as columns, the
    first `max_topics` topics as rows."""
    first = max(0, len(grid.reports) - max_reports)
    reports = grid.reports[first:]
    labels = [report_label(n, r) for n, r in enumerate(reports, start=first + 1)]
    width = max([len(label) for label in labels] + [1])
    names = [shorten(one_line(t.name or t.topic_id), TOPIC_MAX) for t in grid.topics]
    name_width = max([len(n) for n in names] + [len("topic")])
    lines = ["topic".ljust(name_width) + " " + " ".join(label.ljust(width) for label in labels)]
    for name, row in list(zip(names, grid.cells, strict=True))[:max_topics]:
        glyphs = " ".join(GLYPHS[c.state].ljust(width) for c in row[first:])
        lines.append(f"{name.ljust(name_width)} {glyphs}".rstrip())
    if len(names) > max_topics:
        lines.append(f"…and {len(names) - max_topics} more topics (`briefbot map`)")
    if first:
        lines.append(f"(the newest {len(reports)} of {len(grid.reports)} reports)")
    return "\n".join(lines)


def coverage_home_blocks(grid: CoverageGrid, max_reports: int = HOME_REPORTS_MAX) -> list[Block]:
    """The text grid in code-block sections (each whole: a fence never splits), then the legend."""
    fence = "```"
    budget = SECTION_TEXT_MAX - 2 * len(fence) - 2
    chunks: list[list[str]] = [[]]
    size = 0
    for line in escape_mrkdwn(coverage_text(grid, max_reports)).splitlines():
        if chunks[-1] and size + len(line) + 1 > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    blocks: list[Block] = [
        *(kit.sections(fence + "\n" + "\n".join(c) + "\n" + fence)[0] for c in chunks if c)
    ]
    first = max(0, len(grid.reports) - max_reports)
    blocks.extend(kit.sections(escape_mrkdwn("\n".join(legend_lines(grid, first)))))
    return blocks
