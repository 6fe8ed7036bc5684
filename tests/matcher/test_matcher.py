"""Matcher behaviour: normalization, intents, typos, Slack markup, the text fallback, speed."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus import CorpusIndex
from bot.matcher import match_question, normalize, strip_markup
from bot.models import Intent

# --- normalization -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@U123> what's new in <https://x.y|multimodal>", "what is new in multimodal"),
        ("ask in <#C1|general> pls", "ask in general please"),
        ("see <https://example.com/a?b=c> now", "see now"),
        ("<!here> <!subteam^S1|@team> hi", "hi"),
        ("wat abt LoRA :thinking_face:", "what about lora"),
        ("Quantum 🤖🚀 news", "quantum news"),
        ("whats new re agents", "what is new about agents"),
        ("R&amp;D &lt;3", "r d 3"),
        ("Who\u2019s saying that?", "who is saying that"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_strip_markup_keeps_case_and_punctuation_for_arguments() -> None:
    raw = "<@U1> subscribe <#C9|digest-room> mon 09:00 Europe/Berlin :tada:"
    assert strip_markup(raw) == "subscribe digest-room mon 09:00 Europe/Berlin"


def test_normalize_caps_very_long_input() -> None:
    assert len(normalize("quantum " * 10_000)) <= 500


# --- intents and topics --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent", "topic"),
    [
        ("what's new in multimodal", Intent.WHATS_NEW, "multimodal"),
        ("latest on agents", Intent.WHATS_NEW, "agents"),
        ("tell me about quantum", Intent.TOPIC_BRIEF, "quantum"),
        ("quantum?", Intent.TOPIC_BRIEF, "quantum"),
        ("any conflicting claims about energy", Intent.CONFLICTS, "energy"),
        ("sources for LoRA", Intent.SOURCES, "fine_tuning"),
        ("list topics", Intent.LIST_TOPICS, None),
        ("this week's digest", Intent.DIGEST, None),
        ("unsubscribe", Intent.UNSUBSCRIBE, None),
        ("help", Intent.HELP, None),
        ("i need help", Intent.HELP, None),
        # "help" as any verb, "open source" as a kind of software, "what are the reports saying
        # about": questions about a topic, not requests for help, sources or the report list.
        ("does quantum computing help with training", Intent.TOPIC_BRIEF, "quantum"),
        ("tell me about open source LLMs", Intent.TOPIC_BRIEF, "open_source"),
        ("what are the reports saying about quantum", Intent.TOPIC_BRIEF, "quantum"),
        ("do the reports see eye to eye on regulation", Intent.AGREEMENT, "regulation"),
        ("how many trend reports have you got loaded", Intent.REPORTS, None),
        ("how do the diff reports see quantum", Intent.TOPIC_BRIEF, "quantum"),
    ],
)
def test_intent_and_topic(index: CorpusIndex, question: str, intent: Intent, topic: str) -> None:
    match = match_question(question, index)
    assert (match.intent, match.topic) == (intent, topic)
    assert 0.0 <= match.confidence <= 1.0


@pytest.mark.parametrize(
    ("typo", "topic"),
    [
        ("mutlimodal", "multimodal"),
        ("quantm", "quantum"),
        ("regulatoin", "regulation"),
        ("neuromorfic", "neuromorphic"),
        ("MULTIMODAL", "multimodal"),
        ("Multi-Modal", "multimodal"),
        ("multi modal", "multimodal"),
    ],
)
def test_topic_tolerates_typos_case_and_hyphens(index: CorpusIndex, typo: str, topic: str) -> None:
    match = match_question(typo, index)
    assert match.intent is Intent.TOPIC_BRIEF
    assert match.topic == topic


def test_slack_markup_does_not_get_in_the_way(index: CorpusIndex) -> None:
    match = match_question("<@U123> what's new in <https://x.y|multimodal> :eyes:", index)
    assert (match.intent, match.topic) == (Intent.WHATS_NEW, "multimodal")


def test_chat_shorthand(index: CorpusIndex) -> None:
    match = match_question("wat abt LoRA", index)
    assert (match.intent, match.topic) == (Intent.TOPIC_BRIEF, "fine_tuning")
    assert match.term == "lora"


@pytest.mark.parametrize(
    ("term", "topic", "heading_word"),
    [
        ("Loihi 2", "neuromorphic", "Neuromorphic"),
        ("GDPR", "regulation", "Regulatory"),
        ("AutoGPT", "agents", "AutoGPT"),
        ("SAIGE-3", "synthetic_data", "Synthetic"),
    ],
)
def test_terms_inside_sections_find_them(
    index: CorpusIndex, term: str, topic: str, heading_word: str
) -> None:
    match = match_question(term, index)
    assert match.topic == topic
    assert match.section_hits, "the sections naming the term are reported"
    headings = [index.sections[s].heading for s in match.section_hits]
    assert any(heading_word in h for h in headings)
    assert match.term


def test_text_fallback_finds_words_no_alias_has(index: CorpusIndex) -> None:
    match = match_question("what about drones", index)
    assert match.term == "drones"
    assert match.section_hits
    assert all("drones" in index.sections[s].text for s in match.section_hits)
    assert match.topic == "neuromorphic"


@pytest.mark.parametrize(
    "question",
    [
        "any decent noodle places close to the station?",
        "is the canteen trading hours sheet updated",
    ],
)
def test_a_lone_everyday_word_of_a_report_is_no_subject(index: CorpusIndex, question: str) -> None:
    # "places" and "trading" occur in the reports; the rest of the question never does.
    assert match_question(question, index).intent is Intent.UNKNOWN


def test_a_lone_everyday_word_still_finds_its_sections_when_asked_about(index: CorpusIndex) -> None:
    match = match_question("anything on trading?", index)
    assert match.intent is Intent.TOPIC_BRIEF
    assert match.section_hits


@pytest.mark.parametrize(
    "question",
    ["what's the weather", "order a pizza", "who won the match", "tell me a joke", "asdfghjkl"],
)
def test_out_of_domain_is_unknown_never_an_invented_topic(
    index: CorpusIndex, question: str
) -> None:
    match = match_question(question, index)
    assert match.intent is Intent.UNKNOWN
    assert match.topic is None
    assert match.section_hits == ()
    assert all(s in index.topics for s in match.suggestions)


def test_unknown_suggests_close_topics(index: CorpusIndex) -> None:
    match = match_question("play some live music", index)
    assert match.intent is Intent.UNKNOWN
    assert "real_time" in match.suggestions


@pytest.mark.parametrize("empty", ["", "   ", "<@U123>", ":wave:", "🤖"])
def test_empty_message_gets_help(index: CorpusIndex, empty: str) -> None:
    assert match_question(empty, index).intent is Intent.HELP


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("and who says that?", Intent.SOURCES),
        ("any conflicts?", Intent.CONFLICTS),
        ("what's new?", Intent.WHATS_NEW),
        ("tell me more", Intent.TOPIC_BRIEF),
    ],
)
def test_follow_ups_use_the_thread_topic(index: CorpusIndex, question: str, intent: Intent) -> None:
    match = match_question(question, index, context_topic="quantum")
    assert (match.intent, match.topic) == (intent, "quantum")


def test_a_new_topic_beats_the_thread_topic(index: CorpusIndex) -> None:
    match = match_question("what about privacy?", index, context_topic="quantum")
    assert match.topic == "privacy"


def test_an_unknown_context_topic_is_ignored(index: CorpusIndex) -> None:
    match = match_question("any conflicts?", index, context_topic="no_such_topic")
    assert (match.intent, match.topic) == (Intent.CONFLICTS, None)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("which chips do the newest quantum systems run on", Intent.TOPIC_BRIEF),
        ("how many qubits do the latest quantum LLMs use", Intent.TOPIC_BRIEF),
        ("what's new in quantum", Intent.WHATS_NEW),
        ("which reports cover quantum", Intent.SOURCES),
        ("where do reports disagree on quantum", Intent.CONFLICTS),
    ],
)
def test_a_fact_question_about_a_subject_beats_a_news_word(
    index: CorpusIndex, question: str, intent: Intent
) -> None:
    # "which …" / "how many …" asks about a thing even when it says "newest"; stronger cues win.
    assert match_question(question, index).intent is intent


def test_a_which_question_without_a_subject_keeps_its_cue(index: CorpusIndex) -> None:
    assert match_question("which subjects do you cover", index).intent is Intent.LIST_TOPICS


def test_subscribe_is_an_intent_whose_words_the_conversation_parser_reads(
    index: CorpusIndex,
) -> None:
    match = match_question("<@U1> subscribe this channel mon 09:00 Europe/Berlin", index)
    assert match.intent is Intent.SUBSCRIBE
    assert match.argument == ""  # bot.conversation.requests reads the schedule, once


def test_a_40000_character_message_costs_what_a_short_one_costs(index: CorpusIndex) -> None:
    match_question("warm up", index)
    long_text = ("what's new in multimodal and quantum and regulation " * 800)[:40_000]

    def timed(text: str) -> float:
        start = time.perf_counter()
        for _ in range(5):
            match_question(text, index)
        return (time.perf_counter() - start) / 5

    assert timed(long_text) < 0.02
    assert match_question(long_text, index).intent is Intent.WHATS_NEW
    garbage = "<" * 40_000
    assert timed(garbage) < 0.02


# --- robustness ----------------------------------------------------------------------------

_SLACKISH = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            ["<@U1>", "<#C1|gen>", "<https://x|y>", "<", ">", "|", ":smile:", "🤖", "what's",
             "new", "in", "quantm", "sources", "subscribe", "&amp;", "\u200d", "\x00", "Loihi",
             "2", "-", "'", "ǅ", "ﬁ", "İ"]
        ),
        max_size=40,
    ).map(" ".join),
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_SLACKISH, context=st.one_of(st.none(), st.sampled_from(["quantum", "bogus"])))
def test_no_input_crashes_the_matcher(index: CorpusIndex, text: str, context: str | None) -> None:
    match = match_question(text, index, context_topic=context)
    assert 0.0 <= match.confidence <= 1.0
    assert match.topic is None or match.topic in index.topics
    if match.intent is Intent.UNKNOWN:
        assert match.topic is None
