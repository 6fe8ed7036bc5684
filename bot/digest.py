"""Pure: corpus + period (+ chosen topics) -> Digest of what is new, with conflicts and markers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time

from bot.conflicts.summary import short_titles
from bot.corpus import CorpusIndex
from bot.dates import dated_within, format_published
from bot.models import (
    CONFLICT_KINDS,
    AgreementChange,
    Digest,
    DigestChanges,
    DigestItem,
    DigestSnapshot,
    Flag,
    Headline,
    Point,
    ReportRef,
    Section,
    Source,
    disagreement_point,
    kind_words,
)

HEADLINES_MAX = 5


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
    previous: DigestSnapshot | None = None,
    dismissed: frozenset[str] = frozenset(),
) -> Digest:
    """What is new in (since, until], grouped by topic, newest first, each point cited.

    A report is new when it is dated after `since`'s day (up to `until`'s day), or when
    `ingested_at` (source id -> first time the store saw it) puts it after `since`.
    `since=None` (a channel's first digest): the material of the newest report date.
    Nothing new gives an empty digest that still carries the open conflicts.
    `previous` is what the channel's last digest showed (None: its first); `dismissed` are the
    flags this channel marked "Not a disagreement" (a curator's confirmation still wins).
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
        # The finest precision any of the newest reports gives its date.
        precisions = {s.published_precision or "day" for s in candidates if s.source_id in new_ids}
        start_precision = next((p for p in ("day", "month", "year") if p in precisions), "day")
    else:
        new_ids = {
            s.source_id
            for s in candidates
            if _is_new(s, since=since, until=until, ingested_at=seen)
        }
        period_start = since
        start_precision = "day"

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
        # The topic's own markers: agreed by 3+ reports, disputed somewhere (so an agreement
        # marker never reads as if the reports agreed on everything), or covered by one report
        # only. Figures only one report gives are flags of their own, not a marker.
        kinds = {f.kind for f in index.flags_for(tid) if _kept(f, dismissed)}
        lone = len(index.reports_covering(tid)) == 1
        marked = {
            "consensus": "consensus" in kinds,
            "disputed": bool(kinds & set(CONFLICT_KINDS)),
            "single_source": lone,
        }
        markers = tuple(m for m in ("consensus", "disputed", "single_source") if marked[m])
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
    conflicts = _unique(
        _titled(index, f) for f in flags if f.kind in CONFLICT_KINDS and _kept(f, dismissed)
    )
    snapshot = snapshot_of(index, allowed, dismissed)
    fresh = tuple(f for f in conflicts if _involves_new(f, new_ids, previous))
    new_reports = _new_reports(index, new_ids & reports)
    changes = None if previous is None else _changes(index, previous, snapshot)
    consensus = _unique(f for f in flags if f.kind == "consensus" and items)
    single = _unique(f for f in flags if f.kind == "single_source" and items)
    return Digest(
        period_start=period_start,
        period_start_precision=start_precision,
        period_end=until,
        report_count=len(reports),
        items=tuple(items),
        conflicts=conflicts,
        consensus=consensus,
        single_source=single,
        new_reports=new_reports,
        headlines=_headlines(index, new_reports, fresh, changes, single, new_ids),
        new_conflicts=fresh,
        older_conflicts=len(conflicts) - len(fresh),
        changes=changes,
        snapshot=snapshot,
    )


def _titled(index: CorpusIndex, flag: Flag) -> Flag:
    """Every side names its report, so a disagreement reads on its own in a thread reply."""
    if all(side.title for side in flag.sides):
        return flag
    sides = tuple(
        side
        if side.title or side.source_id not in index.sources
        else side.model_copy(update={"title": index.sources[side.source_id].title})
        for side in flag.sides
    )
    return flag.model_copy(update={"sides": sides})


def _kept(flag: Flag, dismissed: frozenset[str]) -> bool:
    """A flag the channel dismissed stays out, unless a curator confirmed or wrote it."""
    return flag.flag_id not in dismissed or flag.status != "detected"


def _involves_new(flag: Flag, new_ids: set[str], previous: DigestSnapshot | None) -> bool:
    """New to the channel: a side is a new report, or the last digest did not show it."""
    if any(side.source_id in new_ids for side in flag.sides):
        return True
    return previous is not None and flag.flag_id not in {fid for fid, _ in previous.conflicts}


def _agreeing(flag: Flag) -> int:
    return len({side.source_id for side in flag.sides})


def snapshot_of(
    index: CorpusIndex, topics: tuple[str, ...], dismissed: frozenset[str] = frozenset()
) -> DigestSnapshot:
    """What a digest over `topics` shows of the corpus now (stored when it is delivered)."""
    flags = _unique(f for t in topics for f in index.flags_for(t))
    return DigestSnapshot(
        corpus_version=index.version,
        source_ids=tuple(sorted(s.source_id for s in index.corpus.sources if not s.duplicate_of)),
        conflicts=tuple(
            (f.flag_id, f.summary[:200])
            for f in flags
            if f.kind in CONFLICT_KINDS and _kept(f, dismissed)
        ),
        agreement=tuple(
            (f.flag_id, f.summary[:200], _agreeing(f)) for f in flags if f.kind == "consensus"
        ),
    )


def _changes(index: CorpusIndex, before: DigestSnapshot, now: DigestSnapshot) -> DigestChanges:
    seen = set(before.source_ids)
    added = {sid for sid in now.source_ids if sid not in seen}
    new_claims = sum(len(sec.claims) for sec in index.corpus.sections if sec.source_id in added)
    was = dict(before.conflicts)
    open_now = dict(now.conflicts)
    counts = {fid: n for fid, _, n in before.agreement}
    agreement = tuple(
        AgreementChange(flag_id=fid, summary=summary, before=counts.get(fid, 0), after=n)
        for fid, summary, n in now.agreement
        if counts.get(fid, 0) != n
    )
    return DigestChanges(
        new_claims=new_claims,
        new_disagreements=tuple(s for fid, s in now.conflicts if fid not in was),
        resolved_disagreements=tuple(s for fid, s in before.conflicts if fid not in open_now),
        agreement=agreement,
    )


def _new_reports(index: CorpusIndex, ids: set[str]) -> tuple[ReportRef, ...]:
    refs = [
        ReportRef(
            source_id=s.source_id,
            title=s.title,
            published=s.published,
            published_precision=s.published_precision,
        )
        for s in index.corpus.sources
        if s.source_id in ids
    ]
    return tuple(sorted(refs, key=lambda r: (-index.ordinal(r.source_id), r.title)))


def short_source(index: CorpusIndex, source_id: str) -> str:
    """ "Transformative Advances… (2025)": a report named in one line."""
    src = index.sources.get(source_id)
    if src is None:
        return source_id
    title = short_titles(index.corpus.sources).get(source_id, src.title)
    when = format_published(src.published, src.published_precision) if src.published else ""
    return f"{title} ({when})" if when else title


def _headlines(
    index: CorpusIndex,
    new_reports: tuple[ReportRef, ...],
    fresh: tuple[Flag, ...],
    changes: DigestChanges | None,
    single: tuple[Flag, ...],
    new_ids: set[str],
) -> tuple[Headline, ...]:
    """Up to five: new reports, then new disagreements, changed agreement, lone figures."""
    out: list[Headline] = []
    for ref in new_reports:
        lead = _lead_point(index, ref.source_id)
        out.append(
            Headline(
                kind="new_report",
                text=f"New: {lead}" if lead else f"New report: {ref.title}",
                source=short_source(index, ref.source_id),
            )
        )
    for flag in fresh:
        out.append(
            Headline(
                kind="new_disagreement",
                # Short: what they disagree on; the "New disagreements" line below says how.
                text=(
                    f"Reports disagree on {flag.subject.strip()} ({kind_words(flag.kind)})"
                    if flag.subject.strip()
                    else f"Reports disagree: {disagreement_point(flag.summary)}"
                ),
                source=" vs ".join(
                    dict.fromkeys(short_source(index, s.source_id) for s in flag.sides)
                ),
            )
        )
    for change in changes.agreement if changes else ():
        out.append(
            Headline(
                kind="agreement",
                text=f"Now {change.after} reports agree: {change.summary}",
                source=f"was {change.before}" if change.before else "new agreement",
            )
        )
    for flag in single:
        if flag.sides and flag.sides[0].source_id in new_ids:
            out.append(
                Headline(
                    kind="single_source",
                    text=f"Only one report says: {flag.sides[0].claim}",
                    source=short_source(index, flag.sides[0].source_id),
                )
            )
    return tuple(out[:HEADLINES_MAX])


def _lead_point(index: CorpusIndex, source_id: str) -> str:
    """The report's first section summary's first sentence (what it opens with)."""
    for sec in index.corpus.sections:
        if sec.source_id == source_id and sec.summary:
            first = sec.summary.split(". ")[0].rstrip(".")
            return first + "."
    return ""


def _unique(flags: Iterable[Flag]) -> tuple[Flag, ...]:
    out: dict[str, Flag] = {}
    for f in flags:
        out.setdefault(f.flag_id, f)
    return tuple(out.values())
