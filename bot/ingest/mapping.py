"""Map each section to topics: fuzzy heading match (strong) plus keyword hits in the body (weak)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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


# fuzz.ratio(a, b) >= HEADING_MIN_RATIO needs the longer string at most this many times the
# shorter (ratio = 2M / (la + lb) and M <= the shorter length).
_REACH = (200.0 - HEADING_MIN_RATIO) / HEADING_MIN_RATIO + 1.0


@lru_cache(maxsize=4096)
def _windows(heading: tuple[str, ...]) -> dict[int, tuple[tuple[int, str, str, int, int], ...]]:
    """Every window of a heading by size: (start, spaced, joined, their lengths), built once."""
    out: dict[int, tuple[tuple[int, str, str, int, int], ...]] = {}
    for size in range(1, len(heading) + 1):
        rows = []
        for start in range(len(heading) - size + 1):
            words = heading[start : start + size]
            spaced, joined = " ".join(words), "".join(words)
            rows.append((start, spaced, joined, len(spaced), len(joined)))
        out[size] = tuple(rows)
    return out


@lru_cache(maxsize=65536)
def _parent_match(term: _Term, heading: tuple[str, ...]) -> tuple[float, int, int]:
    return _heading_match(term, heading)


def _heading_match(term: _Term, heading: Sequence[str]) -> tuple[float, int, int]:
    """How strongly a heading names a term (best window ratio, scaled by how much of the
    heading it covers) and the matched window as (score, start, end)."""
    if not heading:
        return 0.0, 0, 0
    k = len(term.words)
    best, span = 0.0, (0, 0)
    windows = _windows(tuple(heading))
    short = len(term.joined) <= SHORT_TERM
    ls, lj = len(term.spaced), len(term.joined)
    s_lo, s_hi, j_lo, j_hi = ls / _REACH, ls * _REACH, lj / _REACH, lj * _REACH
    for size in {k - 1, k, k + 1}:
        if size < 1 or size > len(heading):
            continue
        for start, spaced, joined, w_s, w_j in windows[size]:
            if short:
                if joined != term.joined:
                    continue
                ratio = 100.0
            elif s_lo <= w_s <= s_hi or j_lo <= w_j <= j_hi:
                ratio = max(
                    fuzz.ratio(term.spaced, spaced, score_cutoff=HEADING_MIN_RATIO),
                    fuzz.ratio(term.joined, joined, score_cutoff=HEADING_MIN_RATIO),
                )
            else:
                continue  # cannot reach the floor, so it never decides the result
            if ratio > best or (ratio == best and size > span[1] - span[0]):
                best, span = ratio, (start, start + size)
    if best < HEADING_MIN_RATIO:
        return 0.0, 0, 0
    coverage = min(1.0, k / len(heading))
    return best * (0.7 + 0.3 * coverage) * term.weight, span[0], span[1]


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
    head = tokens(heading)
    parent_heads = [tuple(tokens(p)) for p in parents]
    grams = _ngrams(tokens(body))
    heading_hits: dict[str, tuple[float, int, int]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    body_points: dict[str, float] = {}
    for tt in terms:
        best = (0.0, 0, 0)
        parent_best = 0.0
        points = 0.0
        matched: list[tuple[int, int]] = []
        for term in tt.terms:
            match = _heading_match(term, head)
            if match[0] > 0:
                matched.append((match[1], match[2]))
            if match[0] > best[0]:
                best = match
            for ph in parent_heads:
                # Every section of a report shares its parents: match them once per report.
                parent_best = max(parent_best, PARENT_WEIGHT * _parent_match(term, ph)[0])
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
