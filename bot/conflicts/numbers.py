"""Pure: numbers written in words, found with the digits that stand for them ("twelve hundred"
-> 1200, "two and a half" -> 2.5, "a third" -> 33.3%, "a few thousand" -> 2000-5000)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.conflicts.rules import ConflictRules

_SMALL_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_SMALL = {w: n for n, w in enumerate(_SMALL_WORDS.split())}
_TENS = {
    w: 10 * n
    for n, w in enumerate(
        ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    )
    if w
}
_ARTICLES = frozenset({"a", "an"})
# A word token, or a plain number ("1 in 5").
_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")
# Only spaces and hyphens join the words of one number: "twenty, two" is two numbers.
_JOIN = re.compile(r"[ \t-]+")
# "by", then up to three qualifier words ("by at least", "by no more than"), ends the text
# before a share: "rise by at least a third" is a share; "in a quarter" is a time.
_BY_BEFORE = re.compile(r"\bby\s+(?:[A-Za-z]+\s+){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Spelled:
    """A number written in words: its span in the sentence and the digits that replace it."""

    start: int
    end: int
    digits: str


@dataclass(frozen=True)
class _Tok:
    text: str  # lower case
    start: int
    end: int


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.4g}"


class _Reader:
    """One sentence's tokens and the rules' word lists; ``at(i)`` reads a number at token i."""

    def __init__(self, sentence: str, rules: ConflictRules) -> None:
        self.sentence = sentence
        self.toks = [
            _Tok(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)
        ]
        self.denominators = dict(rules.fractions)
        for word, den in rules.fractions.items():
            self.denominators.setdefault("halves" if word == "half" else word + "s", den)
        self.scales = {w.lower() for w in rules.scales if len(w) > 2}
        self.units = {w.lower() for w in rules.units}
        # Words after which "a day", "an hour" is a figure ("well under a day").
        self.qualifiers = {
            q.lower() for q in (*rules.qualifiers, *rules.upper_bounds, *rules.lower_bounds)
        } | {q.lower() for q in rules.approximate}
        self.vague = {tuple(k.lower().split()): v for k, v in rules.vague_numbers.items()}

    def word(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def joined(self, i: int) -> bool:
        """Token i and token i+1 are written side by side (space or hyphen between them)."""
        if i + 1 >= len(self.toks):
            return False
        gap = self.sentence[self.toks[i].end : self.toks[i + 1].start]
        return _JOIN.fullmatch(gap) is not None

    def run(self, i: int, words: tuple[str, ...]) -> bool:
        """The tokens from i on are ``words``, written side by side."""
        return all(self.word(i + k) == w for k, w in enumerate(words)) and all(
            self.joined(i + k) for k in range(len(words) - 1)
        )

    def cardinal(self, i: int) -> tuple[int, float] | None:
        """(end token, value) of a whole number in words from token i: "twelve hundred",
        "three hundred and twenty", "twenty-two thousand", "a hundred", "two dozen"."""
        j, total, cur, last = i, 0.0, 0.0, ""
        if (
            self.word(i) in _ARTICLES
            and self.joined(i)
            and self.word(i + 1)
            in (
                "hundred",
                "thousand",
                "dozen",
            )
        ):
            cur, last, j = 1.0, "a", i + 1
        while j < len(self.toks):
            t = self.word(j)
            if t in _TENS and last in ("", "hundred", "thousand", "and"):
                cur += _TENS[t]
                last = "tens"
            elif t in _SMALL and (
                last in ("", "hundred", "thousand", "and")
                or (last == "tens" and 0 < _SMALL[t] < 10)  # "twenty two"
            ):
                cur += _SMALL[t]
                last = "small"
            elif t == "hundred" and last in ("small", "tens", "a") and cur < 100:
                cur = max(cur, 1.0) * 100
                last = "hundred"
            elif t == "dozen" and last in ("small", "a"):
                cur = max(cur, 1.0) * 12
                last = "dozen"
            elif t == "thousand" and last in ("small", "tens", "hundred", "a", "dozen"):
                total += max(cur, 1.0) * 1000
                cur, last = 0.0, "thousand"
            elif (
                t == "and"
                and last in ("hundred", "thousand")
                and (self.word(j + 1) in _SMALL or self.word(j + 1) in _TENS)
            ):
                last = "and"
            else:
                break
            if not self.joined(j):
                j += 1
                break
            j += 1
        if last in ("", "a", "and"):
            return None
        return j, total + cur

    def number(self, i: int) -> tuple[int, float] | None:
        """A whole number from token i, in digits or words, with "and a half" after it."""
        t = self.word(i)
        if t[:1].isdigit():
            found: tuple[int, float] | None = (i + 1, float(t))
        else:
            found = self.cardinal(i)
        if found is None:
            return None
        j, value = found
        if self.joined(j - 1) and self.run(j, ("and", "a", "half")):
            return j + 3, value + 0.5
        return found

    def share_context(self, i: int, j: int) -> bool:
        """A fraction from token i to j (exclusive) is a share: "of" follows it ("a third of
        firms") or "by" comes before it ("rise by at least a third")."""
        if self.word(j) == "of" and self.joined(j - 1):
            return True
        return _BY_BEFORE.search(self.sentence[: self.toks[i].start]) is not None

    def at(self, i: int) -> tuple[int, str] | None:
        """(end token, digits) of a number written in words at token i, or None."""
        t = self.word(i)
        # "a few thousand", "several hundred million": a range, not a figure.
        for words, (lo, hi) in self.vague.items():
            k = i + len(words)
            if self.run(i, words) and self.joined(k - 1) and self.word(k) in self.scales:
                # The scale word stays: "2-5 thousand".
                return k, _format(lo) if lo == hi else f"{_format(lo)}-{_format(hi)}"
        # "a million", "a billion": one of that scale.
        if t in _ARTICLES and self.joined(i) and self.word(i + 1) in self.scales:
            return i + 1, "1"
        # "an hour and a half" is 1.5 hours; "well under a day" is under 1 day.
        if t in _ARTICLES and self.joined(i) and self.word(i + 1) in self.units:
            if self.joined(i + 1) and self.run(i + 2, ("and", "a", "half")):
                return i + 5, f"1.5 {self.toks[i + 1].text}"
            before = self.sentence[: self.toks[i].start].lower().rstrip()
            if any(before.endswith(q) and _word_end(before, q) for q in self.qualifiers):
                return i + 1, "1"
        # "half of", "by half": 50%; "half a day": 0.5 day.
        if t == "half" and self.word(i - 1) not in ("first", "second", "latter", "back", "and"):
            if self.word(i + 1) in _ARTICLES and self.joined(i) and self.word(i + 2) in self.units:
                return i + 2, "0.5"
            # "cut in half" is a share too; "in a quarter" is not.
            if "half" in self.denominators and (
                self.share_context(i, i + 1) or self.word(i - 1) == "in"
            ):
                return i + 1, f"{_format(100 / self.denominators['half'])}%"
            return None
        # "a third", "two thirds", "three quarters of": a share, in percent.
        numerator: tuple[int, float] | None = (
            (i + 1, 1.0) if t in _ARTICLES else self.cardinal(i) if t in _SMALL else None
        )
        if numerator is not None:
            j, n = numerator
            den = self.denominators.get(self.word(j))
            if den and self.joined(j - 1) and n < den and self.share_context(i, j + 1):
                return j + 1, f"{_format(100 * n / den)}%"
        found = self.number(i)
        if found is None:
            return None
        j, value = found
        # "one in five", "1 in 4 adults": a share, in percent.
        if self.word(j) == "in" and self.joined(j - 1) and self.joined(j):
            whole = self.number(j + 1)
            if whole is not None and value < whole[1] <= 1000 and value >= 1:
                return whole[0], f"{_format(100 * value / whole[1])}%"
        if t[:1].isdigit():
            return None  # a number already in digits is the quantity reader's
        return j, _format(value)


def _word_end(text: str, phrase: str) -> bool:
    at = len(text) - len(phrase)
    return at == 0 or not text[at - 1].isalnum()


def spelled_numbers(sentence: str, rules: ConflictRules) -> Iterator[Spelled]:
    """Every number written in words in a sentence, left to right, none overlapping."""
    reader = _Reader(sentence, rules)
    i = 0
    while i < len(reader.toks):
        found = reader.at(i)
        if found is None:
            i += 1
            continue
        j, digits = found
        yield Spelled(reader.toks[i].start, reader.toks[j - 1].end, digits)
        i = j
