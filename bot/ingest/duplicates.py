"""Find reports and sections that repeat earlier ones, so agreement is not counted twice."""

from __future__ import annotations

import hashlib
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


def _digest(norm: str) -> int:
    """A 64-bit hash of a normalized text: its exact-repeat key, small enough to cache."""
    return int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class Sketch:
    """What the duplicate check keeps of a root text (one no earlier text repeats) for the
    next build: its key, its exact-text hash and its bottom-k sketch, in the order the roots
    were met. A build that only adds texts after these starts from them instead of normalizing
    and comparing every earlier text again."""

    key: str
    group: str
    digest: int
    sketch: tuple[int, ...]


@dataclass
class _Seen:
    """Texts seen so far, findable by exact text and by sketch key. A root carried over from
    an earlier build is only a Sketch; its text is normalized when a new text is compared
    with it (``load`` gives the raw text of a key)."""

    load: Callable[[str], str] = lambda _key: ""
    roots: list[Sketch] = field(default_factory=list)
    texts: dict[int, _Text] = field(default_factory=dict)
    exact: dict[int, int] = field(default_factory=dict)
    buckets: dict[int, list[int]] = field(default_factory=dict)

    def add(self, text: _Text) -> None:
        sketch = Sketch(
            text.key,
            text.group,
            _digest(text.norm),
            tuple(heapq.nsmallest(SKETCH_SIZE, text.shingles)),
        )
        self.texts[len(self.roots)] = text
        self.add_sketch(sketch)

    def add_sketch(self, sketch: Sketch) -> None:
        idx = len(self.roots)
        self.roots.append(sketch)
        self.exact.setdefault(sketch.digest, idx)
        for key in sketch.sketch:
            bucket = self.buckets.setdefault(key, [])
            if len(bucket) < MAX_BUCKET:
                bucket.append(idx)

    def _text(self, idx: int) -> _Text:
        known = self.texts.get(idx)
        if known is None:
            root = self.roots[idx]
            norm = normalized(self.load(root.key))
            known = self.texts[idx] = _Text(root.key, root.group, norm, _shingles(norm))
        return known

    def best(self, text: _Text, allowed: Callable[[str], bool]) -> _Text | None:
        """The earlier text this one repeats: the most alike, the earliest on a tie."""
        exact = self.exact.get(_digest(text.norm))
        if exact is not None and allowed(self.roots[exact].group):
            original = self._text(exact)
            if original.norm == text.norm:
                return original
        shared: Counter[int] = Counter()
        for key in heapq.nsmallest(SKETCH_SIZE, text.shingles):
            shared.update(self.buckets.get(key, ()))
        best: tuple[float, int] | None = None
        compared = 0
        # Most keys in common first, earliest first among equals.
        for idx, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            if not allowed(self.roots[idx].group):
                continue
            score = _similarity(self._text(idx), text)
            if score >= DUPLICATE_RATIO and (
                best is None or score > best[0] or (score == best[0] and idx < best[1])
            ):
                best = (score, idx)
            compared += 1
            if compared >= MAX_COMPARED:
                break
        return self._text(best[1]) if best is not None else None


def _other_report(source_id: str) -> Callable[[str], bool]:
    return lambda group: group != source_id


@dataclass(frozen=True)
class Carried:
    """An earlier build's duplicate check, for a build that only adds texts after it: the
    keys it saw (in order), what it found, and its roots' sketches."""

    keys: tuple[str, ...]
    found: Mapping[str, str]
    roots: tuple[Sketch, ...]


def _resume(
    keys: Sequence[str], texts: Callable[[str], str], previous: Carried | None
) -> tuple[_Seen, dict[str, str], int]:
    """The check's state after the texts an earlier build already saw, and how many of
    ``keys`` that covers: all of ``previous`` when ``keys`` starts with exactly its keys
    (texts unchanged is the caller's promise), else nothing (check everything again)."""
    seen = _Seen(load=texts)
    if previous is None or tuple(keys[: len(previous.keys)]) != previous.keys:
        return seen, {}, 0
    for root in previous.roots:
        seen.add_sketch(root)
    return seen, dict(previous.found), len(previous.keys)


def duplicate_sources(bodies: Mapping[str, str]) -> dict[str, str]:
    """source_id -> earlier source_id it repeats (by source_id order; roots only)."""
    return find_duplicate_sources(bodies)[0]


def find_duplicate_sources(
    bodies: Mapping[str, str], previous: Carried | None = None
) -> tuple[dict[str, str], Carried]:
    """duplicate_sources, resumed from ``previous`` when the reports it saw come first and
    unchanged (a new report is compared with the few roots it shares sketch keys with), and
    what the next build may resume from."""
    order = sorted(bodies)
    seen, found, done = _resume(order, bodies.__getitem__, previous)
    for sid in order[done:]:
        norm = normalized(bodies[sid])
        text = _Text(sid, sid, norm, _shingles(norm))
        original = seen.best(text, lambda _group: True)
        if original is not None:
            found[sid] = original.key
        else:
            seen.add(text)  # only roots: a repeat of a repeat points at the first
    return found, Carried(tuple(order), found, tuple(seen.roots))


def duplicate_sections(
    sections: Sequence[tuple[str, str, str]],
) -> dict[str, str]:
    """section_id -> section_id of an earlier report it repeats.

    ``sections`` holds (section_id, source_id, text) in source order. Only sections of
    other reports count: a report may legitimately repeat itself.
    """
    return find_duplicate_sections(sections)[0]


def find_duplicate_sections(
    sections: Sequence[tuple[str, str, str]], previous: Carried | None = None
) -> tuple[dict[str, str], Carried]:
    """duplicate_sections, resumed from ``previous`` like find_duplicate_sources."""
    raw_of = {section_id: raw for section_id, _, raw in sections}
    order = [section_id for section_id, _, _ in sections]
    seen, found, done = _resume(order, raw_of.__getitem__, previous)
    for section_id, source_id, raw in sections[done:]:
        norm = normalized(raw)
        text = _Text(section_id, source_id, norm, _shingles(norm))
        if len(norm) >= MIN_SECTION_CHARS and seen.roots:
            original = seen.best(text, _other_report(source_id))
            if original is not None:
                found[section_id] = original.key
                continue
        seen.add(text)
    return found, Carried(tuple(order), found, tuple(seen.roots))
