"""Pure: per topic, what the reports together say: agreed, disputed and single-source points."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.coverage import reports_by_topic
from bot.dates import format_published
from bot.models import (
    CONFLICT_KINDS,
    AgreedPoint,
    DisputedPoint,
    Flag,
    FlagSide,
    Section,
    Source,
    Topic,
    TopicSummary,
)


def _subject(flag: Flag) -> str:
    """The flag's subject; for a curated flag, what its summary names first ("X: …")."""
    if flag.subject:
        return flag.subject
    head = flag.summary.split(":", 1)[0]
    return head.split(",", 1)[0].strip() if ":" in flag.summary and len(head) < 60 else ""


def summarize_topics(
    topics: Sequence[Topic],
    sections: Sequence[Section],
    sources: Sequence[Source],
    flags: Sequence[Flag],
) -> tuple[TopicSummary, ...]:
    """One TopicSummary per topic, from the flags already detected (curation applied), so the
    summaries and the flags can never disagree."""
    src = {s.source_id: s for s in sources if not s.duplicate_of}
    covering = reports_by_topic(sections, sources)
    by_topic: dict[str, list[Flag]] = defaultdict(list)
    for f in flags:
        by_topic[f.topic].append(f)
    out: list[TopicSummary] = []
    for topic in topics:
        reports = covering.get(topic.id, ())
        n = len(reports)
        agreed: list[AgreedPoint] = []
        disputed: list[DisputedPoint] = []
        single: list[FlagSide] = []
        for f in by_topic.get(topic.id, []):
            ids = tuple(dict.fromkeys(s.source_id for s in f.sides))
            if f.kind == "consensus":
                agreed.append(
                    AgreedPoint(
                        subject=_subject(f),
                        point=f.point or f.summary,
                        source_ids=ids,
                        coverage=f"{len(ids)} of {n} reports covering the topic",
                        flag_id=f.flag_id,
                    )
                )
            elif f.kind in CONFLICT_KINDS:
                disputed.append(
                    DisputedPoint(
                        flag_id=f.flag_id,
                        kind=f.kind,
                        subject=_subject(f),
                        summary=f.summary,
                        sides=f.sides,
                    )
                )
            elif f.kind == "single_source":
                single.extend(f.sides)
        dated = [src[r] for r in reports if src[r].published is not None]
        dated.sort(key=lambda s: (s.published, s.source_id))
        out.append(
            TopicSummary(
                topic=topic.id,
                topic_name=topic.name,
                source_ids=reports,
                agreed=tuple(agreed),
                disputed=tuple(disputed),
                single_source=tuple(single),
                earliest=(
                    format_published(dated[0].published, dated[0].published_precision)
                    if dated
                    else None
                ),
                latest=(
                    format_published(dated[-1].published, dated[-1].published_precision)
                    if dated
                    else None
                ),
                newest_source=dated[-1].source_id if dated else None,
            )
        )
    return tuple(out)
