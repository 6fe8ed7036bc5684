"""Flags on the five seed reports against the hand-made labels in labels.toml."""

from __future__ import annotations

from typing import Any

from bot.ingest import IngestResult
from bot.models import CONFLICT_KINDS, Flag

# Thresholds (stated in the README): recall and precision of conflict flags on the labelled
# pairs, zero conflicts on agreed topics, recall of consensus and single-source labels.
MIN_RECALL = 0.8
MIN_PRECISION = 0.8
MIN_SUPPORT_RECALL = 0.8


def _sources(flag: Flag) -> set[str]:
    return {s.source_id for s in flag.sides}


def _covers(flag: Flag, label: dict[str, Any]) -> bool:
    return (
        flag.topic == label["topic"]
        and flag.kind == label["kind"]
        and set(label["sources"]) <= _sources(flag)
    )


def conflict_scores(flags: tuple[Flag, ...], labels: dict[str, Any]) -> tuple[float, float, float]:
    """(recall, precision, strict precision): strict counts 'acceptable' flags as false."""
    conflicts = [f for f in flags if f.kind in CONFLICT_KINDS]
    wanted = labels["conflict"]
    acceptable = labels.get("acceptable", [])
    found = sum(any(_covers(f, lab) for f in conflicts) for lab in wanted)
    true = sum(any(_covers(f, lab) for lab in wanted) for f in conflicts)
    ok = sum(any(_covers(f, lab) for lab in [*wanted, *acceptable]) for f in conflicts)
    recall = found / len(wanted)
    precision = ok / len(conflicts) if conflicts else 1.0
    strict = true / len(conflicts) if conflicts else 1.0
    return recall, precision, strict


def test_conflict_recall_and_precision_on_the_labelled_pairs(
    seed_result: IngestResult, labels: dict[str, Any]
) -> None:
    flags = seed_result.corpus.flags
    recall, precision, strict = conflict_scores(flags, labels)
    missed = [lab["topic"] for lab in labels["conflict"] if not any(_covers(f, lab) for f in flags)]
    assert recall >= MIN_RECALL, f"recall {recall:.2f}; missed {missed}"
    assert precision >= MIN_PRECISION, f"precision {precision:.2f}"
    assert strict >= MIN_PRECISION, f"strict precision {strict:.2f}"


def test_no_conflict_is_flagged_where_the_reports_agree(
    seed_result: IngestResult, labels: dict[str, Any]
) -> None:
    agreed = {lab["topic"] for lab in labels["agreed"]}
    wrong = [
        f"{f.topic}: {f.summary}"
        for f in seed_result.corpus.flags
        if f.kind in CONFLICT_KINDS and f.topic in agreed
    ]
    assert wrong == []


def test_consensus_is_flagged_where_three_or_more_reports_make_the_same_point(
    seed_result: IngestResult, labels: dict[str, Any]
) -> None:
    consensus = [f for f in seed_result.corpus.flags if f.kind == "consensus"]
    hits = [
        lab
        for lab in labels["consensus"]
        if any(
            f.topic == lab["topic"] and len(_sources(f)) >= lab["min_sources"] for f in consensus
        )
    ]
    assert len(hits) / len(labels["consensus"]) >= MIN_SUPPORT_RECALL
    for f in consensus:
        assert len(_sources(f)) >= 3
        assert len(_sources(f)) == len(f.sides)  # one quoted claim per report


def test_consensus_never_sits_on_a_topic_with_a_conflict_between_its_reports(
    seed_result: IngestResult,
) -> None:
    flags = seed_result.corpus.flags
    for c in (f for f in flags if f.kind == "consensus"):
        for f in flags:
            if f.kind in CONFLICT_KINDS and f.topic == c.topic:
                assert not _sources(f) <= _sources(c), (c.summary, f.summary)


def test_single_source_claims_and_topics_are_flagged(
    seed_result: IngestResult, labels: dict[str, Any]
) -> None:
    single = [f for f in seed_result.corpus.flags if f.kind == "single_source"]
    wanted = labels["single_source"]

    def hit(f: Flag, lab: dict[str, Any]) -> bool:
        kind_ok = ("covers" in f.summary) == (lab["scope"] == "topic")
        return f.topic == lab["topic"] and _sources(f) == {lab["source"]} and kind_ok

    recall = sum(any(hit(f, lab) for f in single) for lab in wanted) / len(wanted)
    precision = sum(any(hit(f, lab) for lab in wanted) for f in single) / len(single)
    assert recall >= MIN_SUPPORT_RECALL, recall
    assert precision >= MIN_PRECISION, precision


def test_every_side_quotes_a_sentence_of_its_section(seed_result: IngestResult) -> None:
    corpus = seed_result.corpus
    by_source: dict[str, dict[str, str]] = {}
    for sec in corpus.sections:
        by_source.setdefault(sec.source_id, {})[sec.heading] = " ".join(sec.text.split())
    for f in corpus.flags:
        assert f.sides
        for side in f.sides:
            body = by_source[side.source_id][side.heading]
            assert " ".join(side.claim.split()).replace("**", "") in body.replace("**", "")


def test_summaries_name_the_reports_by_year_and_title(seed_result: IngestResult) -> None:
    for f in seed_result.corpus.flags:
        assert "\n" not in f.summary
        if f.kind in CONFLICT_KINDS:
            assert f.summary.count(" report ") >= 2, f.summary
            assert "'" in f.summary


def test_flag_ids_are_stable_across_builds(seed_result: IngestResult) -> None:
    from bot.ingest import build_corpus

    from .conftest import SEED_CONTENT

    again = build_corpus(SEED_CONTENT).corpus.flags
    assert [f.flag_id for f in again] == [f.flag_id for f in seed_result.corpus.flags]
    assert len({f.flag_id for f in again}) == len(again)
