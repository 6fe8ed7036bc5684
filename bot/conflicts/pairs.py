"""Pure: claims blocked by subject, compared pair by pair: disagreements of five kinds and
agreement groups that state their point (no all-pairs, no topic-level agreement)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, islice, product

from bot.conflicts.claims import read_subjects
from bot.conflicts.detect import Found
from bot.conflicts.items import Item, is_list_item
from bot.conflicts.normal import (
    DISAGREEMENTS,
    Normal,
    Relation,
    compared,
    content_words,
    context_memo,
    link_words,
    normalize_claim,
    relater,
)
from bot.conflicts.rules import ConflictRules
from bot.conflicts.summary import Namer, display_subject, snippet
from bot.models import FlagKind, Section
from bot.stemming import snowball

_COUNT = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight"}
_CONNECTIVES = (
    "however,",
    "consequently,",
    "furthermore,",
    "additionally,",
    "moreover,",
    "similarly,",
    "for example,",
    "for instance,",
    "in addition,",
)


@dataclass(frozen=True)
class Pair:
    kind: Relation
    a: Item
    b: Item
    subjects: tuple[str, ...]


def context_of(heading: str, first_sentence: str, rules: ConflictRules) -> tuple[str, ...]:
    """The subjects a section is about: its heading's; when the heading names no technique, the
    techniques of its first sentence too (a passing "larger LLMs" under a heading about
    emergent abilities does not make the section about scaling)."""
    memo = context_memo(rules)
    known = memo.get((heading, first_sentence))
    if known is not None:
        return known
    subjects, _ = read_subjects(heading, rules)
    hints = {h.name.lower() for h in rules.subjects}
    if first_sentence and not any(s in hints for s in subjects):
        first = read_subjects(first_sentence, rules)[0]
        subjects = tuple(dict.fromkeys((*subjects, *(s for s in first if s in hints))))
    memo[(heading, first_sentence)] = subjects
    return subjects


def section_context(section: Section, rules: ConflictRules) -> tuple[str, ...]:
    first = section.claims[0].text if section.claims else ""
    return context_of(section.heading, first, rules)


def normals(items: Sequence[Item], rules: ConflictRules) -> dict[str, Normal]:
    contexts: dict[str, tuple[str, ...]] = {}
    out: dict[str, Normal] = {}
    for i in items:
        sid = i.section.section_id
        if sid not in contexts:
            contexts[sid] = section_context(i.section, rules)
        out[i.claim.claim_id] = normalize_claim(i.claim.text, rules, contexts[sid])
    return out


def _block_keys(n: Normal) -> set[str]:
    # Named systems block on their first word so "Loihi 2" meets "Loihi 2 chip".
    return {s.split()[0] if s in n.named else s for s in n.subjects}


# A subject phrase ("laser weeding") blocks too, as relate() may take it for the shared
# subject; one that more claims of a topic share than this names no subject ("energy
# efficiency" in a topic of thousands of claims) and makes no block.
PHRASE_BLOCK_MAX = 40
# The weaker links of relate() (normal.Link) block too: each pair of a claim's distinctive words
# (their families, with its heading's words and its abbreviations: normal.link_words)
# that at most LINK_BLOCK_MAX claims of the topic use (of its first LINK_WORDS_MAX such words,
# so a claim has a bounded number of keys), and each figure (value and unit) at most that many
# claims quote. A word or figure more claims share says nothing about one subject.
LINK_BLOCK_MAX = PHRASE_BLOCK_MAX
LINK_WORDS_MAX = 12


def _link_keys(n: Normal, words: frozenset[str], rare: set[str]) -> set[str]:
    chosen = sorted(words & rare)[:LINK_WORDS_MAX]
    keys = {f"{x}+{y}" for x, y in combinations(chosen, 2)}
    return keys | {
        f"{q.value:g} {q.unit}" for q in n.quantities if q.unit != "ratio" and q.bound != "previous"
    }


def related_pairs(
    by_topic: dict[str, list[Item]], norm: dict[str, Normal], rules: ConflictRules
) -> dict[str, list[Pair]]:
    """Per topic, every related pair of claims from different reports, found by subject block."""
    out: dict[str, list[Pair]] = {}
    memo: dict[tuple[str, str], tuple[Relation, tuple[str, ...]] | None] = {}
    rel_of = relater(rules)
    for topic, items in by_topic.items():
        blocks: dict[str, list[Item]] = defaultdict(list)
        phrase_blocks: dict[str, list[Item]] = defaultdict(list)
        link_blocks: dict[str, list[Item]] = defaultdict(list)
        abbreviations = frozenset(a for i in items for a in norm[i.claim.claim_id].acronyms)
        words_of = {
            i.claim.claim_id: link_words(norm[i.claim.claim_id], abbreviations) for i in items
        }
        uses = Counter(w for words in words_of.values() for w in words)
        rare = {w for w, k in uses.items() if k <= LINK_BLOCK_MAX}
        for i in items:
            n = norm[i.claim.claim_id]
            keys = _block_keys(n)
            for key in keys:
                blocks[key].append(i)
            for phrase in n.phrases - keys:
                phrase_blocks[phrase].append(i)
            for link in _link_keys(n, words_of[i.claim.claim_id], rare):
                link_blocks[link].append(i)
        for phrase, block in phrase_blocks.items():
            if len(block) <= PHRASE_BLOCK_MAX and phrase not in blocks:
                blocks[phrase] = block
        for link, block in link_blocks.items():
            if 1 < len(block) <= LINK_BLOCK_MAX and link not in blocks:
                blocks[link] = block
        seen: set[tuple[str, str]] = set()
        found: list[Pair] = []

        def first_relation(
            a: Item, b: Item, seen: set[tuple[str, str]] = seen
        ) -> tuple[Relation, tuple[str, ...]] | None:
            """How two claims of different reports relate, once per pair (None after that)."""
            if a.source.source_id == b.source.source_id:
                return None
            ca, cb = a.claim.claim_id, b.claim.claim_id
            k2 = (ca, cb) if ca < cb else (cb, ca)
            if k2 in seen:
                return None
            seen.add(k2)
            if k2 not in memo:
                memo[k2] = rel_of(norm[ca], norm[cb])
            return memo[k2]

        for block in blocks.values():
            for a, b in _candidates(block, norm):
                rel = first_relation(a, b)
                if rel is not None:
                    found.append(Pair(rel[0], a, b, rel[1]))
        # Caution also holds across techniques of one field (drug discovery / healthcare),
        # which share no block: compare the caution claims with the achieved ones (in a large
        # topic, each with a few of every field it is about).
        cautious = [i for i in items if norm[i.claim.claim_id].caution]
        achieved = [i for i in items if norm[i.claim.claim_id].achieved] if cautious else []
        if len(cautious) * len(achieved) <= CROSS_FIELD_MAX:
            crossing = [(c, a) for c in cautious for a in achieved]
        else:
            crossing = _same_field(cautious, achieved, norm, rules)
        for c, a in crossing:
            rel = first_relation(a, c)
            if rel is not None and rel[0] == "caution":
                found.append(Pair(rel[0], a, c, rel[1]))
        out[topic] = found
    return out


# Up to this many claims a block is compared all-pairs; a larger one only where a relation can
# arise (mature x early, figures of one concept, unverified x stated, caution x achieved, dated
# events) plus one representative claim per report for agreement: bounded, not quadratic.
ALL_PAIRS_MAX = 24
REPRESENTATIVES_MAX = 12
# Up to this many (caution x achieved) pairs per topic are compared across techniques of one
# field; above it each caution claim meets PARTNERS achieved claims per field it is about.
CROSS_FIELD_MAX = 2_000
# In a large block each claim of one side meets this many claims (of other reports) of the
# other side, and each figure or date the EXTREMES lowest and highest of its concept: a flag is
# one per kind, subject and concept, so finding every report that takes part is enough; every
# pair of them is not needed. Linear in the block, not quadratic.
PARTNERS = 3
EXTREMES = 2


def _meet(xs: list[Item], ys: list[Item]) -> list[tuple[Item, Item]]:
    """Each claim of xs with up to PARTNERS claims of ys from other reports, and back."""
    return [(a, b) for one, other in ((xs, ys), (ys, xs)) for a in one for b in _partners(a, other)]


def _partners(a: Item, others: Sequence[Item]) -> list[Item]:
    """The first PARTNERS claims of others from another report than a's."""
    return list(islice((b for b in others if b.source.source_id != a.source.source_id), PARTNERS))


def _same_field(
    cautious: list[Item], achieved: list[Item], norm: dict[str, Normal], rules: ConflictRules
) -> list[tuple[Item, Item]]:
    """Each caution claim with up to PARTNERS achieved claims (of other reports) about a
    technique of a field it is about (drug discovery and healthcare are one field)."""
    fields = {h.name.lower(): h.topics for h in rules.subjects}
    by_field: dict[str, list[Item]] = defaultdict(list)
    for a in achieved:
        for t in {t for s in norm[a.claim.claim_id].subjects for t in fields.get(s, ())}:
            by_field[t].append(a)
    return [
        (c, a)
        for c in cautious
        for t in {t for s in norm[c.claim.claim_id].subjects for t in fields.get(s, ())}
        for a in _partners(c, by_field.get(t, []))
    ]


def _spread(group: list[tuple[float, Item]]) -> list[tuple[Item, Item]]:
    """Each claim with the EXTREMES lowest and highest values of its group (of other reports
    where it can): whoever disagrees with anyone disagrees with an end."""
    ranked = sorted(group, key=lambda vi: (vi[0], vi[1].claim.claim_id))
    ends: list[Item] = []
    for side in (ranked, ranked[::-1]):
        reports: set[str] = set()
        for _, i in side:
            if i.source.source_id not in reports:
                reports.add(i.source.source_id)
                ends.append(i)
                if len(reports) >= EXTREMES:
                    break
    return [(i, e) for _, i in ranked for e in ends if e is not i]


def _candidates(block: list[Item], norm: dict[str, Normal]) -> list[tuple[Item, Item]]:
    if len(block) <= ALL_PAIRS_MAX:
        return [(a, b) for x, a in enumerate(block) for b in block[x + 1 :]]
    n = {i.claim.claim_id: norm[i.claim.claim_id] for i in block}
    mature = [i for i in block if n[i.claim.claim_id].stance == "mature"]
    early = [i for i in block if n[i.claim.claim_id].stance == "early"]
    unverified = [i for i in block if n[i.claim.claim_id].verification == "unverified"]
    stating = [i for i in block if n[i.claim.claim_id].achieved or n[i.claim.claim_id].quantities]
    cautious = [i for i in block if n[i.claim.claim_id].caution]
    negated = [i for i in block if n[i.claim.claim_id].negated]
    plain = [i for i in block if not n[i.claim.claim_id].negated]
    by_concept: dict[tuple[str, str], list[tuple[float, Item]]] = defaultdict(list)
    dated: list[tuple[float, Item]] = []
    for i in block:
        ni = n[i.claim.claim_id]
        for q in ni.quantities:
            by_concept[(q.unit, q.concept.lstrip("~"))].append((q.value, i))
        years = ni.event_years or ni.target_years
        if years:
            dated.append((float(min(years)), i))
        elif ni.times:
            dated.append((float(min(t.first.year for t in ni.times)), i))
    out = _meet(mature, early) + _meet(unverified, stating) + _meet(cautious, stating)
    out += _meet(negated, plain)
    for group in (dated, *by_concept.values()):
        out += _spread(group)
    reps: dict[str, Item] = {}
    for i in block:
        reps.setdefault(i.source.source_id, i)
    chosen = list(reps.values())[:REPRESENTATIVES_MAX]
    out += [(a, b) for x, a in enumerate(chosen) for b in chosen[x + 1 :]]
    return out


def _affinity(items: Sequence[Item], topic: str) -> float:
    return min(i.topics.get(topic, 0.0) for i in items)


# A stance phrase this many words or fewer into its sentence, with no clause break before it,
# is quoted from the sentence's start: what comes before it is the subject ("The push for
# greater explainability in AI LLMs has resulted in …", not "… in AI LLMs has resulted in …").
QUOTE_FROM_START_WORDS = 8


def _quote(text: str, phrase_at: int, phrase_len: int) -> str:
    before = text[:phrase_at]
    if len(before.split()) <= QUOTE_FROM_START_WORDS and not any(c in before for c in ",;:"):
        return snippet(text, 0, phrase_at + phrase_len)
    return snippet(text, phrase_at, phrase_at + phrase_len)


def _find(text: str, needle: str) -> int:
    at = text.lower().find(needle.lower())
    return max(at, 0)


@dataclass(frozen=True)
class _Told:
    """One disagreeing pair as a flag would state it: the flag, what the numbers measure, and
    how each side is described in a longer flag's "Also: …" (its figure, years or position)."""

    found: Found
    concept: str
    roles: tuple[str, str]
    subject: str
    pair: Pair


def _tell(
    topic: str,
    p: Pair,
    norm: dict[str, Normal],
    namer: Namer,
    rules: ConflictRules,
    *,
    worded: bool = True,
) -> _Told:
    """The flag of one disagreeing pair, worded by kind, sides in the kind's order; without
    ``worded`` the summary is left empty (only the lead pair of a group is ever worded)."""
    a, b = p.a, p.b
    na, nb = norm[a.claim.claim_id], norm[b.claim.claim_id]
    subject = display_subject(p.subjects, topic, (a, b), rules)
    ra, rb = namer.report(a.source.source_id), namer.report(b.source.source_id)
    kind: FlagKind = p.kind  # type: ignore[assignment]  # DISAGREEMENTS are flag kinds
    concept = ""
    if p.kind == "numeric":
        _, differ = compared(na, nb, rules)
        qa, qb = differ[0]
        # The subject the numbers are about ("Loihi 2"), not the topic's technique.
        named = qa.subject or qb.subject
        subject = display_subject((named,) if named else p.subjects, topic, (a, b), rules)
        concept = qa.concept.lstrip("~") or qb.concept.lstrip("~") or qa.unit
        summary = f"{subject}, {concept}: {ra} says {qa.text}; {rb} says {qb.text}."
        roles = (qa.text, qb.text)
    elif p.kind == "verification":
        (stated, st), (doubt, _) = (
            ((a, na), (b, nb)) if nb.verification == "unverified" else ((b, nb), (a, na))
        )
        figure = ", ".join(q.text for q in st.quantities[:2])
        what = f"gives {figure}" if figure else "states it as achieved"
        summary = (
            ""
            if not worded
            else (
                f"{subject}: {namer.report(stated.source.source_id)} {what} "
                f'("{snippet(stated.claim.text, 0, 1, words=12)}"); '
                f"{namer.report(doubt.source.source_id)} says it is unverified or not "
                f'reproduced ("{snippet(doubt.claim.text, 0, 1, words=12)}").'
            )
        )
        a, b = stated, doubt
        roles = ("states it", "unverified")
    elif p.kind == "timeline":
        ya, yb = _dated(na), _dated(nb)
        summary = f"{subject}: {ra} dates it {ya}; {rb} dates it {yb}."
        roles = (ya, yb)
    elif p.kind == "stance":
        (m, _), (e, _) = (
            ((a, na), (b, nb))
            if na.stance == "mature" or (nb.stance != "mature" and not na.negated)
            else ((b, nb), (a, na))
        )
        mh = m.reading.stance_hits[0] if m.reading.stance_hits else None
        eh = e.reading.stance_hits[0] if e.reading.stance_hits else None
        mq = _quote(m.claim.text, mh.start, len(mh.phrase)) if mh and worded else m.claim.text
        eq = _quote(e.claim.text, eh.start, len(eh.phrase)) if eh and worded else e.claim.text
        summary = (
            ""
            if not worded
            else (
                f"{subject}: {namer.report(m.source.source_id)} presents it as working or "
                f'established ("{mq}"); {namer.report(e.source.source_id)} as early, '
                f'limited, unsolved or not so ("{eq}").'
            )
        )
        a, b = m, e
        roles = ("established", "early or limited")
    else:  # caution
        (ach, _), (cau, _) = ((a, na), (b, nb)) if nb.caution else ((b, nb), (a, na))
        summary = (
            ""
            if not worded
            else (
                f"{subject}: {namer.report(ach.source.source_id)} presents it as achieved "
                f'("{_achieved_quote(ach, norm[ach.claim.claim_id])}"); '
                f"{namer.report(cau.source.source_id)} says validation, limits or open "
                f'problems remain ("{_caution_quote(cau, rules)}").'
            )
        )
        a, b = ach, cau
        roles = ("achieved", "caution")
    found = Found(topic, kind, (a, b), summary, _affinity((a, b), topic), p.subjects)
    return _Told(found, concept, roles, subject, p)


def disagreements(
    pairs: dict[str, list[Pair]],
    norm: dict[str, Normal],
    namer: Namer,
    rules: ConflictRules,
    dismissed: frozenset[str] = frozenset(),
) -> tuple[list[Found], frozenset[str]]:
    """One flag per kind, subject and concept (for figures): the sharpest pair of claims states
    it, and the other reports in the same disagreement follow ("Also: …"), filed under the
    topic the lead pair belongs to most. A pair whose id the curator dismissed is left out
    (returned with the ids of such pairs, so the verdict is not reported as unmatched)."""
    best: dict[tuple[str, frozenset[str]], _Told] = {}
    dropped: set[str] = set()
    for topic, found in pairs.items():
        for p in found:
            if p.kind not in DISAGREEMENTS:
                continue
            if p.kind == "caution" and not all(
                topic in {t.topic_id for t in i.section.topics} for i in (p.a, p.b)
            ):
                continue  # the softer kind only between sections about the topic itself
            told = _tell(topic, p, norm, namer, rules, worded=False)
            f = told.found
            if dismissed and f.pair_ids()[0] in dismissed:
                dropped.add(f.pair_ids()[0])
                continue  # a curator's false alarm: the rest of its group still stands
            key = (f.kind, frozenset(i.section.section_id for i in f.items))
            cur = best.get(key)
            if cur is None or _rank(f, norm) > _rank(cur.found, norm):
                best[key] = told
    # A caution between two sections already in a sharper disagreement adds nothing.
    sharp = {sections for (kind, sections) in best if kind != "caution"}
    groups: dict[tuple[str, str, str], list[_Told]] = defaultdict(list)
    for (kind, sections), told in best.items():
        if kind == "caution" and sections in sharp:
            continue
        groups[(kind, told.subject.lower(), told.concept)].append(told)
    return [_grouped(g, norm, namer, rules) for g in groups.values()], frozenset(dropped)


def _grouped(
    group: list[_Told], norm: dict[str, Normal], namer: Namer, rules: ConflictRules
) -> Found:
    """The group's flag: the lead pair's two sides first, then the other claims of the group
    (at most 2 x max_sides sides; every claim still counts as involved)."""
    group.sort(key=lambda t: _rank(t.found, norm), reverse=True)
    first = group[0]
    lead = _tell(first.found.topic, first.pair, norm, namer, rules).found
    if len(group) == 1:
        return lead
    items: dict[str, Item] = {i.claim.claim_id: i for i in lead.items}
    also: list[str] = []
    shown = {
        (lead.items[0].source.source_id, group[0].roles[0]),
        (lead.items[1].source.source_id, group[0].roles[1]),
    }
    cap = 2 * rules.max_sides
    for t in group[1:]:
        for item, role in zip(t.found.items, t.roles, strict=True):
            if item.claim.claim_id in items:
                continue
            if len(items) < cap:
                items[item.claim.claim_id] = item
            said = (item.source.source_id, role)
            if said not in shown:
                shown.add(said)
                also.append(f"{namer.report(item.source.source_id)} ({role})")
    summary = lead.summary
    if also:
        more = len(also) - 2 * rules.max_sides
        listed = "; ".join(also[: 2 * rules.max_sides])
        summary += f" Also: {listed}" + (f"; and {more} more." if more > 0 else ".")
    subjects = tuple(dict.fromkeys(s for t in group for s in t.found.subjects))
    return Found(
        lead.topic,
        lead.kind,
        tuple(items.values()),
        summary,
        lead.strength,
        subjects,
        pairs=tuple((t.found.items[0], t.found.items[1]) for t in group),
    )


def _rank(f: Found, norm: dict[str, Normal]) -> tuple[float, int, int, str]:
    """Which of several flags between the same two sections to keep: the topic both belong to
    most, then the claims with the most figures (the sharpest statement of the point)."""
    figures = sum(len(norm[i.claim.claim_id].quantities) for i in f.items)
    return (f.strength, figures, -len(f.topic), min(i.claim.claim_id for i in f.items))


# How well a claim states its group's point on its own: (a whole sentence, not a list item,
# not pointing back, names the subject itself, words shared with the others, shortness).
Centrality = tuple[bool, bool, bool, bool, int, int]


def _centrality(
    i: Item,
    words: dict[str, frozenset[str]],
    anaphora: frozenset[str],
    counts: Counter[str] | None = None,
    subject: frozenset[str] = frozenset(),
) -> Centrality:
    """The claim that shares most words with the others states the group's point best; a
    whole sentence before an item of a list ("These datasets:" / "Avoid privacy leaks …"),
    which reads as a fragment on its own, and before one that opens by pointing back to the
    sentence before it ("This includes …": a [claims] anaphora word). Among those most reports
    agree with, one that names the subject before one that has it only from its heading
    (``subject``: the Snowball stems of its content words, so "multimodality" is named by
    "multimodal"): the statement is shown without the heading."""
    mine = words[i.claim.claim_id]
    # The words it shares with each other claim, summed: each of its words once per other
    # claim holding it (``counts``: how many of the group's claims hold each word, counted once
    # per group, so a group of g claims costs g, not g²).
    if counts is None:
        counts = Counter(w for ws in words.values() for w in ws)
    common = sum(counts[w] - 1 for w in mine)
    first = i.claim.text.split(maxsplit=1)[0].lower() if i.claim.text.strip() else ""
    return (
        len(i.claim.text.split()) >= 8,
        not is_list_item(i),
        first not in anaphora,
        bool(subject & {snowball(w) for w in mine}),
        common,
        -len(i.claim.text),
    )


def _achieved_quote(item: Item, n: Normal) -> str:
    text = item.claim.text
    if n.quantities:
        at = _find(text, n.quantities[0].text)
        return snippet(text, at, at + len(n.quantities[0].text), words=6)
    if item.reading.stance_hits:
        h = item.reading.stance_hits[0]
        return snippet(text, h.start, h.start + len(h.phrase), words=6)
    return snippet(text, 0, len(text), words=0)


def _caution_quote(item: Item, rules: ConflictRules) -> str:
    from bot.conflicts.normal import _compiled

    lex = _compiled(rules).normal.caution
    m = lex.search(item.claim.text) if lex is not None else None
    if m is None:
        return item.claim.text
    return snippet(item.claim.text, m.start(), m.end(), words=6)


def _largest_consistent(
    agreeing: list[Pair],
    members: set[str],
    clashes: set[frozenset[str]],
    votes: dict[str, dict[str, int]],
    items: dict[str, Item],
    centrality: dict[str, Centrality],
) -> list[Item]:
    """The largest set of reports, no two of them in a disagreement, that agree with one
    statement (``_around_one_statement``). Each disagreement between members costs one of
    its two reports; with few of them every choice is tried (the larger consensus wins, then
    the one with more agreeing pairs), with many the report in most of them goes first."""
    inside = sorted((tuple(sorted(c)) for c in clashes if c <= members), key=str)
    if not inside:
        return _around_one_statement(agreeing, members, votes, items, centrality)
    if len(inside) > MAX_CLASH_CHOICES:
        left = set(members)
        while True:
            clash: dict[str, int] = defaultdict(int)
            for pair in clashes:
                if pair <= left:
                    for sid in pair:
                        clash[sid] += 1
            if not clash:
                break
            left.discard(max(clash, key=lambda sid: (clash[sid], -sum(votes[sid].values()), sid)))
        return _around_one_statement(agreeing, left, votes, items, centrality)
    best: list[Item] = []
    best_key: tuple[int, int] = (-1, -1)
    tried: set[frozenset[str]] = set()
    for choice in product(*inside):
        removed = frozenset(choice)
        if removed in tried:
            continue  # another order of the same reports left out: the same answer
        tried.add(removed)
        left = members - removed
        picked = _around_one_statement(agreeing, left, votes, items, centrality)
        key = (len(picked), sum(sum(votes[i.source.source_id].values()) for i in picked))
        if key > best_key:
            best, best_key = picked, key
    return best


# Disagreements inside one would-be consensus up to which every way of resolving them is tried.
MAX_CLASH_CHOICES = 8


def _around_one_statement(
    agreeing: list[Pair],
    members: set[str],
    votes: dict[str, dict[str, int]],
    items: dict[str, Item],
    centrality: dict[str, Centrality],
) -> list[Item]:
    """The statement a consensus flag states first, then one claim of each other report that
    agrees with that statement itself (the one agreeing most often), in no set order.

    Pairwise agreement on a subject is not transitive: A agrees with B and B with C does not
    make C say what A says ("these regulations emphasize privacy" / "federated learning keeps
    data local" / "simulated data avoids privacy leaks"). The statement is the claim most other
    reports agree with directly, among those that read on their own (``centrality``, worked out
    once per group); reports that agree only with someone else are left out."""
    direct: dict[str, set[str]] = defaultdict(set)
    for p in agreeing:
        if p.a.source.source_id in members and p.b.source.source_id in members:
            direct[p.a.claim.claim_id].add(p.b.claim.claim_id)
            direct[p.b.claim.claim_id].add(p.a.claim.claim_id)
    if not direct:
        return []

    def rank(cid: str) -> tuple[bool, bool, bool, bool, int, bool, int, int, str]:
        # A statement that reads on its own first (whole, not a list item, not "This …"),
        # then one whose years and figures the reports it agrees with also give (the point is
        # credited to all of them: "2025 marks a shift …" must not read as a 2024 report's
        # words), then the one most reports agree with, then one that names the subject.
        whole, not_item, not_anaphoric, names, common, shorter = centrality[cid]
        support = len({items[o].source.source_id for o in direct[cid]})
        theirs = set().union(*(_figures(items[o]) for o in direct[cid]))
        shared = _figures(items[cid]) <= theirs
        return (whole, not_item, not_anaphoric, shared, support, names, common, shorter, cid)

    central = items[max(direct, key=rank)]
    best: dict[str, str] = {}
    for o in direct[central.claim.claim_id]:
        sid = items[o].source.source_id
        if sid == central.source.source_id:
            continue
        if sid not in best or (votes[sid][o], o) > (votes[sid][best[sid]], best[sid]):
            best[sid] = o
    return [central, *(items[cid] for _, cid in sorted(best.items()))]


def _figures(i: Item) -> frozenset[tuple[float, str]]:
    """The years and quantities a claim gives, as read (so "40%" and "40 percent" meet)."""
    years = {(float(y), "year") for y in i.reading.years}
    return frozenset(years | {(q.value, q.unit) for q, _ in i.reading.quantities})


def _point(text: str, words: int = 30) -> str:
    """A claim as the clause after "N reports say that …"."""
    t = text.strip()
    low = t.lower()
    for c in _CONNECTIVES:
        if low.startswith(c):
            t = t[len(c) :].strip()
            break
    parts = t.split()
    if len(parts) > words:
        t = " ".join(parts[:words]).rstrip(",;:") + "…"
    t = t.rstrip(".")
    if (
        len(t) > 1
        and t[0].isupper()
        and not t[1].isupper()
        and not any(ch.isdigit() for ch in t.split()[0])
    ):
        t = t[0].lower() + t[1:]
    return t


def agreements(
    pairs: dict[str, list[Pair]],
    conflicts: list[Found],
    namer: Namer,
    rules: ConflictRules,
) -> list[Found]:
    """Consensus flags: reports whose claims agree pairwise on one subject, with no two of them
    in a disagreement about it; the summary states the point, not the topic."""
    against: dict[str, set[frozenset[str]]] = defaultdict(set)
    for f in conflicts:
        for t in {f.topic} | (set(f.items[0].topics) & set(f.items[1].topics)):
            against[t].update(f.source_pairs)
    hint_topics = {h.name.lower(): set(h.topics) for h in rules.subjects}
    anaphora = frozenset(w.lower() for w in rules.anaphora)
    found: list[Found] = []
    for topic, ps in pairs.items():
        # The topic's disagreements by report, so a group looks only at those of its members.
        clashes_of: dict[str, list[frozenset[str]]] = defaultdict(list)
        for clash in against.get(topic, ()):
            for sid in clash:
                clashes_of[sid].append(clash)
        per_subject: dict[str, list[Pair]] = defaultdict(list)
        for p in ps:
            if p.kind != "agree":
                continue
            if not all(topic in {t.topic_id for t in i.section.topics} for i in (p.a, p.b)):
                continue
            for s in p.subjects:
                if s in hint_topics and topic not in hint_topics[s]:
                    continue  # a point about another topic's technique
                per_subject[s].append(p)
        groups: dict[frozenset[str], tuple[str, list[Item], Item]] = {}
        for s, sp in sorted(per_subject.items(), key=lambda kv: -len(kv[1])):
            votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            items: dict[str, Item] = {}
            for p in sp:
                for x in (p.a, p.b):
                    items[x.claim.claim_id] = x
                votes[p.a.source.source_id][p.a.claim.claim_id] += 1
                votes[p.b.source.source_id][p.b.claim.claim_id] += 1
            words = {cid: content_words(i.claim.text) for cid, i in items.items()}
            counts = Counter(w for ws in words.values() for w in ws)
            stems = frozenset(snowball(w) for w in content_words(s))
            centrality = {
                cid: _centrality(i, words=words, anaphora=anaphora, counts=counts, subject=stems)
                for cid, i in items.items()
            }
            members = set(votes)
            among = {c for sid in members for c in clashes_of.get(sid, ()) if c <= members}
            picked = _largest_consistent(sp, members, among, votes, items, centrality)
            if len(picked) < rules.consensus_min_sources:
                continue
            central, chosen = (
                picked[0],
                sorted(picked, key=lambda i: namer.report(i.source.source_id)),
            )
            key = frozenset(i.source.source_id for i in chosen)
            if key in groups:
                continue
            groups[key] = (s, chosen, central)
        for srcs, (s, chosen, central) in groups.items():
            if any(srcs < other for other in groups):
                continue  # the same point made by more reports is already a flag
            reports = ", ".join(namer.report(i.source.source_id) for i in chosen)
            count = _COUNT.get(len(chosen), str(len(chosen)))
            point = _point(central.claim.text)
            summary = (
                f"{count} reports say that {point} "
                f"({namer.report(central.source.source_id)}, in its words): {reports}."
            )
            chosen.sort(
                key=lambda i: (i.source.published is None, i.source.published, i.source.source_id)
            )
            found.append(Found(topic, "consensus", tuple(chosen), summary, 0.0, (s,), point))
    return found


def _dated(n: Normal) -> str:
    """How a claim dates its event, as written ("since August 2024", "not before late 2028"),
    else its event or target years."""
    if n.times:
        return "; ".join(dict.fromkeys(t.text for t in n.times))
    return ", ".join(str(y) for y in n.event_years or n.target_years)
