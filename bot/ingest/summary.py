"""Summarize a section in 2-3 verbatim sentences: the lead claim plus the most concrete facts."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.ingest.text import split_sentences
from bot.sentences import opens_a_list

MAX_SENTENCES = 3
MIN_FACT_SCORE = 2.0

_NUMBER = re.compile(r"(?<![A-Za-z])\$?\d[\d,.]*(?:\s?(?:%|x\b|[KMBT]\b|bn\b))?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)
# Named systems: inner capitals (TinyLLM, OpenAI), letters with digits (H100, SAIGE-3),
# hyphenated brands (Q-TransformerNet), acronyms (GDPR, IBM).
_NAMED = re.compile(
    r"\b(?:[A-Z][a-z]+[A-Z]\w*|[A-Za-z]+-?\d[\w.]*|[A-Z]-[A-Z]\w*|[A-Z]{2,}[a-z]?\w*)\b"
)
_CAPITALIZED = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")
_GENERIC = frozenset({"LLM", "LLMs", "AI", "LLM-based", "NLP"})


def fact_score(sentence: str, strong: Sequence[str] = ()) -> float:
    """How concrete a sentence is: numbers, dates and named systems count."""
    score = 0.0
    years = set(_YEAR.findall(sentence))
    numbers = [n for n in _NUMBER.findall(sentence) if n.strip() not in years]
    score += 2.0 * min(len(numbers), 3) + 1.5 * min(len(years), 2)
    score += 1.0 * min(len(_MONTH.findall(sentence)), 1)
    named = {n for n in _NAMED.findall(sentence) if n not in _GENERIC}
    score += 1.5 * min(len(named), 3)
    score += 1.5 * min(sum(1 for s in strong if s in sentence), 2)
    score += 0.5 * min(len(_CAPITALIZED.findall(sentence)), 2)
    return score


def _usable(sentence: str) -> bool:
    # A lead-in ("This efficiency is driven by:") is not a statement on its own.
    return len(sentence.split()) >= 4 and not opens_a_list(sentence)


def summarize(text: str, strong: Sequence[str] = (), items: Collection[str] = ()) -> str:
    """The lead sentence plus up to two of the most concrete others, in document order.

    ``items`` are the section's list items (blocks): an item away from its lead-in reads as a
    fragment ("Training data provenance disclosure, tracking datasets for …"), so a concrete
    sentence of the prose goes first and an item is taken only when the prose has none."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    usable = [i for i, s in enumerate(sentences) if _usable(s)]
    if not usable:
        return " ".join(sentences[:MAX_SENTENCES])
    lead = usable[0]
    in_items = {i for i, s in enumerate(sentences) if any(s in item for item in items)}
    scored = sorted(
        ((fact_score(sentences[i], strong), i) for i in usable if i != lead),
        key=lambda p: (p[1] in in_items, -p[0], p[1]),
    )
    picked = [i for score, i in scored if score >= MIN_FACT_SCORE][: MAX_SENTENCES - 1]
    if not picked:
        # Nothing concrete: the lead and the sentence that follows it.
        picked = [i for i in usable if i != lead][:1]
    return " ".join(sentences[i] for i in sorted([lead, *picked]))
