"""What the listing commands show (`topics`, `sources`, `conflicts`, `subscriptions`,
`verdicts`): plain rows, filtered as asked, for JSON and for tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from bot.conversation.ports import SubscriptionView
from bot.corpus import CorpusIndex
from bot.dates import format_published
from bot.errors import BriefbotError, InputError
from bot.models import CONFLICT_KINDS, Corpus, Flag

FLAG_KINDS = (*CONFLICT_KINDS, "consensus", "single_source")
ANY_CONFLICT = "conflict"  # every kind that is a disagreement


def topic_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per topic: sections, reports covering it, single-source, conflicts, summary."""
    index = CorpusIndex(corpus)
    summaries = {s.topic: s for s in corpus.summaries}
    rows: list[dict[str, Any]] = []
    for topic in corpus.topics:
        reports = index.reports_covering(topic.id)
        rows.append(
            {
                "id": topic.id,
                "name": topic.name,
                "sections": len(index.sections_for(topic.id)),
                "reports": len(reports),
                "report_ids": list(reports),
                "single_source": len(reports) == 1,
                "conflicts": len(index.conflicts_for(topic.id)),
                # The normalized topic summary (agreed, disputed, single-source, dates).
                "summary": summaries[topic.id].model_dump(mode="json")
                if topic.id in summaries
                else None,
            }
        )
    return rows


def source_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per report: id, title, date as written, sections, what was inferred."""
    counts: dict[str, int] = {}
    for sec in corpus.sections:
        counts[sec.source_id] = counts.get(sec.source_id, 0) + 1
    return [
        {
            "source_id": s.source_id,
            "title": s.title,
            "published": s.published.isoformat() if s.published else None,
            "published_precision": s.published_precision,
            "published_as_written": format_published(s.published, s.published_precision),
            "publisher": s.publisher,
            "url": s.url,
            "sections": counts.get(s.source_id, 0),
            "inferred": list(s.inferred),
            "duplicate_of": s.duplicate_of,
        }
        for s in corpus.sources
    ]


def select_flags(
    corpus: Corpus, *, topic: str | None = None, kind: str | None = None
) -> list[Flag]:
    """The corpus's flags of one topic (id or name) and one kind (or 'conflict': every
    disagreement); an unknown topic or kind is an InputError naming the known ones."""
    flags = list(corpus.flags)
    if topic is not None:
        wanted = topic.strip().lower()
        ids = {t.id for t in corpus.topics if wanted in (t.id, t.name.lower())}
        if not ids:
            known = ", ".join(t.id for t in corpus.topics)
            raise InputError(f"unknown topic {topic!r}; topics are: {known}")
        flags = [f for f in flags if f.topic in ids]
    if kind is not None:
        if kind not in (*FLAG_KINDS, ANY_CONFLICT):
            raise InputError(
                f"unknown kind {kind!r}; use one of {', '.join(FLAG_KINDS)}, {ANY_CONFLICT}"
            )
        keep = CONFLICT_KINDS if kind == ANY_CONFLICT else (kind,)
        flags = [f for f in flags if f.kind in keep]
    return flags


def flag_counts(flags: list[Flag]) -> dict[str, int]:
    """How many flags of each kind (kinds with none left out), in FLAG_KINDS order."""
    counts = {k: sum(f.kind == k for f in flags) for k in FLAG_KINDS}
    return {k: n for k, n in counts.items() if n}


class ChannelSchedule(SubscriptionView, Protocol):
    """A stored subscription with its channel (bot.store.Subscription is one)."""

    @property
    def channel(self) -> str: ...


class TeamVerdict(Protocol):
    """A stored verdict on a flag (bot.store.Verdict is one)."""

    @property
    def flag_id(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def schedule_words(sub: ChannelSchedule) -> str:
    """ "mon at 09:00 (Europe/Berlin), quantum, regulation" (or "all topics")."""
    what = ", ".join(sub.topics) or "all topics"
    return f"{sub.day} at {sub.time} ({sub.tz}), {what}"


def next_digest(sub: ChannelSchedule, now: datetime) -> str | None:
    """The next slot (ISO 8601), or None for a stored row whose zone does not load (run-due
    skips it)."""
    # Imported here: the CLI loads this module for its help text, and zones cost ~30 ms.
    from bot.schedule import next_slot

    try:
        return next_slot(sub.day, sub.time, sub.tz, now).isoformat()
    except BriefbotError:
        return None


def subscription_rows(subs: Iterable[ChannelSchedule], now: datetime) -> list[dict[str, Any]]:
    """One row per subscribed channel, with its next digest time."""
    return [
        {
            "channel": s.channel,
            "day": s.day,
            "time": s.time,
            "tz": s.tz,
            "topics": list(s.topics),
            "next": next_digest(s, now),
        }
        for s in subs
    ]


def verdict_rows(verdicts: Iterable[TeamVerdict]) -> list[dict[str, Any]]:
    """One row per verdict: flag, channel, verdict, who, when (ISO 8601)."""
    return [
        {
            "flag_id": v.flag_id,
            "channel": v.channel,
            "verdict": v.verdict,
            "user": v.user,
            "at": v.created_at.isoformat(),
        }
        for v in verdicts
    ]
