"""The week at a glance: what is new to the channel, what changed, and its dismissed flags."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sample import small_corpus

from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.models import Corpus, Flag, FlagSide, Section, Source, TopicScore

WEEK1 = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
WEEK2 = WEEK1 + timedelta(days=7)


def week_after_a_new_report() -> Corpus:
    """The small corpus plus one report dated in week two, disagreeing on regulation."""
    base = small_corpus()
    newer = Source(
        source_id="newer",
        title="Report newer",
        published=date(2025, 11, 1),
        path="newer.md",
        sha256="newer",
    )
    section = Section(
        section_id="newer#act-fines",
        source_id="newer",
        heading="Act Fines",
        level=2,
        line=3,
        text="Fines reach 7% of revenue.",
        summary="Fines reach 7% of revenue. Enforcement starts in 2026.",
        topics=(TopicScore(topic_id="regulation", score=90),),
    )
    flag = Flag(
        flag_id="regulation-numeric-2",
        topic="regulation",
        kind="numeric",
        summary="How large AI Act fines are",
        sides=(
            FlagSide(source_id="old", heading="Eu Ai Act", claim="fines up to 3%"),
            FlagSide(source_id="newer", heading="Act Fines", claim="fines reach 7% of revenue"),
        ),
    )
    return base.model_copy(
        update={
            "version": "test-2",
            "sources": (*base.sources, newer),
            "sections": (*base.sections, section),
            "flags": (*base.flags, flag),
        }
    )


def test_first_digest_names_its_reports_and_has_no_changes() -> None:
    first = compose_digest(CorpusIndex(small_corpus()), since=None, until=WEEK1)
    assert [r.source_id for r in first.new_reports] == ["new"]
    assert first.changes is None
    assert first.headlines[0].kind == "new_report"
    assert [f.flag_id for f in first.new_conflicts] == ["regulation-timeline-1"]


def test_week_after_a_new_report_lists_only_what_is_new() -> None:
    first = compose_digest(CorpusIndex(small_corpus()), since=None, until=WEEK1)
    second = compose_digest(
        CorpusIndex(week_after_a_new_report()), since=WEEK1, until=WEEK2, previous=first.snapshot
    )
    assert [r.source_id for r in second.new_reports] == ["newer"]
    assert [f.flag_id for f in second.new_conflicts] == ["regulation-numeric-2"]
    assert second.older_conflicts == 1  # the timeline flag: shown last week, one line now
    assert second.changes is not None
    assert second.changes.new_disagreements == ("How large AI Act fines are",)
    assert second.changes.resolved_disagreements == ()
    assert [h.kind for h in second.headlines][:2] == ["new_report", "new_disagreement"]


def test_a_disagreement_gone_from_the_corpus_is_resolved() -> None:
    first = compose_digest(CorpusIndex(small_corpus()), since=None, until=WEEK1)
    base = small_corpus()
    fixed = base.model_copy(update={"flags": tuple(f for f in base.flags if f.kind != "timeline")})
    second = compose_digest(CorpusIndex(fixed), since=WEEK1, until=WEEK2, previous=first.snapshot)
    assert second.changes is not None
    assert second.changes.resolved_disagreements == ("When the AI Act applies",)


def test_not_a_disagreement_leaves_the_channels_digest_unless_a_curator_confirmed() -> None:
    index = CorpusIndex(small_corpus())
    dismissed = frozenset({"regulation-timeline-1"})
    digest = compose_digest(index, since=None, until=WEEK1, dismissed=dismissed)
    assert digest.conflicts == () and digest.new_conflicts == ()
    base = small_corpus()
    confirmed = base.model_copy(
        update={
            "flags": tuple(
                f.model_copy(update={"status": "confirmed"}) if f.kind == "timeline" else f
                for f in base.flags
            )
        }
    )
    kept = compose_digest(CorpusIndex(confirmed), since=None, until=WEEK1, dismissed=dismissed)
    assert [f.flag_id for f in kept.conflicts] == ["regulation-timeline-1"]
