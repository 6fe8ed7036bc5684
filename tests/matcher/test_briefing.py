"""Answers built from matches: newest first, agreement then each report, citations everywhere."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.briefing import age_note, answer_question, build_answer
from bot.corpus import CorpusIndex
from bot.matcher import match_question
from bot.models import Answer, Corpus, Flag, FlagSide, Intent, Match
from bot.render import answer_to_json, render_text


def _assert_cited(answer: Answer, index: CorpusIndex) -> None:
    for point in answer.points:
        src = index.sources[point.citation.source_id]
        headings = {s.heading for s in index.corpus.sections if s.source_id == src.source_id}
        # A line about a whole report (the reports answer) cites the report, no section.
        assert point.citation.heading in headings or answer.intent is Intent.REPORTS
        assert point.citation.published == src.published
        assert point.citation.title == src.title
        assert point.text.strip()


def _ordinal(d: date | None) -> int:
    return d.toordinal() if d else 0


def test_whats_new_lists_newest_first_and_marks_older_points(index: CorpusIndex) -> None:
    answer = answer_question("what's new in multimodal", index)
    assert answer.intent is Intent.WHATS_NEW and answer.topic == "multimodal"
    assert answer.topic_name == index.topics["multimodal"].name
    points = answer.points
    assert points
    assert answer.headline == f"New in {index.topics['multimodal'].name}"
    dates = [_ordinal(p.citation.published) for p in points]
    assert dates == sorted(dates, reverse=True)
    newest = index.newest_date
    for p in points:
        if p.citation.published == newest:
            assert p.age_note is None
        else:
            assert p.age_note
    assert any("older than the newest report" in (p.age_note or "") for p in points)
    _assert_cited(answer, index)
    assert answer.conflicts == index.conflicts_for("multimodal")


def test_whats_new_without_topic_covers_the_newest_reports(index: CorpusIndex) -> None:
    answer = answer_question("what's new?", index)
    assert answer.intent is Intent.WHATS_NEW and answer.topic is None
    points = answer.points
    assert points and points[0].citation.published == index.newest_date
    _assert_cited(answer, index)


def test_topic_brief_leads_with_a_sentence_then_evidence_from_several_reports(
    index: CorpusIndex,
) -> None:
    answer = answer_question("tell me about regulation", index)
    assert answer.intent is Intent.TOPIC_BRIEF
    assert answer.parts[0].kind == "lead" and answer.lead and answer.lead.text.endswith(".")
    cited = {p.citation.source_id for p in answer.points}
    assert 2 <= len(cited) <= len(index.reports_covering("regulation"))
    _assert_cited(answer, index)
    assert answer.conflicts == index.conflicts_for("regulation")


def test_a_term_answer_quotes_the_sections_that_name_it(index: CorpusIndex) -> None:
    answer = answer_question("Loihi 2", index)
    assert "loihi 2" in answer.headline.casefold()
    texts = [p.text for p in answer.points]
    assert "Loihi 2" in texts[0]
    _assert_cited(answer, index)


def test_sources_lists_reports_and_sections(index: CorpusIndex) -> None:
    answer = answer_question("which reports mention quantum", index)
    assert answer.intent is Intent.SOURCES
    cited = {c.source_id for c in answer.citations}
    assert cited == set(index.reports_covering("quantum"))
    _assert_cited(answer, index)


def test_sources_without_topic_lists_every_report(index: CorpusIndex) -> None:
    answer = answer_question("list the sources", index)
    assert {c.source_id for c in answer.citations} == set(index.sources)


@pytest.fixture(scope="module")
def flagged(corpus: Corpus) -> CorpusIndex:
    """The real corpus plus one consensus and one numeric flag on quantum."""
    secs = [s for s in corpus.sections if any(t.topic_id == "quantum" for t in s.topics)]
    a, b = secs[0], secs[1]
    sides = (
        FlagSide(source_id=a.source_id, heading=a.heading, claim="Quantum helps training."),
        FlagSide(source_id=b.source_id, heading=b.heading, claim="Quantum is early but promising."),
    )
    flags = (
        Flag(flag_id="q-c", topic="quantum", kind="consensus", summary="Quantum matters",
             sides=sides),
        Flag(flag_id="q-n", topic="quantum", kind="numeric", summary="Savings differ",
             sides=sides),
    )  # fmt: skip
    return CorpusIndex(corpus.model_copy(update={"flags": flags, "version": "flagged"}))


def test_topic_brief_leads_with_the_best_match_then_what_reports_agree_on(
    flagged: CorpusIndex,
) -> None:
    answer = answer_question("tell me about quantum", flagged)
    best = answer.points[0]
    assert answer.parts[0].kind == "lead" and best.score > 0 and best.section_id
    assert [f.flag_id for f in answer.conflicts] == ["q-n"]
    # The disagreement is shown once, as one line that leads with the point and names both
    # reports; the quotes are behind "Show both quotes".
    (line,) = [p for p in answer.parts if p.kind == "disagreement"]
    assert line.flag.flag_id == "q-n"
    assert line.line == (
        "Savings differ — Transformative Advances in Large… (2025) vs "
        "Advancements and Challenges in… (2025)"
    )
    _assert_cited(answer, flagged)


def test_conflicts_answer_carries_the_flags(flagged: CorpusIndex) -> None:
    answer = answer_question("where do the reports disagree on quantum?", flagged)
    assert answer.intent is Intent.CONFLICTS
    assert [f.flag_id for f in answer.conflicts] == ["q-n"]
    assert answer.citations
    everywhere = answer_question("where do the reports disagree?", flagged)
    assert [f.flag_id for f in everywhere.conflicts] == ["q-n"]


def test_no_conflicts_is_said_plainly(index: CorpusIndex) -> None:
    answer = build_answer(
        Match(intent=Intent.CONFLICTS, topic="hardware", confidence=0.9), index, "q"
    )
    if not index.conflicts_for("hardware"):
        assert "no conflicting claims" in answer.headline


def test_unknown_suggests_a_few_topics_not_all_of_them(index: CorpusIndex) -> None:
    answer = answer_question("play some live music", index)
    assert answer.intent is Intent.UNKNOWN
    assert answer.headline == "I don't have anything on that"
    assert index.topics["real_time"].name in answer.suggestions
    assert len(answer.suggestions) <= 5
    assert any("list topics" in n for n in answer.notes)
    assert not any(index.topics["multimodal"].name in n for n in answer.notes)
    assert answer.points == () and answer.topic is None


def test_list_topics_help_and_edge_intents_are_honest(index: CorpusIndex) -> None:
    topics = answer_question("topics", index)
    assert len(topics.notes) >= len(index.reports_covering("multimodal"))
    assert answer_question("", index).intent is Intent.HELP
    for q in ("this week's digest", "subscribe mon 09:00 Europe/Berlin", "unsubscribe"):
        answer = answer_question(q, index)
        assert answer.points == ()
        assert answer.headline
    # The conversation layer acts on these; asked directly, the answer says how, not "no".
    assert "nothing was changed" not in answer_question("subscribe mon 09:00", index).headline


@pytest.mark.parametrize(
    ("published", "newest", "note"),
    [
        (date(2024, 1, 1), date(2025, 1, 1), "from 2024, 1 year older than the newest report"),
        (date(2022, 6, 1), date(2025, 1, 1), "from 2022, 2 years older than the newest report"),
        (date(2024, 10, 1), date(2025, 1, 1), "from October 2024, 3 months older than the newest"
         " report"),
        (date(2025, 1, 1), date(2025, 1, 1), None),
        (None, date(2025, 1, 1), "undated report"),
        (date(2025, 1, 1), None, None),
    ],
)  # fmt: skip
def test_age_note(published: date | None, newest: date | None, note: str | None) -> None:
    assert age_note(published, newest) == note


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200), context=st.one_of(st.none(), st.just("multimodal")))
def test_no_input_crashes_answer_question(
    index: CorpusIndex, text: str, context: str | None
) -> None:
    answer = answer_question(text, index, context_topic=context)
    _assert_cited(answer, index)
    payload = answer_to_json(answer)
    assert payload["intent"] == answer.intent.value


def test_every_labelled_intent_builds_an_answer(index: CorpusIndex) -> None:
    for intent in Intent:
        match = Match(intent=intent, topic="quantum", confidence=0.5)
        answer = build_answer(match, index, "q")
        assert answer.intent is intent
        _assert_cited(answer, index)
    assert match_question("x", index).intent is Intent.UNKNOWN


def test_a_fact_question_leads_with_the_sentence_holding_the_number(index: CorpusIndex) -> None:
    answer = answer_question("what is the fine for breaking the EU AI Act", index)
    first = answer.points[0]
    assert answer.lead and "7%" in answer.lead.text and "§" in answer.lead.text
    assert "7%" in first.text
    assert first.section_id.endswith("#ethical-ai-regulations-the-eus-ai-act-and-global-compliance")
    assert first.claim_id and first.claim_id.startswith(first.section_id) and first.score > 0
    assert answer.citations[0].heading == index.sections[first.section_id].heading


@pytest.mark.parametrize(
    "question",
    [
        "who is the CEO of OpenAI",
        "intel share price?",
        "translate hello into French",
        # Tasks the bot does not do, whatever report words they use.
        "make me a picture of a neuromorphic chip",
        "please proofread my note on quantum computing",
        "what is the valuation of the startups investing in quantum",
        "who runs the company behind Loihi 2 now",
        "summarize this thread about the EU AI Act",
    ],
)
def test_a_word_that_merely_appears_in_a_report_is_not_enough(
    index: CorpusIndex, question: str
) -> None:
    answer = answer_question(question, index)
    assert answer.intent is Intent.UNKNOWN and answer.points == ()
    assert len(answer.suggestions) <= 5


def test_agreement_single_source_reports_and_greeting_answer(index: CorpusIndex) -> None:
    agreed = answer_question("where do the reports agree?", index)
    assert agreed.intent is Intent.AGREEMENT
    assert {f.kind for f in agreed.conflicts} <= {"consensus"}
    single = answer_question("which claims rest on a single source?", index)
    assert single.intent is Intent.SINGLE_SOURCE
    assert {f.kind for f in single.conflicts} <= {"single_source"}
    # A topic only one report covers is named as such, after the striking claims of topics
    # others cover too: its point is only that report's most checkable sentence on it.
    lone = [f for f in single.conflicts if len(index.reports_covering(f.topic)) <= 1]
    shared = [f for f in single.conflicts if f not in lone]
    assert list(single.conflicts) == shared + lone
    note = render_text(single, escape=False)
    for f in lone[:8]:
        assert index.topics[f.topic].name in note
    newest = answer_question("which report is the newest?", index)
    assert newest.intent is Intent.REPORTS and "newest" in newest.headline
    assert {c.source_id for c in newest.citations} == set(index.sources)
    thanks = answer_question("thanks!", index)
    assert thanks.intent is Intent.GREETING and thanks.parts == ()
    assert "\n" not in thanks.headline


@pytest.mark.parametrize(
    "question", ["anything new on agents?", "what's new in multimodal", "tell me about regulation"]
)
def test_a_sentence_that_only_opens_a_list_is_not_shown_as_a_point(
    index: CorpusIndex, question: str
) -> None:
    # "…supports decentralized AI agent ecosystems, leveraging:" says nothing on its own.
    answer = answer_question(question, index)
    texts = [p.text for part in answer.parts for p in getattr(part, "points", ())]
    assert texts and not [t for t in texts if t.rstrip().endswith(":")]


def test_an_aside_after_the_question_does_not_make_it_off_domain(index: CorpusIndex) -> None:
    answer = answer_question("what does the EU AI Act require of companies? meeting in 10", index)
    assert answer.intent is Intent.TOPIC_BRIEF and answer.topic == "regulation"
    # ...but an off-domain question stays refused whatever follows it.
    refused = answer_question("who is the CEO of OpenAI? asking for the quantum team", index)
    assert refused.intent is Intent.UNKNOWN


def test_news_across_the_reports_dates_the_newest_report_at_its_precision(
    index: CorpusIndex,
) -> None:
    answer = answer_question("what's new this week", index)
    assert "-01-01" not in answer.headline
    # Each line's citation names its section: the line does not start with the heading again.
    for point in answer.points:
        assert not point.text.startswith(f"{point.citation.heading}:")


@pytest.mark.parametrize(
    "question", ["how big is the SAIGE-3 dataset", "what's the fine under the EU AI Act"]
)
def test_a_fact_answer_shows_no_list_opener_without_a_figure(
    index: CorpusIndex, question: str
) -> None:
    for point in answer_question(question, index).points:
        text = point.text.rstrip()
        assert not text.endswith(":") or any(ch.isdigit() for ch in text.replace("3.x", "")), text


LISTED_REPORT = """\
# Quantum Field Notes (2026)

## Quantum Progress
The QubitMesh platform brings quantum computing to training, leveraging:
- **Error mitigation**: Qubits keep their state ten times longer in 2026 tests.
- **Cryogenic control**: Control boards now sit inside the fridge.
"""


def test_a_lead_that_is_a_list_item_is_completed_by_its_lead_in(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.ingest import build_corpus
    from bot.sentences import is_labelled_item
    from tests.small_content import QUANTUM_AND_REGULATION

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "notes.md").write_text(LISTED_REPORT, encoding="utf-8")
    (tmp_path / "topics.toml").write_text(QUANTUM_AND_REGULATION, encoding="utf-8")
    small = CorpusIndex(build_corpus(tmp_path).corpus)
    for question in ("what's new in quantum", "tell me about quantum"):
        lead = answer_question(question, small).lead
        assert lead is not None
        assert lead.text.startswith("The QubitMesh platform brings quantum computing"), lead.text
        assert not is_labelled_item(lead.text)


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("Swarm intelligence: Hundreds of agents collaborate.", True),
        ("Blockchain task markets (e.g., Web3): Agents bid for tasks.", True),
        ("Adoption is growing in several areas: drones, bots and wearables.", False),
        ("Performance benchmarks show: 98% accuracy.", False),
        ("Qubits keep their state longer.", False),
    ],
)
def test_a_labelled_list_item_is_told_from_a_statement(sentence: str, item: bool) -> None:
    from bot.sentences import is_labelled_item

    assert is_labelled_item(sentence) is item


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("cancel my Spotify premium subscription pls", Intent.UNKNOWN),
        ("can you renew our Figma plan", Intent.UNKNOWN),
        ("cancel our digest", Intent.UNSUBSCRIBE),
        ("cancel my subscription", Intent.UNSUBSCRIBE),
    ],
)
def test_a_digest_command_about_another_service_is_refused(
    index: CorpusIndex, question: str, intent: Intent
) -> None:
    assert answer_question(question, index).intent is intent


def test_a_matched_term_is_named_as_the_report_spells_it(index: CorpusIndex) -> None:
    # The question is normalized ("tinyllm s"); the headline quotes the report's spelling.
    answer = answer_question("how accurate is tinyllm-s?", index)
    assert "“TinyLLM-S”" in answer.headline


def test_a_point_that_points_back_to_a_sentence_not_shown_is_left_out(index: CorpusIndex) -> None:
    # "These energy-efficient approaches …" follows a sentence the answer does not show.
    answer = answer_question("what do the reports say about energy use", index)
    assert answer.points
    assert not any(p.text.startswith("These energy-efficient") for p in answer.points)


@pytest.mark.parametrize(
    "question",
    [
        "what is the fine under the EU AI Act?",
        "tell me about regulation",
        "ethics and bias overview",
    ],
)
def test_a_side_theme_section_gives_only_its_sentences_on_the_topic(
    index: CorpusIndex, question: str
) -> None:
    # After the most relevant section, a section that has the topic only as a side theme
    # (an agents section that names GDPR once) quotes what it says on the topic, not its
    # other sentences ("the OECD warns of 15M lost jobs" in a regulation brief).
    from bot.briefing import _mentions, _topic_phrases

    answer = answer_question(question, index)
    assert answer.intent is Intent.TOPIC_BRIEF and answer.topic
    topic = answer.topic
    sections = {s.section_id: s for s in index.corpus.sections}
    evidence = [p for p in answer.points if p.section_id]
    lead_section = evidence[0].section_id
    phrases = _topic_phrases(topic, index)
    for point in evidence:
        section = sections[point.section_id]
        if point.section_id != lead_section and index.primary_topic(section) != topic:
            assert _mentions(point.text, phrases), point.text


def test_whats_new_from_one_section_gives_a_reports_worth_of_points(index: CorpusIndex) -> None:
    # One relevant section is all the news: its job-loss warning is not cut at three points.
    from bot.briefing import MAX_POINTS_PER_REPORT

    answer = answer_question("anything new on agents?", index)
    assert answer.intent is Intent.WHATS_NEW
    assert len({p.section_id for p in answer.points}) == 1
    assert len(answer.points) == MAX_POINTS_PER_REPORT
    assert any("OECD" in p.text for p in answer.points)
