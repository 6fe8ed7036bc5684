"""Map each section to topics: fuzzy heading match (strong) plus keyword hits in the body (weak)."""

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


class _Mapper:
    """A taxonomy's terms prepared once: the heading index, each term's topic, the body
    strings that can name a term, and the matches of every distinct heading seen so far."""

    def __init__(self, terms: tuple[TopicTerms, ...]) -> None:
        self.terms = terms
        self.index = _TermIndex(terms)
        self.topic_of: list[int] = [p for p, tt in enumerate(terms) for _ in tt.terms]
        # body n-gram string -> term ids it names (spaced and joined forms)
        self.body: dict[str, list[int]] = {}
        self.spaced_prefixes: set[str] = set()  # word prefixes of multi-word terms
        self.joined_prefixes: set[str] = set()
        for n, term in enumerate(self.index.terms):
            self.body.setdefault(term.spaced, []).append(n)
            if term.joined != term.spaced:
                self.body.setdefault(term.joined, []).append(n)
            self.spaced_prefixes.update(
                " ".join(term.words[:k]) for k in range(1, min(len(term.words), _MAX_GRAM))
            )
            self.joined_prefixes.update(term.joined[:i] for i in range(1, len(term.joined) + 1))
        self._headings: dict[tuple[str, ...], dict[int, tuple[float, int, int]]] = {}

    def heading(self, words: tuple[str, ...]) -> dict[int, tuple[float, int, int]]:
        found = self._headings.get(words)
        if found is None:
            if len(self._headings) > _HEADING_CACHE:
                self._headings.clear()
            found = self.index.matches(_Heading(words, self.index.longest + 1))
            self._headings[words] = found
        return found

    def body_counts(self, words: Sequence[str]) -> dict[int, int]:
        """term id -> how often the body names it, exactly as counting every 1-4 word n-gram
        would; a window grows only while it is still the start of some term."""
        grams: Counter[str] = Counter()
        body, spaced_pre, joined_pre = self.body, self.spaced_prefixes, self.joined_prefixes
        for i, first in enumerate(words):
            if first in body:
                grams[first] += 1
            sp_ok = first in spaced_pre
            jn_ok = first in joined_pre
            sp = jn = first
            for w in words[i + 1 : i + _MAX_GRAM]:
                if not (sp_ok or jn_ok):
                    break
                if sp_ok:
                    sp = f"{sp} {w}"
                    if sp in body:
                        grams[sp] += 1
                    sp_ok = sp in spaced_pre
                if jn_ok:
                    jn += w
                    if jn in body:
                        grams[jn] += 1
                    jn_ok = jn in joined_pre
        counts: dict[int, int] = {}
        for gram, count in grams.items():
            for n in body[gram]:
                counts[n] = max(counts.get(n, 0), count)
        return counts


_MAX_GRAM = 4  # body n-grams are at most four words
_HEADING_CACHE = 50_000


@lru_cache(maxsize=8)
def _mapper_of(terms: tuple[TopicTerms, ...]) -> _Mapper:
    return _Mapper(terms)


_last: tuple[Sequence[TopicTerms], _Mapper] | None = None


def _mapper(terms: Sequence[TopicTerms]) -> _Mapper:
    """The prepared mapper of these terms; the same list object skips hashing every term."""
    global _last
    if _last is not None and _last[0] is terms:
        return _last[1]
    mapper = _mapper_of(tuple(terms))
    _last = (terms, mapper)
    return mapper


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
    mapper = _mapper(terms)
    head = mapper.heading(tuple(tokens(heading)))
    parent_heads = [mapper.heading(tuple(tokens(p))) for p in parents]
    counts = mapper.body_counts(tokens(body))
    topics = len(terms)
    best: list[tuple[float, int, int]] = [(0.0, 0, 0)] * topics
    spans: dict[str, list[tuple[int, int]]] = {tt.topic_id: [] for tt in terms}
    for n in sorted(head):  # term order: the first of equal scores wins, as before
        match = head[n]
        p = mapper.topic_of[n]
        if match[0] > 0:
            spans[terms[p].topic_id].append((match[1], match[2]))
        if match[0] > best[p][0]:
            best[p] = match
    parent_best = [0.0] * topics
    for ph in parent_heads:
        for n, match in ph.items():
            p = mapper.topic_of[n]
            parent_best[p] = max(parent_best[p], PARENT_WEIGHT * match[0])
    body_points = [0.0] * topics
    for n, count in counts.items():
        term = mapper.index.terms[n]
        base = BODY_POINTS_ALIAS if term.weight == ALIAS_WEIGHT else BODY_POINTS_KEYWORD
        body_points[mapper.topic_of[n]] += base + BODY_POINTS_REPEAT * min(count - 1, 3)

    details: list[ScoreDetail] = []
    for p, tt in enumerate(terms):
        h, start, _ = best[p]
        if parent_best[p] > h:
            h, start = parent_best[p], -1  # a parent's heading: no span here
        if h > 0 and start >= 0 and _contained(tt.topic_id, spans):
            h *= CONTAINED_SHARE
        points = body_points[p]
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
