"""The issue's reader reports, ingested with the seeds: figures, negation, checks, agreement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.ingest import IngestResult, build_corpus
from bot.models import CONFLICT_KINDS, Flag

from .conftest import SEED_CONTENT

S000 = "000_f8847632cb21589d"
S003 = "003_c996e8a06f4d9ec5"
S004 = "004_cf5f65d9d4e013ed"
NEW = "910_reader_check"

# Written for this test: each paragraph restates one seed point with a changed fact.
READER_CHECK = """\
---
title: "A Reader's Check of Five LLM Reports"
published: 2026-11-02
---
# A Reader's Check of Five LLM Reports

## Neuromorphic hardware

Training a neuromorphic LLM on Loihi 2 requires 2,000 watts, compared with 5,000 watts on
NVIDIA H100 GPUs.

## Regulation in Europe

Under the EU AI Act, fines for non-compliance reach at most 3% of global revenue.

## Multimodal evaluation

The 92% fact-checking accuracy reported for video QA on YouTube streams has not been reproduced
outside vendor demos.

## Scaling

Scaling larger models keeps improving generalization, and no diminishing returns have been
observed so far.
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> IngestResult:
    content = tmp_path_factory.mktemp("reader") / "content"
    shutil.copytree(SEED_CONTENT, content)
    (content / "sources" / f"{NEW}.md").write_text(READER_CHECK, encoding="utf-8")
    return build_corpus(content)


def _with(flags: tuple[Flag, ...], kind: str, a: str, b: str) -> list[Flag]:
    return [f for f in flags if f.kind == kind and {a, b} <= {s.source_id for s in f.sides}]


def _lead(flag: Flag) -> set[str]:
    """The two reports of the pair that states a disagreement (the others follow it)."""
    return {flag.sides[0].source_id, flag.sides[1].source_id}


def test_a_different_figure_for_the_same_measure_is_a_numeric_conflict(
    reader: IngestResult,
) -> None:
    watts = _with(reader.corpus.flags, "numeric", S000, NEW)
    summaries = " ".join(f.summary for f in watts)
    assert "500 watts" in summaries and "2,000 watts" in summaries
    fines = [f for f in watts if "7%" in f.summary]
    assert fines and "3%" in fines[0].summary


def test_a_figure_said_to_be_unreproduced_is_a_verification_conflict(
    reader: IngestResult,
) -> None:
    assert _with(reader.corpus.flags, "verification", S000, NEW)


def test_scoped_negation_disagrees_with_diminishing_returns_only(reader: IngestResult) -> None:
    flags = reader.corpus.flags
    assert _with(flags, "stance", S004, NEW)
    # 003 and the reader's report both say scaling pays off: never the two sides of a flag;
    # in the one scaling stance flag they stand on the same side.
    scaling = [f for f in _with(flags, "stance", S004, NEW) if f.topic == "scaling"]
    assert not [f for f in scaling if _lead(f) == {S003, NEW}]
    for f in scaling:
        if S003 in {s.source_id for s in f.sides[2:]}:
            assert "(established)" in f.summary and f.sides[0].source_id == NEW


def test_disputed_figures_are_not_single_source(reader: IngestResult) -> None:
    disputed = {
        s.claim
        for f in reader.corpus.flags
        if f.kind in ("numeric", "verification")
        for s in f.sides
    }
    lone = {s.claim for f in reader.corpus.flags if f.kind == "single_source" for s in f.sides}
    assert not disputed & lone


def test_no_agreement_holds_two_reports_that_disagree(reader: IngestResult) -> None:
    flags = reader.corpus.flags
    pairs = {(f.topic, frozenset(_lead(f))) for f in flags if f.kind in CONFLICT_KINDS}
    for c in (f for f in flags if f.kind == "consensus"):
        members = {s.source_id for s in c.sides}
        assert not [p for t, p in pairs if t == c.topic and p <= members], c.summary


def test_the_answer_does_not_open_with_agreement_on_disputed_figures(reader: IngestResult) -> None:
    answer = answer_question("what about neuromorphic computing", CorpusIndex(reader.corpus))
    for part in answer.parts:
        if part.kind == "agreement":
            texts = " ".join(i.point for i in part.items)
            assert not ("500 watts" in texts and "2,000 watts" in texts), texts
    assert answer.lead is None or not (
        "500 watts" in answer.lead.text and "2,000 watts" in answer.lead.text
    )


def test_consensus_states_a_point_not_the_topic(reader: IngestResult) -> None:
    names = {t.id: t.name.lower() for t in reader.corpus.topics}
    for f in reader.corpus.flags:
        if f.kind == "consensus":
            assert " reports say that " in f.summary
            assert "agree on" not in f.summary
            assert f" in {names[f.topic]}:" not in f.summary.lower()


def test_every_flag_side_shares_the_flag_subject(reader: IngestResult) -> None:
    by_claim = {c.text: c for sec in reader.corpus.sections for c in sec.claims}
    for f in reader.corpus.flags:
        if f.kind not in CONFLICT_KINDS:
            continue
        assert f.subject, f.summary
        for side in f.sides:
            claim = by_claim.get(side.claim)
            assert claim is not None
            section = next(s for s in reader.corpus.sections if claim in s.claims)
            words = f"{side.claim} {section.heading} {section.text[:300]}".lower()
            assert any(w in words for w in _subject_words(f.subject)), (f.subject, side.claim)


def _subject_words(subject: str) -> list[str]:
    """What a side must mention (itself or through its section): the subject or a hint word."""
    low = subject.lower()
    stems = {"multimodality": "modal", "drug discovery": "drug", "regulation": "regulat"}
    return [low, low.split()[0][:6], stems.get(low, low)]


def test_dates_keep_their_precision_in_sources_and_summaries(reader: IngestResult) -> None:
    src = {s.source_id: s for s in reader.corpus.sources}
    assert src[NEW].published_precision == "day"
    assert src[S000].published_precision == "year"
    neuro = next(s for s in reader.corpus.summaries if s.topic == "neuromorphic")
    assert neuro.latest == "2 Nov 2026" and neuro.newest_source == NEW
    assert neuro.earliest == "2025"


def test_seed_flag_ids_survive_adding_a_report(
    seed_result: IngestResult, reader: IngestResult
) -> None:
    untouched = {"quantum", "explainability", "safety", "edge"}
    before = {f.flag_id for f in seed_result.corpus.flags if f.topic in untouched}
    after = {f.flag_id for f in reader.corpus.flags}
    assert before <= after


def test_a_seed_only_build_has_subjects_on_every_disagreement(seed_result: IngestResult) -> None:
    assert all(f.subject for f in seed_result.corpus.flags if f.kind in CONFLICT_KINDS)
    assert Path(SEED_CONTENT).is_dir()
