"""Pure: corpus + period (+ chosen topics) -> Digest of what is new, with conflicts and markers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time

from bot.corpus import CorpusIndex
from bot.dates import dated_within
from bot.models import CONFLICT_KINDS, Digest, DigestItem, Flag, Point, Section, Source


def _is_new(
    source: Source,
    *,
    since: datetime,
    until: datetime,
    ingested_at: Mapping[str, datetime],
) -> bool:
    # Dated after the last digest's day (that day's reports were in it) and not in the future,
    # at the date's precision (a year-only date is not inside a week)…
    if dated_within(
        source.published, source.published_precision, after=since.date(), through=until.date()
    ):
        return True
    # …or added to the content after the last digest, whatever date it carries.
    seen = ingested_at.get(source.source_id)
    return seen is not None and since < seen <= until


def _best_topic(section: Section, allowed: tuple[str, ...]) -> str | None:
    """The section's strongest topic among `allowed` (pins first), so it is listed once."""
    ranked = sorted(
        (ts for ts in section.topics if ts.topic_id in allowed),
        key=lambda ts: (not ts.pinned, -ts.score, allowed.index(ts.topic_id)),
    )
    return ranked[0].topic_id if ranked else None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def compose_digest(
    index: CorpusIndex,
    *,
    since: datetime | None,
    until: datetime,
    topics: tuple[str, ...] = (),
    ingested_at: Mapping[str, datetime] | None = None,
) -> Digest:
    """What is new in (since, until], grouped by topic, newest first, each point cited.

    A report is new when it is dated after `since`'s day (up to `until`'s day), or when
    `ingested_at` (source id -> first time the store saw it) puts it after `since`.
    `since=None` (a channel's first digest): the material of the newest report date.
    Nothing new gives an empty digest that still carries the open conflicts.
    """
    seen = ingested_at or {}
    allowed = tuple(t for t in topics if t in index.topics) if topics else tuple(index.topics)
    candidates = [
        s
        for s in index.corpus.sources
        if not s.duplicate_of and (s.published is None or s.published <= until.date())
    ]
    if since is None:
        relevant = {sec.source_id for t in allowed for sec in index.sections_for(t)}
        dates = [s.published for s in candidates if s.published and s.source_id in relevant]
        newest = max(dates) if dates else None
        new_ids = {s.source_id for s in candidates if newest and s.published == newest}
        period_start = _start_of(newest) if newest else until
    else:
        new_ids = {
            s.source_id
            for s in candidates
            if _is_new(s, since=since, until=until, ingested_at=seen)
        }
        period_start = since

    grouped: dict[str, list[Point]] = {}
    reports: set[str] = set()
    for topic_id in allowed:
        for sec in index.sections_for(topic_id):  # newest report first, document order
            if sec.source_id not in new_ids or _best_topic(sec, allowed) != topic_id:
                continue
            grouped.setdefault(topic_id, []).append(
                Point(text=sec.summary or sec.text[:300], citation=index.citation(sec))
            )
            reports.add(sec.source_id)

    def newest_point(tid: str) -> tuple[int, int]:
        return (
            -max(index.ordinal(p.citation.source_id) for p in grouped[tid]),
            -len(grouped[tid]),
        )

    items: list[DigestItem] = []
    for tid in sorted(grouped, key=newest_point):
        # The topic's own markers: agreed by 3+ reports, or covered by one report only. Figures
        # only one report gives are flags of their own ("Resting on one report"), not a marker.
        kinds = {f.kind for f in index.flags_for(tid)}
        lone = len(index.reports_covering(tid)) == 1
        markers = tuple(
            m
            for m in ("consensus", "single_source")
            if (m == "consensus" and m in kinds) or (m == "single_source" and lone)
        )
        items.append(
            DigestItem(
                topic=tid,
                topic_name=index.topics[tid].name,
                points=tuple(grouped[tid]),
                markers=markers,
            )
        )

    covered = [it.topic for it in items] or list(allowed)
    flags = [f for t in covered for f in index.flags_for(t)]
    return Digest(
        period_start=period_start,
        period_end=until,
        report_count=len(reports),
        items=tuple(items),
        conflicts=_unique(f for f in flags if f.kind in CONFLICT_KINDS),
        consensus=_unique(f for f in flags if f.kind == "consensus" and items),
        single_source=_unique(f for f in flags if f.kind == "single_source" and items),
    )


def _unique(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    out: dict[str, Flag] = {}
    for f in flags:
        out.setdefault(f.flag_id, f)
    return tuple(out.values())
