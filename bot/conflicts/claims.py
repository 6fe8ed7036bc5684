"""Pure: pick the checkable sentences of a section and read their quantities, years and stance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot import sentences
from bot.conflicts.lexicon import Lexicon
from bot.conflicts.numbers import spelled_numbers
from bot.conflicts.rules import DEFAULT_RULES, ConflictRules
from bot.models import Claim, Quantity, Stance

# --- sentences -----------------------------------------------------------------------------

_BULLET = re.compile(r"(?:^|\s)[-*•]\s+(?=\S)")
_EMPHASIS = re.compile(r"\*\*|__|`")


def split_sentences(text: str, rules: ConflictRules = DEFAULT_RULES) -> list[str]:
    """Sentences of a section body, by the one splitter (``bot.sentences``); list items are
    sentences of their own, emphasis marks are dropped, and the content's own abbreviations
    (``rules.toml``) do not end a sentence either."""
    out: list[str] = []
    for line in text.split("\n"):
        for piece in _BULLET.split(_EMPHASIS.sub("", line)):
            out.extend(sentences.split_sentences(piece, rules.abbreviations))
    return out


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
_NAME_TOKEN = (
    r"(?:[A-Z][\w'’.+-]*[\w+]|[A-Z]|v\d+(?:\.\d+)*(?![\w.])"
    # A version number ends at a space or a mark, not at a thousands comma ("10,000").
    r"|\d+(?:\.\d+|\.x)?(?=[\s;:)'’]|,(?!\d{3})|$))"
)
_NAME = re.compile(rf"(?<![\w-]){_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}))*")
_INNER_CAP = re.compile(r"^[A-Z]?[a-z0-9]+[A-Z]|^[A-Z]{2,}|\d|-[A-Z0-9]")


_NEGATED_AFTER = re.compile(
    r"[^\w,;:]*(?:[\w'’-]+\s+){0,3}?(?:has|have|had|is|are|was|were|do|does|did)\s+"
    r"(?:not|never)\b",
    re.IGNORECASE,
)


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
            # "has not left the research-prototype stage": a negated exit keeps the stage.
            negated = negated and not (
                c.exit_negated is not None and c.exit_negated.search(sentence[: m.start()])
            )
            # "diminishing returns have not been observed": the negation after the phrase.
            negated = negated or _NEGATED_AFTER.match(sentence[m.end() :]) is not None
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


def digitized(
    sentence: str, rules: ConflictRules = DEFAULT_RULES
) -> tuple[str, list[int], list[int]]:
    """The sentence with numbers written in words as digits ("some twelve hundred" -> "some
    1200", "fifteen per cent" -> "15 per cent", "at least a third" -> "at least 33.33%"), and
    for each of its characters where the written character (or words) it came from starts
    and ends, so spans map back."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for found in spelled_numbers(sentence, rules):
        out.append(sentence[last : found.start])
        starts.extend(range(last, found.start))
        ends.extend(range(last + 1, found.start + 1))
        out.append(found.digits)
        starts.extend([found.start] * len(found.digits))
        ends.extend([found.end] * len(found.digits))
        last = found.end
    out.append(sentence[last:])
    starts.extend(range(last, len(sentence)))
    ends.extend(range(last + 1, len(sentence) + 1))
    return "".join(out), starts, ends


def read_quantities(
    sentence: str, rules: ConflictRules = DEFAULT_RULES
) -> tuple[tuple[Quantity, str, int, int], ...]:
    """Quantities with their measure and span (in the sentence as written); bare years and
    small bare numbers are not. Numbers in words count ("two hours", "fifteen per cent")."""
    text, starts, ends = digitized(sentence, rules)
    if text == sentence:
        return _read_quantities(sentence, rules)
    out: list[tuple[Quantity, str, int, int]] = []
    for q, measure, s, e in _read_quantities(text, rules):
        lo, hi = starts[s], ends[e - 1]
        out.append((q.model_copy(update={"text": sentence[lo:hi].strip()}), measure, lo, hi))
    return tuple(out)


def _read_quantities(
    sentence: str, rules: ConflictRules
) -> tuple[tuple[Quantity, str, int, int], ...]:
    c = rules.compiled
    out: list[tuple[Quantity, str, int, int]] = []
    taken = 0  # the end of the last range read as one ("between 10% and 15%")
    for m in c.quantity.finditer(sentence):
        if m.start() < taken:
            continue
        g, start, end = _between(sentence, m, rules) or (m.groupdict(), m.start(), m.end())
        taken = end
        num, num2 = g["num"] or "0", g["num2"]  # "num" is never empty: the pattern needs it
        scale_word = (g["scale"] or "").lower()
        scale = rules.scales.get(scale_word, 1.0)
        unit_word = (g["unit"] or "").lower()
        cur = g["cur"]
        if cur:
            unit = rules.currencies.get(cur, "money")
            factor = 1.0
        elif g["pct"]:
            unit, factor = "%", 1.0
        elif g["x"]:
            unit, factor = "x", 1.0
        elif unit_word:
            unit, factor = rules.units.get(unit_word, (unit_word, 1.0))
        elif scale_word or g["plus"]:
            unit, factor = "count", 1.0
        else:
            value = _number(num)
            is_year = rules.year_min <= value <= rules.year_max and "." not in num
            if is_year or value < 10 or num2 is not None:
                continue
            unit, factor = "count", 1.0
        values = [_number(num)] + ([_number(num2)] if num2 else [])
        text = sentence[start:end].strip()
        measure = rules.unit_measures.get(unit, "") or _measure_near(
            sentence, start, end, rules, share=unit == "%"
        )
        for v in values:
            out.append(
                (Quantity(value=v * scale * factor, unit=unit, text=text), measure, start, end)
            )
    return tuple(out)


_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?=$)", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _between(
    sentence: str, m: re.Match[str], rules: ConflictRules
) -> tuple[dict[str, str | None], int, int] | None:
    """ "between 10% and 15%", "between 2 and 3 million": one range, its unit and scale
    written once or twice, as the groups of one quantity with its span; None otherwise."""
    before = _BETWEEN_BEFORE.search(sentence, 0, m.start())
    if m.group("num2") or before is None:
        return None
    joint = _AND.match(sentence, m.end())
    second = rules.compiled.quantity.match(sentence, joint.end()) if joint else None
    if second is None or second.group("num2") or second.group("qual"):
        return None
    first, last = m.groupdict(), second.groupdict()
    merged = {k: first[k] or last[k] for k in first}
    merged["num2"] = last["num"]
    return merged, before.start(), second.end()


def _measure_near(
    sentence: str, start: int, end: int, rules: ConflictRules, *, share: bool = False
) -> str:
    """The measure word closest to a number, within the window, in the same clause. A share's
    base is not its measure: in "fines of up to 7% of global revenue" it measures fines."""
    window = rules.window_words
    before = sentence[:start]
    after = sentence[end:]
    before = re.split(r"[;:(]|,\s(?:while|and|but)\b", before)[-1]
    after = re.split(r"[;:)]|,\s(?:while|and|but)\b", after)[0]
    # A bound before the number is not in the window: "cost per acquisition by as much as 40
    # percent" has its measure as near as "cost per acquisition by up to 40%".
    before = _bound_words(rules).sub("", before)
    b_words = _WORD.findall(before)[-window:]
    a_words = _WORD.findall(after)[:window]
    b_text, a_text = " ".join(b_words), " ".join(a_words)
    if share and re.match(r"\s*of\b", after):
        found = _measure_near(sentence[:end], start, end, rules)  # the words before it only
        if found:
            return found
    best: tuple[int, str] | None = None
    # Phrases may be several words ("error rate"): search the window's text, rank by distance
    # in words from the number.
    for measure, pattern in rules.compiled.measures:
        for m in pattern.finditer(a_text):
            i = len(a_text[: m.start()].split())
            if best is None or i < best[0]:
                best = (i, measure)
        for m in pattern.finditer(b_text):
            i = len(b_text[m.end() :].split())
            if best is None or i < best[0]:
                best = (i, measure)
    return best[1] if best else ""


def _bound_words(rules: ConflictRules) -> re.Pattern[str]:
    """The bound and qualifier phrases at the end of the text before a number."""
    return _trailing(
        (*rules.qualifiers, *rules.upper_bounds, *rules.lower_bounds, *rules.approximate)
    )


@lru_cache(maxsize=8)
def _trailing(phrases: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({p for p in phrases if p[:1].isalpha()}, key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words) or r"(?!x)x"
    return re.compile(rf"(?:\b(?:{alt})\s*)+$", re.IGNORECASE)


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
        if name and name not in subjects and not _is_quantity(name, rules):
            subjects.append(name)
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(topics))


def _is_quantity(name: str, rules: ConflictRules) -> bool:
    """ "1.2 GW" or "MW" is a quantity or unit, not a named system."""
    return all(
        w in rules.units or w in rules.scales or re.fullmatch(r"[\d.,]+", w) for w in name.split()
    )


def _first_word_start(sentence: str) -> int:
    m = re.search(r"[A-Za-z0-9]", sentence)
    return m.start() if m else 0


def _clean_name(raw: str, *, at_start: bool, rules: ConflictRules) -> str:
    words = [w.strip(".,;:'’") for w in raw.split()]
    words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
    generic = rules.compiled.generic
    # The sentence's first word is capitalised anyway: keep it only if it looks like a name.
    # ... unless a version number follows it ("Loihi 2, launched in 2021, ...").
    # A run of two or more capitalised words is a name even at the start ("Harvey AI").
    versioned = len(words) >= 2 and (
        re.fullmatch(r"v?\d+(?:\.\d+|\.x)?", words[1]) is not None or words[1][:1].isupper()
    )
    possessive = raw.split()[0].endswith(("'s", "’s"))  # "Devin's", "Meta's": a name
    if at_start and words and not _INNER_CAP.search(words[0]) and not versioned and not possessive:
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
    heading: str = "",
) -> tuple[Claim, ...]:
    """The sentences of a section that say something checkable: a named subject or technique,
    a quantity, a year, or a stance. ``claim_id`` is ``section_id/n`` with n the sentence's
    position in the section, so ids survive re-ingest of an unchanged section. Each claim
    carries its normalized reading; ``heading`` gives the section's subjects to sentences that
    refer back to them ("these models")."""
    from bot.conflicts.normal import normalize_claim
    from bot.conflicts.pairs import context_of

    claims: list[Claim] = []
    sentences = split_sentences(text, rules)
    context = context_of(heading, sentences[0] if sentences else "", rules)
    for n, sentence in enumerate(sentences):
        if len(_WORD.findall(sentence)) < rules.min_claim_words:
            continue
        r = read_sentence(sentence, rules)
        # A subject the heading gives ("This evolution allows LLMs to process text, images,
        # videos and audio" under "Multi-Modal Capabilities") makes a claim as one it names:
        # a sentence naming none inherits the section's (``normalize_claim``).
        if not (r.subjects or context or r.quantities or r.years or r.stance != "neutral"):
            continue
        topics = tuple(dict.fromkeys((*topic_ids, *r.hint_topics)))
        norm = normalize_claim(sentence, rules, context)
        claims.append(
            Claim(
                claim_id=f"{section_id}/{n}",
                source_id=source_id,
                section_id=section_id,
                topic_ids=topics,
                text=sentence,
                subjects=r.subjects,
                quantities=norm.quantities,
                years=r.years,
                stance=r.stance,
                subject=norm.subject,
                negated=norm.negated,
                hedged=norm.hedged,
                verification=norm.verification,
                caution=norm.caution,
                event_years=norm.event_years,
            )
        )
    return tuple(claims)
