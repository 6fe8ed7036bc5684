"""The coverage grid as PNG bytes, drawn with matplotlib (the optional `charts` extra)."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from bot.coverage import CellState, CoverageGrid
from bot.errors import InputError
from bot.render.coverage import GLYPHS, WORDS, legend_lines, report_label
from bot.render.mrkdwn import one_line, shorten

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Fill colours (ColorBrewer; red and green also differ in lightness, and every cell carries
# its glyph, so the grid reads without colour too).
FILLS: dict[CellState, str] = {
    "none": "#f2f2f2",
    "covered": "#9ecae1",
    "agreeing": "#41ab5d",
    "disagreeing": "#d7301f",
    "single_source": "#fdae6b",
}
INK: dict[CellState, str] = {
    "none": "#bdbdbd",
    "covered": "#08306b",
    "agreeing": "white",
    "disagreeing": "white",
    "single_source": "#7f2704",
}
NEWEST_EDGE = "#252525"
CELL = 0.42  # inches per cell
TOPIC_MAX = 40


def _draw_grid(ax: Axes, grid: CoverageGrid) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    rows, cols = len(grid.topics), len(grid.reports)
    # One collection for all fills and a text only where a cell says something: thousands of
    # separate artists take a minute to draw on a large grid.
    squares = [
        Rectangle((c + 0.06, r + 0.06), 0.88, 0.88)
        for r, row in enumerate(grid.cells)
        for c, _ in enumerate(row)
    ]
    fills = [FILLS[cell.state] for row in grid.cells for cell in row]
    ax.add_collection(PatchCollection(squares, facecolors=fills, edgecolors="none"))
    for r, row in enumerate(grid.cells):
        for c, cell in enumerate(row):
            if cell.state == "none":
                continue  # the pale square is enough; a dot in every empty cell is noise
            ax.text(
                c + 0.5,
                r + 0.52,
                GLYPHS[cell.state],
                ha="center",
                va="center",
                fontsize=10,
                color=INK[cell.state],
                fontweight="bold",
            )
    for c, report in enumerate(grid.reports):
        if report.newest:  # a frame around the newest report's column
            ax.add_patch(
                Rectangle(
                    (c + 0.01, 0.01),
                    0.98,
                    rows - 0.02,
                    fill=False,
                    edgecolor=NEWEST_EDGE,
                    linewidth=1.2,
                )
            )
    ax.set_xlim(0, max(cols, 1))
    ax.set_ylim(max(rows, 1), 0)
    ax.set_xticks([c + 0.5 for c in range(cols)])
    # Column heads stay short (dates and titles are in the legend under the grid): a date is
    # wider than a cell and neighbouring ones overlap.
    ax.set_xticklabels(
        [report_label(n, report) for n, report in enumerate(grid.reports, start=1)], fontsize=9
    )
    for tick, report in zip(ax.get_xticklabels(), grid.reports, strict=True):
        if report.newest:
            tick.set_fontweight("bold")
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.5 for r in range(rows)])
    ax.set_yticklabels(
        [shorten(one_line(t.name or t.topic_id), TOPIC_MAX) for t in grid.topics], fontsize=9
    )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def coverage_png_bytes(grid: CoverageGrid) -> bytes:
    """The grid, its column legend and its glyph legend as PNG bytes (a digest attaches them)."""
    try:
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError:
        raise InputError(
            "--png needs matplotlib: install the charts extra (pip install -e '.[charts]')"
        ) from None
    rows, cols = len(grid.topics), len(grid.reports)
    legend = legend_lines(grid)[:-1]  # the column names; glyphs get a real legend below
    width = max(3.2 + CELL * cols, 8.0)
    grid_height = CELL * max(rows, 1)
    footer = 0.9 + 0.2 * len(legend)
    height = grid_height + 0.9 + footer
    fig = Figure(figsize=(width, height), dpi=120)
    left = min(2.9 / width, 0.5)
    ax = fig.add_axes(
        (
            left,
            footer / height,
            min(CELL * max(cols, 1) / width, 1 - left - 0.02),
            grid_height / height,
        )
    )
    _draw_grid(ax, grid)
    fig.suptitle("Coverage: topics × reports", x=0.02, y=1 - 0.12 / height, ha="left", fontsize=12)
    handles = [
        Patch(
            facecolor=FILLS[s],
            edgecolor="#999999",
            label=WORDS[s] if s == "none" else f"{GLYPHS[s]} {WORDS[s]}",
        )
        for s in FILLS
    ]
    handles.append(Patch(facecolor="white", edgecolor=NEWEST_EDGE, label="framed: newest report"))
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, (0.25 + 0.2 * len(legend)) / height),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    for i, line in enumerate(legend):
        fig.text(0.02, (0.1 + 0.2 * (len(legend) - 1 - i)) / height, line, fontsize=8)
    out = BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
