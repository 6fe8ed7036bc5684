"""The retrieval's signals on a small corpus written for the test: letters, headings, list facts,
unseen everyday words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.corpus import CorpusIndex
from bot.models import (
    Corpus,
    Intent,
    Match,
    RetrievalWords,
    Section,
    Source,
    Topic,
    TopicScore,
)
from bot.retrieval import rank, weights
from bot.retrieval.chargrams import build_char_index, char_scores, gram_counts
from bot.retrieval.index import RetrievalIndex, build_retrieval_index

TOPICS = (
    Topic(id="fairness", name="Fairness", aliases=("fairness",), keywords=("bias",)),
    Topic(id="power", name="Power use", aliases=("power use",), keywords=("watts",)),
)
SECTIONS = {
    "fair": (
        "Fairness in Lending Models",
        "Lenders test whether scoring models treat applicants evenly. Auditors compare approval "
        "rates across groups and publish the fairness gaps they find.",
        "fairness",
    ),
    "power": (
        "Power Use of Lending Models",
        "Power use of lending models is rarely measured. A model needs 40 watts on one server.",
        "power",
    ),
    "audit": (
        "Audit Tooling",
        "Audit teams rely on software. Common audit tools include dashboards, replay logs "
        "and counterfactual probes. Tooling budgets grew in 2025.",
        "fairness",
    ),
}


def _index(topics: tuple[Topic, ...] = TOPICS) -> CorpusIndex:
    source = Source(
        source_id="t1", title="Test report", published=date(2025, 5, 1), path="t1.md", sha256="0"
    )
    sections = tuple(
        Section(
            section_id=f"t1#{key}",
            source_id="t1",
            heading=heading,
            level=2,
            line=n * 3 + 1,
            text=text,
            summary=text[:120],
            topics=(TopicScore(topic_id=topic, score=90.0),),
        )
        for n, (key, (heading, text, topic)) in enumerate(SECTIONS.items())
    )
    corpus = Corpus(
        version="signals-test",
        built_at=datetime.now(UTC),
        topics=topics,
        sources=(source,),
        sections=sections,
    )
    return CorpusIndex(corpus)


def _rank(question: str, topic: str | None = None) -> list[str]:
    index = _index()
    ranking = rank(
        question,
        Match(intent=Intent.TOPIC_BRIEF, topic=topic, confidence=0.8),
        build_retrieval_index(index),
    )
    return [sid for sid, _ in ranking.sections]


def test_char_grams_match_word_forms_that_share_no_whole_word() -> None:
    chars = build_char_index(
        ["treated unfairly by the lender", "power draw of the server"], max_df_share=1.0
    )
    scores = char_scores("unfair treatment", chars)
    assert scores[0] > scores.get(1, 0.0)


def test_char_grams_in_most_texts_get_no_postings() -> None:
    chars = build_char_index(["alpha beta", "alpha gamma", "alpha delta"], 0.5)
    assert (
        " alp" not in chars.spans and " gam" in chars.spans and set(chars.idf) == set(chars.spans)
    )


@given(st.text(max_size=300))
def test_gram_counts_never_crash(text: str) -> None:
    assert all(3 <= len(g) <= 5 or g.startswith(" ") for g in gram_counts(text))


def test_a_question_word_form_the_reports_never_use_still_finds_its_section() -> None:
    # The section says "fairness"; the question says "unfairly" and nothing else it has.
    assert _rank("judged unfairly?")[:1] == ["t1#fair"]


def test_the_sentence_answering_is_not_the_one_repeating_the_heading() -> None:
    index = _index()
    # The first sentence repeats the heading's words; the second holds the question's own.
    ranking = rank(
        "power use of lending models on a server",
        Match(intent=Intent.TOPIC_BRIEF, topic="power", confidence=0.8),
        build_retrieval_index(index),
    )
    assert "40 watts on one server" in ranking.hits[0].text


def test_a_what_tools_question_leads_with_the_sentence_that_lists_them() -> None:
    index = _index()
    ranking = rank(
        "what tools do audit teams use",
        Match(intent=Intent.TOPIC_BRIEF, topic="fairness", confidence=0.8),
        build_retrieval_index(index),
    )
    assert ranking.fact and "dashboards, replay logs" in ranking.hits[0].text


def test_a_stored_index_round_trips_with_its_char_grams() -> None:
    built = build_retrieval_index(_index())
    back = RetrievalIndex.from_data(built.to_data())
    assert back is not None
    question = "unfair scoring"
    got = char_scores(question, back.chars)
    want = char_scores(question, built.chars)
    assert got.keys() == want.keys() and all(abs(got[k] - want[k]) < 1e-6 for k in want)


def _evidence(question: str) -> float:
    index = _index()
    match = Match(intent=Intent.TOPIC_BRIEF, topic=None, confidence=0.8)
    return rank(question, match, build_retrieval_index(index)).evidence


def test_an_everyday_word_the_reports_never_use_weighs_less_in_the_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "day" is everyday English and no report word; "marathon" is neither.
    everyday = _evidence("auditors publish fairness gaps every day")
    rare = _evidence("auditors publish fairness gaps every marathon")
    assert everyday > rare
    monkeypatch.setattr(weights, "UNSEEN_EVERYDAY_SHARE", 1.0)
    assert _evidence("auditors publish fairness gaps every day") == pytest.approx(rare)
    assert everyday > _evidence("auditors publish fairness gaps every day")


def test_rank_fusion_counts_agreement_between_signals_not_their_scale() -> None:
    from bot.retrieval.score import _rank_fusion

    # Section 1 is first on one signal only; section 2 is second on all three.
    signals = ({1: 9.0, 2: 1.0, 3: 0.5}, {3: 2.0, 2: 1.0}, {3: 5.0, 2: 4.0})
    fused = _rank_fusion(signals, {1: 0.0, 2: 0.0, 3: 0.0})
    assert fused[2] > fused[1] and max(fused.values()) <= 1.0


def test_the_stem_rule_keeps_word_forms_and_drops_words_sharing_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.retrieval.score import variants

    rindex = build_retrieval_index(_index())
    assert variants("auditing", rindex) == ["audit", "auditor"]  # the prefix rule: both
    monkeypatch.setattr(weights, "VARIANT_RULE", "stem")
    assert variants("auditing", rindex) == ["audit"]  # "auditor" is a person, not the act


def test_a_topic_the_question_does_not_name_adds_no_names_to_the_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Matched (wrongly) to "power", a question about lenders' tests must not draw in the power
    # section through the topic's own names ("power use"), which the question never says.
    question = "what do lenders test"
    assert _rank(question, topic="power") == ["t1#fair"]
    monkeypatch.setattr(weights, "EXPAND_NAMED_ONLY", 0.0)
    assert "t1#power" in _rank(question, topic="power")
    monkeypatch.setattr(weights, "EXPAND_NAMED_ONLY", 1.0)
    # A question that names the topic still has its names added ("power" -> "use").
    assert _rank("power of lending models", topic="power")[:1] == ["t1#power"]


def test_a_word_of_many_topics_names_does_not_name_the_matched_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "models" is in the names of both topics ("Fairness of lending models", "Power use of
    # models"): a question saying "models" names neither, so a wrong match to "power" adds no
    # "power use" to a question about how models treat applicants.
    topics = (
        Topic(id="fairness", name="Fairness of lending models", aliases=("fairness",)),
        Topic(id="power", name="Power use of models", aliases=("power use",)),
    )
    rindex = build_retrieval_index(_index(topics))
    match = Match(intent=Intent.TOPIC_BRIEF, topic="power", confidence=0.8)
    question = "do scoring models treat applicants evenly"

    def power_score() -> float:
        return rank(question, match, rindex).section_score("t1#power")

    monkeypatch.setattr(weights, "NAME_TOPICS_MAX", 1)
    shared_names_nothing = power_score()
    monkeypatch.setattr(weights, "NAME_TOPICS_MAX", 0)
    assert power_score() > shared_names_nothing
    # A word of one topic's names still names it ("power").
    monkeypatch.setattr(weights, "NAME_TOPICS_MAX", 1)
    assert rank("power of lending models", match, rindex).sections[0][0] == "t1#power"


def test_a_question_asking_for_a_judgement_leads_with_the_sentence_that_judges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The opener repeats the question's words; the judgement shares none of them but says
    # "limited", a word of the kind of answer "any good" asks for.
    section = Section(
        section_id="t2#logs",
        source_id="t2",
        heading="Replay Logs",
        level=2,
        line=1,
        text="Replay logs record every request that a scoring model serves. Auditors find them "
        "limited: the reasons behind a refusal are missing.",
        summary="Replay logs",
        topics=(TopicScore(topic_id="fairness", score=90.0),),
    )
    corpus = Corpus(
        version="answer-kinds-test",
        built_at=datetime.now(UTC),
        topics=TOPICS,
        sources=(
            Source(
                source_id="t2", title="Logs", published=date(2025, 5, 1), path="t2.md", sha256="0"
            ),
        ),
        sections=(section,),
        retrieval_words=RetrievalWords(
            answer_kinds=(("evaluation", ("any good",), ("limited", "excels")),)
        ),
    )
    rindex = build_retrieval_index(CorpusIndex(corpus))
    match = Match(intent=Intent.TOPIC_BRIEF, topic="fairness", confidence=0.8)
    question = "are replay logs any good"
    assert "limited" in rank(question, match, rindex).hits[0].text
    # The same question without the answer kind leads with the opener.
    assert "limited" in rank("replay logs", match, rindex).hits[1].text
    monkeypatch.setattr(weights, "ANSWER_KIND_WEIGHT", 0.0)
    assert "limited" not in rank(question, match, rindex).hits[0].text


@pytest.mark.parametrize(
    ("question", "answer", "other"),
    [
        (
            "do the filters catch weird requests",
            "Filters catch unexpected requests.",
            "Filters catch spam requests.",
        ),
        (
            "are loan models unfairly harsh",
            "Loan models are audited for fairness.",
            "Loan models are audited unfailingly.",
        ),
        (
            "can the platform be rolled out gradually",
            "The platform is rolled out in progressive stages.",
            "The platform is rolled out in two stages.",
        ),
        (
            "what silicon do the labs run on",
            "Labs run on custom chips.",
            "Labs run on rented servers.",
        ),
    ],
)
def test_the_shipped_synonym_groups_find_the_section_using_the_other_word(
    question: str, answer: str, other: str
) -> None:
    from pathlib import Path

    from bot.ingest.rules_file import load_retrieval_words

    shipped = load_retrieval_words(Path(__file__).resolve().parents[2] / "content")
    assert shipped is not None
    # Both sections hold the question's other words; only one uses the group's other word
    # (and the other comes first, so a tie would pick it).
    source = Source(
        source_id="t3", title="Notes", published=date(2025, 5, 1), path="t3.md", sha256="0"
    )
    sections = tuple(
        Section(
            section_id=f"t3#{key}",
            source_id="t3",
            heading="Notes",
            level=2,
            line=n * 3 + 1,
            text=text,
            summary=text,
            topics=(TopicScore(topic_id="fairness", score=90.0),),
        )
        for n, (key, text) in enumerate((("other", other), ("answer", answer)))
    )
    corpus = Corpus(
        version=f"synonyms-{question}",
        built_at=datetime.now(UTC),
        topics=TOPICS,
        sources=(source,),
        sections=sections,
        retrieval_words=RetrievalWords(synonyms=shipped.synonyms),
    )
    rindex = build_retrieval_index(CorpusIndex(corpus))
    match = Match(intent=Intent.TOPIC_BRIEF, topic=None, confidence=0.8)
    assert rank(question, match, rindex).sections[0][0] == "t3#answer"
