"""The topic slot: exact and typo-tolerant alias matching, and topic suggestions for unknowns."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.matcher.normalize import stem
from bot.matcher.tables import Alias, Tables
from bot.matcher.vocabulary import (
    COMMON_WORDS,
    FUNCTION_WORDS,
    MAX_SCORED_TOKENS,
    MAX_SPAN,
    STRONG_HIT,
)


@dataclass
class TopicHit:
    topic_id: str
    score: float  # 0-100
    start: int
    end: int
    kind: str
    exact: bool


def _rank(hit: TopicHit) -> tuple[bool, int, int, float]:
    # Among strong hits the first-named topic is the subject ("who says AutoGPT will cost jobs");
    # a weak one (an everyday word, a loose typo) never beats a strong one.
    strong = hit.score >= STRONG_HIT
    return (strong, -hit.start if strong else 0, hit.end - hit.start, hit.score)


def _fuzzy_cutoff(length: int) -> float:
    if length <= 3:
        return 101.0  # short words: exact only ("xai", "eu")
    if length <= 5:
        return 88.0
    return 80.0


def find_topic(words: list[str], tables: Tables) -> TopicHit | None:
    """The best topic named by a span of the question, exactly or as a close typo (maybe none)."""
    stems = [stem(w) for w in words]
    best: TopicHit | None = None

    def consider(alias: Alias, score: float, start: int, end: int) -> None:
        nonlocal best
        scored = score * alias.weight
        hit = TopicHit(alias.topic_id, scored, start, end, alias.kind, score == 100.0)
        if best is None or _rank(hit) > _rank(best):
            best = hit

    fuzzy_spans: list[tuple[str, int, int]] = []
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_SPAN, len(words)) + 1):
            span = words[start:end]
            key = "".join(stems[start:end])
            hits = tables.exact.get(key)
            if hits:
                for alias in hits:
                    consider(alias, 100.0, start, end)
                continue
            edges_ok = span[0] not in FUNCTION_WORDS and span[-1] not in FUNCTION_WORDS
            if not edges_ok or len(key) < 4:
                continue
            # A real word is not a typo of an alias ("safely" is not "safety").
            if end - start == 1 and (key in tables.vocab or span[0] in COMMON_WORDS):
                continue
            fuzzy_spans.append((key, start, end))
    if fuzzy_spans and tables.alias_keys and (best is None or best.score < 100.0):
        for key, start, end in fuzzy_spans:
            for _, score, col in process.extract(
                key, tables.alias_keys, scorer=fuzz.ratio, score_cutoff=80.0, limit=8
            ):
                alias = tables.alias_rows[col]
                if score >= _fuzzy_cutoff(min(len(key), len(alias.key))):
                    consider(alias, score, start, end)
    return best


def suggest(words: list[str], tables: Tables, limit: int = 3) -> tuple[str, ...]:
    """Topic ids loosely resembling some word of the question (maybe none)."""
    content = [stem(w) for w in words if w not in FUNCTION_WORDS and len(w) >= 4]
    if not content or not tables.alias_keys:
        return ()
    found: dict[str, float] = {}
    for word in content[:MAX_SCORED_TOKENS]:
        for key, score, col in process.extract(
            word, tables.alias_keys, scorer=fuzz.ratio, score_cutoff=70.0, limit=5
        ):
            del key
            tid = tables.alias_rows[col].topic_id
            found[tid] = max(found.get(tid, 0.0), score)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], tables.topic_order.index(kv[0])))
    return tuple(tid for tid, _ in ranked[:limit])
