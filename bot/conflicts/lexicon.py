"""Pure: lexicon phrases (`*` suffixes, `~` gaps) compiled to one fast regex per word list."""

from __future__ import annotations

import re


def phrase_regex(phrase: str) -> str:
    """The regex for one lexicon phrase (see ConflictRules for the syntax). A hyphen and a
    space between words are one separator: "early stage" also matches "early-stage", and
    "proof-of-concept" also matches "proof of concept" and the closed "proofofconcept", so a
    curator writes a stance once whichever way a report spells its compound."""
    words = phrase.strip().split()
    parts: list[str] = []
    for w in words:
        if w == "~":
            parts.append(r"(?:[\w'’-]+\s+){0,3}?")
            continue
        star = w.endswith("*")
        pieces = [re.escape(x) for x in w.rstrip("*").split("-")]
        core = f"{_SEP}?".join(pieces)
        # The suffix stops at a hyphen: a hyphen is a separator, and a suffix that could eat
        # one would try every hyphen of a long compound as the phrase's next gap (quadratic).
        parts.append(core + (r"\w*" if star else "") + _SEP)
    body = "".join(parts)
    body = body[: -len(_SEP)] if body.endswith(_SEP) else body
    return _BEFORE + body + _AFTER


# A negation contracted onto its verb ("aren't", "haven't", "doesn’t"): a phrase's word
# boundaries cannot find the "n't" inside a word, so every negation pattern adds this.
CONTRACTED_NOT = r"\b\w+n['’]t\b"

# Between two words of a phrase: a run of spaces or one hyphen (the two never overlap, so a
# near-miss is not tried two ways).
_SEP = r"(?:\s+|-)"
_BEFORE, _AFTER = r"(?<![\w-])", r"(?![\w])"


class Lexicon:
    """One regex over a list of phrases, skipped cheaply when no phrase's first word occurs."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        ps = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
        # One boundary check around the alternation, not one per phrase: much faster.
        bodies = "|".join(phrase_regex(p)[len(_BEFORE) : -len(_AFTER)] for p in ps)
        self.pattern = re.compile(f"{_BEFORE}(?:{bodies}){_AFTER}", re.IGNORECASE)
        # A phrase's first word up to a hyphen: "proof-of-concept" may be written "proof of".
        firsts = [re.split(r"[-*]", p.split()[0], maxsplit=1)[0].lower() for p in ps]
        # A phrase starting with "~" or "*" has no literal first word: always run the regex.
        self.keys: tuple[str, ...] | None = (
            None if any(not f or f == "~" for f in firsts) else (tuple(dict.fromkeys(firsts)))
        )

    def _maybe(self, text: str) -> bool:
        if self.keys is None:
            return True
        low = text.lower()
        return any(k in low for k in self.keys)

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text)) if self._maybe(text) else []

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._maybe(text) else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)


def optional_lexicon(phrases: tuple[str, ...]) -> Lexicon | None:
    return Lexicon(phrases) if any(p.strip() for p in phrases) else None


def phrase_before(phrases: tuple[str, ...], words: int) -> re.Pattern[str] | None:
    """One of ``phrases`` ending at most ``words`` words before the end of a text ("could" in
    "could well fall"): tested on the text before a word; None for no phrases."""
    if not phrases:
        return None
    return re.compile(
        r"(?:" + "|".join(phrase_regex(p) for p in phrases) + r")\s+"
        rf"(?:[\w'’-]+\s+){{0,{words}}}$",
        re.IGNORECASE,
    )
