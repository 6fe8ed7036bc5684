"""Pure: per-topic coverage (which reports cover a topic) and the topics × reports grid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Literal

from bot.models import CONFLICT_KINDS, Corpus, Frozen, Section, Source


def reports_by_topic(
    sections: Iterable[Section], sources: Iterable[Source]
) -> dict[str, tuple[str, ...]]:
    """The one definition of per-topic coverage: a report covers a topic when one of its
    sections is mapped to it (as main or side theme). Duplicate sections and duplicate reports
    do not count, so a copy cannot raise a topic's "n of N". Reports keep the order of
    ``sections``; every count of "reports covering a topic" (answers, topic summaries, the
    grid, App Home, single-source topics) comes from here."""
    kept = {s.source_id for s in sources if s.duplicate_of is None}
    covering: dict[str, dict[str, None]] = defaultdict(dict)
    for section in sections:
        if section.duplicate_of is None and section.source_id in kept:
            for score in section.topics:
                covering[score.topic_id].setdefault(section.source_id)
    return {topic: tuple(reports) for topic, reports in covering.items()}


CellState = Literal["none", "covered", "agreeing", "disagreeing", "single_source"]

# When a report's flags on a topic say several things, the cell shows the one a reader must
# see first: a disagreement, then a claim resting on this report alone, then agreement.
_PRECEDENCE: tuple[CellState, ...] = ("disagreeing", "single_source", "agreeing", "covered")


class GridTopic(Frozen):
    topic_id: str
    name: str


class GridReport(Frozen):
    source_id: str
    title: str
    published: date | None = None
    newest: bool = False  # dated on the newest date in the corpus (ties are all newest)


class GridCell(Frozen):
    state: CellState
    sections: int = 0  # the report's sections on the topic
    flags: int = 0  # flags on the topic naming this report as a side


class CoverageGrid(Frozen):
    """Rows are topics (taxonomy order), columns reports (oldest to newest)."""

    topics: tuple[GridTopic, ...]
    reports: tuple[GridReport, ...]
    cells: tuple[tuple[GridCell, ...], ...]  # cells[topic row][report column]

    def cell(self, topic_id: str, source_id: str) -> GridCell:
        row = [t.topic_id for t in self.topics].index(topic_id)
        column = [r.source_id for r in self.reports].index(source_id)
        return self.cells[row][column]

    def counts(self) -> dict[CellState, int]:
        """How many cells are in each state (for a legend or a summary line)."""
        totals: dict[CellState, int] = {s: 0 for s in ("none", *_PRECEDENCE)}
        for row in self.cells:
            for c in row:
                totals[c.state] += 1
        return totals


def _state(kinds: set[str], sections: int) -> CellState:
    seen: set[CellState] = set()
    if kinds.intersection(CONFLICT_KINDS):
        seen.add("disagreeing")
    if "single_source" in kinds:
        seen.add("single_source")
    if "consensus" in kinds:
        seen.add("agreeing")
    if sections:
        seen.add("covered")
    return next((s for s in _PRECEDENCE if s in seen), "none")


def coverage_grid(corpus: Corpus) -> CoverageGrid:
    """Every topic against every report that is not a duplicate of another."""
    from bot.corpus import CorpusIndex  # the index builds on this module's coverage

    index = CorpusIndex(corpus)
    sources = [s for s in corpus.sources if s.duplicate_of is None]
    position = {s.source_id: i for i, s in enumerate(corpus.sources)}
    sources.sort(key=lambda s: (index.ordinal(s.source_id), position[s.source_id]))
    newest = index.newest_date
    reports = tuple(
        GridReport(
            source_id=s.source_id,
            title=s.title,
            published=s.published,
            newest=newest is not None and s.published == newest,
        )
        for s in sources
    )
    sections: dict[tuple[str, str], int] = defaultdict(int)
    for topic in corpus.topics:
        for section in index.sections_for(topic.id):
            sections[(topic.id, section.source_id)] += 1
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    flag_counts: dict[tuple[str, str], int] = defaultdict(int)
    for flag in corpus.flags:
        for source_id in {side.source_id for side in flag.sides}:
            kinds[(flag.topic, source_id)].add(flag.kind)
            flag_counts[(flag.topic, source_id)] += 1
    cells = tuple(
        tuple(
            GridCell(
                state=_state(kinds[(t.id, r.source_id)], sections[(t.id, r.source_id)]),
                sections=sections[(t.id, r.source_id)],
                flags=flag_counts[(t.id, r.source_id)],
            )
            for r in reports
        )
        for t in corpus.topics
    )
    return CoverageGrid(
        topics=tuple(GridTopic(topic_id=t.id, name=t.name) for t in corpus.topics),
        reports=reports,
        cells=cells,
    )
