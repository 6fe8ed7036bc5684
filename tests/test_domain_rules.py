"""Meaning written once: which flags are disagreements, per-topic coverage, the sentence
splitter and the stemmer each have one definition that every layer uses."""

from __future__ import annotations

import importlib
from datetime import date

from bot import sentences, stemming
from bot.conflicts import claims, normal
from bot.conflicts.topic_summary import summarize_topics
from bot.corpus import CorpusIndex
from bot.coverage import coverage_grid, reports_by_topic
from bot.models import CONFLICT_KINDS, Corpus, Section, TopicScore
from bot.render.flags import is_disagreement
from tests.test_coverage import TOPICS, _flag, _section, _source

# Both packages re-export a function under the module's name, so import the modules by path.
ingest_text = importlib.import_module("bot.ingest.text")
normalize = importlib.import_module("bot.matcher.normalize")


def test_the_claim_pairs_and_the_renderers_share_the_disagreement_kinds() -> None:
    assert normal.DISAGREEMENTS is CONFLICT_KINDS
    assert all(is_disagreement(_flag("robots", k, "a", "b")) for k in CONFLICT_KINDS)
    assert not any(is_disagreement(_flag("robots", k, "a")) for k in ("consensus", "single_source"))


def _corpus() -> Corpus:
    from datetime import UTC, datetime

    sources = (
        _source("a", date(2024, 1, 1)),
        _source("b", date(2025, 6, 1)),
        _source("copy", date(2025, 7, 1), duplicate_of="a"),
    )
    both = Section(
        section_id="b#both",
        source_id="b",
        heading="both",
        level=2,
        line=9,
        text="Robots and chips.",
        summary="Robots and chips.",
        topics=(TopicScore(topic_id="chips", score=90), TopicScore(topic_id="robots", score=60)),
    )
    sections = (
        _section("a", "arms", "robots"),
        both,
        _section("copy", "arms", "robots"),
        _section("a", "law", "law").model_copy(update={"duplicate_of": "b#law"}),
    )
    return Corpus(
        version="v",
        built_at=datetime(2025, 8, 1, tzinfo=UTC),
        topics=TOPICS,
        sources=sources,
        sections=sections,
    )


def test_every_count_of_reports_covering_a_topic_is_the_one_computation() -> None:
    corpus = _corpus()
    one = reports_by_topic(corpus.sections, corpus.sources)
    # A side theme counts; a duplicate report or a duplicate section does not.
    assert one == {"robots": ("a", "b"), "chips": ("b",)}
    index = CorpusIndex(corpus)
    assert index.reports_covering("robots") == ("b", "a")  # newest first
    assert index.reports_covering("law") == ()
    summaries = {
        s.topic: s.source_ids
        for s in summarize_topics(corpus.topics, corpus.sections, corpus.sources, ())
    }
    grid = coverage_grid(corpus)
    for topic in TOPICS:
        covered = {r.source_id for r in grid.reports if grid.cell(topic.id, r.source_id).sections}
        assert set(summaries[topic.id]) == set(one.get(topic.id, ())) == covered
        assert set(index.reports_covering(topic.id)) == covered


TRICKY = (
    "The U.S. and the E.U. regulate AI, e.g. via the AI Act. Dr. Lee agrees. "
    "Version 2.0 shipped in Jan. 2025, approx. 40% faster. Costs fell 3%. Next!"
)


def test_claims_use_the_one_sentence_splitter() -> None:
    assert claims.split_sentences(TRICKY) == sentences.split_sentences(TRICKY)
    assert sentences.split_sentences(TRICKY) == [
        "The U.S. and the E.U. regulate AI, e.g. via the AI Act.",
        "Dr. Lee agrees.",
        "Version 2.0 shipped in Jan. 2025, approx. 40% faster.",
        "Costs fell 3%.",
        "Next!",
    ]
    assert ingest_text.split_sentences is sentences.split_sentences


def test_claims_still_split_list_items_and_drop_emphasis() -> None:
    body = "Gains:\n- **Loihi 2** cuts energy by 10x\n- Costs fell 3%. Prices too."
    assert claims.split_sentences(body) == [
        "Gains:",
        "Loihi 2 cuts energy by 10x",
        "Costs fell 3%.",
        "Prices too.",
    ]


def test_ingest_matcher_and_retrieval_share_the_one_stemmer() -> None:
    assert ingest_text.stem is stemming.plural
    assert normalize.stem is stemming.plural
