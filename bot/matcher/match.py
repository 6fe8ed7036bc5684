"""A chat question -> Match: the intent and topic slots combined, the floor applied."""

from __future__ import annotations

from collections.abc import Iterable

from bot.corpus import CorpusIndex
from bot.matcher.fulltext import find_in_text, sections_naming
from bot.matcher.intents import (
    CORPUS_WIDE,
    FACT_CUE_SCORE,
    TOPICAL,
    asks_for_a_fact,
    score_intents,
)
from bot.matcher.normalize import normalize, stem
from bot.matcher.tables import Tables, tables_for
from bot.matcher.topics import find_topic, suggest
from bot.matcher.vocabulary import (
    FUNCTION_WORDS,
    GENERIC_WORDS,
    INTENT_FLOOR,
    INTENT_WORDS,
    MAX_SCORED_TOKENS,
)
from bot.models import Intent, Match


def match_question(text: str, index: CorpusIndex, *, context_topic: str | None = None) -> Match:
    """Score every intent and the topic slot of a question; below the floor, say unknown."""
    tables = tables_for(index)
    words = normalize(text).split()[:MAX_SCORED_TOKENS]
    if not words:
        return Match(intent=Intent.HELP, confidence=1.0)
    topic: str | None = None
    topic_score = 0.0
    covered: set[int] = set()
    section_hits: tuple[str, ...] = ()
    term: str | None = None
    topic_hit = find_topic(words, tables)
    if topic_hit is not None:
        topic, topic_score = topic_hit.topic_id, topic_hit.score / 100.0
        covered = set(range(topic_hit.start, topic_hit.end))
        if topic_hit.kind == "keyword" and topic_hit.exact:
            # A named thing ("GDPR", "LoRA", "Loihi 2"): answer from the sections that say it.
            span = words[topic_hit.start : topic_hit.end]
            section_hits = sections_naming(span, topic_hit.topic_id, tables)
            term = " ".join(span) if section_hits else None
    else:
        text_hit = find_in_text(words, tables)
        if text_hit is not None and _stray_word_hit(text_hit.term, words, index, tables):
            text_hit = None
        if text_hit is not None:
            topic, topic_score = text_hit.topic_id, 0.85 * text_hit.score
            section_hits, term = text_hit.section_ids, text_hit.term
            covered = {i for i, w in enumerate(words) if w in set(text_hit.term.split())}

    # Intent cues are read with the topic's own words masked: "news on open-source" is news, not
    # a request for sources. A one-word everyday alias stays ("how does this work").
    masked = list(words)
    if topic_hit is not None and (
        topic_hit.end - topic_hit.start > 1 or words[topic_hit.start] not in INTENT_WORDS
    ):
        masked[topic_hit.start : topic_hit.end] = ["_"] * (topic_hit.end - topic_hit.start)
    intents = score_intents(" ".join(masked))
    cued = bool(intents)

    leftover = _content_words(w for i, w in enumerate(words) if i not in covered)
    foreign = _foreign(leftover, tables)
    if topic_hit is not None and topic_score < 0.9 and not cued and foreign:
        # A weak hit (an everyday word like "live", or a loose typo) among words the reports never
        # use is not a question about that topic ("play some live music").
        topic, topic_score, covered = None, 0.0, set()

    has_subject = topic is not None or bool(section_hits)
    if has_subject:
        # A bare topic ("quantum?", "mutlimodal") asks for a brief; any explicit cue beats it.
        bare = 0.5 + 0.2 * topic_score
        if asks_for_a_fact(" ".join(words)):
            bare = max(bare, FACT_CUE_SCORE)
        intents[Intent.TOPIC_BRIEF] = max(intents.get(Intent.TOPIC_BRIEF, 0.0), bare)
    ranked = sorted(intents.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < INTENT_FLOOR:
        return _unknown(words, tables)
    intent, intent_score = ranked[0]

    if intent in TOPICAL and not has_subject:
        if foreign or [w for w in leftover if w not in tables.vocab]:
            # Asked about something the reports do not cover ("what's new in football").
            return _unknown(words, tables)
        if context_topic is not None and context_topic in index.topics:
            topic, topic_score = context_topic, 0.8
        elif intent not in CORPUS_WIDE:
            return _unknown(words, tables)

    if intent not in TOPICAL:
        keep = intent in (Intent.SUBSCRIBE, Intent.UNSUBSCRIBE, Intent.DIGEST)
        topic = topic if keep and topic_hit is not None else None
        section_hits, term = (), None
        confidence = intent_score
    elif topic is not None:
        confidence = 0.5 * intent_score + 0.5 * topic_score
    else:
        confidence = intent_score * 0.9
    return Match(
        intent=intent,
        topic=topic,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        section_hits=section_hits,
        term=term,
    )


def _stray_word_hit(term: str, words: list[str], index: CorpusIndex, tables: Tables) -> bool:
    """A report's word that merely occurs in the question, which is about something else: the
    only word found is one of everyday English ("places", "trading"), the question names nothing
    of the field, and two or more of its words are ones the reports never use ("any good ramen
    places near the office for team lunch", "what's NVDA trading at today")."""
    if len(term.split()) != 1 or term not in tables.everyday:
        return False
    # Imported here: bot.retrieval imports the matcher's normalizer.
    from bot.retrieval.lexicon import names_the_field

    if names_the_field(words, index.corpus.retrieval_words):
        return False
    return len(_foreign(_content_words(words), tables)) >= STRAY_FOREIGN_WORDS


# How many words the reports never use make a lone everyday word's hit a stray one.
STRAY_FOREIGN_WORDS = 2


def _content_words(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in FUNCTION_WORDS and w not in GENERIC_WORDS]


def _foreign(words: list[str], tables: Tables) -> list[str]:
    """The words no report uses (numbers aside)."""
    return [w for w in words if stem(w) not in tables.vocab and not w.isdigit()]


def _unknown(words: list[str], tables: Tables) -> Match:
    return Match(intent=Intent.UNKNOWN, confidence=0.0, suggestions=suggest(words, tables))
