"""Pure: a claim sentence normalized: subjects, bounded quantities per subject, scoped negation,
hedges, verification, caution; and how two normalized claims relate (agree or disagree, how)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import Literal, cast

from bot.conflicts.claims import Reading, read_quantities, read_sentence
from bot.conflicts.lexicon import (
    CONTRACTED_NOT,
    Lexicon,
    optional_lexicon,
    phrase_before,
    phrase_regex,
)
from bot.conflicts.rules import ConflictRules
from bot.conflicts.timing import (
    ClaimTime,
    TimingRules,
    claim_times,
    compile_timing,
    event_kinds,
    times_apart,
)
from bot.dates import MONTH_NAMES
from bot.models import CONFLICT_KINDS, Quantity, Stance, Verification
from bot.stemming import plural as stem
from bot.stemming import snowball

Relation = Literal["agree", "numeric", "verification", "stance", "timeline", "caution"]
# The relations that are disagreements are the flag kinds that are: one definition (bot.models).
DISAGREEMENTS = cast(tuple[Relation, ...], CONFLICT_KINDS)

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_TOKEN = re.compile(r"[a-z0-9]+")  # hyphenated words split: "laser-weeding" is two
# Words too common to say what a claim is about (the field's own words included).
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "from",
        "as",
        "at",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "they",
        "them",
        "which",
        "who",
        "whom",
        "such",
        "than",
        "then",
        "there",
        "here",
        "into",
        "onto",
        "over",
        "under",
        "more",
        "most",
        "less",
        "least",
        "very",
        "also",
        "not",
        "no",
        "nor",
        "but",
        "if",
        "while",
        "whereas",
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "should",
        "must",
        "do",
        "does",
        "did",
        "so",
        "thus",
        "however",
        "furthermore",
        "moreover",
        "additionally",
        "including",
        "include",
        "includes",
        "across",
        "between",
        "among",
        "through",
        "via",
        "each",
        "other",
        "many",
        "much",
        "some",
        "any",
        "all",
        "both",
        "either",
        "neither",
        "new",
        "recent",
        "recently",
        "ai",
        "llm",
        "llms",
        "model",
        "models",
        "language",
        "large",
        "significant",
        "significantly",
        "key",
        "ensure",
        "ensuring",
        "enable",
        "enabling",
        "allow",
        "allows",
        "use",
        "used",
        "using",
    ]
)


@dataclass(frozen=True)
class NormalRules:
    """The [claims] and [quantities] lexicons of ConflictRules, compiled once."""

    upper: Lexicon | None
    lower: Lexicon | None
    approx: Lexicon | None
    ratios: tuple[tuple[re.Pattern[str], float], ...]
    changes: Lexicon | None
    unverified: Lexicon | None
    verified: Lexicon | None
    caution: Lexicon | None
    achieved: Lexicon | None
    reserved: Lexicon | None
    clause_break: re.Pattern[str]
    subordinate: re.Pattern[str] | None
    anaphora: frozenset[str]
    # Words that open a subordinate clause or an attribution ("Although …", "According to …"):
    # never the word a claim is about.
    openers: frozenset[str]
    negation: re.Pattern[str]
    # A negator up to three words before a phrase ("not been independently replicated", "no
    # outside lab has validated", "yet to be confirmed"): it turns a check into its absence.
    negated_before: re.Pattern[str]
    hedge: Lexicon | None
    target_year: re.Pattern[str] | None
    # The words of every stance, hedge, verification and caution phrase: they say how a claim
    # is put, not what it is about, so no subject phrase is made of them.
    phrase_words: frozenset[str]
    timing: TimingRules
    # What is never a distinctive word (see core_words): the [subjects] common_words and
    # generic_names, units, scales, fractions and currencies.
    core_skip: frozenset[str] = frozenset()
    # Each word of a [subjects] equivalents group (singular, lower case) -> the group's key.
    equivalents: dict[str, str] = field(default_factory=dict)
    # The [claims] rising and falling words, the phrases in which they say no direction, and a
    # hedge up to three words before a word (see _direction).
    rising: Lexicon | None = None
    falling: Lexicon | None = None
    not_direction: Lexicon | None = None
    hedged_before: re.Pattern[str] | None = None


def _phrase_words(rules: ConflictRules) -> frozenset[str]:
    phrases = (
        *rules.mature,
        *rules.early,
        *(p for sc in rules.scoped for p in (*sc.mature, *sc.early)),
        *rules.hedges,
        *rules.unverified,
        *rules.verified,
        *rules.caution,
        *rules.reserved,
        *rules.achieved,
        *rules.negators,
        *rules.generic_names,
    )
    return frozenset(stem(w) for p in phrases for w in _TOKEN.findall(p.lower()))


def _core_skip(rules: ConflictRules) -> frozenset[str]:
    words = (
        *rules.common_words,
        *rules.generic_names,
        *rules.units,
        *rules.scales,
        *rules.fractions,
        *rules.currencies.values(),
    )
    low = {w.lower() for w in words}
    return frozenset(low | {stem(w) for w in low})


def compile_normal(rules: ConflictRules) -> NormalRules:
    breaks = "|".join(phrase_regex(b) for b in rules.clause_breaks) or r"(?!x)x"
    negators = [n for n in rules.negators if n not in ("beyond", "past", "moved past")]
    neg = "|".join(phrase_regex(n) for n in (*negators, "no", "none")) + "|" + CONTRACTED_NOT
    return NormalRules(
        upper=optional_lexicon(rules.upper_bounds),
        lower=optional_lexicon(rules.lower_bounds),
        approx=optional_lexicon(rules.approximate),
        ratios=tuple(
            (re.compile(phrase_regex(w), re.IGNORECASE), v) for w, v in rules.ratios.items()
        ),
        changes=optional_lexicon(rules.change_verbs),
        unverified=optional_lexicon(rules.unverified),
        verified=optional_lexicon(rules.verified),
        caution=optional_lexicon(rules.caution),
        achieved=optional_lexicon(rules.achieved),
        reserved=optional_lexicon(rules.reserved),
        clause_break=re.compile(rf"[;:]|,\s|(?:{breaks})", re.IGNORECASE),
        subordinate=(
            re.compile(
                r"\s*(?:" + "|".join(phrase_regex(w) for w in rules.subordinators) + ")",
                re.IGNORECASE,
            )
            if rules.subordinators
            else None
        ),
        anaphora=frozenset(a.lower() for a in rules.anaphora),
        openers=frozenset(w.lower() for w in rules.subordinators) | {"according", "as", "thanks"},
        # "without hurting accuracy" says how, it negates nothing the clause claims.
        negation=re.compile(
            "|".join(
                phrase_regex(n) + (r"(?!\s+\w+ing\b)" if n == "without" else "")
                for n in (*negators, "no", "none")
            )
            + "|"
            + CONTRACTED_NOT,
            re.IGNORECASE,
        ),
        negated_before=re.compile(rf"(?:{neg}|yet to be)\s+(?:[\w'’-]+\s+){{0,3}}$", re.IGNORECASE),
        hedge=optional_lexicon(rules.hedges),
        phrase_words=_phrase_words(rules),
        timing=compile_timing(rules),
        core_skip=_core_skip(rules),
        equivalents={
            stem(w.lower()): "=" + group[0].lower()
            for group in rules.word_equivalents
            if group
            for w in group
        },
        rising=optional_lexicon(rules.rising),
        falling=optional_lexicon(rules.falling),
        not_direction=optional_lexicon(rules.not_direction),
        hedged_before=phrase_before(tuple(rules.hedges), 3),
        target_year=(
            re.compile(
                r"(?:" + "|".join(phrase_regex(t) for t in rules.targets) + r")\s+"
                r"(?:(?:early|mid|late|the end of)\s+)?(\d{4})(?![\d%]|[.,]\d)",
                re.IGNORECASE,
            )
            if rules.targets
            else None
        ),
    )


class _Compiled:
    """Per-rules cache of NormalRules and normalized sentences (rules objects are frozen)."""

    def __init__(self, rules: ConflictRules) -> None:
        self.rules = rules
        self.normals: dict[tuple[str, tuple[str, ...]], Normal] = {}
        # How two normalized claims relate, by the identity of the two (each entry holds both,
        # so an id is never reused while its entry lives): adding one report re-relates only
        # the pairs it brings; every other pair's answer is the one already found.
        self.relations: dict[
            tuple[int, int], tuple[Normal, Normal, tuple[Relation, tuple[str, ...]] | None]
        ] = {}
        # The subject hints of each topic: see summary.display_subject.
        self.own_hints: dict[str, frozenset[str]] = {}
        # A section's subjects, by (heading, first sentence): see pairs.context_of.
        self.contexts: dict[tuple[str, str], tuple[str, ...]] = {}

    @cached_property
    def normal(self) -> NormalRules:
        return compile_normal(self.rules)

    @cached_property
    def hint_topics(self) -> dict[str, frozenset[str]]:
        return {h.name.lower(): frozenset(h.topics) for h in self.rules.subjects}


_COMPILED: dict[int, _Compiled] = {}


def _compiled(rules: ConflictRules) -> _Compiled:
    c = _COMPILED.get(id(rules))
    if c is None or c.rules is not rules:
        if len(_COMPILED) > 16:
            _COMPILED.clear()
        c = _COMPILED[id(rules)] = _Compiled(rules)
    return c


FigureForm = Literal["of", "by", "at", ""]


@dataclass(frozen=True)
class Surround:
    """What the clause of one figure says about it: how the figure is put ("40% of firms",
    "cut costs by 40%", "10,000 battery materials"), the words for what it measures (stemmed,
    hyphenated words whole and in parts), and the subjects the clause names."""

    form: FigureForm = ""
    measured: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    # A change verb or noun puts the figure ("fell by 30 minutes", "a 22% reduction"): how much
    # something moved, not the level it is at ("lags by two seconds" is a level).
    change: bool = False
    # ``measured`` with each word of a [subjects] equivalents group as its group ("cars" and
    # "vehicles" are one): what two guessed measures compare (see _kin_guesses).
    measured_kin: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Normal:
    """One claim sentence, normalized."""

    text: str
    subjects: tuple[str, ...]  # own subjects, then those inherited from the section
    named: frozenset[str]  # subjects that are named systems (not rules hints)
    quantities: tuple[Quantity, ...]  # with bound, interval, subject and concept
    stance: Stance
    negated: bool  # the main clause is negated ("no diminishing returns have been observed")
    hedged: bool
    verification: Verification
    caution: bool
    achieved: bool
    # Any reserve: early stance, caution, unverified, negated, or a [claims] reserved
    # marker. Two claims of which only one is reserved are never agreement.
    reserved: bool
    event_years: tuple[int, ...]
    target_years: tuple[int, ...]  # "by 2035": the date a forecast or goal names
    words: frozenset[str]
    main_words: frozenset[str]  # the content words of the main clause
    # The sentence's first content words, where its subject usually is ("The insurer's AI
    # claims system …"): words two claims share only there name the subject, not a point.
    lead_words: frozenset[str] = frozenset()
    # Two adjacent content words ("laser weeding", "spot spraying", "claims triage"): what the
    # sentence is about when it names no system ("Autonomous laser-weeding robots are …").
    phrases: frozenset[str] = frozenset()
    # The times the claim refers to, at their precision ("since August 2024", "not before late
    # 2028"), and the kinds of event it names ("effect", "launch"): see bot.conflicts.timing.
    times: tuple[ClaimTime, ...] = ()
    event_kinds: frozenset[str] = frozenset()
    # The clause of each figure, in the order of ``quantities`` (see Surround).
    surrounds: tuple[Surround, ...] = ()
    # The distinctive words of the sentence and of its main clause (see core_words): what two
    # claims that name no subject in common may still share ("fraud", "card", "sepsis").
    core: frozenset[str] = frozenset()
    main_core: frozenset[str] = frozenset()
    # Each core word with its family (see word_family), and the families of all core words.
    word_families: tuple[tuple[str, str], ...] = ()
    families: frozenset[str] = frozenset()
    # The same for the core words of the subjects inherited from the section (its heading's
    # words, "E-commerce Growth at High-Street Chains") that the sentence does not write.
    context_families: tuple[tuple[str, str], ...] = ()
    # Abbreviations written in capitals ("EV", "AML"), lower case, and the initials of each run
    # of two to six words of the sentence and of its inherited subjects ("electric vehicle"
    # is "ev"): an abbreviation on one side and its words on the other name one thing.
    acronyms: frozenset[str] = frozenset()
    initials: frozenset[str] = frozenset()
    # The [subjects] hints the sentence refers to by a definite noun ("the chip", "this law")
    # while it names no system of its own: a reference to a thing named elsewhere.
    referred: frozenset[str] = frozenset()
    # The initials of each run of capitalised words ("the Food and Drug Administration" is
    # fda): a name another claim may abbreviate.
    name_initials: frozenset[str] = frozenset()
    # Where the claim says its measure goes: "up" or "down" by the [claims] rising and falling
    # words, "" when it gives none, or a negator, hedge or purpose is just before the word
    # ("did not fall", "could rise", "designed to cut"), or words of both directions.
    direction: Literal["up", "down", ""] = ""
    # The families (see word_family) of the words for what goes up or down: the object of a
    # direction verb ("reduces costs"), else its subject ("battery installations are rising").
    direction_families: frozenset[str] = frozenset()
    # Of those, the head of an "A of B" phrase ("sales" in "sales of electric vehicles"), and
    # the [measures] the words name ("costs" is cost): what the two sides must have in common.
    direction_heads: frozenset[str] = frozenset()
    direction_measures: frozenset[str] = frozenset()
    # A direction word is the change verb of a figure of the sentence ("cut costs by 40%",
    # "a 22% reduction"): when the other claim gives a figure in that unit, numbers decide.
    direction_figure: bool = False
    # The direction of a word a negator stands before ("did not fall" is "down"): that claim
    # denies a fall, which a claim of a rise does not contradict.
    negated_direction: Literal["up", "down", ""] = ""

    @property
    def subject(self) -> str:
        return self.subjects[0] if self.subjects else ""


def _positions(
    sentence: str, reading: Reading, rules: ConflictRules
) -> list[tuple[int, str, bool]]:
    """(position, subject, is_named) of every mention of the sentence's subjects."""
    low = sentence.lower()
    hints = {h.name.lower(): p for h, p in rules.compiled.subjects}
    out: list[tuple[int, str, bool]] = []
    for s in reading.subjects:
        pattern = hints.get(s)
        if pattern is not None:
            out += [(m.start(), s, False) for m in pattern.finditer(sentence)]
        else:
            at = low.find(s)
            if at < 0:
                at = low.find(s.split()[0])
            if at >= 0:
                out.append((at, s, True))
    return sorted(out)


def _clause(sentence: str, start: int, end: int, nr: NormalRules) -> tuple[int, int]:
    lo, hi = 0, len(sentence)
    for m in nr.clause_break.finditer(sentence):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


def _bound(sentence: str, start: int, text: str, nr: NormalRules) -> str:
    if text.lower().startswith("up to"):
        return "up_to"  # the most it reaches: a claim of that figure
    if text.startswith((">", "≥")) or text.endswith("+"):  # "400+ diseases"
        return "at_least"
    if text.startswith(("<", "≤")):
        return "at_most"
    if text.startswith(("~", "≈")):
        return "about"
    lead = (sentence[max(0, start - 16) : start] + text).lower()
    edge = len(lead) - len(text) - 1
    for lex, bound in ((nr.upper, "at_most"), (nr.lower, "at_least"), (nr.approx, "about")):
        if lex is not None and any(m.end() >= edge for m in lex.finditer(lead)):
            return bound
    return "exact"


_OF_AFTER = re.compile(r"\s+of\s+", re.IGNORECASE)
# "by", then up to three bound words ("by at least", "by no more than"), just before a figure.
_BY_BEFORE = re.compile(r"\bby\s+(?:[a-z]+\s+){0,3}$", re.IGNORECASE)


def _content(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and not w[0].isdigit()]


def _with_parts(words: list[str]) -> frozenset[str]:
    return frozenset(words) | {p for w in words for p in w.split("-") if p and p not in _STOP}


def _surround(
    sentence: str,
    clause: tuple[int, int],
    span: tuple[int, int],
    subjects: list[str],
    nr: NormalRules,
) -> Surround:
    """How a figure is put and the words for what it measures: the words after "of" ("40% of
    firms"); after "by", the object of the change verb before it ("cuts herbicide use by 60%"),
    or what comes before an intransitive one ("click-through rates rise by a third"); else
    the words right after the figure ("10,000 battery materials"), or right before it."""
    before, after = sentence[clause[0] : span[0]], sentence[span[1] : clause[1]]
    form: FigureForm
    change = False
    of = _OF_AFTER.match(after)
    by = _BY_BEFORE.search(before)
    if of:
        form, words = "of", _content(after[of.end() :])[:4]
    elif by:
        head = before[: by.start()]
        verbs = list(nr.changes.finditer(head)) if nr.changes is not None else []
        form, change = "by", bool(verbs)
        if verbs and _content(head[verbs[-1].end() :]):
            words = _content(head[verbs[-1].end() :])[:6]
        else:
            words = _content(head[: verbs[-1].start()] if verbs else head)[-3:]
    elif (first_change := _change_word_first(after, nr)) is not None:
        # "the 22% reduction in claims leakage" is "reduced claims leakage by 22%".
        form, words, change = "by", _content(after[first_change:])[:3], True
    else:
        form, words = "at", _content(after)[:3] or _content(before)[-3:]
    measured = _with_parts(words)
    kin = frozenset(nr.equivalents.get(w, w) for w in measured)
    return Surround(form, measured, frozenset(subjects), change, kin)


def _change_word_first(text: str, nr: NormalRules) -> int | None:
    """Where the change word that is the first word of ``text`` ends ("reduction in …")."""
    first = re.match(r"[\s-]*([\w'’-]+)", text)
    if first is None or nr.changes is None:
        return None
    return first.end() if nr.changes.fullmatch(first.group(1)) else None


def _quantities(
    sentence: str, reading: Reading, rules: ConflictRules, nr: NormalRules
) -> tuple[tuple[Quantity, Surround, tuple[int, int]], ...]:
    """Each figure of the sentence with its clause (see Surround) and its span."""
    mentions = _positions(sentence, reading, rules)
    out: list[tuple[Quantity, Surround, tuple[int, int]]] = []
    found = read_quantities(sentence, rules)
    spans: dict[tuple[int, int], list[float]] = {}
    for q, _, s, e in found:
        spans.setdefault((s, e), []).append(q.value)
    seen: set[tuple[int, int]] = set()
    starts = sorted({s for _, _, s, _ in found})
    for q, measure, s, e in found:
        if (s, e) in seen:
            continue
        seen.add((s, e))
        values = spans[(s, e)]
        lo_c, hi_c = _clause(sentence, s, e, nr)
        inside = [m for m in mentions if lo_c <= m[0] < hi_c]
        # A named system in the number's own clause, else a technique there, else the
        # sentence's main subject: "500 W on Loihi 2 versus 5,000 W on H100" is two subjects.
        inside.sort(key=lambda m: (not m[2], abs(m[0] - s)))
        # No subject in the number's clause: it is about the sentence's subject, whichever
        # of them that is ("" matches any subject the two sentences share).
        subject = inside[0][1] if inside else ""
        if not measure:
            # "~" marks a concept guessed from a neighbouring word, not from [measures].
            word = _neighbour_word(sentence, e, hi_c, lo_c, s, q.unit)
            measure = f"~{word}" if word else ""
        bound = "range" if len(values) > 1 else _bound(sentence, s, q.text, nr)
        later = [x for x in starts if x >= e]
        if (
            re.search(r"\bfrom\s+$", sentence[max(0, s - 6) : s], re.IGNORECASE)
            and later
            and re.fullmatch(r"\s+to\s+", sentence[e : later[0]], re.IGNORECASE)
        ) or re.search(
            r"\b(?:down|up) from\s+$|\bno longer\s+(?:\w+\s+){0,3}$",
            sentence[max(0, s - 40) : s],
            re.IGNORECASE,
        ):
            # "from 3 days to 10 hours", "… well under a day, down from three days", "no longer
            # spend $2.6 billion": the value before the change, not the claim.
            bound = "previous"
        v = values[0]
        low: float | None
        high: float | None
        if bound == "range":
            low, high = min(values), max(values)
        elif bound == "at_most":
            low, high = 0.0, v
        elif bound == "at_least":
            low, high = v, None
        else:
            low, high = v, v
        q = q.model_copy(
            update={
                "low": low,
                "high": high,
                "bound": bound,
                "subject": subject,
                "concept": measure,
            }
        )
        surround = _surround(sentence, (lo_c, hi_c), (s, e), [m[1] for m in inside], nr)
        out.append((q, surround, (s, e)))
    ratio_spans: set[int] = set()
    for pattern, ratio in nr.ratios:
        for m in pattern.finditer(sentence):
            if m.start() in ratio_spans:
                continue  # "halved" and "halve*" name one ratio
            ratio_spans.add(m.start())
            lo_c, hi_c = _clause(sentence, m.start(), m.end(), nr)
            inside = [x for x in mentions if lo_c <= x[0] < hi_c]
            inside.sort(key=lambda x: (not x[2], abs(x[0] - m.start())))
            measure = read_measure(sentence, m.start(), m.end(), rules)
            q = Quantity(
                value=ratio,
                unit="ratio",
                text=m.group(0),
                low=ratio,
                high=ratio,
                bound="ratio",
                subject=inside[0][1] if inside else "",
                concept=measure,
            )
            span = (m.start(), m.end())
            surround = _surround(sentence, (lo_c, hi_c), span, [x[1] for x in inside], nr)
            out.append((q, surround, span))
    return tuple(out)


def _neighbour_word(
    sentence: str, end: int, clause_end: int, clause_start: int, start: int, unit: str
) -> str:
    """No measure word near a number: what it counts is the next content word in its clause
    ("500 firms", "90% of the accelerator market"), else the last one before it ("window of
    2 million tokens"); a count takes the very next word."""
    after = [w for w in _WORD.findall(sentence[end:clause_end].lower()) if not w.isdigit()]
    if unit == "count":
        return stem(after[0]) if after else ""
    content = [w for w in after if w not in _STOP]
    if content:
        return stem(content[0])
    before = [w for w in _WORD.findall(sentence[clause_start:start].lower()) if w not in _STOP]
    return stem(before[-1]) if before else ""


def read_measure(sentence: str, start: int, end: int, rules: ConflictRules) -> str:
    from bot.conflicts.claims import _measure_near

    return _measure_near(sentence, start, end, rules)


def _main_clause(sentence: str, nr: NormalRules) -> str:
    """The sentence's main clause: the first clause, or the one after it when the first is
    subordinate ("Although vendors add filters, robustness has not improved")."""
    if nr.subordinate is not None and nr.subordinate.match(sentence):
        # "While chatbots can remember …, deployed LLMs do not learn …": a subordinator that is
        # also a clause break ("while", "whereas") would leave an empty first part.
        comma = sentence.find(",")
        if comma > 0:
            return nr.clause_break.split(sentence[comma + 1 :], maxsplit=1)[0]
    parts = nr.clause_break.split(sentence, maxsplit=2)
    if len(parts) > 1 and nr.subordinate is not None and nr.subordinate.match(parts[0]):
        return parts[1]
    return parts[0]


def _negated(sentence: str, nr: NormalRules) -> bool:
    """A negator in the sentence's main clause negates what it says."""
    return nr.negation.search(_main_clause(sentence, nr)) is not None


def _negated_at(sentence: str, start: int, nr: NormalRules) -> bool:
    lo, _ = _clause(sentence, start, start, nr)
    return nr.negated_before.search(sentence[lo:start]) is not None


def _reserve_marked(sentence: str, reading: Reading, nr: NormalRules) -> bool:
    """A [claims] reserved marker outside the sentence's mature stance phrases: the "stage" of
    "has moved past the pilot stage" is the early phrase a negator turned mature, no reserve."""
    if nr.reserved is None:
        return False
    mature = [
        (h.start, h.start + len(h.phrase)) for h in reading.stance_hits if h.stance == "mature"
    ]
    return any(
        not any(lo <= m.start() and m.end() <= hi for lo, hi in mature)
        # "problem-solving", "trial-and-error": a marker that opens a compound is no reserve.
        and not sentence.startswith("-", m.end())
        for m in nr.reserved.finditer(sentence)
    )


def _target_years(sentence: str, rules: ConflictRules, nr: NormalRules) -> tuple[int, ...]:
    if nr.target_year is None:
        return ()
    years = (int(m.group(1)) for m in nr.target_year.finditer(sentence))
    return tuple(y for y in years if rules.year_min <= y <= rules.year_max)


def _event_years(sentence: str, reading: Reading, rules: ConflictRules) -> tuple[int, ...]:
    """Years next to an event verb; or the one year of a sentence that has an event verb."""
    if reading.event_years:
        return reading.event_years
    events = rules.compiled.events
    if len(reading.years) == 1 and events is not None and events.search(sentence):
        return reading.years
    return ()


# After a direction word: words that say how fast or how much, not what moved ("rising
# quickly", "fell sharply"); determiners that open its object ("cut the cost"); time words that
# are no object ("fell this year", "rose last quarter").
_DIRECTION_ADVERB = re.compile(r"[a-z]+ly|further|again|back|fast|sharp|steady|steadily")
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "this", "that"})
_TIME_WORDS = frozenset(
    {"year", "years", "quarter", "quarters", "month", "months", "week", "weeks", "day", "days"}
    | {"decade", "decades", "season", "spring", "summer", "autumn", "winter"}
    | set(MONTH_NAMES)
)
# Before a direction word, a phrase that says where or when ("battery installations across
# the region are rising"): the subject whose direction is given ends there.
_PLACE_AFTER_SUBJECT = re.compile(
    r"\b(?:in|across|at|on|among|throughout|within|around|during|since|over|amid)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
# Before a direction word, words that make it a purpose or a duty, not a change that happened
# ("designed to cut costs", "must reduce emissions"); "continued to fall" and "began to rise"
# did happen.
_PURPOSE_BEFORE = re.compile(
    r"(?:(?<!continued\s)(?<!continues\s)(?<!continue\s)(?<!began\s)(?<!started\s)"
    r"(?<!starts\s)(?<!begins\s)(?<!managed\s)\bto|\bshould|\bmust|\bneeds?\s+to)"
    r"\s+(?:[\w'’-]+\s+)?$",
    re.IGNORECASE,
)
# Verbs of aspect before a direction word ("continued to fall"): not what falls.
_ASPECT = frozenset({"continue", "continued", "continues", "began", "begun", "started", "keep"})


def _direction_measure(
    sentence: str, start: int, end: int, nr: NormalRules
) -> tuple[list[str], list[str]]:
    """The words for what a direction word says goes up or down, and of them the head of an
    "A of B" phrase ("sales" in "sales of electric vehicles"; none without "of"): its object
    when a noun follows it ("reduces costs", "cut the cost of training"), else its subject
    before it, cut where a place or time begins ("Grid-scale battery installations across the
    region are rising": grid-scale battery installations), with what follows "in" or "of"
    after a noun ("a sharp decline in sales")."""
    lo, hi = _clause(sentence, start, end, nr)
    after = _WORD.findall(sentence[end:hi].lower())
    i = 0
    while i < len(after) and _DIRECTION_ADVERB.fullmatch(after[i]):
        i += 1
    j = i
    while j < len(after) and after[j] in _DETERMINERS:
        j += 1
    nxt = after[j] if j < len(after) else ""
    if nxt and nxt not in _STOP and nxt not in _TIME_WORDS and not nxt[0].isdigit():
        obj: list[str] = []
        head: list[str] = []
        for w in after[j:]:
            if w == "of":
                head = head or obj[-1:]
                continue
            if w in _STOP or w[0].isdigit() or len(obj) == 3:
                break
            obj.append(w)
        return obj, head
    before_text = sentence[lo:start]
    subject = _PLACE_AFTER_SUBJECT.sub("", before_text)
    tokens = [w for w in _WORD.findall(subject.lower()) if w not in _ASPECT]
    words = [w for w in tokens if w not in _STOP]
    if not words:
        tokens = _WORD.findall(before_text.lower())
        words = [w for w in tokens if w not in _STOP]
    head = []
    if "of" in tokens:
        head = [w for w in tokens[: tokens.index("of")] if w not in _STOP][-1:]
    out = words[-4:]
    # A noun: a determiner or a figure before it, maybe with an adjective between ("a sharp
    # decline", "the 22% reduction").
    prev = _WORD.findall(sentence[lo:start].lower())[-2:]
    noun = any(w in _DETERMINERS or w[0].isdigit() for w in prev)
    if noun and i < len(after) and after[i] in ("in", "of"):
        # "a decline in sales", "the 22% reduction in claims leakage": what declined follows
        out += [w for w in after[i + 1 :] if w not in _STOP][:3]
    return out, head


Direction = Literal["up", "down", ""]


@dataclass(frozen=True)
class DirectionRead:
    """What a sentence says goes up or down (see Normal.direction and the fields after it)."""

    direction: Direction = ""
    families: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()
    by_figure: bool = False
    denied: Direction = ""


def _direction(
    sentence: str, figures: list[tuple[int, int]], rules: ConflictRules, nr: NormalRules
) -> DirectionRead:
    """The direction the sentence gives its measure (see Normal.direction), the families of
    the words for that measure and of its "of" head, the [measures] those words name, whether
    a direction word is the change verb of one of its figures ("cut by 40%", "rose from 2 to
    5", "a 22% reduction"), and the direction a negator denies ("did not fall": "down")."""
    if nr.rising is None or nr.falling is None:
        return DirectionRead()
    excluded = [m.span() for m in nr.not_direction.finditer(sentence)] if nr.not_direction else []
    hits: list[tuple[str, int, int]] = []
    for direction, lex in (("up", nr.rising), ("down", nr.falling)):
        for m in lex.finditer(sentence):
            if sentence.startswith("-", m.end()):
                continue  # "growth-stage", "cut-price": the word opens a compound
            if any(lo <= m.start() < hi for lo, hi in excluded):
                continue
            hits.append((direction, m.start(), m.end()))
    if not hits or len({d for d, _, _ in hits}) > 1:
        return DirectionRead()
    found = cast(Literal["up", "down"], hits[0][0])
    for _, s, _ in hits:
        lo, _ = _clause(sentence, s, s, nr)
        if nr.negated_before.search(sentence[lo:s]):
            return DirectionRead(denied=found)
        if _PURPOSE_BEFORE.search(sentence[lo:s]) or (
            nr.hedged_before is not None and nr.hedged_before.search(sentence[lo:s])
        ):
            return DirectionRead()
    families: set[str] = set()
    heads: set[str] = set()
    measures: set[str] = set()
    by_figure = False
    for _, s, e in hits:
        words, head = _direction_measure(sentence, s, e, nr)
        families.update(word_family(w, nr) for w in core_words(" ".join(words), nr))
        heads.update(word_family(w, nr) for w in core_words(" ".join(head), nr))
        text = " ".join(words)
        measures.update(m for m, lex in rules.compiled.measures if lex.search(text))
        lo, hi = _clause(sentence, s, e, nr)
        for fs, fe in figures:
            if lo <= fs and fe <= hi and fs >= e:
                between = sentence[e:fs]
                if len(between.split()) <= 8 and re.search(r"\b(?:by|to|from)\b", between):
                    by_figure = True
            elif fe <= s and re.fullmatch(r"[\s-]*", sentence[fe:s]):
                by_figure = True  # "a 22% reduction"
    return DirectionRead(
        found, frozenset(families), frozenset(heads), frozenset(measures), by_figure
    )


# Before an achievement phrase, words that make it a purpose, a duty or a denial, not a thing
# done: "efforts to overcome", "firms must avoid", "has not prevented", "cannot withstand"
# ("managed to avoid" and "able to withstand" are done).
_NOT_DONE_BEFORE = re.compile(
    r"(?:(?<!managed\s)(?<!able\s)\bto|\bshould|\bmust|\bneeds?\s+to|\bnot|\bnever|n't|\bcannot|\bfailed\s+to)"
    r"\s+(?:[\w'’-]+\s+){0,1}$",
    re.IGNORECASE,
)


def _achievement_said(sentence: str, nr: NormalRules) -> bool:
    """An [claims] achieved phrase that says something was done: not a purpose ("designed to
    prevent leaks"), a duty ("must avoid") or a denial ("has not eliminated") of one."""
    if nr.achieved is None:
        return False
    for m in nr.achieved.finditer(sentence):
        lo, _ = _clause(sentence, m.start(), m.start(), nr)
        if _NOT_DONE_BEFORE.search(sentence[lo : m.start()]) is None:
            return True
    return False


# An attempt that failed: "tried to reproduce the 3% rate ... and could not".
_FAILED_AFTER = re.compile(
    r"\b(?:and|but)\s+(?:could|did|was|were)(?:\s+not|n't)\b|\b(?:and|but)\s+failed\b",
    re.IGNORECASE,
)


def subject_phrases(text: str, nr: NormalRules) -> frozenset[str]:
    """Pairs of adjacent words of a sentence, neither a common word, a number or a word of a
    stance, hedge or verification phrase: "laser weeding", "weeding robot"."""
    tokens = [stem(t) for t in _TOKEN.findall(text.lower())]
    keep = [
        t
        if (t not in _STOP and t not in nr.phrase_words and not t[0].isdigit() and len(t) > 2)
        else ""
        for t in tokens
    ]
    return frozenset(f"{x} {y}" for x, y in zip(keep, keep[1:], strict=False) if x and y)


_POSSESSIVE = re.compile(r"['’]s?$")


def core_words(text: str, nr: NormalRules) -> frozenset[str]:
    """The distinctive words of a text (its figures and how-phrases already blanked, see
    _without_how), compounds split ("machine-learning fraud screen" is machine, learning,
    fraud, screen), possessives and plurals cut ("the bank's", "banks"): words of four letters
    or more that are no common word, unit or number (``nr.core_skip``), and any word of a
    [subjects] equivalents group ("law"). Two claims sharing some of them (or their families,
    see word_family) may be about one thing though they name no subject in common."""
    out: set[str] = set()
    for word in _WORD.findall(text.lower()):
        for part in _POSSESSIVE.sub("", word).split("-"):
            if part in nr.equivalents or stem(part) in nr.equivalents:
                out.add(stem(part))  # "law": a short word of an equivalents group
                continue
            if len(part) < 4 or part in _STOP or any(ch.isdigit() for ch in part):
                continue
            root = stem(part)
            if root not in _STOP and part not in nr.core_skip and root not in nr.core_skip:
                out.add(root)
    return frozenset(out)


def word_family(word: str, nr: NormalRules) -> str:
    """The family a core word belongs to: its [subjects] equivalents group ("=law" for
    "statute", "law" and "legislation"), else its Snowball stem ("coding" and "code",
    "scheduled" and "scheduling", "forecasts" and "forecasting"). Compare with same_family."""
    return nr.equivalents.get(word) or snowball(word)


# What one family's Snowball stems may differ by at their end ("regul" / "regulatori",
# "deliv" / "deliveri", "grocer" / "groceri", "spray" / "sprayer", "andalusia" / "andalusian").
_FAMILY_ENDINGS = frozenset({"i", "er", "eri", "ori", "atori", "n", "ian"})


@lru_cache(maxsize=1 << 16)
def same_family(x: str, y: str) -> bool:
    """Two word families (see word_family) are one: equal, or the stem of five letters or more
    of one is the other's but for a derivational ending."""
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return (
        len(short) >= 5
        and not short.startswith("=")
        and long.startswith(short)
        and long[len(short) :] in _FAMILY_ENDINGS
    )


def link_words(n: Normal, abbreviations: frozenset[str]) -> frozenset[str]:
    """The keys two claims a link by words may join share (see _shared_words): each family of
    the sentence's and its inherited subjects' core words, and that family without an ending
    of _FAMILY_ENDINGS ("regulatori" and "regul" share "regul"); "^" and each abbreviation
    the claim writes, or spells out of those in ``abbreviations`` (written by other claims)."""
    out: set[str] = set()
    for _, f in (*n.word_families, *n.context_families):
        out.add(f)
        out.update(f[: -len(e)] for e in _FAMILY_ENDINGS if f.endswith(e) and len(f) - len(e) >= 5)
    out.update("^" + x for x in n.acronyms | (n.initials & abbreviations))
    return frozenset(out)


# A word in capitals of two to six letters, maybe with a plural "s" ("EV", "AML", "SMEs").
_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")
# Words that a name's initials skip ("Food and Drug Administration" is FDA).
_INITIALS_SKIP = frozenset({"of", "and", "for", "the", "on", "in", "to", "&"})


# Two or more capitalised words, maybe joined by "of", "and", "for" or "the".
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|&)\s+)?[A-Z][\w'’-]*)+")


def acronyms_of(text: str, nr: NormalRules) -> frozenset[str]:
    """The abbreviations written in capitals in a text, lower case; not the field's own
    ("AI", "LLM": the [subjects] generic_names) nor a date ("Q3")."""
    return frozenset(a.lower() for a in _ACRONYM.findall(text) if a.lower() not in nr.core_skip)


def initials_of(texts: tuple[str, ...], nr: NormalRules) -> frozenset[str]:
    """The initials of every run of two to six distinctive words of each text, each part of a
    hyphenated word one ("anti-money-laundering" is aml, "over-the-air" is ota, "electric
    vehicle" is ev), "of" and "and" skipped; a common word or a number ends a run ("every
    vendor" is no "EV")."""
    out: set[str] = set()
    for text in texts:
        runs: list[list[str]] = [[]]
        for w in _WORD.findall(text.lower()):
            if "-" in w:
                runs[-1].extend(p[0] for p in w.split("-") if p)
            elif w in _INITIALS_SKIP:
                continue
            elif w in _STOP or w in nr.core_skip or stem(w) in nr.core_skip or w[0].isdigit():
                runs.append([])
            else:
                runs[-1].append(w[0])
        for run in runs:
            for i in range(len(run)):
                for j in range(i + 2, min(len(run), i + 6) + 1):
                    out.add("".join(run[i:j]))
    return frozenset(out)


def _without_how(sentence: str, rules: ConflictRules, nr: NormalRules) -> str:
    """The sentence with every phrase that says how a claim is put blanked: stance, hedge,
    verification, caution, reserve, achieved, negation, bound and change words ("commercializ-
    ing", "has not been replicated", "cut ... by"). The same words in two claims say they are put
    alike, not that they are about one thing."""
    c = rules.compiled
    lexicons: list[Lexicon | None] = [
        c.mature,
        c.early,
        *(lex for _, m, e in c.scoped for lex in (m, e)),
        nr.hedge,
        nr.unverified,
        nr.verified,
        nr.caution,
        nr.reserved,
        nr.achieved,
        nr.changes,
        nr.upper,
        nr.lower,
        nr.approx,
    ]
    spans = [m.span() for lex in lexicons if lex is not None for m in lex.finditer(sentence)]
    spans += [m.span() for m in nr.negation.finditer(sentence)]
    out = sentence
    for s, e in spans:
        out = out[:s] + " " * (e - s) + out[e:]
    return out


def _content_tokens(text: str) -> Iterator[str]:
    """The content words of a text in order, as claims compare them: singular, hyphens
    dropped ("multi-modal" and "multimodal", "pre-trained" and "pretrained" are one word)."""
    for w in _WORD.findall(text.lower()):
        if w not in _STOP and not w.isdigit():
            yield stem(w).replace("-", "")


def content_words(text: str) -> frozenset[str]:
    return frozenset(_content_tokens(text))


def leading_words(text: str, n: int) -> frozenset[str]:
    """The first ``n`` content words of a sentence."""
    return frozenset(islice(_content_tokens(text), n))


def normalize_claim(sentence: str, rules: ConflictRules, context: tuple[str, ...] = ()) -> Normal:
    """The normalized claim of one sentence; ``context`` is its section's subjects, inherited
    when the sentence refers back to them ("these models") or names no subject itself."""
    comp = _compiled(rules)
    key = (sentence, context)
    known = comp.normals.get(key)
    if known is not None:
        return known
    if len(comp.normals) > 50_000:
        comp.normals.clear()
    nr = comp.normal
    reading = read_sentence(sentence, rules)
    words_low = set(_WORD.findall(sentence.lower()))
    own = reading.subjects
    inherit = not own or bool(words_low & nr.anaphora)
    subjects = tuple(dict.fromkeys((*own, *(context if inherit else ()))))
    if not subjects:
        # Nothing named and no section to inherit from: the sentence's first content word is
        # what it is about ("Hallucination … is solved", "Stargate's first site …").
        # A subordinate opening ("Although the network has talked up …,") is skipped.
        first = next(
            (w for w in _WORD.findall(sentence.lower()) if w not in _STOP and w not in nr.openers),
            "",
        )
        first = re.sub(r"['’]s$", "", first)
        subjects = (stem(first),) if first and not first[0].isdigit() else ()
    hint_names = {h.name.lower() for h in rules.subjects}
    named = frozenset(s for s in subjects if s not in hint_names)
    read = _quantities(sentence, reading, rules, nr)
    quantities = tuple(q for q, _, _ in read)
    # The sentence without its figures ("six hours", "450 Wh/kg") and how-phrases: what is
    # left says what the claim is about.
    bare = _without_how(sentence, rules, nr)
    for _, _, (s, e) in read:
        bare = bare[:s] + " " * (e - s) + bare[e:]
    core, main_core = core_words(bare, nr), core_words(_main_clause(bare, nr), nr)
    context_core = core_words(" ".join(context), nr) if inherit else frozenset()
    unverified = nr.unverified is not None and nr.unverified.search(sentence) is not None
    checks = nr.verified.finditer(sentence) if nr.verified is not None else []
    # A check in the negative is its absence: "has not been independently reproduced".
    denied = [
        m
        for m in checks
        if _negated_at(sentence, m.start(), nr) or _FAILED_AFTER.search(sentence, m.end())
    ]
    unverified = unverified or bool(denied)
    verified = len(denied) < len(checks)
    verification: Verification = (
        "unverified" if unverified else "verified" if verified else "stated"
    )
    hedged = nr.hedge is not None and nr.hedge.search(_main_clause(sentence, nr)) is not None
    caution = nr.caution is not None and nr.caution.search(sentence) is not None
    achieved = (
        bool(quantities) or reading.stance == "mature" or bool(reading.event_years)
    ) and not hedged
    if not achieved and not hedged:
        achieved = _achievement_said(sentence, nr)
    moved = _direction(sentence, [span for _, _, span in read], rules, nr)
    normal = Normal(
        text=sentence,
        direction=moved.direction,
        direction_families=moved.families,
        direction_heads=moved.heads,
        direction_measures=moved.measures,
        direction_figure=moved.by_figure,
        negated_direction=moved.denied,
        subjects=subjects,
        named=named,
        quantities=quantities,
        surrounds=tuple(x for _, x, _ in read),
        stance=reading.stance,
        negated=_negated(sentence, nr),
        hedged=hedged,
        verification=verification,
        caution=caution,
        achieved=achieved and not caution and verification != "unverified",
        reserved=(
            reading.stance == "early"
            or caution
            or verification == "unverified"
            # A negation a stance phrase took in ("no diminishing returns") is that stance.
            or (reading.stance == "neutral" and _negated(sentence, nr))
            or _reserve_marked(sentence, reading, nr)
            # A hedge ("could perhaps fly within a few years") is a mark of reserve too.
            or hedged
        ),
        event_years=_event_years(sentence, reading, rules),
        target_years=_target_years(sentence, rules, nr),
        words=content_words(sentence),
        main_words=content_words(_main_clause(sentence, nr)),
        lead_words=leading_words(sentence, rules.agreement_lead_words),
        phrases=subject_phrases(sentence, nr),
        core=core,
        main_core=main_core,
        word_families=tuple(sorted((w, word_family(w, nr)) for w in core)),
        families=frozenset(word_family(w, nr) for w in core),
        context_families=tuple(sorted((w, word_family(w, nr)) for w in context_core - core)),
        acronyms=acronyms_of(sentence, nr),
        initials=initials_of((sentence, *(s for s in subjects if s not in hint_names)), nr),
        referred=_referred(sentence, own, hint_names, rules),
        name_initials=frozenset(
            i for m in _CAPITALISED_RUN.finditer(sentence) if (i := full_initials(m.group(0)))
        ),
        times=claim_times(
            sentence,
            nr.timing,
            negation=nr.negation,
            clause_start=lambda at: _clause(sentence, at, at, nr)[0],
        ),
        event_kinds=event_kinds(sentence, nr.timing),
    )
    comp.normals[key] = normal
    return normal


# --- how two claims relate -------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # pairing asks about the same few names millions of times
def names_cover(short: str, long: str) -> bool:
    """One subject name is the other or is contained in it ("loihi 2" in "loihi 2 chip")."""
    if short == long:
        return True
    s, lg = short.split(), long.split()
    if len(s) == len(lg) and s[:-1] == lg[:-1] and _plural_pair(s[-1], lg[-1]):
        return True  # "x-rays" and "x-ray": one name, plural or not
    if len(s) > len(lg):
        s, lg = lg, s
        short = " ".join(s)
    if len(s) == len(lg):
        return False
    distinctive = len(s) >= 2 or any(ch.isdigit() for ch in short) or len(short) >= 4
    return distinctive and all(w in lg for w in s)


def _plural_pair(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return len(short) >= 3 and long == short + "s" and not short.endswith("s")


def shared(a: Normal, b: Normal, *, named_only: bool = False) -> tuple[str, ...]:
    out: list[str] = []
    for s in a.subjects:
        s_named = s in a.named
        if not s_named and named_only:
            continue
        for t in b.subjects:
            if s_named and t in b.named:
                if s == t or names_cover(s, t):
                    out.append(s if len(s) <= len(t) else t)
                elif _abbreviates(s, a, t) or _abbreviates(t, b, s):
                    out.append(s)  # "EU" and "European Union": one name
            elif not named_only and s == t:
                out.append(s)
    # An abbreviation one claim names that is the initials of capitalised words of the other
    # ("the FDA" and "the Food and Drug Administration").
    out.extend(s for s in a.named if s in a.acronyms and s in b.name_initials)
    out.extend(t for t in b.named if t in b.acronyms and t in a.name_initials)
    if not out and not named_only:
        # No subject in common, but the same words for what the claims are about ("laser
        # weeding" in both): that phrase is the shared subject.
        out.extend(shared_phrases(a, b))
    return tuple(dict.fromkeys(out)) if len(out) > 1 else tuple(out)


def _abbreviates(short: str, own: Normal, long: str) -> bool:
    """``short`` is written in capitals in its own claim and is the initials of ``long``."""
    return short in own.acronyms and full_initials(long) == short


def shared_phrases(a: Normal, b: Normal) -> list[str]:
    return sorted(a.phrases & b.phrases)


@dataclass(frozen=True)
class Link:
    """A weaker sign that two claims naming no subject in common are about one thing: the
    distinctive words they share (``words``: two or more, one in a main clause), or a figure
    both quote (same value and unit) with one such word, or alone when it is no round figure of
    a unit everything is counted in. It never makes agreement by itself."""

    subjects: tuple[str, ...]
    by_words: bool
    figure: Quantity | None


# Units so common that one figure in them quoted by two claims says nothing about their
# subject by itself ("30%", "10,000 users", "2 hours"): such a figure needs a word in common.
_COMMON_UNITS = frozenset({"%", "count", "x", "ratio", "seconds"})


def linked(a: Normal, b: Normal) -> Link | None:
    """The weaker link between two claims (see Link), or None; never between claims that each
    name a system the other never mentions."""
    words, families, in_main = _shared_words(a, b)
    by_words = families >= 2 and in_main
    figure = next(
        (
            p
            for p in a.quantities
            for q in b.quantities
            if p.unit == q.unit
            and p.unit != "ratio"
            and "previous" not in (p.bound, q.bound)
            and abs(p.value - q.value) <= 1e-9 * max(abs(p.value), abs(q.value))
            and (words or _distinctive_figure(p))
        ),
        None,
    )
    if not (by_words or figure) or _proper_names_clash(a, b):
        return None
    both_main = a.main_core & b.main_core
    ranked = sorted(words, key=lambda w: (w not in both_main, w not in a.main_core, w))
    return Link(tuple(ranked) or (figure.text if figure else "",), by_words, figure)


def _shared_words(a: Normal, b: Normal) -> tuple[frozenset[str], int, bool]:
    """The core words of ``a`` that ``b`` shares, itself or one of its family ("regulatory" /
    "regulation", "statute" / "law"), in the sentences or one sentence and the other's heading
    subjects, with each abbreviation one side writes and the other spells out ("EV" /
    "electric vehicle"); how many families they are (counted on the side with fewer, so
    "statute" and "legislation" meeting "law" are one); and whether a sentence's main clause
    has one of them."""
    mine: set[str] = set()
    theirs: set[str] = set()
    mine_f: set[str] = set()
    theirs_f: set[str] = set()
    in_main = False
    for xs, ys in (
        (a.word_families, b.word_families),
        (a.word_families, b.context_families),
        (a.context_families, b.word_families),
    ):
        for w, f in xs:
            for v, g in ys:
                if w == v or same_family(f, g):
                    mine.add(w)
                    theirs.add(v)
                    mine_f.add(f)
                    theirs_f.add(g)
                    in_main = in_main or w in a.main_core or v in b.main_core
    spelled = (a.acronyms & b.initials) | (b.acronyms & a.initials)
    words = mine if len(mine) <= len(theirs) else theirs
    return frozenset(words | spelled), min(len(mine_f), len(theirs_f)) + len(spelled), in_main


def _proper_names_clash(a: Normal, b: Normal) -> bool:
    """Each claim names, as written in it, a proper name the other never mentions ("GPT-5" /
    "Claude 3"): two things. A subject taken from a heading or from the first word, and a
    compound of the field's own word ("AI-guided", "AI-discovered"), is no proper name."""

    def unmentioned(x: Normal, y: Normal) -> bool:
        words = set(_TOKEN.findall(y.text.lower()))
        return any(
            not set(_TOKEN.findall(n)) <= words
            and not shared_name(n, y)
            and not spelled(n, x, y)
            and not _kin_mentioned(n, x, y)
            for n in _proper(x)
        )

    return unmentioned(a, b) and unmentioned(b, a)


def _kin_mentioned(name: str, own: Normal, other: Normal) -> bool:
    """Every word of a name of ``own`` is a core word of its whose family the other claim
    writes ("Pupils at ..." / "Students at ...": one [subjects] equivalents group)."""
    families = dict(own.word_families)
    tokens = [stem(t) for t in _TOKEN.findall(name)]
    return bool(tokens) and all(
        t in families and any(same_family(families[t], g) for g in other.families) for t in tokens
    )


def spelled(name: str, own: Normal, other: Normal) -> bool:
    """A name of ``own`` is the other claim's words abbreviated ("EV" / "electric vehicle"), or
    the other claim abbreviates it ("anti-money-laundering" / "AML")."""
    if name in own.acronyms and name in other.initials:
        return True
    return full_initials(name) in other.acronyms


def full_initials(name: str) -> str:
    """The initials of all the words of a name ("food and drug administration" is fda), each
    part of a hyphenated word one ("over-the-air" is ota)."""
    letters = [
        p[0]
        for w in _WORD.findall(name.lower())
        if "-" in w or w not in _INITIALS_SKIP
        for p in w.split("-")
        if p
    ]
    return "".join(letters) if len(letters) >= 2 else ""


def _proper(n: Normal) -> list[str]:
    out: list[str] = []
    low = n.text.lower()
    for name in n.named:
        at = low.find(name)
        if at < 0:
            continue  # inherited from the section, not written in the sentence
        written = _GENERIC_PREFIX.sub("", n.text[at : at + len(name)])
        if any(ch.isupper() or ch.isdigit() for ch in written):
            out.append(name)
    return out


# "AI-" or "LLM-" before a word makes a compound of the field's own words, not a name.
_GENERIC_PREFIX = re.compile(r"^(?:AI|LLM|ML|GenAI)[-\s]+", re.IGNORECASE)


def _distinctive_figure(q: Quantity) -> bool:
    """A figure two claims about different things would hardly both quote: in a unit of its
    own ("450 Wh/kg", "$1.3B"), not a round 1, 2 or 5 times a power of ten ("$1 billion")."""
    if q.unit in _COMMON_UNITS or q.value <= 0:
        return False
    lead = q.value / 10 ** math.floor(math.log10(q.value))
    return not any(abs(lead - r) < 1e-9 for r in (1.0, 2.0, 5.0, 10.0))


def _same_subject(a: str, b: str) -> bool:
    # "" is a number whose clause names no subject: it is about the sentence's subject, which
    # the two sentences share (relate checks that first).
    return not a or not b or a == b or names_cover(a, b)


# Units that say what is measured even when no measure word is near ("$3M a year", "450Wh/kg").
_SELF_MEASURING = frozenset(
    {"usd", "eur", "gbp", "watts", "wh", "wh/kg", "params", "bytes", "seconds", "bits/s"}
)


_NO_SURROUND = Surround()


def _same_concept(
    p: Quantity, q: Quantity, ps: Surround = _NO_SURROUND, qs: Surround = _NO_SURROUND
) -> bool:
    pc, qc = p.concept, q.concept
    guessed = pc.startswith("~") or qc.startswith("~") or not pc or not qc
    if p.unit in _SELF_MEASURING and guessed:
        # "$2.5B" and "$1.3B" for one subject measure the same kind of thing; but a change
        # ("waits fell by 30 minutes") is not a level ("from 2 hours to 90 minutes").
        return not (ps.form and qs.form and ps.form != qs.form and (ps.change or qs.change))
    if pc.startswith("~") != qc.startswith("~") and pc and qc and ps.form and ps.form == qs.form:
        # One measure read from [measures], the other guessed from a nearby word ("cut by
        # roughly three quarters once …": ~once): the same when the guessed figure's clause
        # names the known measure ("training costs … are cut by …" and "reducing costs by").
        known, other = (pc, qs) if qc.startswith("~") else (qc, ps)
        if known in other.measured:
            return True
    if pc.startswith("~") and qc.startswith("~") and ps.form and qs.form:
        # Two changes ("by 60%") are of what their verbs changed, whatever word is nearest.
        same_word = pc == qc and ps.form == qs.form != "by"
        return same_word or _kin_guesses(pc, qc, ps, qs)
    return bool(pc) and pc == qc


def _kin_guesses(pc: str, qc: str, ps: Surround, qs: Surround) -> bool:
    """Two guessed measures name one thing when the two figures are put the same way and most
    of the words for what they measure are shared: "cuts herbicide use on soybean fields by
    over 60%" and "cuts herbicide use by 10-15%" (~field and ~herbicide as guessed). A share
    of a whole ("a third of radiologists") is never a change ("cut reading time by 60%")."""
    if not (pc.startswith("~") and qc.startswith("~")) or not ps.form or ps.form != qs.form:
        return False
    common = ps.measured_kin & qs.measured_kin
    return bool(common) and len(common) > 0.5 * min(len(ps.measured_kin), len(qs.measured_kin))


def _tolerance(unit: str, bound: str, rules: ConflictRules) -> float:
    tol = rules.unit_tolerances.get(unit, rules.numeric_tolerance)
    return tol + (0.1 if bound == "about" else 0.0)


def quantities_agree(p: Quantity, q: Quantity, rules: ConflictRules) -> bool:
    """Whether two quantities of one unit can both be true within the unit's tolerance: the gap
    between their intervals is at most the tolerance of the larger value. Two floors (or two
    ceilings) are thresholds: ">100B" and ">500B" name different lines, so compare the values."""
    tol = max(_tolerance(p.unit, p.bound, rules), _tolerance(q.unit, q.bound, rules))
    same_side = p.bound == q.bound and p.bound in ("at_least", "at_most")
    p_hi: float | None
    q_hi: float | None
    if same_side:
        p_lo = p_hi = p.value
        q_lo = q_hi = q.value
    else:
        p_lo = p.low if p.low is not None else p.value
        q_lo = q.low if q.low is not None else q.value
        p_hi, q_hi = p.high, q.high
    if p_hi is not None and p_hi < q_lo:
        below, above = p_hi, q_lo
    elif q_hi is not None and q_hi < p_lo:
        below, above = q_hi, p_lo
    else:
        return True
    # Relative to the larger of the two facing ends: 4-7 years vs 10-12 years is 3 in 10.
    return above - below <= tol * max(abs(above), abs(below))


def compared(
    a: Normal, b: Normal, rules: ConflictRules
) -> tuple[list[tuple[Quantity, Quantity]], list[tuple[Quantity, Quantity]]]:
    """(agreeing, disagreeing) pairs of quantities about the same subject and concept, concept
    by concept: a figure of ``a`` disagrees when no figure of ``b`` for the same subject and
    concept agrees with it (a matching 5,000 W for H100 cancels nothing about Loihi 2)."""
    agree: list[tuple[Quantity, Quantity]] = []
    differ: list[tuple[Quantity, Quantity]] = []
    current_b = [(q, s) for q, s in _with_surrounds(b) if q.bound != "previous"]
    for p, ps in _with_surrounds(a):
        if p.bound == "previous":
            continue
        candidates = [
            q
            for q, qs in current_b
            if q.unit == p.unit
            and _same_concept(p, q, ps, qs)
            and _same_subject(p.subject, q.subject)
        ]
        # A number anchored to a named subject compares first with numbers anchored to it.
        anchored = [q for q in candidates if p.subject and q.subject]
        candidates = anchored or candidates
        if not candidates:
            candidates = _sole_counterpart(p, a, [q for q, _ in current_b], b)
        if not candidates:
            candidates = _clause_counterpart(p, ps, a, current_b)
        if not candidates:
            candidates = _referred_counterpart(p, ps, a, current_b, b)
        fits = [q for q in candidates if quantities_agree(p, q, rules)]
        if fits:
            agree.append((p, fits[0]))
        elif candidates:
            differ.append((p, candidates[0]))
    return agree, differ


def _with_surrounds(n: Normal) -> list[tuple[Quantity, Surround]]:
    if len(n.surrounds) == len(n.quantities):
        return list(zip(n.quantities, n.surrounds, strict=True))
    return [(q, _NO_SURROUND) for q in n.quantities]


# Just before a noun, words that make it a definite reference to something named elsewhere.
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w'’-]+\s+)?$", re.IGNORECASE)


def _referred(
    sentence: str, own: tuple[str, ...], hint_names: set[str], rules: ConflictRules
) -> frozenset[str]:
    """The hints of ``own`` the sentence refers to as "the chip", "this statute" (a word of
    the hint right after "the", maybe with one word between), when it names no system."""
    if any(s not in hint_names for s in own):
        return frozenset()
    patterns = {h.name.lower(): p for h, p in rules.compiled.subjects}
    out: set[str] = set()
    for s in own:
        pattern = patterns.get(s)
        if pattern is None:
            continue
        for m in pattern.finditer(sentence):
            if _DEFINITE_BEFORE.search(sentence[: m.start()]):
                out.add(s)
                break
    return frozenset(out)


def _referred_counterpart(
    p: Quantity,
    ps: Surround,
    a: Normal,
    current_b: list[tuple[Quantity, Surround]],
    b: Normal,
) -> list[Quantity]:
    """The one figure of ``b`` of p's unit and measure (read from [measures] on both sides, or
    a unit that is a measure by itself) when one figure is of a system one sentence names
    ("the B300 draws 1,400 W") and the other of a thing the other sentence only refers to
    ("the chip draws 700 W"). Each side has that one figure only."""
    mine = [x for x in a.quantities if x.bound != "previous" and x.unit == p.unit]
    theirs = [q for q, _ in current_b if q.unit == p.unit]
    if len(mine) != 1 or len(theirs) != 1:
        return []
    q, qs = next((q, qs) for q, qs in current_b if q.unit == p.unit)
    guessed = p.concept.startswith("~") or q.concept.startswith("~")
    if guessed and p.unit not in _SELF_MEASURING or not _same_concept(p, q, ps, qs):
        return []
    if (p.subject in a.named and q.subject in b.referred) or (
        q.subject in b.named and p.subject in a.referred
    ):
        return [q]
    return []


def _clause_counterpart(
    p: Quantity, ps: Surround, a: Normal, current_b: list[tuple[Quantity, Surround]]
) -> list[Quantity]:
    """The one figure of ``b`` of p's unit and measure whose clause names a subject that p's
    clause names too, though the subjects nearest the two figures differ: "the Parlo engine
    rendered Spanish into English with a delay of 320 ms" and "Parlo's Spanish-to-English
    translation lags by two seconds" time one engine. Each side has that one figure only."""
    mine = [x for x in a.quantities if x.bound != "previous" and x.unit == p.unit]
    theirs = [(q, qs) for q, qs in current_b if q.unit == p.unit]
    if len(mine) != 1 or len(theirs) != 1:
        return []
    q, qs = theirs[0]
    if not _same_concept(p, q, ps, qs):
        return []
    if any(x == y or names_cover(x, y) for x in ps.subjects for y in qs.subjects):
        return [q]
    return []


def _sole_counterpart(
    p: Quantity, a: Normal, current_b: list[Quantity], b: Normal
) -> list[Quantity]:
    """The one figure of ``b`` that can only be the counterpart of ``p``, though its nearest
    subject differs: each sentence has a single figure of that unit and concept, and both
    sentences name both subjects ("TSMC's fab in Arizona will cost $20 billion" and "the fab
    in Arizona will cost TSMC $900 million" price one fab)."""
    mine = [x for x in a.quantities if x.bound != "previous" and x.unit == p.unit]
    theirs = [q for q in current_b if q.unit == p.unit]
    if len(mine) != 1 or len(theirs) != 1 or not _same_concept(p, theirs[0]):
        return []
    q = theirs[0]
    both = {p.subject, q.subject}
    if "" in both or not both <= set(a.subjects) or not both <= set(b.subjects):
        return []
    return [q]


def _same_figure(a: Normal, b: Normal) -> bool:
    """One figure quoted by both for one subject, its measure guessed on a side ("flags 85% of
    sepsis cases" and "its 85% early-detection rate"): the same number is the same claim."""
    return any(
        p.unit == q.unit
        and p.value == q.value
        and (p.concept.startswith("~") or q.concept.startswith("~"))
        and _same_subject(p.subject, q.subject)
        for p in a.quantities
        for q in b.quantities
    )


def context_memo(rules: ConflictRules) -> dict[tuple[str, str], tuple[str, ...]]:
    """Per-rules memo of section contexts, kept as long as the rules object is."""
    comp = _compiled(rules)
    if len(comp.contexts) > _MEMO_MAX:
        comp.contexts.clear()
    return comp.contexts


_MEMO_MAX = 400_000


def topic_hints(rules: ConflictRules, topic: str) -> frozenset[str]:
    """The subject hints (lower case) that name ``topic`` among their topics, per rules."""
    own = _compiled(rules).own_hints
    known = own.get(topic)
    if known is None:
        known = own[topic] = frozenset(h.name.lower() for h in rules.subjects if topic in h.topics)
    return known


def relater(
    rules: ConflictRules,
) -> Callable[[Normal, Normal], tuple[Relation, tuple[str, ...]] | None]:
    """``relate`` under ``rules``, memoized on the two Normal objects (normalize_claim returns
    the same object for the same sentence and context): adding one report relates only the
    pairs it brings; every other pair's answer is the one already found."""
    comp = _compiled(rules)
    if len(comp.relations) > _MEMO_MAX:
        comp.relations.clear()
    memo = comp.relations

    def cached(a: Normal, b: Normal) -> tuple[Relation, tuple[str, ...]] | None:
        key = (id(a), id(b))
        known = memo.get(key)
        if known is not None and known[0] is a and known[1] is b:
            return known[2]
        out = relate(a, b, rules)
        memo[key] = (a, b, out)
        return out

    return cached


def relate(a: Normal, b: Normal, rules: ConflictRules) -> tuple[Relation, tuple[str, ...]] | None:
    """How two claims of different reports relate, with the subjects they share; None when
    they are not about the same thing or say different things without contradiction."""
    subjects = shared(a, b)
    link = None if subjects else linked(a, b)
    if link is not None:
        subjects = link.subjects
    if not subjects:
        kin = _kindred(a, b, rules)
        # The softer kind also holds between techniques of one field ("drug discovery" and
        # "healthcare"): validation in healthcare is about the drug-cost figures too.
        for x, y in ((a, b), (b, a)):
            if kin and x.achieved and y.caution and not x.caution:
                return "caution", kin
        return None
    agree_q, differ_q = compared(a, b, rules)
    if differ_q:
        p, _ = differ_q[0]
        return "numeric", tuple(dict.fromkeys((p.subject, *subjects)))
    for x, y in ((a, b), (b, a)):
        states = bool(y.quantities) or y.stance == "mature" or y.achieved
        if (
            x.verification == "unverified"
            and y.verification != "unverified"
            and states
            and (
                _overlap(x, y) >= rules.agreement_overlap
                or agree_q
                or _same_figure(x, y)
                or (link is not None and link.figure is not None)
            )
        ):
            return "verification", subjects
    named = shared(a, b, named_only=True)
    if (
        named
        and a.event_years
        and b.event_years
        and not set(a.event_years) & set(b.event_years)
        and not _times_meet(a, b)
    ):
        return "timeline", named
    # A forecast needs no named system: the same statement with another target year.
    if (
        a.target_years
        and b.target_years
        and not set(a.target_years) & set(b.target_years)
        # ... or the same forecast figure ("15M lost jobs by 2030" / "15 million … for 2040")
        and (_overlap(a, b) >= SAME_STATEMENT or agree_q)
    ):
        return "timeline", subjects
    if _dated_apart(a, b, link):
        return "timeline", subjects
    if {a.stance, b.stance} == {"mature", "early"}:
        return "stance", subjects
    if (link is None or link.by_words) and _opposite_directions(a, b):
        return "stance", subjects
    overlap = _overlap(a, b)
    # Polarity only where no stance phrase took the negation in already; a denied fall is no
    # denial of a rise ("are rising" / "did not fall").
    if (
        a.stance == b.stance == "neutral"
        and _polar(a) != _polar(b)
        and overlap >= SAME_STATEMENT
        and not _denies_the_opposite(a, b)
    ):
        return "stance", subjects
    # A claim presented as achieved, and the same statement negated where no stance phrase took
    # the negation in ("has seen marked improvements" / "has not improved").
    for x, y in ((a, b), (b, a)):
        if (
            x.stance == "mature"
            and not x.hedged
            and y.stance == "neutral"
            and _polar(y)
            and _share(_roots(x.words), _roots(y.main_words)) >= SAME_STATEMENT
        ):
            return "stance", subjects
    for x, y in ((a, b), (b, a)):
        if x.achieved and y.caution and not x.caution:
            return "caution", subjects
    if a.stance != b.stance and "neutral" not in (a.stance, b.stance):
        return None
    # Conservative: one side reserved (early, caution, unverified, negated, "still",
    # "persist") and the other not is no agreement, even where no disagreement was named.
    if a.reserved != b.reserved:
        return None
    # A weaker link makes agreement only with shared words and an agreeing figure both.
    if link is not None and not (link.by_words and agree_q):
        return None
    if not agree_q and _signs_of_difference(a, b, rules):
        return None
    # Two words in common are enough to compare two claims, not to say they make one point:
    # agreement on a subject phrase alone needs an agreeing figure (a wrong agreement is worse
    # than none).
    if not agree_q and set(subjects) <= set(shared_phrases(a, b)):
        return None
    if not agree_q and _plain(a, b) and not _same_point_in_words(a, b, rules):
        return None
    # The same point: an agreeing figure, enough words in common, or two subjects in common.
    if agree_q or overlap >= rules.agreement_overlap or len(subjects) >= 2:
        return "agree", subjects
    return None


def _opposite_directions(a: Normal, b: Normal) -> bool:
    """One measure said to go up in one claim and down in the other ("battery installations
    are rising" / "additions of battery capacity fell"): the words for what moves share a
    family on the two sides ("synthetic data reduces costs" / "… increases accuracy" do not),
    the two are not dated apart ("rose in 2023" / "fell in 2024" is no contradiction), and no
    figure both give in one unit is what the direction word changes ("cut by 40%"): numbers
    decide that."""
    if {a.direction, b.direction} != {"up", "down"}:
        return False
    if (a.direction_measures or b.direction_measures) and not (
        a.direction_measures & b.direction_measures
    ):
        return False  # "reduces costs" / "increases accuracy", "robot costs" / "deployments"
    # "sales of electric vehicles" / "emissions of electric vehicles": the heads decide.
    heads_differ = not any(same_family(f, g) for f in a.direction_heads for g in b.direction_heads)
    if a.direction_heads and b.direction_heads and heads_differ:
        return False
    if not any(same_family(f, g) for f in a.direction_families for g in b.direction_families):
        return False
    years_a, years_b = set(_YEAR.findall(a.text)), set(_YEAR.findall(b.text))
    if (years_a and years_b and not years_a & years_b) or times_apart(a.times, b.times):
        return False
    figure_decides = (a.direction_figure or b.direction_figure) and any(
        p.unit == q.unit for p in a.quantities for q in b.quantities
    )
    return not figure_decides


def _denies_the_opposite(a: Normal, b: Normal) -> bool:
    """One claim gives a direction and the other denies the opposite one ("installations are
    rising" / "installations did not fall"): the negation does not contradict."""
    return any(
        x.direction and y.negated_direction and x.direction != y.negated_direction
        for x, y in ((a, b), (b, a))
    )


def _plain(a: Normal, b: Normal) -> bool:
    """Neither claim presents a stage and they are not both dated: words are all they share."""
    return a.stance == b.stance == "neutral" and not (a.times and b.times)


def _same_point_in_words(a: Normal, b: Normal, rules: ConflictRules) -> bool:
    """Words alone make one point when enough of them are shared past where the subject is
    named (the first words of each sentence), or the shared words are a large share of all
    the words of both (Jaccard)."""
    shared = a.words & b.words
    if len(shared - a.lead_words - b.lead_words) >= rules.plain_agreement_words:
        return True
    union = a.words | b.words
    return bool(union) and len(shared) / len(union) >= rules.plain_agreement_overlap


def _dated_apart(a: Normal, b: Normal, link: Link | None = None) -> bool:
    """The same event of the same subject dated at times that cannot meet ("takes effect on
    1 January 2026" / "has applied since August 2024"; "in Q2 2026" / "not before late 2028"):
    a disagreement about when, whatever the stance words say. The same event: both name one
    kind of event, or they are the same statement; the same subject: a shared named system or
    subject phrase, and no other system named on each side; or a link by words (see linked:
    "the statute" under "Data Retention Legislation" and "the data-retention law"), which
    already holds that no sentence names a system the other never mentions."""
    if not times_apart(a.times, b.times):
        return False
    same_statement = _overlap(a, b) >= SAME_STATEMENT
    same_event = bool(a.event_kinds & b.event_kinds) or same_statement
    if link is not None:
        return same_event and link.by_words
    same_subject = bool(shared(a, b, named_only=True) or shared_phrases(a, b))
    return same_event and same_subject and not _names_clash(a, b)


def _polar(x: Normal) -> bool:
    """The claim is negated, and not only where a negation places a date: "will not launch
    before 2027" says when it launches, not that it does not."""
    return x.negated and not any(t.by_negation for t in x.times)


def _times_meet(a: Normal, b: Normal) -> bool:
    """Both claims are dated and some time of one can meet a time of the other ("not before
    2027" and "in 2028"): different years are then no disagreement."""
    return bool(a.times and b.times) and not times_apart(a.times, b.times)


def _names_clash(a: Normal, b: Normal) -> bool:
    """Each claim names a system the other never mentions ("the Colorado AI Act" / "the EU AI
    Act"): two things, whatever else they share."""

    def unmentioned(x: Normal, y: Normal) -> bool:
        words = set(_TOKEN.findall(y.text.lower()))
        return any(not set(_TOKEN.findall(n)) <= words for n in x.named if not shared_name(n, y))

    return bool(a.named and b.named) and unmentioned(a, b) and unmentioned(b, a)


def shared_name(name: str, other: Normal) -> bool:
    return any(name == t or names_cover(name, t) for t in other.named)


def _signs_of_difference(a: Normal, b: Normal, rules: ConflictRules) -> bool:
    """Agreement needs the absence of any sign that the two claims differ, even where no
    disagreement kind could be named (a wrong agreement is worse than none): figures in one
    unit none of which agree across the two; event or target years that do not meet."""
    mine = [q for q in a.quantities if q.bound != "previous"]
    theirs = [q for q in b.quantities if q.bound != "previous"]
    same_unit = [(p, q) for p in mine for q in theirs if p.unit == q.unit]
    if same_unit and not any(quantities_agree(p, q, rules) for p, q in same_unit):
        return True  # figures in one unit, none of which agree with the other side's
    for x, y in ((a.event_years, b.event_years), (a.target_years, b.target_years)):
        if x and y and not set(x) & set(y):
            return True
    if times_apart(a.times, b.times):
        return True  # "in late 2025" / "since March 2025": one year, times that cannot meet
    # Any years the two sentences give, and none in common ("takes effect on 1 January 2026" /
    # "has applied since August 2024"): not shown to be the same point.
    years_a, years_b = set(_YEAR.findall(a.text)), set(_YEAR.findall(b.text))
    return bool(years_a and years_b and not years_a & years_b)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


# Share of content words two claims must have in common to be the same statement told
# differently (its negation, another target year), not just the same point.
SAME_STATEMENT = 0.5


def _kindred(a: Normal, b: Normal, rules: ConflictRules) -> tuple[str, ...]:
    topics = _compiled(rules).hint_topics
    none: frozenset[str] = frozenset()
    return tuple(
        dict.fromkeys(
            s
            for s in a.subjects
            for t in b.subjects
            if s != t and topics.get(s, none) & topics.get(t, none)
        )
    )


def _roots(words: frozenset[str]) -> frozenset[str]:
    """Words cut to a rough root, compounds split: "real-time learning" and "learn in real
    time" are the same words told another way (only to tell a denial of the same statement)."""
    out: set[str] = set()
    for w in words:
        for part in w.split("-"):
            out.add(_INFLECTION.sub("", part) if len(part) > 5 else part)
    return frozenset(out)


_INFLECTION = re.compile(r"(?:ing|ed|es|s)$")


def _overlap(a: Normal, b: Normal) -> float:
    return _share(a.words, b.words)


def _share(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))
