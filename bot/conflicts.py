"""Pure: compare the claims of different reports per topic and flag conflicts and agreement."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from bot.claims import DEFAULT_RULES, ConflictRules, Reading, extract_claims, read_sentence
from bot.errors import ContentError
from bot.models import Claim, Flag, FlagKind, FlagSide, Section, Source, Topic

# --- curation (content/curation.toml) ------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CurationEntry(_Frozen):
    """A curator's verdict on one detected flag."""

    flag_id: str
    note: str = ""
    line: int = 0  # where it is written in curation.toml, for error messages


class CuratedSide(_Frozen):
    source_id: str
    claim: str  # the exact sentence from the report
    heading: str = ""  # optional; found from the claim when left out


class CuratedFlag(_Frozen):
    """A flag a curator adds by hand (the rules missed it)."""

    topic: str
    kind: FlagKind
    summary: str
    sides: tuple[CuratedSide, ...]
    line: int = 0


class Curation(_Frozen):
    path: str = "curation.toml"
    confirm: tuple[CurationEntry, ...] = ()
    dismiss: tuple[CurationEntry, ...] = ()
    add: tuple[CuratedFlag, ...] = ()


NO_CURATION = Curation()

CONFLICT_KINDS: tuple[FlagKind, ...] = ("stance", "numeric", "timeline")
_KIND_ORDER: dict[str, int] = {
    k: i for i, k in enumerate(("stance", "numeric", "timeline", "consensus", "single_source"))
}

# --- claims in context ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    claim: Claim
    section: Section
    source: Source
    reading: Reading
    topics: dict[str, float]  # topic id -> how strongly the claim belongs there (0-100)
    hinted: frozenset[str]  # subjects that are rules hints (the rest are named systems)


def flag_id(topic: str, kind: str, claim_ids: Iterable[str]) -> str:
    """Stable id of a flag: the same claims on the same topic give the same id on every ingest."""
    key = "\n".join([topic, kind, *sorted(claim_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _items(
    sections: Sequence[Section], sources: dict[str, Source], rules: ConflictRules
) -> list[_Item]:
    hint_names = {h.name.lower() for h in rules.subjects}
    out: list[_Item] = []
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
            out.append(
                _Item(c, sec, src, reading, topics, frozenset(reading.subjects) & hint_names)
            )
    return out


def _name_covers(short: str, long: str) -> bool:
    if short == long:
        return True
    s, lg = short.split(), long.split()
    if len(s) >= len(lg):
        return False
    distinctive = len(s) >= 2 or any(ch.isdigit() for ch in short) or len(short) >= 4
    return distinctive and all(w in lg for w in s)


def shared_subjects(a: _Item, b: _Item, *, named_only: bool = False) -> tuple[str, ...]:
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


# --- wording -------------------------------------------------------------------------------

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
class _Namer:
    titles: dict[str, str]
    sources: dict[str, Source]

    def report(self, source_id: str) -> str:
        src = self.sources.get(source_id)
        year = str(src.published.year) if src and src.published else "undated"
        return f"the {year} '{self.titles.get(source_id, source_id)}' report"


def _snippet(text: str, start: int, end: int, words: int = 4) -> str:
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
    return text[spans[lo][0] : spans[hi][1]].strip(" ,;:.(")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _display(
    shared: Sequence[str], topic: str, items: Sequence[_Item], rules: ConflictRules
) -> str:
    """The subject to name in a summary: a hint of this very topic, else a named system as the
    report writes it ("EU AI Act"), else the first shared subject."""
    own = {h.name.lower() for h in rules.subjects if topic in h.topics}
    hinted = set().union(*(i.hinted for i in items))
    ranked = sorted(shared, key=lambda s: (s not in own, s in hinted))
    best = ranked[0]
    if best not in hinted:
        for i in items:
            at = i.claim.text.lower().find(best)
            if at >= 0:
                return i.claim.text[at : at + len(best)]
    return _cap(best)


def _side(item: _Item) -> FlagSide:
    return FlagSide(
        source_id=item.source.source_id,
        heading=item.section.heading,
        claim=item.claim.text,
        title=item.source.title,
    )


# --- detection -----------------------------------------------------------------------------


@dataclass
class _Found:
    topic: str
    kind: FlagKind
    items: tuple[_Item, ...]
    summary: str
    strength: float  # to choose the topic a conflict is filed under
    subjects: tuple[str, ...] = ()


def _affinity(items: Sequence[_Item], topic: str) -> float:
    return min(i.topics.get(topic, 0.0) for i in items)


def _subject_distance(item: _Item, subjects: Sequence[str], rules: ConflictRules) -> int:
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


def _stance_conflicts(
    by_topic: dict[str, list[_Item]], namer: _Namer, rules: ConflictRules
) -> list[_Found]:
    found: list[_Found] = []
    for topic, items in by_topic.items():
        mature = [i for i in items if i.reading.stance == "mature"]
        early = [i for i in items if i.reading.stance == "early"]
        best: dict[
            tuple[str, str], tuple[tuple[float, float, float], _Item, _Item, tuple[str, ...]]
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
            subject = _display(shared, topic, (m, e), rules)
            summary = (
                f"{subject}: {namer.report(m.source.source_id)} presents it as working or "
                "established "
                f'("{_snippet(m.claim.text, mh.start, mh.start + len(mh.phrase))}"); '
                f"{namer.report(e.source.source_id)} as early, limited or unsolved "
                f'("{_snippet(e.claim.text, eh.start, eh.start + len(eh.phrase))}").'
            )
            found.append(_Found(topic, "stance", (m, e), summary, score[2], shared))
    return found


def _agree(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(a - b) / max(abs(a), abs(b)) <= tolerance


def _numeric_conflicts(
    by_topic: dict[str, list[_Item]], namer: _Namer, rules: ConflictRules
) -> list[_Found]:
    found: list[_Found] = []
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
                    if any(_agree(p, q, rules.numeric_tolerance) for p, _ in va for q, _ in vb):
                        continue
                    ta = ", ".join(dict.fromkeys(t for _, t in va))
                    tb = ", ".join(dict.fromkeys(t for _, t in vb))
                    summary = (
                        f"{_display(shared, topic, (a, b), rules)}, {key[1]}: "
                        f"{namer.report(a.source.source_id)} says "
                        f"{ta}; {namer.report(b.source.source_id)} says {tb}."
                    )
                    found.append(
                        _Found(topic, "numeric", (a, b), summary, _affinity((a, b), topic), shared)
                    )
                    break
    return found


def _timeline_conflicts(
    by_topic: dict[str, list[_Item]], namer: _Namer, rules: ConflictRules
) -> list[_Found]:
    found: list[_Found] = []
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
                    f"{_display(shared, topic, (a, b), rules)}: "
                    f"{namer.report(a.source.source_id)} dates it {ya}; "
                    f"{namer.report(b.source.source_id)} dates it {yb}."
                )
                found.append(
                    _Found(topic, "timeline", (a, b), summary, _affinity((a, b), topic), shared)
                )
    return found


def _file_once(found: list[_Found]) -> list[_Found]:
    """A conflict between two sections is filed once, under the topic both belong to most."""
    best: dict[tuple[str, frozenset[str]], _Found] = {}
    for f in found:
        key = (f.kind, frozenset(i.section.section_id for i in f.items))
        cur = best.get(key)
        if cur is None or (f.strength, -len(f.topic)) > (cur.strength, -len(cur.topic)):
            best[key] = f
    return list(best.values())


def _consensus(
    by_topic: dict[str, list[_Item]],
    conflicts: list[_Found],
    namer: _Namer,
    topic_names: dict[str, str],
    rules: ConflictRules,
) -> list[_Found]:
    hint_topics = {h.name.lower(): set(h.topics) for h in rules.subjects}
    disputed = {(f.topic, s) for f in conflicts for s in f.subjects}
    disputed_sources = {
        (f.topic, frozenset(i.source.source_id for i in f.items)) for f in conflicts
    }
    found: list[_Found] = []
    for topic, items in by_topic.items():
        per_subject: dict[str, dict[str, list[_Item]]] = defaultdict(lambda: defaultdict(list))
        for i in items:
            # Only sections about the topic make a point on it (a passing mention does not).
            if topic not in {t.topic_id for t in i.section.topics}:
                continue
            for s in i.reading.subjects:
                if s in i.hinted and topic not in hint_topics.get(s, set()):
                    continue  # a point about another topic's technique
                per_subject[s][i.source.source_id].append(i)
        # Subjects made by the same reports are one point ("quantization and pruning").
        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for s, by_src in per_subject.items():
            if len(by_src) < rules.consensus_min_sources or (topic, s) in disputed:
                continue
            stances = {i.reading.stance for its in by_src.values() for i in its} - {"neutral"}
            if len(stances) > 1:
                continue
            # One report calling it early or limited while the others do not is no agreement.
            early_sources = {
                sid for sid, its in by_src.items() if any(i.reading.stance == "early" for i in its)
            }
            if early_sources and early_sources != set(by_src):
                continue
            srcs = frozenset(by_src)
            if any(t == topic and pair <= srcs for t, pair in disputed_sources):
                continue
            groups[srcs].append(s)
        for srcs, subjects in groups.items():
            chosen: list[_Item] = []
            for sid in sorted(srcs, key=lambda s: namer.report(s)):
                candidates = [i for s in subjects for i in per_subject[s][sid]]
                chosen.append(
                    max(
                        candidates,
                        key=lambda i: (
                            sum(s in i.reading.subjects for s in subjects),
                            i.topics.get(topic, 0.0),
                            -len(i.claim.text),
                        ),
                    )
                )
            chosen.sort(
                key=lambda i: (i.source.published is None, i.source.published, i.source.source_id),
                reverse=False,
            )
            names = " and ".join(subjects[:2]) + (" (and more)" if len(subjects) > 2 else "")
            reports = ", ".join(namer.report(i.source.source_id) for i in chosen)
            summary = (
                f"{len(chosen)} reports agree on {names} in {topic_names.get(topic, topic)}: "
                f"{reports}."
            )
            found.append(_Found(topic, "consensus", tuple(chosen), summary, 0.0, tuple(subjects)))
    return found


def _checkable(i: _Item) -> float:
    """How much a claim is worth quoting as a single-source fact."""
    named = len(set(i.reading.subjects) - i.hinted)
    return 2.0 * len(i.reading.quantities) + named + (1.0 if i.reading.stance != "neutral" else 0.0)


def _single_source(
    items: list[_Item],
    by_topic: dict[str, list[_Item]],
    namer: _Namer,
    topic_names: dict[str, str],
    rules: ConflictRules,
) -> list[_Found]:
    found: list[_Found] = []
    coverage: dict[str, set[str]] = defaultdict(set)
    for i in items:
        for t in i.section.topics:
            coverage[t.topic_id].add(i.source.source_id)
    lone_topics = {t for t, srcs in coverage.items() if len(srcs) == 1}
    # A whole topic only one report covers.
    for topic in sorted(lone_topics):
        (sid,) = coverage[topic]
        own = [
            i
            for i in by_topic.get(topic, [])
            if i.source.source_id == sid and topic in {t.topic_id for t in i.section.topics}
        ]
        picks = sorted(own, key=lambda i: (-_checkable(i), i.claim.claim_id))[: rules.max_sides]
        if picks:
            name = topic_names.get(topic, topic)
            summary = f"Only {namer.report(sid)} covers {name}; no other report backs its claims."
            found.append(_Found(topic, "single_source", tuple(picks), summary, 0.0))
    # Figures only one report gives, on a topic others cover too; each claim is filed under
    # its section's main topic.
    lone_claims: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for i in items:
        if not i.reading.quantities or not i.section.topics:
            continue
        main = max(i.section.topics, key=lambda t: t.score).topic_id
        if main in lone_topics:
            continue
        others = [o for o in by_topic.get(main, []) if o.source.source_id != i.source.source_id]
        if any(_corroborates(o, i, rules) for o in others):
            continue
        lone_claims[(main, i.source.source_id)].append(i)
    for (topic, sid), lone in sorted(lone_claims.items()):
        picks = sorted(lone, key=lambda i: (-_checkable(i), i.claim.claim_id))[: rules.max_sides]
        picks.sort(key=lambda i: i.claim.claim_id)
        figures = "; ".join(dict.fromkeys(q.text for i in picks for q, _ in i.reading.quantities))
        summary = (
            f"Only {namer.report(sid)} gives these figures on {topic_names.get(topic, topic)} "
            f"({figures}); no other report backs them."
        )
        found.append(_Found(topic, "single_source", tuple(picks), summary, 0.0))
    return found


def _corroborates(other: _Item, claim: _Item, rules: ConflictRules) -> bool:
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
                and _agree(q.value, p.value, rules.numeric_tolerance)
            ):
                return True
    return False


# --- curation ------------------------------------------------------------------------------


def _curated(
    entry: CuratedFlag,
    curation: Curation,
    sections: Sequence[Section],
    sources: dict[str, Source],
    topic_ids: set[str],
) -> Flag:
    if entry.topic not in topic_ids:
        raise ContentError(
            curation.path,
            entry.line or None,
            f"unknown topic {entry.topic!r} in an added flag",
            "use a topic id from topics.toml",
        )
    sides: list[FlagSide] = []
    keys: list[str] = []
    for side in entry.sides:
        if side.source_id not in sources:
            raise ContentError(
                curation.path,
                entry.line or None,
                f"unknown source {side.source_id!r}",
                "use a report's file name without .md",
            )
        heading = side.heading
        wanted = " ".join(side.claim.split())
        if not heading:
            for sec in sections:
                if sec.source_id == side.source_id and wanted in " ".join(
                    sec.text.replace("**", "").split()
                ):
                    heading = sec.heading
                    break
            else:
                raise ContentError(
                    curation.path,
                    entry.line or None,
                    f"claim not found in {side.source_id}: {wanted[:60]!r}",
                    "quote the sentence exactly as in the report, or give its heading",
                )
        sides.append(
            FlagSide(
                source_id=side.source_id,
                heading=heading,
                claim=side.claim,
                title=sources[side.source_id].title,
            )
        )
        keys.append(f"{side.source_id}:{wanted}")
    return Flag(
        flag_id=flag_id(entry.topic, entry.kind, keys),
        topic=entry.topic,
        kind=entry.kind,
        summary=entry.summary,
        sides=tuple(sides),
        status="curated",
    )


def apply_curation(
    detected: Sequence[Flag],
    curation: Curation,
    sections: Sequence[Section],
    sources: Sequence[Source],
    topics: Sequence[Topic],
) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
    """Drop dismissed flags, mark confirmed ones, add the curator's own; warn on ids that
    match no detected flag (the content changed under them)."""
    ids = {f.flag_id for f in detected}
    warnings = [
        f"{curation.path}:{e.line}: flag {e.flag_id} to {verb} was not detected (content changed?)"
        for verb, entries in (("confirm", curation.confirm), ("dismiss", curation.dismiss))
        for e in entries
        if e.flag_id not in ids
    ]
    dismissed = {e.flag_id for e in curation.dismiss}
    confirmed = {e.flag_id for e in curation.confirm}
    out = [
        f.model_copy(update={"status": "confirmed"}) if f.flag_id in confirmed else f
        for f in detected
        if f.flag_id not in dismissed
    ]
    src = {s.source_id: s for s in sources}
    tids = {t.id for t in topics}
    for entry in curation.add:
        flag = _curated(entry, curation, sections, src, tids)
        if flag.flag_id not in dismissed:
            out.append(flag)
    return tuple(out), tuple(warnings)


# --- the entry points ----------------------------------------------------------------------


def detect_flags_with_warnings(
    sections: Sequence[Section],
    sources: Sequence[Source],
    topics: Sequence[Topic],
    *,
    rules: ConflictRules = DEFAULT_RULES,
    curation: Curation = NO_CURATION,
) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
    src = {s.source_id: s for s in sources}
    namer = _Namer(short_titles(sources), src)
    topic_names = {t.id: t.name for t in topics}
    topic_rank = {t.id: n for n, t in enumerate(topics)}
    items = _items(sections, src, rules)
    by_topic: dict[str, list[_Item]] = defaultdict(list)
    for i in items:
        for t in i.topics:
            if not topic_rank or t in topic_rank:
                by_topic[t].append(i)
    conflicts = _file_once(
        _stance_conflicts(by_topic, namer, rules)
        + _numeric_conflicts(by_topic, namer, rules)
        + _timeline_conflicts(by_topic, namer, rules)
    )
    found = (
        conflicts
        + _consensus(by_topic, conflicts, namer, topic_names, rules)
        + _single_source(items, by_topic, namer, topic_names, rules)
    )
    flags = [
        Flag(
            flag_id=flag_id(f.topic, f.kind, (i.claim.claim_id for i in f.items)),
            topic=f.topic,
            kind=f.kind,
            summary=f.summary,
            sides=tuple(_side(i) for i in f.items),
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
    return apply_curation(flags, curation, sections, sources, topics)


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
