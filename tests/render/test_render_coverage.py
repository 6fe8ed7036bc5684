"""The coverage grid as a terminal table, as aligned text, and in the App Home tab."""

from __future__ import annotations

import io
import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from render_builders import assert_valid_home, mrkdwn_of
from rich.console import Console

from bot.coverage import CellState, CoverageGrid, GridCell, GridReport, GridTopic
from bot.render import render_home
from bot.render.coverage import GLYPHS, coverage_home_blocks, coverage_table, coverage_text

STATES: list[CellState] = ["none", "covered", "agreeing", "disagreeing", "single_source"]


def _grid(topics: list[str], n_reports: int, states: list[CellState] | None = None) -> CoverageGrid:
    reports = tuple(
        GridReport(
            source_id=f"r{i}",
            title=f"Report {i} <b>&",
            published=date(2025, 1, 1 + i),
            newest=i == n_reports - 1,
        )
        for i in range(n_reports)
    )
    cycle = states or STATES
    cells = tuple(
        tuple(GridCell(state=cycle[(r * n_reports + c) % len(cycle)]) for c in range(n_reports))
        for r in range(len(topics))
    )
    return CoverageGrid(
        topics=tuple(GridTopic(topic_id=f"t{i}", name=n) for i, n in enumerate(topics)),
        reports=reports,
        cells=cells,
    )


def test_terminal_table_has_a_row_per_topic_a_column_per_report_and_a_legend() -> None:
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(
        coverage_table(_grid(["Robotics", "Chips"], 3))
    )
    text = out.getvalue()
    assert "R1" in text and "R3*" in text  # the newest report is starred
    assert "Robotics" in text and "Chips" in text
    assert "R3* = Report 2 <b>& (2025-01-03, newest)" in text
    assert "✗ disagrees with another report" in text


def test_text_grid_lines_up_one_glyph_per_report_column() -> None:
    text = coverage_text(_grid(["Robotics", "A much longer topic name than fits", "X"], 4))
    lines = text.splitlines()
    assert lines[0].split() == ["topic", "R1", "R2", "R3", "R4*"]
    column = lines[0].index("R1")
    for line in lines[1:]:
        assert line[column] in GLYPHS.values()
    assert "A much longer topic name…" in text


def test_text_grid_keeps_the_newest_reports_when_there_are_too_many() -> None:
    text = coverage_text(_grid(["Robotics"], 15), max_reports=12)
    header = text.splitlines()[0].split()
    assert header[1] == "R4" and header[-1] == "R15*"
    assert "(the newest 12 of 15 reports)" in text


def test_home_shows_the_grid_in_a_code_block_with_the_legend_escaped() -> None:
    view = render_home([], [], None, coverage=_grid(["Robotics", "Chips & <Law>"], 3))
    assert_valid_home(view)
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert "Coverage map" in headers
    text = mrkdwn_of(view["blocks"])
    assert "```\ntopic" in text
    assert "Chips &amp; &lt;Law&gt;" in text and "<Law>" not in text
    assert "R3* = Report 2 &lt;b&gt;&amp;" in text


def test_home_without_a_grid_has_no_coverage_section() -> None:
    assert "Coverage map" not in json.dumps(render_home([], [], None)["blocks"])


@given(
    st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=300),
    st.integers(min_value=1, max_value=30),
)
def test_any_grid_fits_the_home_tab_and_never_splits_a_code_fence(
    topics: list[str], n_reports: int
) -> None:
    blocks = coverage_home_blocks(_grid(topics, n_reports))
    view = render_home([], [], None, coverage=_grid(topics, n_reports))
    assert_valid_home(view)
    fenced = [b["text"]["text"] for b in blocks if b["text"]["text"].startswith("```")]
    assert fenced and all(t.endswith("```") and t.count("```") == 2 for t in fenced)
