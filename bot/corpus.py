"""Pure: lookups over a compiled Corpus (topics, sections per topic, sources, flags, dates)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime
from functools import cached_property

from bot.coverage import reports_by_topic
from bot.dates import Precision
from bot.models import CONFLICT_KINDS, Citation, Corpus, Flag, Section, Source, Topic


class CorpusIndex:
    """Read-only indexes built once per corpus version; cheap to query from any thread."""

    def __init__(self, corpus: Corpus, *, problem: str | None = None) -> None:
        self.corpus = corpus
        # Why there is no content to answer from ("file:line: reason (fix)"); None normally.
        self.problem = problem
        self.topics: dict[str, Topic] = {t.id: t for t in corpus.topics}
        self.sources: dict[str, Source] = {s.source_id: s for s in corpus.sources}
        self.sections: dict[str, Section] = {s.section_id: s for s in corpus.sections}
        by_topic: dict[str, list[Section]] = defaultdict(list)
        for sec in corpus.sections:
            for ts in sec.topics:
                by_topic[ts.topic_id].append(sec)
        # Newest report first; within a report, document order.
        self._by_topic = {
            tid: tuple(sorted(secs, key=lambda s: (-self.ordinal(s.source_id), s.line)))
            for tid, secs in by_topic.items()
        }
        flags: dict[str, list[Flag]] = defaultdict(list)
        for f in corpus.flags:
            flags[f.topic].append(f)
        self._flags = {k: tuple(v) for k, v in flags.items()}

    @classmethod
    def broken(cls, problem: str, built_at: datetime) -> CorpusIndex:
        """An empty index for a bot with no good content at all: every answer says why."""
        digest = hashlib.sha256(problem.encode()).hexdigest()[:16]
        empty = Corpus(
            version=f"broken-{digest}", built_at=built_at, topics=(), sources=(), sections=()
        )
        return cls(empty, problem=problem)

    @property
    def version(self) -> str:
        return self.corpus.version

    def ordinal(self, source_id: str) -> int:
        """Date of a report as a sortable number (undated reports sort oldest)."""
        published = self.sources[source_id].published if source_id in self.sources else None
        return published.toordinal() if published else 0

    @cached_property
    def newest_date(self) -> date | None:
        dates = [s.published for s in self.corpus.sources if s.published]
        return max(dates) if dates else None

    @cached_property
    def newest_precision(self) -> Precision | None:
        """Precision of the newest date (the finest one among reports of that date)."""
        newest = self.newest_date
        found = {
            s.published_precision or "day" for s in self.corpus.sources if s.published == newest
        }
        for precision in ("day", "month", "year"):
            if precision in found:
                return precision
        return None

    def sections_for(
        self, topic_id: str, *, include_duplicates: bool = False
    ) -> tuple[Section, ...]:
        secs = self._by_topic.get(topic_id, ())
        if include_duplicates:
            return secs
        return tuple(s for s in secs if s.duplicate_of is None and not self._source_is_duplicate(s))

    def _source_is_duplicate(self, section: Section) -> bool:
        src = self.sources.get(section.source_id)
        return bool(src and src.duplicate_of)

    @staticmethod
    def primary_topic(section: Section) -> str | None:
        """The topic a section is mostly about: a curator pin first, else the best score."""
        if not section.topics:
            return None
        return max(section.topics, key=lambda t: (t.pinned, t.score)).topic_id

    def flags_for(self, topic_id: str) -> tuple[Flag, ...]:
        return self._flags.get(topic_id, ())

    def conflicts_for(self, topic_id: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags_for(topic_id) if f.kind in CONFLICT_KINDS)

    def all_conflicts(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.corpus.flags if f.kind in CONFLICT_KINDS)

    @cached_property
    def _covering(self) -> dict[str, tuple[str, ...]]:
        # The order of sections_for: newest report first, then document order.
        ordered = sorted(self.corpus.sections, key=lambda s: (-self.ordinal(s.source_id), s.line))
        return reports_by_topic(ordered, self.corpus.sources)

    def reports_covering(self, topic_id: str) -> tuple[str, ...]:
        """Reports covering the topic, newest first (see ``bot.coverage.reports_by_topic``)."""
        return self._covering.get(topic_id, ())

    def citation(self, section: Section) -> Citation:
        return self.cite(section.source_id, section.heading)

    def cite(self, source_id: str, heading: str = "") -> Citation:
        """A report's citation, at a section when a heading is given (none: the whole report)."""
        src = self.sources[source_id]
        return Citation(
            source_id=src.source_id,
            heading=heading,
            published=src.published,
            published_precision=src.published_precision,
            title=src.title,
        )
