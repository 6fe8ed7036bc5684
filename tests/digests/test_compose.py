"""compose_digest: what is new, grouped by topic, newest first, with conflicts and markers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.corpus import CorpusIndex
from bot.digest import compose_digest

UNTIL = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)


def _sources(digest: object) -> set[str]:
    return {p.citation.source_id for it in digest.items for p in it.points}  # type: ignore[attr-defined]


def test_first_digest_is_the_newest_material_without_duplicates(index: CorpusIndex) -> None:
    d = compose_digest(index, since=None, until=UNTIL)
    assert _sources(d) == {"new"}
    assert d.report_count == 1
    assert d.period_start == datetime(2025, 10, 25, tzinfo=UTC)


def test_reports_dated_after_since_grouped_newest_first(index: CorpusIndex) -> None:
    d = compose_digest(index, since=datetime(2025, 10, 6, 7, tzinfo=UTC), until=UNTIL)
    assert _sources(d) == {"mid", "new"}
    assert d.report_count == 2
    assert [it.topic for it in d.items][0] in ("regulation", "multimodal")
    multimodal = next(it for it in d.items if it.topic == "multimodal")
    assert [p.citation.source_id for p in multimodal.points] == ["new", "mid"]
    assert all(p.citation.heading for it in d.items for p in it.points)


def test_a_section_is_listed_once_under_its_strongest_topic(index: CorpusIndex) -> None:
    d = compose_digest(index, since=datetime(2025, 10, 6, tzinfo=UTC), until=UNTIL)
    headings = [p.citation.heading for it in d.items for p in it.points]
    assert headings.count("Omni Models") == 1
    quantum = next(it for it in d.items if it.topic == "quantum")
    assert [p.citation.heading for p in quantum.points] == ["Qubits"]


def test_chosen_topics_only(index: CorpusIndex) -> None:
    d = compose_digest(
        index, since=datetime(2025, 10, 6, tzinfo=UTC), until=UNTIL, topics=("quantum",)
    )
    assert [it.topic for it in d.items] == ["quantum"]
    assert {p.citation.heading for p in d.items[0].points} == {"Omni Models", "Qubits"}
    assert d.items[0].markers == ("single_source",)
    assert d.conflicts == ()


def test_conflicts_and_markers_of_covered_topics(index: CorpusIndex) -> None:
    d = compose_digest(index, since=datetime(2025, 10, 21, tzinfo=UTC), until=UNTIL)
    assert {it.topic for it in d.items} == {"regulation", "multimodal"}
    assert [f.flag_id for f in d.conflicts] == ["regulation-timeline-1"]
    assert [f.flag_id for f in d.consensus] == ["multimodal-consensus-1"]
    multimodal = next(it for it in d.items if it.topic == "multimodal")
    assert multimodal.markers == ("consensus",)


def test_report_ingested_after_since_is_new_whatever_its_date(index: CorpusIndex) -> None:
    since = datetime(2025, 10, 26, tzinfo=UTC)
    seen = {"undated": datetime(2025, 10, 26, 12, tzinfo=UTC), "old": since}
    d = compose_digest(index, since=since, until=UNTIL, ingested_at=seen)
    assert _sources(d) == {"undated"}


def test_nothing_new_still_carries_the_open_conflicts(index: CorpusIndex) -> None:
    d = compose_digest(index, since=datetime(2025, 10, 26, tzinfo=UTC), until=UNTIL)
    assert d.is_empty and d.report_count == 0
    assert [f.flag_id for f in d.conflicts] == ["regulation-timeline-1"]
    only_quantum = compose_digest(
        index, since=datetime(2025, 10, 26, tzinfo=UTC), until=UNTIL, topics=("quantum",)
    )
    assert only_quantum.conflicts == ()


def test_digest_renders_within_slack_limits(index: CorpusIndex) -> None:
    from bot.render import render_digest_messages

    d = compose_digest(index, since=datetime(2025, 10, 6, tzinfo=UTC), until=UNTIL)
    messages = render_digest_messages(d)
    assert messages and all(len(m) <= 50 for m in messages)


def test_single_source_marker_means_one_report_covers_the_topic(tmp_path: Path) -> None:
    """A figure only one report gives is its own flag; the topic marker is for lone topics."""
    from bot.ingest import load_corpus

    content = Path(__file__).resolve().parents[2] / "content"
    real = CorpusIndex(load_corpus(content, tmp_path).corpus)
    d = compose_digest(real, since=None, until=datetime(2026, 1, 1, tzinfo=UTC))
    markers = {it.topic: it.markers for it in d.items}
    for topic, marks in markers.items():
        lone = len(real.reports_covering(topic)) == 1
        assert ("single_source" in marks) == lone, topic
    assert any(
        f.topic in markers and len(real.reports_covering(f.topic)) > 1 for f in d.single_source
    ), "claim-level single-source flags still listed"
    # Flags name their reports by title even when the report has no point in this digest.
    assert all(side.title for f in (*d.conflicts, *d.consensus) for side in f.sides)
