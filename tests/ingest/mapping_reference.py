"""Reference: the topic mapping as it was before the fast index (tests compare against it)."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from bot.ingest.text import tokens
from bot.models import Topic, TopicScore

# A heading window must be this similar to a term to count as naming it (rapidfuzz 0-100).
HEADING_MIN_RATIO = 92.0
# Sections map to topics scoring at least this much (0-100).
FLOOR = 35.0
# Secondary topics must reach this share of the best topic's score.
SECONDARY_SHARE = 0.45
MAX_TOPICS = 5
# Terms this short must match a heading word exactly ("xai", "nas", "lora").
SHORT_TERM = 4
# Weights: an alias or the name is a stronger signal than a keyword.
ALIAS_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.9
PARENT_WEIGHT = 0.8
HEADING_SHARE = 0.75  # of the combined score when the heading names the topic
BODY_ONLY_SHARE = 0.6  # cap of the combined score from body hits alone
BODY_POINTS_ALIAS = 2.0
BODY_POINTS_KEYWORD = 1.0
BODY_POINTS_REPEAT = 0.25
# Body points saturate: score = 100 * (1 - exp(-points / BODY_POINTS_SCALE)).
BODY_POINTS_SCALE = 5.0
# A heading match inside a longer match of another topic ("scaling" in "scaling down",
# "efficiency" in "energy efficiency") is no heading evidence: the body must carry it.
CONTAINED_SHARE = 0.0


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    spaced: str
    joined: str
    weight: float  # ALIAS_WEIGHT or KEYWORD_WEIGHT

    # rapidfuzz's ratio is 100 * (1 - indel / (la + lb)) and indel >= |la - lb|: a window
    # whose length is outside these bounds cannot reach HEADING_MIN_RATIO, so is not scored.
    @cached_property
    def spaced_lengths(self) -> tuple[float, float]:
        return _reachable_lengths(len(self.spaced))

    @cached_property
    def joined_lengths(self) -> tuple[float, float]:
        return _reachable_lengths(len(self.joined))


def _reachable_lengths(n: int) -> tuple[float, float]:
    share = HEADING_MIN_RATIO / 100.0
    return n * share / (2.0 - share), n * (2.0 - share) / share


@dataclass(frozen=True)
class TopicTerms:
    topic_id: str
    terms: tuple[_Term, ...]


def prepare_terms(topics: Sequence[Topic]) -> tuple[TopicTerms, ...]:
    out: list[TopicTerms] = []
    for topic in topics:
        seen: dict[str, _Term] = {}
        named = [
            (t, ALIAS_WEIGHT) for t in (topic.name, topic.id.replace("_", " "), *topic.aliases)
        ]
        for text, weight in [*named, *((k, KEYWORD_WEIGHT) for k in topic.keywords)]:
            words = tuple(tokens(text))
            if not words:
                continue
            spaced, joined = " ".join(words), "".join(words)
            if joined not in seen:
                seen[joined] = _Term(words, spaced, joined, weight)
        out.append(TopicTerms(topic.id, tuple(seen.values())))
    return tuple(out)


# A heading longer than this many words is matched on its first words only: real headings
# have under fifteen, and matching costs terms x words (a 10,000-word heading was minutes).
MAX_HEADING_WORDS = 32


@dataclass(frozen=True)
class _Window:
    start: int
    size: int
    spaced: str
    joined: str
    spaced_len: int
    joined_len: int


class _Heading:
    """A heading's word windows, built once per heading rather than once per term."""

    def __init__(self, words: Sequence[str], max_size: int) -> None:
        self.words = tuple(words[:MAX_HEADING_WORDS])
        self.by_size: dict[int, tuple[_Window, ...]] = {}
        for size in range(1, min(max_size, len(self.words)) + 1):
            self.by_size[size] = tuple(
                _Window(start, size, sp, jn, len(sp), len(jn))
                for start in range(len(self.words) - size + 1)
                for sp, jn in (
                    (
                        " ".join(self.words[start : start + size]),
                        "".join(self.words[start : start + size]),
                    ),
                )
            )


class _TermIndex:
    """Every term, findable from a heading window by word count and reachable length.

    Matching a heading then costs the few terms a window could name, not every term of the
    taxonomy for every window (which made topic mapping the slowest part of a big ingest).
    """

    def __init__(self, terms: Sequence[TopicTerms]) -> None:
        self.terms: list[_Term] = [t for tt in terms for t in tt.terms]
        self.short: dict[tuple[int, str], list[int]] = {}
        by_k: dict[int, list[int]] = {}
        for n, term in enumerate(self.terms):
            if len(term.joined) <= SHORT_TERM:
                self.short.setdefault((len(term.words), term.joined), []).append(n)
            else:
                by_k.setdefault(len(term.words), []).append(n)
        self.longest = max((len(t.words) for t in self.terms), default=1)
        # Per word count: term ids sorted by spaced and by joined length, with the lengths.
        self.spaced: dict[int, tuple[list[int], list[int]]] = {}
        self.joined: dict[int, tuple[list[int], list[int]]] = {}
        for k, ids in by_k.items():
            by_spaced = sorted(ids, key=lambda i: len(self.terms[i].spaced))
            self.spaced[k] = (by_spaced, [len(self.terms[i].spaced) for i in by_spaced])
            by_joined = sorted(ids, key=lambda i: len(self.terms[i].joined))
            self.joined[k] = (by_joined, [len(self.terms[i].joined) for i in by_joined])

    def candidates(self, window: _Window) -> set[int]:
        share = HEADING_MIN_RATIO / 100.0
        found: set[int] = set()
        for k in (window.size - 1, window.size, window.size + 1):
            found.update(self.short.get((k, window.joined), ()))
            for table, length in (
                (self.spaced, window.spaced_len),
                (self.joined, window.joined_len),
            ):
                if k not in table:
                    continue
                ids, lengths = table[k]
                lo = bisect.bisect_left(lengths, length * share / (2.0 - share) - 1e-9)
                hi = bisect.bisect_right(lengths, length * (2.0 - share) / share + 1e-9)
                found.update(ids[lo:hi])
        return found

    def matches(self, heading: _Heading) -> dict[int, tuple[float, int, int]]:
        """term id -> (score, start, end) for the terms this heading names; others absent."""
        best: dict[int, tuple[float, int, int]] = {}
        for size in sorted(heading.by_size):
            for window in heading.by_size[size]:
                for n in self.candidates(window):
                    term = self.terms[n]
                    if size not in (len(term.words) - 1, len(term.words), len(term.words) + 1):
                        continue
                    ratio = _window_ratio(term, window)
                    old = best.get(n)
                    if (
                        old is None
                        or ratio > old[0]
                        or (ratio == old[0] and size > old[2] - old[1])
                    ):
                        best[n] = (ratio, window.start, window.start + size)
        out: dict[int, tuple[float, int, int]] = {}
        for n, (ratio, start, end) in best.items():
            if ratio >= HEADING_MIN_RATIO:
                term = self.terms[n]
                coverage = min(1.0, len(term.words) / len(heading.words))
                out[n] = (ratio * (0.7 + 0.3 * coverage) * term.weight, start, end)
        return out


def _window_ratio(term: _Term, window: _Window) -> float:
    if len(term.joined) <= SHORT_TERM:
        return 100.0 if window.joined == term.joined else 0.0
    s_lo, s_hi = term.spaced_lengths
    j_lo, j_hi = term.joined_lengths
    ratio = 0.0
    if s_lo <= window.spaced_len <= s_hi:
        ratio = fuzz.ratio(term.spaced, window.spaced)
    if j_lo <= window.joined_len <= j_hi:
        ratio = max(ratio, fuzz.ratio(term.joined, window.joined))
    return ratio


@lru_cache(maxsize=8)
def _index_of(terms: tuple[TopicTerms, ...]) -> _TermIndex:
    return _TermIndex(terms)


def _ngrams(words: Sequence[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for n in (1, 2, 3, 4):
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            grams[" ".join(window)] += 1
            if n > 1:
                grams["".join(window)] += 1
    return grams


@dataclass(frozen=True)
class ScoreDetail:
    topic_id: str
    score: float
    heading: float
    body_points: float


def score_section(
    heading: str, parents: Sequence[str], body: str, terms: Sequence[TopicTerms]
) -> list[ScoreDetail]:
    """Score every topic for one section, best first (0-100)."""
    index = _index_of(tuple(terms))
    head = index.matches(_Heading(tokens(heading), index.longest + 1))
    parent_heads = [index.matches(_Heading(tokens(p), index.longest + 1)) for p in parents]
    grams = _ngrams(tokens(body))
    heading_hits: dict[str, tuple[float, int, int]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    body_points: dict[str, float] = {}
    n = 0
    for tt in terms:
        best = (0.0, 0, 0)
        parent_best = 0.0
        points = 0.0
        matched: list[tuple[int, int]] = []
        for term in tt.terms:
            match = head.get(n, (0.0, 0, 0))
            if match[0] > 0:
                matched.append((match[1], match[2]))
            if match[0] > best[0]:
                best = match
            for ph in parent_heads:
                parent_best = max(parent_best, PARENT_WEIGHT * ph.get(n, (0.0, 0, 0))[0])
            n += 1
            count = grams.get(term.spaced, 0)
            if term.joined != term.spaced:
                count = max(count, grams.get(term.joined, 0))
            if count:
                base = BODY_POINTS_ALIAS if term.weight == ALIAS_WEIGHT else BODY_POINTS_KEYWORD
                points += base + BODY_POINTS_REPEAT * min(count - 1, 3)
        if parent_best > best[0]:
            best = (parent_best, -1, -1)  # a parent's heading: no span in this heading
        heading_hits[tt.topic_id] = best
        spans[tt.topic_id] = matched
        body_points[tt.topic_id] = points

    details: list[ScoreDetail] = []
    for tt in terms:
        h, start, end = heading_hits[tt.topic_id]
        if h > 0 and start >= 0 and _contained(tt.topic_id, spans):
            h *= CONTAINED_SHARE
        points = body_points[tt.topic_id]
        body_score = 100.0 * (1.0 - math.exp(-points / BODY_POINTS_SCALE))
        if h > 0:
            score = HEADING_SHARE * min(100.0, h) + (1 - HEADING_SHARE) * body_score
        else:
            score = BODY_ONLY_SHARE * body_score
        details.append(ScoreDetail(tt.topic_id, round(score, 1), round(h, 1), points))
    details.sort(key=lambda d: -d.score)
    return details


def _contained(topic_id: str, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether each heading window this topic matched lies inside a strictly longer window
    another topic matched ("scaling" inside "scaling down")."""
    own = spans.get(topic_id, [])
    if not own:
        return False
    others = [sp for other, lst in spans.items() if other != topic_id for sp in lst]
    return all(
        any(s <= start and end <= e and e - s > end - start for s, e in others)
        for start, end in own
    )


def choose_topics(details: Sequence[ScoreDetail], pinned: Sequence[str]) -> tuple[TopicScore, ...]:
    """Curator pins first, then the best topic and the strong runners-up above the floor."""
    chosen: list[TopicScore] = [TopicScore(topic_id=t, score=100.0, pinned=True) for t in pinned]
    taken = set(pinned)
    best = details[0].score if details else 0.0
    for d in details:
        if len(chosen) >= MAX_TOPICS:
            break
        if d.topic_id in taken or d.score < FLOOR or d.score < SECONDARY_SHARE * best:
            continue
        chosen.append(TopicScore(topic_id=d.topic_id, score=d.score))
        taken.add(d.topic_id)
    return tuple(chosen)
