"""Pure: pairs of claims from different reports that disagree: on stance, on a number, on a date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.conflicts.items import Item, shared_subjects
from bot.conflicts.rules import ConflictRules
from bot.conflicts.summary import Namer, display_subject, snippet
from bot.models import FlagKind


@dataclass
class Found:
    topic: str
    kind: FlagKind
    items: tuple[Item, ...]
    summary: str
    strength: float  # to choose the topic a conflict is filed under
    subjects: tuple[str, ...] = ()


def _affinity(items: Sequence[Item], topic: str) -> float:
    return min(i.topics.get(topic, 0.0) for i in items)


def _subject_distance(item: Item, subjects: Sequence[str], rules: ConflictRules) -> int:
    """Words between the stance phrase and the nearest shared subject: the closer, the more
    surely the stance is about that subject."""
    text = item.claim.text
    hints = dict((h.name.lower(), p) for h, p in rules.compiled.subjects)
    positions: list[int] = []
    for s in subjects:
        pattern = hints.get(s)
        if pattern is not None and s in item.hinted:
            positions += [m.start() for m in pattern.finditer(text)]
        else:
            found = text.lower().find(s.split()[0])
            if found >= 0:
                positions.append(found)
    if not positions or not item.reading.stance_hits:
        return 99
    return min(
        len(text[min(p, h.start) : max(p, h.start)].split())
        for p in positions
        for h in item.reading.stance_hits
    )


def stance_conflicts(
    by_topic: dict[str, list[Item]], namer: Namer, rules: ConflictRules
) -> list[Found]:
    found: list[Found] = []
    for topic, items in by_topic.items():
        mature = [i for i in items if i.reading.stance == "mature"]
        early = [i for i in items if i.reading.stance == "early"]
        best: dict[
            tuple[str, str], tuple[tuple[float, float, float], Item, Item, tuple[str, ...]]
        ] = {}
        for m in mature:
            for e in early:
                if m.source.source_id == e.source.source_id:
                    continue
                shared = shared_subjects(m, e)
                if not shared:
                    continue
                distance = _subject_distance(m, shared, rules) + _subject_distance(e, shared, rules)
                score = (float(len(shared)), -float(distance), _affinity((m, e), topic))
                key = (m.section.section_id, e.section.section_id)
                if key not in best or score > best[key][0]:
                    best[key] = (score, m, e, shared)
        for (_, _), (score, m, e, shared) in best.items():
            mh, eh = m.reading.stance_hits[0], e.reading.stance_hits[0]
            subject = display_subject(shared, topic, (m, e), rules)
            summary = (
                f"{subject}: {namer.report(m.source.source_id)} presents it as working or "
                "established "
                f'("{snippet(m.claim.text, mh.start, mh.start + len(mh.phrase))}"); '
                f"{namer.report(e.source.source_id)} as early, limited or unsolved "
                f'("{snippet(e.claim.text, eh.start, eh.start + len(eh.phrase))}").'
            )
            found.append(Found(topic, "stance", (m, e), summary, score[2], shared))
    return found


def values_agree(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(a - b) / max(abs(a), abs(b)) <= tolerance


def numeric_conflicts(
    by_topic: dict[str, list[Item]], namer: Namer, rules: ConflictRules
) -> list[Found]:
    found: list[Found] = []
    for topic, items in by_topic.items():
        with_q = [i for i in items if any(m for _, m in i.reading.quantities)]
        for x, a in enumerate(with_q):
            for b in with_q[x + 1 :]:
                if a.source.source_id == b.source.source_id:
                    continue
                shared = shared_subjects(a, b)
                if not shared:
                    continue
                groups_a: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
                groups_b: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
                for q, m in a.reading.quantities:
                    if m:
                        groups_a[(q.unit, m)].append((q.value, q.text))
                for q, m in b.reading.quantities:
                    if m:
                        groups_b[(q.unit, m)].append((q.value, q.text))
                for key in sorted(set(groups_a) & set(groups_b)):
                    va, vb = groups_a[key], groups_b[key]
                    if any(
                        values_agree(p, q, rules.numeric_tolerance) for p, _ in va for q, _ in vb
                    ):
                        continue
                    ta = ", ".join(dict.fromkeys(t for _, t in va))
                    tb = ", ".join(dict.fromkeys(t for _, t in vb))
                    summary = (
                        f"{display_subject(shared, topic, (a, b), rules)}, {key[1]}: "
                        f"{namer.report(a.source.source_id)} says "
                        f"{ta}; {namer.report(b.source.source_id)} says {tb}."
                    )
                    found.append(
                        Found(topic, "numeric", (a, b), summary, _affinity((a, b), topic), shared)
                    )
                    break
    return found


def timeline_conflicts(
    by_topic: dict[str, list[Item]], namer: Namer, rules: ConflictRules
) -> list[Found]:
    found: list[Found] = []
    for topic, items in by_topic.items():
        dated = [i for i in items if i.reading.event_years]
        for x, a in enumerate(dated):
            for b in dated[x + 1 :]:
                if a.source.source_id == b.source.source_id:
                    continue
                if set(a.reading.event_years) & set(b.reading.event_years):
                    continue
                shared = shared_subjects(a, b, named_only=True)
                if not shared:
                    continue
                ya = ", ".join(str(y) for y in a.reading.event_years)
                yb = ", ".join(str(y) for y in b.reading.event_years)
                summary = (
                    f"{display_subject(shared, topic, (a, b), rules)}: "
                    f"{namer.report(a.source.source_id)} dates it {ya}; "
                    f"{namer.report(b.source.source_id)} dates it {yb}."
                )
                found.append(
                    Found(topic, "timeline", (a, b), summary, _affinity((a, b), topic), shared)
                )
    return found


def file_once(found: list[Found]) -> list[Found]:
    """A conflict between two sections is filed once, under the topic both belong to most."""
    best: dict[tuple[str, frozenset[str]], Found] = {}
    for f in found:
        key = (f.kind, frozenset(i.section.section_id for i in f.items))
        cur = best.get(key)
        if cur is None or (f.strength, -len(f.topic)) > (cur.strength, -len(cur.topic)):
            best[key] = f
    return list(best.values())
