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
from functools import lru_cache
from typing import Any

GRAM_SIZES = (3, 4, 5)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})

# gram -> (section numbers, weights): arrays, so 10,000 sections stay a few tens of megabytes.
CharPostings = dict[str, tuple["array[int]", "array[float]"]]


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


def build_char_index(
    texts: Sequence[str], max_df_share: float
) -> tuple[dict[str, float], CharPostings]:
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
    units: dict[str, array[int]] = defaultdict(lambda: array("i"))
    weights: dict[str, array[float]] = defaultdict(lambda: array("f"))
    for unit, counts in enumerate(per_doc):
        vector = {g: (1.0 + math.log(c)) * idf[g] for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        for g in kept.intersection(vector):
            units[g].append(unit)
            weights[g].append(vector[g] / norm)
    return {g: idf[g] for g in units}, {g: (units[g], weights[g]) for g in units}


def char_scores(question: str, idf: dict[str, float], postings: CharPostings) -> dict[int, float]:
    """section -> dot product of its gram vector with the question's (over the kept grams; the
    caller compares sections of one question, so the question's own length does not matter)."""
    scores: dict[int, float] = defaultdict(float)
    for g, c in gram_counts(question).items():
        found = postings.get(g)
        if found is None:
            continue
        qw = (1.0 + math.log(c)) * idf[g]
        units, weights = found
        for unit, dw in zip(units, weights, strict=True):
            scores[unit] += qw * dw
    return scores


def pack(idf: dict[str, float], postings: CharPostings) -> dict[str, Any]:
    """The char index as a few strings for JSON: parsing 100,000 numbers one by one would cost
    `briefbot ask` a sixth of a second at start. Arrays in this machine's byte order: the file
    is a cache beside the compiled corpus, rebuilt when unreadable."""
    grams = list(postings)
    offsets = array("i", [0])
    units: array[int] = array("i")
    weights: array[float] = array("f")
    for g in grams:
        u, w = postings[g]
        units.extend(u)
        weights.extend(w)
        offsets.append(len(units))

    def b64(a: array[Any]) -> str:
        return base64.b64encode(a.tobytes()).decode("ascii")

    return {
        "grams": "\n".join(grams),
        "idf": b64(array("f", [idf[g] for g in grams])),
        "offsets": b64(offsets),
        "units": b64(units),
        "weights": b64(weights),
    }


def unpack(data: dict[str, Any]) -> tuple[dict[str, float], CharPostings]:
    """pack()'s strings back into idf and postings (ValueError if they do not fit together)."""

    def arr(code: str, text: str) -> array[Any]:
        a: array[Any] = array(code)
        a.frombytes(base64.b64decode(text))
        return a

    grams = data["grams"].split("\n") if data["grams"] else []
    idf_values = arr("f", data["idf"])
    offsets = arr("i", data["offsets"])
    units = arr("i", data["units"])
    weights = arr("f", data["weights"])
    if not (len(grams) == len(idf_values) == len(offsets) - 1 and offsets[-1] == len(units)):
        raise ValueError("stored char index does not fit together")
    if len(weights) != len(units):
        raise ValueError("stored char index does not fit together")
    postings: CharPostings = {
        g: (units[offsets[i] : offsets[i + 1]], weights[offsets[i] : offsets[i + 1]])
        for i, g in enumerate(grams)
    }
    return dict(zip(grams, idf_values, strict=True)), postings
