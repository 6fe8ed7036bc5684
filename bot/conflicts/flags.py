"""Pure: every flag for a corpus: conflicts, consensus and single source, sorted, then curated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.conflicts.agreement import single_source
from bot.conflicts.curation import NO_CURATION, Curation, apply_curation
from bot.conflicts.items import Item, claim_items
from bot.conflicts.pairs import agreements, disagreements, normals, related_pairs
from bot.conflicts.rules import DEFAULT_RULES, ConflictRules
from bot.conflicts.summary import Namer, display_subject, flag_side, short_titles
from bot.models import CONFLICT_KINDS, Flag, Section, Source, Topic

_KIND_ORDER: dict[str, int] = {
    k: i for i, k in enumerate((*CONFLICT_KINDS, "consensus", "single_source"))
}


def detect_flags_with_warnings(
    sections: Sequence[Section],
    sources: Sequence[Source],
    topics: Sequence[Topic],
    *,
    rules: ConflictRules = DEFAULT_RULES,
    curation: Curation = NO_CURATION,
) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
    src = {s.source_id: s for s in sources}
    namer = Namer(short_titles(sources), src)
    topic_names = {t.id: t.name for t in topics}
    topic_rank = {t.id: n for n, t in enumerate(topics)}
    items = claim_items(sections, src, rules)
    by_topic: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        for t in i.topics:
            if not topic_rank or t in topic_rank:
                by_topic[t].append(i)
    norm = normals(items, rules)
    pairs = related_pairs(by_topic, norm, rules)
    dismissed = frozenset(e.flag_id for e in curation.dismiss)
    conflicts, dropped = disagreements(pairs, norm, namer, rules, dismissed)
    # A claim inside a disagreement is disputed, not single-source.
    disputed = {c for f in conflicts for c in f.claim_ids}
    found = (
        conflicts
        + agreements(pairs, conflicts, namer, rules)
        + single_source(items, by_topic, namer, topic_names, rules, disputed, norm)
    )
    # A grouped flag answers to the id of each of its pairs: a verdict survives a report that
    # joins the group or a sharper pair that takes the lead.
    aliases = {f.pair_ids()[0]: f.pair_ids() for f in found}
    aliases.update({d: (d,) for d in dropped if d not in aliases})
    flags = [
        Flag(
            flag_id=f.pair_ids()[0],
            topic=f.topic,
            kind=f.kind,
            summary=f.summary,
            sides=tuple(flag_side(i) for i in f.items),
            subject=display_subject(f.subjects, f.topic, f.items, rules) if f.subjects else "",
            point=f.point,
        )
        for f in found
    ]
    flags.sort(
        key=lambda f: (
            topic_rank.get(f.topic, len(topic_rank)),
            f.topic,
            _KIND_ORDER[f.kind],
            f.flag_id,
        )
    )
    return apply_curation(flags, curation, sections, sources, topics, aliases=aliases)


def detect_flags(
    sections: Sequence[Section],
    sources: Sequence[Source],
    topics: Sequence[Topic],
    *,
    rules: ConflictRules = DEFAULT_RULES,
    curation: Curation = NO_CURATION,
) -> tuple[Flag, ...]:
    """Every flag for the corpus: conflicts (stance, numeric, timeline), consensus and
    single-source, after the curator's confirmations, dismissals and additions."""
    return detect_flags_with_warnings(sections, sources, topics, rules=rules, curation=curation)[0]
