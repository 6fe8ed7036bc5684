"""Full-text search of section text: the fallback when no topic is named; sections naming a term."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.matcher.normalize import stem
from bot.matcher.tables import Tables
from bot.matcher.vocabulary import COMMON_WORDS, FUNCTION_WORDS, eligible_term


@dataclass
class TextHit:
    section_ids: tuple[str, ...]
    topic_id: str | None
    term: str
    score: float


def find_in_text(words: list[str], tables: Tables) -> TextHit | None:
    """The sections best matching the question's distinctive words (typos allowed), if any."""
    matched: dict[int, tuple[str, float]] = {}  # word position -> (indexed token, weight)
    for pos, word in enumerate(words):
        tok = stem(word)
        if not eligible_term(tok) and not eligible_term(word):
            continue
        posting = tables.postings.get(tok)
        if posting is not None:
            if len(posting) <= tables.df_limit:
                matched[pos] = (tok, 1.0)
            continue
        if len(tok) >= 6 and tok not in COMMON_WORDS:
            near: list[str] = []
            for n in (len(tok) - 1, len(tok), len(tok) + 1):
                near.extend(tables.vocab_by_len.get(n, ()))
            found = process.extractOne(tok, near, scorer=fuzz.ratio, score_cutoff=85.0)
            if found is not None:
                matched[pos] = (found[0], found[1] / 100.0)
    if not matched:
        return None
    scores: dict[int, float] = defaultdict(float)
    for tok, weight in matched.values():
        for sec in tables.postings[tok]:
            scores[sec] += tables.idf[tok] * weight
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    hits = [sec for sec, s in ranked if s >= 0.6 * top][:8]
    best = hits[0]
    # The term as the user wrote it, widened to neighbours the best section also contains
    # ("loihi" + "2" -> "loihi 2").
    positions = sorted(matched)
    lo, hi = positions[0], positions[0]
    for pos in positions:
        if pos - hi <= 1:
            hi = pos
    while (
        lo > 0
        and stem(words[lo - 1]) in tables.section_tokens[best]
        and (words[lo - 1] not in FUNCTION_WORDS)
    ):
        lo -= 1
    while (
        hi + 1 < len(words)
        and stem(words[hi + 1]) in tables.section_tokens[best]
        and (words[hi + 1] not in FUNCTION_WORDS)
    ):
        hi += 1
    term = " ".join(words[lo : hi + 1])
    return TextHit(
        section_ids=tuple(tables.section_ids[i] for i in hits),
        topic_id=tables.section_primary[best],
        term=term,
        score=min(1.0, max(w for _, w in matched.values())),
    )


def sections_naming(span: list[str], topic_id: str, tables: Tables) -> tuple[str, ...]:
    """Sections containing every distinctive word of a keyword, the topic's own sections first."""
    stems = [stem(w) for w in span if eligible_term(stem(w)) or eligible_term(w)]
    postings = [tables.postings.get(s) for s in stems]
    if not stems or any(p is None or len(p) > tables.df_limit for p in postings):
        return ()
    common = set.intersection(*(set(p) for p in postings if p is not None))
    ranked = sorted(common, key=lambda i: (tables.section_primary[i] != topic_id, i))
    return tuple(tables.section_ids[i] for i in ranked[:8])
