"""Find reports and sections that repeat earlier ones, so agreement is not counted twice."""

from __future__ import annotations

import heapq
import re
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.ingest.text import fold, normalize_ws

# rapidfuzz ratio (0-100) over normalized text at which two texts are the same text.
DUPLICATE_RATIO = 95.0
# Sections shorter than this (characters) are too short to call duplicates.
MIN_SECTION_CHARS = 40
# A ratio of 95 needs lengths within about 10% of each other (the shorter >= 0.905 x longer).
MIN_LENGTH_SHARE = 0.9

# Blocking, so a corpus of n sections costs about n look-ups instead of n^2 comparisons:
# each text is cut into word 3-grams ("shingles"); the SKETCH_SIZE smallest shingle hashes
# are its bucket keys (a bottom-k MinHash sketch). Texts 95% alike share nearly all their
# shingles, so they share sketch keys; only texts sharing a key are compared. A key that
# turns up in more than MAX_BUCKET texts (boilerplate) stops taking members, which bounds
# the comparisons per text.
SHINGLE_WORDS = 3
SKETCH_SIZE = 8
MAX_BUCKET = 64
# Of the texts sharing a key, at most this many are compared, those sharing the most keys
# first (a repeat shares most of its eight; a stranger by chance one or two).
MAX_COMPARED = 16
# rapidfuzz's ratio costs length x length / 64; above this many characters two texts are
# compared by the share of shingles they have in common instead.
RATIO_MAX_CHARS = 50_000
NEAR_SHINGLE_SHARE = 0.9


_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")


def normalized(text: str) -> str:
    """Lower-case words separated by single spaces (accents and apostrophes dropped)."""
    if text.isascii():  # the same result as below, ten times faster
        return _NOT_ASCII_ALNUM.sub(" ", text.lower().replace("'", "")).strip()
    return normalize_ws("".join(c if c.isalnum() else " " for c in fold(text)))


def _shingles(norm: str) -> frozenset[int]:
    words = norm.split()
    if len(words) < SHINGLE_WORDS:
        return frozenset({zlib.crc32(norm.encode())})
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )


@dataclass(frozen=True)
class _Text:
    key: str
    group: str
    norm: str
    shingles: frozenset[int]


def _similarity(a: _Text, b: _Text) -> float:
    """0-100: how much b is a repeat of a (0 when it is clearly not)."""
    if a.norm == b.norm:
        return 100.0
    la, lb = len(a.norm), len(b.norm)
    if min(la, lb) < MIN_LENGTH_SHARE * max(la, lb):
        return 0.0
    if max(la, lb) <= RATIO_MAX_CHARS:
        return float(fuzz.ratio(a.norm, b.norm, score_cutoff=DUPLICATE_RATIO))
    shared = len(a.shingles & b.shingles) / max(1, len(a.shingles | b.shingles))
    return 100.0 * shared if shared >= NEAR_SHINGLE_SHARE else 0.0


@dataclass
class _Seen:
    """Texts seen so far, findable by exact text and by sketch key."""

    texts: list[_Text] = field(default_factory=list)
    exact: dict[str, int] = field(default_factory=dict)
    buckets: dict[int, list[int]] = field(default_factory=dict)

    def add(self, text: _Text) -> None:
        idx = len(self.texts)
        self.texts.append(text)
        self.exact.setdefault(text.norm, idx)
        for key in heapq.nsmallest(SKETCH_SIZE, text.shingles):
            bucket = self.buckets.setdefault(key, [])
            if len(bucket) < MAX_BUCKET:
                bucket.append(idx)

    def best(self, text: _Text, allowed: Callable[[_Text], bool]) -> _Text | None:
        """The earlier text this one repeats: the most alike, the earliest on a tie."""
        exact = self.exact.get(text.norm)
        if exact is not None and allowed(self.texts[exact]):
            return self.texts[exact]
        shared: Counter[int] = Counter()
        for key in heapq.nsmallest(SKETCH_SIZE, text.shingles):
            shared.update(self.buckets.get(key, ()))
        best: tuple[float, int] | None = None
        compared = 0
        # Most keys in common first, earliest first among equals.
        for idx, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            other = self.texts[idx]
            if not allowed(other):
                continue
            score = _similarity(other, text)
            if score >= DUPLICATE_RATIO and (
                best is None or score > best[0] or (score == best[0] and idx < best[1])
            ):
                best = (score, idx)
            compared += 1
            if compared >= MAX_COMPARED:
                break
        return self.texts[best[1]] if best is not None else None


def _other_report(source_id: str) -> Callable[[_Text], bool]:
    return lambda other: other.group != source_id


def duplicate_sources(bodies: Mapping[str, str]) -> dict[str, str]:
    """source_id -> earlier source_id it repeats (by source_id order; roots only)."""
    seen = _Seen()
    found: dict[str, str] = {}
    for sid in sorted(bodies):
        norm = normalized(bodies[sid])
        text = _Text(sid, sid, norm, _shingles(norm))
        original = seen.best(text, lambda _other: True)
        if original is not None:
            found[sid] = original.key
        else:
            seen.add(text)  # only roots: a repeat of a repeat points at the first
    return found


def duplicate_sections(
    sections: Sequence[tuple[str, str, str]],
) -> dict[str, str]:
    """section_id -> section_id of an earlier report it repeats.

    ``sections`` holds (section_id, source_id, text) in source order. Only sections of
    other reports count: a report may legitimately repeat itself.
    """
    seen = _Seen()
    found: dict[str, str] = {}
    for section_id, source_id, raw in sections:
        norm = normalized(raw)
        text = _Text(section_id, source_id, norm, _shingles(norm))
        if len(norm) >= MIN_SECTION_CHARS and seen.texts:
            original = seen.best(text, _other_report(source_id))
            if original is not None:
                found[section_id] = original.key
                continue
        seen.add(text)
    return found
