"""Names a question gives that no report uses: "Zurich", "Slack", "Taylor Swift"."""

from __future__ import annotations

import re

from bot.dates import MONTH_NAMES
from bot.matcher.vocabulary import FUNCTION_WORDS, MAX_SCORED_TOKENS
from bot.retrieval.index import RetrievalIndex, index_tokens

# A capitalized word inside a sentence ("Is IBM hiring interns in Zurich?": "Zurich"), not its
# first word; all-caps words ("US", "CRM", "ML") are left out: people type abbreviations and
# shouting the same way, and the reports spell many of them differently.
_CAPITALIZED = re.compile(r"(?<=[\s(\"'])[A-Z][a-z][\w'’-]*")
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n)\s*[\"'(*_]*[A-Za-z][\w'’-]*")
_MARKUP = re.compile(r"<[^>]*>|[*_~`]")
# Calendar words name a time, not a subject ("what's new since Monday").
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CALENDAR = frozenset(MONTH_NAMES) | {f"{day}{s}" for day in _WEEKDAYS for s in ("", "s")}


def unknown_names(question: str, rindex: RetrievalIndex) -> list[str]:
    """The names in the question that no report uses, in order, a name of adjacent words as one
    ("Taylor Swift"): capitalized words inside a sentence (none when every
    content word is capitalized: a title-cased question says nothing by its capitals)."""
    # The words retrieval scores, no more: a 40,000-character message costs no more than a line.
    text = _MARKUP.sub(" ", " ".join(question.split()[:MAX_SCORED_TOKENS]))
    content = [
        w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w.casefold() not in FUNCTION_WORDS
    ]
    if len(content) >= 3 and all(w[:1].isupper() for w in content):
        return []
    starts = {m.end() for m in _SENTENCE_START.finditer(text)}
    found: list[str] = []
    last_end = -1
    for m in _CAPITALIZED.finditer(text):
        word = m.group(0).rstrip("'’-")
        if m.end() in starts:
            continue
        folded = word.casefold()
        if folded in FUNCTION_WORDS or folded in _CALENDAR:
            continue
        tokens = index_tokens(word)
        if tokens and not any(t in rindex.body or t in rindex.heading for t in tokens):
            if found and not text[last_end : m.start()].strip():
                found[-1] = f"{found[-1]} {word}"  # one name of several words: "Taylor Swift"
            else:
                found.append(word)
            last_end = m.end()
    return found
