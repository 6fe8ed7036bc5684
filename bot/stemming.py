"""Pure: the one word stemmer module: plural folding for every matcher, and Snowball English.

``plural`` is what ingest (topic mapping, claim subjects), the matcher, the retrieval index and
the answers use, so a word folds the same way wherever it is compared. ``snowball`` is the
heavier alternative retrieval's cross-validation can choose (``weights.STEMMER``).
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")


# Plurals in "-es" whose singular ends so ("processes", "boxes", "approaches", "biases"); any
# other "-es" is a singular in "-e" plus "s" ("cases", "responses", "uses").
_SINGULAR_ES = ("ss", "x", "ch", "sh", "ias")
# Singulars that end in "s" ("process", "focus", "analysis", "bias").
_SINGULAR_S = ("ss", "us", "is", "ias")


@lru_cache(maxsize=65_536)
def plural(word: str) -> str:
    """The word without its plural ending ("agents" -> "agent", "policies" -> "policy",
    "processes" -> "process", "biases" -> "bias", "cases" -> "case"); nothing
    cleverer, to stay predictable. Short words and tokens with ``.``, ``&`` or ``/`` ("3.5",
    "r&d") are unchanged; "H100s" folds to "h100" as a question would write it."""
    if len(word) <= 3 or not word.isalnum():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(_SINGULAR_ES):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_SINGULAR_S):
        return word[:-1]
    return word


@lru_cache(maxsize=65_536)
def snowball(word: str) -> str:
    """The word's Snowball English stem ("adopted", "adoption" -> "adopt"); digits unchanged."""
    if not word.isalpha():
        return word
    return str(_ENGLISH.stemWord(word))
