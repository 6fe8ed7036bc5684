"""Pure: the word lists and thresholds claims and flags are decided by, compiled to regexes once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from bot.conflicts.lexicon import (
    CONTRACTED_NOT,
    Lexicon,
    optional_lexicon,
    phrase_before,
    phrase_regex,
)

if TYPE_CHECKING:
    from bot.conflicts.claims import Reading

# --- rules (lexicons and thresholds; content/rules.toml overrides every field) ------------------


class SubjectHint(BaseModel):
    """A technique or aspect a report can talk about, with the ways it is written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    patterns: tuple[str, ...]
    topics: tuple[str, ...] = ()


class ScopedStance(BaseModel):
    """Stance phrases that only count in a sentence about one subject ("diminishing returns"
    says scaling is limited; "progressive scaling" says it keeps working)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str
    mature: tuple[str, ...] = ()
    early: tuple[str, ...] = ()


class ConflictRules(BaseModel):
    """Everything claim extraction and flag detection decide by; read from content/rules.toml.

    Phrase syntax (stance, measures, events, subjects): case-insensitive, whole words,
    ``*`` ends a word with any suffix ("commerciali*"), ``~`` stands for up to three words
    ("substantial ~ hurdles"); a hyphen and a space between words are one separator ("early
    stage" matches "early-stage", "proof-of-concept" matches "proof of concept").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Stance lexicons.
    mature: tuple[str, ...] = (
        "now embedded",
        "commerciali*",
        "cornerstone",
        "formally recogni*",
        "marked improvement*",
        "widely adopted",
        "widely deployed",
        "mainstream",
        "production-ready",
        "well-established",
        "paradigm shift",
        "has resulted in",
        "significant strides",
        "now underpin*",
        "are now equipped",
        "have become integral",
        "revolutioniz*",
        "proven",
    )
    early: tuple[str, ...] = (
        "early stage*",
        "in its infancy",
        "nascent",
        "remain* a ~ challenge",
        "substantial ~ hurdles",
        "hurdles remain",
        "limited insights",
        "lack of",
        "further research is needed",
        "remain* ~ concerns",
        "efforts are underway",
        "diminishing returns",
        "not yet",
        "unsolved",
        "open problem",
        "not always sufficient",
        "hinders progress",
        "experimental",
        "proof of concept",
    )
    scoped: tuple[ScopedStance, ...] = ()
    # Words that flip a stance phrase that follows within three words ("no longer nascent").
    negators: tuple[str, ...] = (
        "no longer",
        "no",
        "not",
        "never",
        "without",
        "beyond",
        "past",
        "moved past",
    )
    # Words that leave a stage. After a negation the stage still holds: "has not left the
    # prototype stage", "never got past a pilot" are early, though a negator precedes them.
    exits: tuple[str, ...] = ("beyond", "past", "moved past", "left", "out of", "outgrown")
    # Words that make a maturity phrase after them a possibility ("could revolutionize").
    hedges: tuple[str, ...] = ("could", "might", "may", "would", "potential*", "promis*", "aim* to")
    # Surface unit -> (canonical unit, factor).
    units: dict[str, tuple[str, float]] = Field(
        default_factory=lambda: {
            "parameters": ("params", 1.0),
            "parameter": ("params", 1.0),
            "params": ("params", 1.0),
            "watts": ("watts", 1.0),
            "watt": ("watts", 1.0),
            "w": ("watts", 1.0),
            "kw": ("watts", 1e3),
            "mw": ("watts", 1e6),
            "gw": ("watts", 1e9),
            "wh": ("wh", 1.0),
            "kwh": ("wh", 1e3),
            "mwh": ("wh", 1e6),
            "gwh": ("wh", 1e9),
            "wh/kg": ("wh/kg", 1.0),
            "minutes": ("seconds", 60.0),
            "hours": ("seconds", 3600.0),
            "hour": ("seconds", 3600.0),
            "days": ("seconds", 86400.0),
            "years": ("seconds", 31557600.0),
            "year": ("seconds", 31557600.0),
            "months": ("seconds", 2629800.0),
            "gbps": ("bits/s", 1e9),
            "tbps": ("bits/s", 1e12),
            "terabytes": ("bytes", 1e12),
            "tb": ("bytes", 1e12),
            "gb": ("bytes", 1e9),
            "languages": ("languages", 1.0),
            "bit": ("bits", 1.0),
            "bits": ("bits", 1.0),
        }
    )
    # Scale words after a number: "12M", "2.6 billion".
    scales: dict[str, float] = Field(
        default_factory=lambda: {
            "k": 1e3,
            "thousand": 1e3,
            "m": 1e6,
            "million": 1e6,
            "b": 1e9,
            "bn": 1e9,
            "billion": 1e9,
            "t": 1e12,
            "trillion": 1e12,
        }
    )
    currencies: dict[str, str] = Field(default_factory=lambda: {"$": "usd", "€": "eur", "£": "gbp"})
    # Words before a number that belong to it ("up to 40%").
    qualifiers: tuple[str, ...] = (
        "up to",
        "over",
        "more than",
        "less than",
        "nearly",
        "about",
        "around",
        "at least",
        "at most",
        "roughly",
        "approximately",
        "almost",
    )
    # What a number measures, found near it: measure -> phrases.
    measures: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {
            "cost": ("cost*", "saving*", "price*", "spend*", "cheaper"),
            "accuracy": ("accura*", "fluency", "reliab*"),
            "error_rate": ("error rate*", "failure rate*"),
            "energy": ("energy", "power", "watt*", "electricity"),
            "size": ("parameter*",),
            "jobs": ("job*", "role*", "worker*", "profession*"),
            "fines": ("fine*", "penalt*"),
        }
    )
    # Canonical units that are a measure by themselves.
    unit_measures: dict[str, str] = Field(
        default_factory=lambda: {"params": "size", "watts": "energy", "wh": "energy"}
    )
    subjects: tuple[SubjectHint, ...] = ()
    # Capitalised words that are not named systems (sentence openers, the field's own words).
    generic_names: tuple[str, ...] = ("ai", "llm", "llms", "the", "this", "these", "however")
    # Words any claim may use whatever it is about ("percent", "reported", "based"): never one
    # of the distinctive words two claims must share to be about one thing (see normal.py).
    common_words: tuple[str, ...] = ()
    # Groups of general words that name one kind of thing ("statute", "law", "legislation"):
    # two claims using one word of a group each share that word when linked (see normal.py).
    word_equivalents: tuple[tuple[str, ...], ...] = ()
    # Verbs that date an event ("effective 2024", "took effect in 2026").
    events: tuple[str, ...] = (
        "effective",
        "in force",
        "take* effect",
        "took effect",
        "launch*",
        "releas*",
        "introduc*",
        "enact*",
        "adopt*",
        "announc*",
        "approv*",
        "pass*",
    )
    # Words before a year that make it a target date ("by 2035", "no later than 2030"): two
    # reports giving different target years for the same statement disagree about timing.
    targets: tuple[str, ...] = ("by", "before", "no later than")
    # Words before a date that place what a claim says at that date or from it on ("since
    # August 2024", "from 1 January 2026"): the date is the claim's time even with no event verb.
    time_starts: tuple[str, ...] = ("since", "from", "as of", "starting", "as early as")
    # Words before a date that make it the earliest time the claim allows ("not before 2029",
    # "not until spring 2028", "given until 2030 before it becomes mandatory").
    time_not_before: tuple[str, ...] = (
        "not before",
        "not until",
        "no earlier than",
        "given until",
        "have until",
        "has until",
    )
    # Words that, in a negated clause, make a date the earliest time too ("will not be required
    # of insurers before July 2028").
    time_held_off: tuple[str, ...] = ("before", "until")
    # Parts of a year and the months they can mean ("late 2028" is September to December; a
    # month past 12 is in the next year: "winter 2026" may run to February 2027).
    date_parts: dict[str, tuple[int, int]] = Field(
        default_factory=lambda: {
            "early": (1, 4),
            "mid": (5, 8),
            "late": (9, 12),
            "start": (1, 3),
            "beginning": (1, 3),
            "end": (10, 12),
            "spring": (3, 5),
            "summer": (6, 8),
            "autumn": (9, 11),
            "winter": (1, 14),
        }
    )
    # Kinds of event a date can be the time of: two dated claims about one subject that name
    # the same kind are about the same event, even in other words ("comes into force" and
    # "will not have to comply").
    event_kinds: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    abbreviations: tuple[str, ...] = ("e.g.", "i.e.", "vs.", "etc.", "cf.", "approx.", "no.")

    # --- normalized claims ([quantities] and [claims] in rules.toml) ---
    # Relative tolerance per canonical unit (numeric_tolerance for the others).
    unit_tolerances: dict[str, float] = Field(default_factory=lambda: {"%": 0.15})
    # Qualifiers that make a number a ceiling, a floor or an estimate.
    upper_bounds: tuple[str, ...] = ("at most", "less than", "under", "no more than", "below")
    lower_bounds: tuple[str, ...] = ("at least", "more than", "over", "above", ">")
    approximate: tuple[str, ...] = (
        "about",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
        "as much as",
    )
    # Words that are a ratio by themselves: "halved" is x0.5, "tenfold" is x10.
    ratios: dict[str, float] = Field(
        default_factory=lambda: {
            "halved": 0.5,
            "halve*": 0.5,
            "doubled": 2.0,
            "tripled": 3.0,
            "tenfold": 10.0,
        }
    )
    # Fractions in words, by denominator: "a third" is 33.3%, "two thirds of" 66.7%.
    fractions: dict[str, int] = Field(
        default_factory=lambda: {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
    )
    # Verbs of change: in "cuts herbicide use by 60%" what the figure measures is the verb's
    # object ("herbicide use"), or, with none, what comes before it ("rates rise by a third").
    change_verbs: tuple[str, ...] = (
        "cut*",
        "reduc*",
        "lower*",
        "rais*",
        "increas*",
        "boost*",
        "lift*",
        "trim*",
        "shorten*",
        "rise*",
        "rose",
        "fall*",
        "fell",
        "drop*",
        "grow*",
        "grew",
        "improv*",
        "sav*",
        "slash*",
    )
    # Vague counts before a scale word, as a range: "a few thousand" is 2,000-5,000.
    vague_numbers: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {"a few": (2.0, 5.0), "several": (3.0, 9.0)}
    )
    # The claim's figure or result is not established by the report itself.
    unverified: tuple[str, ...] = (
        "not been reproduced",
        "not reproduced",
        "unverified",
        "not been independently verified",
        "not independently verified",
        "vendor demos",
        "only in vendor",
        "according to the vendor",
        "vendor-reported",
        "could not be replicated",
        "failed to replicate",
        "not been replicated",
    )
    # The claim reports an independent check.
    verified: tuple[str, ...] = (
        "independent tests found",
        "independently verified",
        "independently reproduced",
        "independent benchmark*",
        "in our benchmark",
        "measured on real workloads",
        "replicated",
    )
    # Validation, limits or open problems remain (the softer side of a `caution` flag).
    caution: tuple[str, ...] = (
        "rigorous validation",
        "validation ~ crucial",
        "requires ~ validation",
        "still evolving",
        "are evolving",
        "evolving ~ framework*",
        "open problem*",
        "limitations",
        "inconsistenc*",
        "challenges include",
        "remain* a ~ challenge",
        "remain* ~ concerns",
        "not always sufficient",
        "developing frameworks",
    )
    # Any mark of reserve (early, limited, still, persisting problems) that keeps two claims
    # from being called agreement when the other claim carries none, even where no stance
    # or caution phrase names it: an unknown relation is better than a wrong agreement.
    reserved: tuple[str, ...] = ()
    # Words of a measure going up or down ("installations are rising", "additions fell"): the
    # claim's direction. Two claims about one measure of one subject in opposite directions
    # disagree (a `stance` flag). Empty: no direction is read.
    rising: tuple[str, ...] = ()
    falling: tuple[str, ...] = ()
    # Phrases in which a rising or falling word says no direction ("falls under the Act",
    # "cutting-edge", "gave rise to").
    not_direction: tuple[str, ...] = ()
    # The claim presents something as achieved (the other side of a `caution` flag).
    achieved: tuple[str, ...] = (
        "now",
        "in force",
        "has dropped",
        "have shrunk",
        "has shrunk",
        "achieves",
        "achieved",
        "revolutioniz*",
        "imposes",
    )
    # Words that end the clause a number or a negation belongs to.
    clause_breaks: tuple[str, ...] = (
        "versus",
        "vs.",
        "vs",
        "compared with",
        "compared to",
        "while",
        "whereas",
        "but",
        "than",
    )
    # A sentence opening with one of these puts a subordinate clause first: its main clause
    # (where a negation says what the sentence claims) is the one after the first comma.
    subordinators: tuple[str, ...] = (
        "although",
        "though",
        "even though",
        "even if",
        "despite",
        "while",
        "whereas",
    )
    # A sentence with one of these refers back to its section's subject ("these models").
    anaphora: tuple[str, ...] = (
        "these",
        "this",
        "such",
        "they",
        "their",
        "its",
        "it",
        "those",
    )
    # Share of content words two claims must have in common to make the same point.
    agreement_overlap: float = Field(default=0.12, ge=0.0, le=1.0)
    # Two plain statements (no stance, no agreeing figure, no dates on both) make the same point
    # only when the words they share are this share of all their words (Jaccard) ...
    plain_agreement_overlap: float = Field(default=0.0, ge=0.0, le=1.0)
    # ... or share this many words past the first `agreement_lead_words` content words of each.
    plain_agreement_words: int = Field(default=0, ge=0)
    agreement_lead_words: int = Field(default=4, ge=0)

    # Thresholds.
    numeric_tolerance: float = Field(default=0.25, ge=0.0, le=10.0)
    consensus_min_sources: int = Field(default=3, ge=2)
    max_sides: int = Field(default=3, ge=1)
    window_words: int = Field(default=6, ge=1)
    min_claim_words: int = Field(default=5, ge=1)
    year_min: int = 1900
    year_max: int = 2100

    @cached_property
    def compiled(self) -> CompiledRules:
        return _compile(self)


DEFAULT_RULES = ConflictRules()


# --- compiled ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRules:
    mature: Lexicon | None
    early: Lexicon | None
    negator: re.Pattern[str] | None
    hedge: re.Pattern[str] | None
    quantity: re.Pattern[str]
    measures: tuple[tuple[str, Lexicon], ...]
    subjects: tuple[tuple[SubjectHint, Lexicon], ...]
    scoped: tuple[tuple[str, Lexicon | None, Lexicon | None], ...]
    # A negation, then an exit word, just before a stance phrase: the negations cancel.
    exit_negated: re.Pattern[str] | None
    events: Lexicon | None
    generic: frozenset[str]
    # Sentences already read with these rules (ingest and detection read each one).
    readings: dict[str, Reading] = field(default_factory=dict)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _compile(rules: ConflictRules) -> CompiledRules:
    def alt(words: object) -> str:
        items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
        return "|".join(re.escape(w) for w in items) or r"(?!x)x"

    quals = alt(rules.qualifiers)
    cur = alt(rules.currencies)
    scale = alt(rules.scales)
    unit = alt(rules.units)
    quantity = re.compile(
        rf"(?:(?P<qual>\b(?:{quals}))\s+)?(?P<cmp>[><~≈]\s?)?(?P<cur>{cur})?"
        rf"(?<![\w.,/-])(?P<num>{_NUM})(?![\d])"
        rf"(?:\s?(?:–|—|-|to)\s?(?P=cur)?(?P<num2>{_NUM}))?"
        rf"(?:\s?(?P<scale>{scale})(?![a-z]))?(?P<plus>\+)?"
        rf"(?:\s?(?P<pct>%|percent\b|per cent\b)|\s?(?P<x>[x×])(?![\w.])"
        rf"|[\s-]?(?P<unit>{unit})(?![\w]))?",
        re.IGNORECASE,
    )
    return CompiledRules(
        mature=optional_lexicon(rules.mature),
        early=optional_lexicon(rules.early),
        negator=(
            re.compile(
                r"(?:"
                + "|".join(phrase_regex(n) for n in rules.negators)
                + "|"
                + CONTRACTED_NOT
                + r")\s+"
                r"(?:[\w'’-]+\s+){0,2}$",
                re.IGNORECASE,
            )
            if rules.negators
            else None
        ),
        hedge=phrase_before(tuple(rules.hedges), 2),
        quantity=quantity,
        measures=tuple(
            (m, p) for m, ps in rules.measures.items() if (p := optional_lexicon(ps)) is not None
        ),
        subjects=tuple(
            (h, p) for h in rules.subjects if (p := optional_lexicon(h.patterns)) is not None
        ),
        scoped=tuple(
            (sc.subject.lower(), optional_lexicon(sc.mature), optional_lexicon(sc.early))
            for sc in rules.scoped
        ),
        exit_negated=_exit_negated(rules),
        events=optional_lexicon(rules.events),
        generic=frozenset(g.lower() for g in rules.generic_names),
    )


def _exit_negated(rules: ConflictRules) -> re.Pattern[str] | None:
    negations = [n for n in rules.negators if n not in rules.exits]
    if not negations or not rules.exits:
        return None
    neg = "|".join(phrase_regex(n) for n in negations) + "|" + CONTRACTED_NOT
    exits = "|".join(phrase_regex(e) for e in rules.exits)
    return re.compile(
        rf"(?:{neg})\s+(?:[\w'’-]+\s+){{0,2}}?(?:{exits})\s+(?:[\w'’-]+\s+){{0,2}}$",
        re.IGNORECASE,
    )
