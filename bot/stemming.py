"""The one word stemmer (Snowball English) for every part that wants word families to meet."""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def snowball(word: str) -> str:
    """The word's Snowball English stem ("adopted", "adoption" -> "adopt"); digits unchanged."""
    if not word.isalpha():
        return word
    return str(_ENGLISH.stemWord(word))
