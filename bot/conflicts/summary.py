"""Pure: the wording of flags: short report titles, report names, quoted snippets, ids and sides."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.conflicts.items import Item
from bot.conflicts.normal import topic_hints
from bot.conflicts.rules import ConflictRules
from bot.models import FlagSide, Source
from bot.sentences import is_dangling


def flag_id(topic: str, kind: str, claim_ids: Iterable[str]) -> str:
    """Stable id of a flag: the same claims on the same topic give the same id on every ingest."""
    key = "\n".join([topic, kind, *sorted(claim_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


_TITLE_NOISE = re.compile(
    r"^\s*(?:report\s*:\s*|report on\s+)|\s*(?:[-–(]\s*(?:19|20)\d\d\)?)\s*$", re.I
)
_WEAK_END = {"and", "of", "in", "on", "the", "a", "an", "for", "to", "with", "&"}


def short_titles(sources: Iterable[Source]) -> dict[str, str]:
    """A short, still distinguishing title per report ("Transformative Advances…")."""
    cleaned = {s.source_id: _TITLE_NOISE.sub("", s.title).strip() or s.source_id for s in sources}
    cleaned = {k: _TITLE_NOISE.sub("", v).strip() or v for k, v in cleaned.items()}
    out: dict[str, str] = {}
    for sid, title in cleaned.items():
        words = title.split()
        others = [v for k, v in cleaned.items() if k != sid]
        k = 2
        while k < len(words) and (
            words[k - 1].lower() in _WEAK_END or any(o.split()[:k] == words[:k] for o in others)
        ):
            k += 1
        out[sid] = " ".join(words[:k]) + ("…" if k < len(words) else "")
    return out


@dataclass(frozen=True)
class Namer:
    titles: dict[str, str]
    sources: dict[str, Source]

    def report(self, source_id: str) -> str:
        src = self.sources.get(source_id)
        year = str(src.published.year) if src and src.published else "undated"
        return f"the {year} '{self.titles.get(source_id, source_id)}' report"


def snippet(text: str, start: int, end: int, words: int = 4) -> str:
    """The words around a span, verbatim, kept inside its clause ("… as a cornerstone of …")."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    if not spans:
        return text
    first = next((n for n, (_, b) in enumerate(spans) if b > start), 0)
    last = max((n for n, (a, _) in enumerate(spans) if a < end), default=first)
    lo, hi = max(0, first - words), min(len(spans) - 1, last + words)
    for n in range(first - 1, lo - 1, -1):  # a clause ends before the span: start after it
        if text[spans[n][1] - 1] in ",;:":
            lo = n + 1
            break
    if text[spans[last][1] - 1] in ",;:":
        hi = last
    for n in range(last + 1, hi + 1):  # and ends after it: stop there
        if text[spans[n][0]] == "(":
            hi = n - 1
            break
        if text[spans[n][1] - 1] in ",;:":
            hi = n
            break
    hi = _ending_on_a_word_of_substance(text, spans, last, hi)
    return text[spans[lo][0] : spans[hi][1]].strip(" ,;:.(")


def _ending_on_a_word_of_substance(
    text: str, spans: list[tuple[int, int]], last: int, hi: int
) -> int:
    """A quote that stops on "that", "of" or "to" leaves the reader hanging ("Efforts are
    underway to create models that"): run on to the next word of substance inside the clause,
    a few words at most, else stop before the dangling words."""

    def dangling(n: int) -> bool:
        return is_dangling(text[spans[n][0] : spans[n][1]])

    def ends_clause(n: int) -> bool:
        return text[spans[n][1] - 1] in ",;:." or text[spans[n][0]] == "("

    n = hi
    while dangling(n) and n + 1 < len(spans) and n - hi < _RUN_ON and not ends_clause(n):
        n += 1
    if not dangling(n):
        return n
    while hi > last and dangling(hi):
        hi -= 1
    return hi


# How far a quote may run on to end on a word of substance.
_RUN_ON = 4


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def display_subject(
    shared: Sequence[str], topic: str, items: Sequence[Item], rules: ConflictRules
) -> str:
    """The subject to name in a summary: a hint of this very topic, else a named system as the
    report writes it ("EU AI Act"), else the first shared subject."""
    own = topic_hints(rules, topic)
    hinted = set().union(*(i.hinted for i in items))
    ranked = sorted(shared, key=lambda s: (s not in own, s in hinted))
    best = ranked[0]
    if best not in hinted:
        for i in items:
            at = i.claim.text.lower().find(best)
            if at >= 0:
                return i.claim.text[at : at + len(best)]
    return _cap(best)


def flag_side(item: Item) -> FlagSide:
    return FlagSide(
        source_id=item.source.source_id,
        heading=item.section.heading,
        claim=item.claim.text,
        title=item.source.title,
    )
