"""Pure: the one sentence splitter (ingest, matcher, answers); shortening at sentence or clause."""

from __future__ import annotations

import re
from collections.abc import Iterable

ELLIPSIS = "…"

# Words ending in "." after which a sentence does not end.
_ABBREVIATIONS = frozenset(
    {
        "e.g.", "i.e.", "vs.", "cf.", "mr.", "mrs.", "ms.", "dr.", "prof.", "inc.", "ltd.",
        "co.", "corp.", "no.", "fig.", "al.", "approx.", "st.", "jr.", "sr.", "jan.", "feb.",
        "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "ca.",
        "est.", "vol.", "p.", "pp.", "ed.", "eds.", "gen.", "gov.", "dept.",
    }
)  # fmt: skip
_INITIALISM = re.compile(r"^\(?(?:[A-Za-z]\.){2,}$")  # U.S., U.K., e.g., a.m.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


# Where a quote may be shortened when a whole sentence is too long: after a clause.
_CLAUSE = re.compile(r"[,;:—–]\s")


def split_sentences(text: str, extra_abbreviations: Iterable[str] = ()) -> list[str]:
    """Sentences of a text, verbatim; each line (block) is split on its own.

    Does not split after abbreviations ("e.g.", "U.S.", "Dr.", "vs.", "approx."), inside
    decimals ("2.0", "3.x"), or after a single initial ("J. Smith"). ``extra_abbreviations``
    adds a content file's own list.
    """
    extra = frozenset(a.lower() for a in extra_abbreviations)
    out: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        if not block:
            continue
        start = 0
        for m in _BOUNDARY.finditer(block):
            end = m.end()
            if block[m.start()] == "." and _is_abbreviation(block, m.start(), extra):
                continue
            sentence = block[start:end].strip()
            if sentence:
                out.append(sentence)
            start = end
        tail = block[start:].strip()
        if tail:
            out.append(tail)
    return out


def _is_abbreviation(block: str, dot: int, extra: frozenset[str] = frozenset()) -> bool:
    word_start = block.rfind(" ", 0, dot) + 1
    word = block[word_start : dot + 1].lstrip('("“')
    lowered = word.lower()
    if lowered in _ABBREVIATIONS or lowered in extra or _INITIALISM.match(word):
        return True
    # A single capital initial ("J."), but not a one-letter word closing a sentence ("plan B.")
    # is ambiguous; treat single capitals as initials only when followed by a capitalised name.
    return len(word) == 2 and word[0].isupper()


def _at_word(text: str, width: int) -> str:
    """At most ``width`` characters, cut at a word boundary and ended with an ellipsis."""
    room = width - len(ELLIPSIS)
    cut = text.rfind(" ", 0, room + 1)
    if cut <= 0:
        return text[: max(room, 0)] + ELLIPSIS
    return text[:cut].rstrip(" ,;:-—–") + ELLIPSIS


def shorten_at_word(text: str, width: int) -> str:
    """At most ``width`` characters, cut (when needed) at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else _at_word(text, width)


def _outside_brackets(text: str, at: int) -> bool:
    """True when ``at`` is not inside (…) or […]: a clause never ends inside an aside."""
    head = text[:at]
    return head.count("(") <= head.count(")") and head.count("[") <= head.count("]")


def shorten_quote(text: str, width: int) -> str:
    """A quote of at most ``width`` characters, never cut mid-phrase: whole sentences if any
    fit, else up to the last clause boundary that fits, else at a word (with an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    fitted = fit_sentences(text, width, ellipsis=False)
    if fitted:
        return fitted
    room = width - len(ELLIPSIS)
    clause = [
        m.start()
        for m in _CLAUSE.finditer(text, 0, room + 1)
        if m.start() >= width // 3 and _outside_brackets(text, m.start())
    ]
    if clause:
        return text[: clause[-1]].rstrip() + ELLIPSIS
    return _at_word_outside(text, width)


def _at_word_outside(text: str, width: int) -> str:
    """Cut at a word boundary that is not inside brackets when there is one, else any word."""
    room = width - len(ELLIPSIS)
    cut = text.rfind(" ", 0, room + 1)
    while cut > width // 3 and not _outside_brackets(text, cut):
        cut = text.rfind(" ", 0, cut)
    if cut > width // 3:
        return text[:cut].rstrip(" ,;:-—–") + ELLIPSIS
    return _at_word(text, width)


def fit_sentences(text: str, width: int, *, ellipsis: bool = True) -> str:
    """The leading whole sentences of ``text`` that fit in ``width`` characters.

    When not even the first fits, it is shortened at a word boundary with an ellipsis (or ""
    when ``ellipsis`` is False, so the caller can choose another boundary).
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    kept = ""
    for sentence in split_sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > width:
            break
        kept = candidate
    if kept:
        return kept
    return _at_word(text, width) if ellipsis else ""


_TITLE_CUT = re.compile(r"\s*(?::|\s[—–-]\s|\s\()")
SHORT_TITLE_MAX = 34


def short_title(title: str) -> str:
    """A report title up to its first colon, dash or bracket, at most a few words."""
    whole = " ".join(title.split())
    head = _TITLE_CUT.split(whole, maxsplit=1)[0] or whole
    return shorten_at_word(head, SHORT_TITLE_MAX)


def opens_a_list(sentence: str) -> bool:
    """A lead-in that only introduces a list ("…agent ecosystems, leveraging:", "These
    datasets:"): it says nothing by itself."""
    return sentence.rstrip().endswith(":")


# "Swarm intelligence: Hundreds of agents …": a list item that opens with its bold label.
_LABELLED_ITEM = re.compile(r"^([^:!?]{1,80}?):\s+\S")
# A label names a thing; "Adoption is growing in energy-restricted applications: drones, …"
# is a statement whose list follows the colon.
_CLAUSE_WORDS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "be",
        "been",
        "can",
        "could",
        "will",
        "would",
        "may",
        "might",
        "must",
        "does",
        "do",
        "did",
        "show",
        "shows",
        "showed",
        "include",
        "includes",
    ]
)


def is_labelled_item(sentence: str) -> bool:
    """An item of a list that opens with a short label and a colon ("Reduce costs: $12M …",
    "Blockchain-integrated task markets (e.g., AI-PoweredWeb3): Agents bid …"): a fragment of
    the list its lead-in introduces, no statement that reads alone."""
    m = _LABELLED_ITEM.match(sentence)
    if m is None:
        return False
    words = m.group(1).lower().split()
    return len(words) <= 6 and not _CLAUSE_WORDS & set(words)


# Words a quoted fragment must not end on: it would leave the reader hanging ("…the
# development of…", "Efforts are underway to create models that").
DANGLING_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
        a an the that which who whose whom of to in on at by for with from into as and or but
        than while whereas because since if when where its their our his her this these those
        is are was were be been being has have had can could will would may might must should
        not no more most such very also both each increasingly highly significantly
        particularly especially further fully truly across over under about between through
        toward towards without within become becomes became remain remains
        aimed designed intended able due according compared relative including like
        """,
    )
)


def without_dangling_end(words: list[str]) -> list[str]:
    """The words of a cut fragment less the dangling words it ends on (at least one kept)."""
    end = len(words)
    while end > 1 and is_dangling(words[end - 1]):
        end -= 1
    return words[:end]


def is_dangling(word: str) -> bool:
    """A word (punctuation around it aside) that a quoted fragment must not end on."""
    return word.strip(",;:.()\"'“”‘’").lower() in DANGLING_WORDS
