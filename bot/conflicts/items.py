"""Pure: claims in context: each with its section, report, reading and topics; shared subjects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.conflicts.claims import Reading, extract_claims, read_sentence
from bot.conflicts.rules import ConflictRules
from bot.models import Claim, Section, Source
from bot.sentences import opens_a_list as opens_a_sentence_list


@dataclass(frozen=True)
class Item:
    claim: Claim
    section: Section
    source: Source
    reading: Reading
    topics: dict[str, float]  # topic id -> how strongly the claim belongs there (0-100)
    hinted: frozenset[str]  # subjects that are rules hints (the rest are named systems)


def claim_items(
    sections: Sequence[Section], sources: dict[str, Source], rules: ConflictRules
) -> list[Item]:
    hint_names = {h.name.lower() for h in rules.subjects}
    out: list[Item] = []
    for sec in sections:
        src = sources.get(sec.source_id)
        # Duplicates would fake agreement between sources: count the original only.
        if src is None or src.duplicate_of or sec.duplicate_of:
            continue
        section_topics = {t.topic_id: t.score for t in sec.topics}
        claims = sec.claims or extract_claims(
            sec.section_id, sec.source_id, sec.text, tuple(section_topics), rules=rules
        )
        for c in claims:
            reading = read_sentence(c.text, rules)
            topics = dict(section_topics)
            for t in (*c.topic_ids, *reading.hint_topics):
                topics.setdefault(t, 50.0)
            out.append(Item(c, sec, src, reading, topics, frozenset(reading.subjects) & hint_names))
    return out


def opens_a_list(i: Item) -> bool:
    """The claim ends in a colon: it introduces a list and says nothing by itself."""
    return opens_a_sentence_list(i.claim.text)


def is_list_item(i: Item) -> bool:
    """The claim follows a line ending in a colon: an item of the list it introduces."""
    at = i.section.text.find(i.claim.text[:40])
    return at > 0 and opens_a_sentence_list(i.section.text[:at])


def _name_covers(short: str, long: str) -> bool:
    if short == long:
        return True
    s, lg = short.split(), long.split()
    if len(s) >= len(lg):
        return False
    distinctive = len(s) >= 2 or any(ch.isdigit() for ch in short) or len(short) >= 4
    return distinctive and all(w in lg for w in s)


def shared_subjects(a: Item, b: Item, *, named_only: bool = False) -> tuple[str, ...]:
    """Subjects both claims are about: the same hint, or the same (or a contained) named system."""
    out: list[str] = []
    for s in a.reading.subjects:
        for t in b.reading.subjects:
            hinted = s in a.hinted or t in b.hinted
            if hinted:
                if s == t and not named_only:
                    out.append(s)
            elif _name_covers(s, t) or _name_covers(t, s):
                out.append(s if len(s) <= len(t) else t)
    return tuple(dict.fromkeys(out))
