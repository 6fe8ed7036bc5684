"""Character n-gram TF-IDF over sections: the letters words share when the words differ.

"unfairly" and "fairness", "greener" and "green", "decision-making" and "decisions" share no
whole word but most of their letters. Like scikit-learn's ``char_wb`` analyzer: n-grams of 3-5
characters inside each space-padded word, sublinear term frequency, smoothed idf, each section's
vector of length 1. Pure Python, built once per corpus version.
"""

from __future__ import annotations

import base64
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

GRAM_SIZES = (3, 4, 5)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass
class CharIndex:
    """Each kept gram's idf and its postings: a span of two flat arrays (section numbers,
    weights), so 10,000 sections stay a few megabytes and a stored copy loads in milliseconds."""

    idf: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    units: array[int] = field(default_factory=lambda: array("i"))
    weights: array[float] = field(default_factory=lambda: array("f"))


@lru_cache(maxsize=65_536)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    grams: list[str] = []
    for n in GRAM_SIZES:
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def gram_counts(text: str) -> Counter[str]:
    """The text's character n-grams (casefolded, inside words) with their counts."""
    counts: Counter[str] = Counter()
    words = Counter(_WORD.findall(text.translate(_APOSTROPHES).casefold()))
    for word, times in words.items():
        for gram in _word_grams(word):
            counts[gram] += times
    return counts


def build_char_index(texts: Sequence[str], max_df_share: float) -> CharIndex:
    """Smoothed idf per gram, and each gram's (section, weight) postings of unit-length vectors.

    A gram in more than max_df_share of the texts gets no postings: it tells no section apart,
    and at 10,000 sections such grams would be most of the memory and of the query time. It
    still counts in each vector's length, so the weights are those of the whole vector."""
    n = len(texts)
    per_doc = [gram_counts(t) for t in texts]
    df: Counter[str] = Counter()
    for counts in per_doc:
        df.update(counts.keys())
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
    kept = {g for g, d in df.items() if d <= max_df_share * n}
    by_gram: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for unit, counts in enumerate(per_doc):
        vector = {g: (1.0 + math.log(c)) * idf[g] for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        for g in kept.intersection(vector):
            by_gram[g].append((unit, vector[g] / norm))
    index = CharIndex()
    for g in sorted(by_gram):
        start = len(index.units)
        index.units.extend(u for u, _ in by_gram[g])
        index.weights.extend(w for _, w in by_gram[g])
        index.spans[g] = (start, len(index.units))
        index.idf[g] = idf[g]
    return index


def char_scores(question: str, index: CharIndex) -> dict[int, float]:
    """section -> dot product of its gram vector with the question's (over the kept grams; the
    caller compares sections of one question, so the question's own length does not matter)."""
    scores: dict[int, float] = defaultdict(float)
    units, weights = index.units, index.weights
    for g, c in gram_counts(question).items():
        span = index.spans.get(g)
        if span is None:
            continue
        qw = (1.0 + math.log(c)) * index.idf[g]
        for i in range(*span):
            scores[units[i]] += qw * weights[i]
    return scores


def pack(index: CharIndex) -> dict[str, Any]:
    """The char index as a few strings for JSON: parsing 100,000 numbers one by one would cost
    `briefbot ask` a sixth of a second at start. Arrays in this machine's byte order: the file
    is a cache beside the compiled corpus, rebuilt when unreadable."""
    grams = list(index.spans)
    offsets = array("i", [index.spans[g][0] for g in grams] + [len(index.units)])

    def b64(a: array[Any]) -> str:
        return base64.b64encode(a.tobytes()).decode("ascii")

    return {
        "grams": "\n".join(grams),
        "idf": b64(array("f", [index.idf[g] for g in grams])),
        "offsets": b64(offsets),
        "units": b64(index.units),
        "weights": b64(index.weights),
    }


def unpack(data: dict[str, Any]) -> CharIndex:
    """pack()'s strings back into a CharIndex (ValueError if they do not fit together)."""

    def arr(code: str, text: str) -> array[Any]:
        a: array[Any] = array(code)
        a.frombytes(base64.b64decode(text))
        return a

    grams = data["grams"].split("\n") if data["grams"] else []
    idf = arr("f", data["idf"])
    offsets = arr("i", data["offsets"])
    units = arr("i", data["units"])
    weights = arr("f", data["weights"])
    if not len(grams) == len(idf) == len(offsets) - 1 or not offsets[-1] == len(units) == len(
        weights
    ):
        raise ValueError("stored char index does not fit together")
    return CharIndex(
        idf=dict(zip(grams, idf, strict=True)),
        spans={g: (offsets[i], offsets[i + 1]) for i, g in enumerate(grams)},
        units=units,
        weights=weights,
    )
