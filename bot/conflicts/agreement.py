"""Pure: what rests on one report alone (single source): whole topics and striking claims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.conflicts.detect import Found, values_agree
from bot.conflicts.items import Item, opens_a_list, shared_subjects
from bot.conflicts.normal import Normal
from bot.conflicts.rules import ConflictRules
from bot.conflicts.summary import Namer
from bot.coverage import reports_by_topic


def _checkable(i: Item) -> float:
    """How much a claim is worth quoting as a single-source fact."""
    named = len(set(i.reading.subjects) - i.hinted)
    return 2.0 * len(i.reading.quantities) + named + (1.0 if i.reading.stance != "neutral" else 0.0)


def _pick_order(i: Item) -> tuple[float, str]:
    """Which claim of a section stands for it: the most checkable one."""
    return (-_checkable(i), i.claim.claim_id)


def single_source(
    items: list[Item],
    by_topic: dict[str, list[Item]],
    namer: Namer,
    topic_names: dict[str, str],
    rules: ConflictRules,
    disputed: set[str] | None = None,
    norm: dict[str, Normal] | None = None,
) -> list[Found]:
    """Whole topics one report covers, and one striking claim (a figure, a named system, a
    date) per section that no other report backs; a number already inside a numeric or
    verification flag is disputed, not single-source."""
    disputed = disputed or set()
    hint_topics = {h.name.lower(): set(h.topics) for h in rules.subjects}
    found: list[Found] = []
    # Items hold no duplicates, so this is each topic's coverage among sections with claims.
    coverage = reports_by_topic((i.section for i in items), (i.source for i in items))
    lone_topics = {t for t, srcs in coverage.items() if len(srcs) == 1}
    # A whole topic only one report covers.
    for topic in sorted(lone_topics):
        (sid,) = coverage[topic]
        own = [
            i
            for i in by_topic.get(topic, [])
            if i.source.source_id == sid
            and topic in {t.topic_id for t in i.section.topics}
            and not opens_a_list(i)
        ]
        picks = sorted(own, key=_pick_order)[: rules.max_sides]
        if picks:
            name = topic_names.get(topic, topic)
            summary = f"Only {namer.report(sid)} covers {name}; no other report backs its claims."
            found.append(Found(topic, "single_source", tuple(picks), summary, 0.0))
    # Figures only one report gives, on a topic others cover too; each claim is filed under
    # its section's main topic.
    lone_claims: dict[tuple[str, str], list[Item]] = defaultdict(list)
    by_word: dict[str, dict[str, list[Item]]] = {}
    for i in items:
        if not i.reading.quantities or not i.section.topics or i.claim.claim_id in disputed:
            continue
        if opens_a_list(i):
            continue  # "…supports agent ecosystems, leveraging:" is no claim by itself
        main = max(i.section.topics, key=lambda t: t.score).topic_id
        if main in lone_topics:
            continue
        hinted_topics = [hint_topics.get(s, set()) for s in i.hinted if hint_topics.get(s)]
        if hinted_topics and not any(main in ts for ts in hinted_topics):
            continue  # the figure is about another topic's technique (subject drift)
        # Only a claim sharing a subject word can back it (a shared subject is the same hint
        # or a name inside another): the topic's claims looked up by those words.
        if main not in by_word:
            by_word[main] = _by_subject_word(by_topic.get(main, ()))
        sid = i.source.source_id
        words = {w for subject in i.reading.subjects for w in subject.split()}
        others = {
            id(o): o for w in words for o in by_word[main].get(w, ()) if o.source.source_id != sid
        }
        if any(_corroborates(o, i, rules) for o in others.values()):
            continue
        lone_claims[(main, i.section.section_id)].append(i)
    for (topic, _), lone in sorted(lone_claims.items()):
        sid = lone[0].source.source_id
        picks = sorted(lone, key=_pick_order)[:1]
        figures = "; ".join(dict.fromkeys(q.text for i in picks for q, _ in i.reading.quantities))
        summary = (
            f"Only {namer.report(sid)} gives this figure on {topic_names.get(topic, topic)} "
            f"({figures}); no other report backs it."
        )
        found.append(Found(topic, "single_source", tuple(picks), summary, 0.0))
    return found


def _by_subject_word(items: Iterable[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        for w in {w for subject in i.reading.subjects for w in subject.split()}:
            out[w].append(i)
    return out


def _corroborates(other: Item, claim: Item, rules: ConflictRules) -> bool:
    """Another report backs a claim: it names the same system, or gives an agreeing number
    for the same subject and measure."""
    if shared_subjects(other, claim, named_only=True):
        return True
    if not shared_subjects(other, claim):
        return False
    for q, m in claim.reading.quantities:
        for p, n in other.reading.quantities:
            if (
                m
                and m == n
                and q.unit == p.unit
                and values_agree(q.value, p.value, rules.numeric_tolerance)
            ):
                return True
    return False
