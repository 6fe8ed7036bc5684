"""Pure: pick the checkable sentences of a section and read their quantities, years and stance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from bot.models import Claim, Quantity, Stance

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
    ("substantial ~ hurdles").
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
    negators: tuple[str, ...] = ("no longer", "not", "never", "beyond", "past", "moved past")
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
            "kwh": ("wh", 1e3),
            "mwh": ("wh", 1e6),
            "gwh": ("wh", 1e9),
            "wh/kg": ("wh/kg", 1.0),
            "hours": ("hours", 1.0),
            "hour": ("hours", 1.0),
            "days": ("days", 1.0),
            "years": ("years", 1.0),
            "year": ("years", 1.0),
            "months": ("months", 1.0),
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
            "accuracy": ("accura*", "fluency", "error rate*"),
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
    abbreviations: tuple[str, ...] = ("e.g.", "i.e.", "vs.", "etc.", "cf.", "approx.", "no.")

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


# --- phrase patterns -----------------------------------------------------------------------


def phrase_regex(phrase: str) -> str:
    """The regex for one lexicon phrase (see ConflictRules for the syntax)."""
    words = phrase.strip().split()
    parts: list[str] = []
    for w in words:
        if w == "~":
            parts.append(r"(?:[\w'’-]+\s+){0,3}?")
            continue
        star = w.endswith("*")
        core = re.escape(w.rstrip("*"))
        parts.append(core + (r"[\w-]*" if star else "") + r"\s+")
    body = "".join(parts)
    body = body[: -len(r"\s+")] if body.endswith(r"\s+") else body
    return _BEFORE + body + _AFTER


_BEFORE, _AFTER = r"(?<![\w-])", r"(?![\w])"


class Lexicon:
    """One regex over a list of phrases, skipped cheaply when no phrase's first word occurs."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        ps = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
        # One boundary check around the alternation, not one per phrase: much faster.
        bodies = "|".join(phrase_regex(p)[len(_BEFORE) : -len(_AFTER)] for p in ps)
        self.pattern = re.compile(f"{_BEFORE}(?:{bodies}){_AFTER}", re.IGNORECASE)
        firsts = [p.split()[0].rstrip("*").lower() for p in ps]
        # A phrase starting with "~" or "*" has no literal first word: always run the regex.
        self.keys: tuple[str, ...] | None = (
            None if any(not f or f == "~" for f in firsts) else (tuple(dict.fromkeys(firsts)))
        )

    def _maybe(self, text: str) -> bool:
        if self.keys is None:
            return True
        low = text.lower()
        return any(k in low for k in self.keys)

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text)) if self._maybe(text) else []

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._maybe(text) else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)


def _alternation(phrases: tuple[str, ...]) -> Lexicon | None:
    return Lexicon(phrases) if any(p.strip() for p in phrases) else None


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
        mature=_alternation(rules.mature),
        early=_alternation(rules.early),
        negator=(
            re.compile(
                r"(?:" + "|".join(phrase_regex(n) for n in rules.negators) + r")\s+"
                r"(?:[\w'’-]+\s+){0,2}$",
                re.IGNORECASE,
            )
            if rules.negators
            else None
        ),
        hedge=(
            re.compile(
                r"(?:" + "|".join(phrase_regex(n) for n in rules.hedges) + r")\s+"
                r"(?:[\w'’-]+\s+){0,2}$",
                re.IGNORECASE,
            )
            if rules.hedges
            else None
        ),
        quantity=quantity,
        measures=tuple(
            (m, p) for m, ps in rules.measures.items() if (p := _alternation(ps)) is not None
        ),
        subjects=tuple(
            (h, p) for h in rules.subjects if (p := _alternation(h.patterns)) is not None
        ),
        scoped=tuple(
            (sc.subject.lower(), _alternation(sc.mature), _alternation(sc.early))
            for sc in rules.scoped
        ),
        events=_alternation(rules.events),
        generic=frozenset(g.lower() for g in rules.generic_names),
    )


# --- sentences -----------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9])")
_BULLET = re.compile(r"(?:^|\s)[-*•]\s+(?=\S)")
_EMPHASIS = re.compile(r"\*\*|__|`")


def split_sentences(text: str, rules: ConflictRules = DEFAULT_RULES) -> list[str]:
    """Sentences of a section body; list items are sentences of their own."""
    abbrevs = {a.lower() for a in rules.abbreviations}
    out: list[str] = []
    for line in text.split("\n"):
        for piece in _BULLET.split(_EMPHASIS.sub("", line)):
            piece = piece.strip()
            start = 0
            for m in _BOUNDARY.finditer(piece):
                word = piece[piece.rfind(" ", 0, m.start()) + 1 : m.start() + 1].lower()
                if word in abbrevs or re.fullmatch(r"\(?(?:[a-z]\.){2,}", word):
                    continue
                out.append(piece[start : m.end()].strip())
                start = m.end()
            if piece[start:].strip():
                out.append(piece[start:].strip())
    return [s for s in out if s]


# --- what one sentence says ------------------------------------------------------------------


@dataclass(frozen=True)
class StanceHit:
    stance: Stance
    phrase: str  # as written in the sentence
    start: int


@dataclass(frozen=True)
class Reading:
    """What one sentence says, with the positions the flag summaries quote."""

    subjects: tuple[str, ...]
    quantities: tuple[tuple[Quantity, str], ...]  # (quantity, measure or "")
    years: tuple[int, ...]
    event_years: tuple[int, ...]  # years next to an event verb ("effective 2024")
    stance: Stance
    stance_hits: tuple[StanceHit, ...]
    hint_topics: tuple[str, ...]


_WORD = re.compile(r"[\w'’-]+")
_YEAR = re.compile(r"(?<![\w.$,-])(\d{4})(?![\d%]|[.,]\d)")
# A run of capitalised / mixed-case / versioned words: a named system or body.
_NAME_TOKEN = r"(?:[A-Z][\w'’.+-]*[\w+]|[A-Z]|\d+(?:\.\d+|\.x)?(?=[\s,;:)]|$))"
_NAME = re.compile(rf"(?<![\w-]){_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}))*")
_INNER_CAP = re.compile(r"^[A-Z]?[a-z0-9]+[A-Z]|^[A-Z]{2,}|\d|-[A-Z0-9]")


def _hits(pattern: Lexicon | None, text: str) -> list[re.Match[str]]:
    return pattern.finditer(text) if pattern is not None else []


def read_stance(
    sentence: str, rules: ConflictRules = DEFAULT_RULES, subjects: tuple[str, ...] = ()
) -> tuple[Stance, tuple[StanceHit, ...]]:
    """Stance of a sentence: "early" if it qualifies anything as early or limited (a hedged
    claim of maturity is a claim of limits), else "mature" if it presents something as
    achieved, else "neutral". A negator just before a phrase flips it ("no longer nascent")."""
    c = rules.compiled
    hits: list[StanceHit] = []
    lexicons: list[tuple[Lexicon | None, str, str]] = [
        (c.mature, "mature", "early"),
        (c.early, "early", "mature"),
    ]
    for subject, mature, early in c.scoped:
        if subject in subjects:
            lexicons += [(mature, "mature", "early"), (early, "early", "mature")]
    for pattern, stance, flipped in lexicons:
        for m in _hits(pattern, sentence):
            if stance == "mature" and c.hedge is not None and c.hedge.search(sentence[: m.start()]):
                continue
            negated = c.negator is not None and c.negator.search(sentence[: m.start()]) is not None
            # "not yet" and "not always sufficient" carry their own negation.
            if negated and not m.group(0).lower().startswith(("not", "no ")):
                hits.append(StanceHit(flipped, m.group(0), m.start()))  # type: ignore[arg-type]
            else:
                hits.append(StanceHit(stance, m.group(0), m.start()))  # type: ignore[arg-type]
    hits.sort(key=lambda h: h.start)
    if any(h.stance == "early" for h in hits):
        return "early", tuple(h for h in hits if h.stance == "early")
    if hits:
        return "mature", tuple(hits)
    return "neutral", ()


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def read_quantities(
    sentence: str, rules: ConflictRules = DEFAULT_RULES
) -> tuple[tuple[Quantity, str, int, int], ...]:
    """Quantities with their measure and span; bare years and small bare numbers are not."""
    c = rules.compiled
    out: list[tuple[Quantity, str, int, int]] = []
    for m in c.quantity.finditer(sentence):
        num, num2 = m.group("num"), m.group("num2")
        scale_word = (m.group("scale") or "").lower()
        scale = rules.scales.get(scale_word, 1.0)
        unit_word = (m.group("unit") or "").lower()
        cur = m.group("cur")
        if cur:
            unit = rules.currencies.get(cur, "money")
            factor = 1.0
        elif m.group("pct"):
            unit, factor = "%", 1.0
        elif m.group("x"):
            unit, factor = "x", 1.0
        elif unit_word:
            unit, factor = rules.units.get(unit_word, (unit_word, 1.0))
        elif scale_word or m.group("plus"):
            unit, factor = "count", 1.0
        else:
            value = _number(num)
            is_year = rules.year_min <= value <= rules.year_max and "." not in num
            if is_year or value < 10 or num2 is not None:
                continue
            unit, factor = "count", 1.0
        values = [_number(num)] + ([_number(num2)] if num2 else [])
        text = m.group(0).strip()
        measure = rules.unit_measures.get(unit, "") or _measure_near(
            sentence, m.start(), m.end(), rules
        )
        for v in values:
            out.append(
                (
                    Quantity(value=v * scale * factor, unit=unit, text=text),
                    measure,
                    m.start(),
                    m.end(),
                )
            )
    return tuple(out)


def _measure_near(sentence: str, start: int, end: int, rules: ConflictRules) -> str:
    """The measure word closest to a number, within the window, in the same clause."""
    window = rules.window_words
    before = sentence[:start]
    after = sentence[end:]
    before = re.split(r"[;:(]|,\s(?:while|and|but)\b", before)[-1]
    after = re.split(r"[;:)]|,\s(?:while|and|but)\b", after)[0]
    b_words = _WORD.findall(before)[-window:]
    a_words = _WORD.findall(after)[:window]
    best: tuple[int, str] | None = None
    for measure, pattern in rules.compiled.measures:
        for i, w in enumerate(a_words):
            if pattern.fullmatch(w) and (best is None or i < best[0]):
                best = (i, measure)
        for i, w in enumerate(reversed(b_words)):
            if pattern.fullmatch(w) and (best is None or i < best[0]):
                best = (i, measure)
    return best[1] if best else ""


def read_years(sentence: str, rules: ConflictRules = DEFAULT_RULES) -> tuple[tuple[int, int], ...]:
    """(year, position) for every year-like number in the sentence."""
    out = []
    for m in _YEAR.finditer(sentence):
        y = int(m.group(1))
        if rules.year_min <= y <= rules.year_max:
            out.append((y, m.start()))
    return tuple(out)


def read_subjects(
    sentence: str, rules: ConflictRules = DEFAULT_RULES
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(subjects, topics of the subject hints) of a sentence: hinted techniques by their
    canonical name, then named systems (capitalised, mixed-case or versioned names), lower-cased."""
    c = rules.compiled
    subjects: list[str] = []
    topics: list[str] = []
    for hint, pattern in c.subjects:
        if pattern.search(sentence):
            subjects.append(hint.name.lower())
            topics.extend(hint.topics)
    for m in _NAME.finditer(sentence):
        at_start = (
            m.start() == _first_word_start(sentence)
            or re.search(r"[:;(]\s*$", sentence[: m.start()]) is not None
        )
        name = _clean_name(m.group(0), at_start=at_start, rules=rules)
        if name and name not in subjects:
            subjects.append(name)
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(topics))


def _first_word_start(sentence: str) -> int:
    m = re.search(r"[A-Za-z0-9]", sentence)
    return m.start() if m else 0


def _clean_name(raw: str, *, at_start: bool, rules: ConflictRules) -> str:
    words = [w.strip(".,;:'’") for w in raw.split()]
    words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
    generic = rules.compiled.generic
    # The sentence's first word is capitalised anyway: keep it only if it looks like a name.
    if at_start and words and not _INNER_CAP.search(words[0]):
        words = words[1:]
    while words and (words[0].lower() in generic or words[0].isdigit()):
        words = words[1:]
    while words and words[-1].lower() in generic:
        words = words[:-1]
    if not words:
        return ""
    if len(words) == 1 and not _INNER_CAP.search(words[0]) and len(words[0]) < 3:
        return ""
    name = " ".join(words).lower()
    return "" if name in generic else name


_READING_CACHE_MAX = 20_000


def read_sentence(sentence: str, rules: ConflictRules = DEFAULT_RULES) -> Reading:
    """Subjects, quantities, years, event years and stance of one sentence (memoized)."""
    cache = rules.compiled.readings
    known = cache.get(sentence)
    if known is None:
        if len(cache) >= _READING_CACHE_MAX:
            cache.clear()
        known = cache[sentence] = _read_sentence(sentence, rules)
    return known


def _read_sentence(sentence: str, rules: ConflictRules) -> Reading:
    subjects, hint_topics = read_subjects(sentence, rules)
    stance, hits = read_stance(sentence, rules, subjects)
    quantities = read_quantities(sentence, rules)
    spans = [(s, e) for _, _, s, e in quantities]
    years = tuple(
        (y, pos)
        for y, pos in read_years(sentence, rules)
        if not any(s <= pos < e for s, e in spans)
    )
    # Each event verb dates the year nearest to it, within the window ("effective 2024").
    event_years: list[int] = []
    for ev in _hits(rules.compiled.events, sentence):
        near = [
            (len(_WORD.findall(sentence[min(ev.end(), pos) : max(ev.start(), pos)])), y)
            for y, pos in years
        ]
        near = [(d, y) for d, y in near if d <= rules.window_words]
        if near:
            event_years.append(min(near)[1])
    return Reading(
        subjects=subjects,
        quantities=tuple((q, m) for q, m, _, _ in quantities),
        years=tuple(dict.fromkeys(y for y, _ in years)),
        event_years=tuple(dict.fromkeys(event_years)),
        stance=stance,
        stance_hits=hits,
        hint_topics=hint_topics,
    )


# --- claims --------------------------------------------------------------------------------


def extract_claims(
    section_id: str,
    source_id: str,
    text: str,
    topic_ids: tuple[str, ...],
    *,
    rules: ConflictRules = DEFAULT_RULES,
) -> tuple[Claim, ...]:
    """The sentences of a section that say something checkable: a named subject or technique,
    a quantity, a year, or a stance. ``claim_id`` is ``section_id/n`` with n the sentence's
    position in the section, so ids survive re-ingest of an unchanged section."""
    claims: list[Claim] = []
    for n, sentence in enumerate(split_sentences(text, rules)):
        if len(_WORD.findall(sentence)) < rules.min_claim_words:
            continue
        r = read_sentence(sentence, rules)
        if not (r.subjects or r.quantities or r.years or r.stance != "neutral"):
            continue
        topics = tuple(dict.fromkeys((*topic_ids, *r.hint_topics)))
        claims.append(
            Claim(
                claim_id=f"{section_id}/{n}",
                source_id=source_id,
                section_id=section_id,
                topic_ids=topics,
                text=sentence,
                subjects=r.subjects,
                quantities=tuple(q for q, _ in r.quantities),
                years=r.years,
                stance=r.stance,
            )
        )
    return tuple(claims)
