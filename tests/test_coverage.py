"""The coverage grid: one cell per topic and report, its state decided by sections and flags."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.coverage import CellState, coverage_grid
from bot.models import (
    CONFLICT_KINDS,
    Corpus,
    Flag,
    FlagSide,
    Section,
    Source,
    Topic,
    TopicScore,
)

TOPICS = (
    Topic(id="robots", name="Robotics"),
    Topic(id="chips", name="Chips"),
    Topic(id="law", name="Law"),
)


def _source(sid: str, published: date | None, duplicate_of: str | None = None) -> Source:
    return Source(
        source_id=sid,
        title=f"Report {sid}",
        published=published,
        path=f"{sid}.md",
        sha256=sid,
        duplicate_of=duplicate_of,
    )


def _section(sid: str, slug: str, topic: str) -> Section:
    return Section(
        section_id=f"{sid}#{slug}",
        source_id=sid,
        heading=slug,
        level=2,
        line=3,
        text=f"{slug} body.",
        summary=f"{slug} summary.",
        topics=(TopicScore(topic_id=topic, score=90),),
    )


def _flag(topic: str, kind: str, *sources: str) -> Flag:
    return Flag(
        flag_id=f"{topic}-{kind}-{'-'.join(sources)}",
        topic=topic,
        kind=kind,  # type: ignore[arg-type]
        summary=f"{kind} on {topic}",
        sides=tuple(FlagSide(source_id=s, heading="h", claim="c") for s in sources),
    )


def _corpus(flags: tuple[Flag, ...] = ()) -> Corpus:
    return Corpus(
        version="v1",
        built_at=datetime(2025, 11, 1, tzinfo=UTC),
        topics=TOPICS,
        sources=(
            _source("new", date(2025, 10, 25)),
            _source("old", date(2025, 1, 1)),
            _source("undated", None),
            _source("copy", date(2025, 10, 25), duplicate_of="new"),
        ),
        sections=(
            _section("old", "arms", "robots"),
            _section("new", "legs", "robots"),
            _section("undated", "hands", "robots"),
            _section("new", "gpus", "chips"),
            _section("old", "fabs", "chips"),
            _section("copy", "gpus", "chips"),
        ),
        flags=flags,
    )


def test_reports_run_oldest_to_newest_without_duplicates_and_the_newest_is_marked() -> None:
    grid = coverage_grid(_corpus())
    assert [r.source_id for r in grid.reports] == ["undated", "old", "new"]
    assert [r.newest for r in grid.reports] == [False, False, True]
    assert [t.topic_id for t in grid.topics] == ["robots", "chips", "law"]


def test_a_section_on_a_topic_makes_a_covered_cell_and_none_leaves_it_empty() -> None:
    grid = coverage_grid(_corpus())
    assert grid.cell("chips", "new").state == "covered"
    assert grid.cell("chips", "new").sections == 1
    assert grid.cell("chips", "undated").state == "none"
    assert all(c.state == "none" for c in grid.cells[2])  # nobody writes about law


def test_flags_mark_the_reports_they_name() -> None:
    grid = coverage_grid(
        _corpus(
            (
                _flag("robots", "stance", "old", "new"),
                _flag("chips", "consensus", "old", "new"),
                _flag("robots", "single_source", "undated"),
            )
        )
    )
    assert grid.cell("robots", "old").state == "disagreeing"
    assert grid.cell("robots", "new").state == "disagreeing"
    assert grid.cell("robots", "undated").state == "single_source"
    assert grid.cell("chips", "new").state == "agreeing"
    assert grid.cell("chips", "undated").state == "none"


def test_a_disagreement_outranks_agreement_and_a_lone_claim_in_one_cell() -> None:
    flags = (
        _flag("chips", "consensus", "old", "new"),
        _flag("chips", "single_source", "new"),
        _flag("chips", "numeric", "new", "old"),
    )
    cell = coverage_grid(_corpus(flags)).cell("chips", "new")
    assert cell.state == "disagreeing"
    assert cell.flags == 3
    lone = coverage_grid(_corpus(flags[:2])).cell("chips", "new")
    assert lone.state == "single_source"


def test_every_kind_but_consensus_and_single_source_is_a_disagreement() -> None:
    assert set(CONFLICT_KINDS) == {"stance", "numeric", "timeline", "verification", "caution"}


KINDS = st.sampled_from(["stance", "numeric", "timeline", "consensus", "single_source"])
SOURCES = st.sampled_from(["new", "old", "undated"])


@given(st.lists(st.tuples(st.sampled_from(["robots", "chips", "law"]), KINDS, SOURCES), max_size=8))
def test_the_grid_has_one_cell_per_topic_and_report_and_counts_them_all(
    specs: list[tuple[str, str, str]],
) -> None:
    flags = tuple(_flag(t, k, s) for t, k, s in dict.fromkeys(specs))
    grid = coverage_grid(_corpus(flags))
    assert len(grid.cells) == len(grid.topics)
    assert all(len(row) == len(grid.reports) for row in grid.cells)
    assert sum(grid.counts().values()) == len(grid.topics) * len(grid.reports)
    for topic, kind, source in specs:
        state: CellState = grid.cell(topic, source).state
        assert state != "none"
        if kind in CONFLICT_KINDS:
            assert state == "disagreeing"
