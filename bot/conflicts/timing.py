"""Pure: the times a claim refers to (each date it writes, at its precision, and how the claim
stands to it: at it, not before it, by it) and whether two claims' times can meet."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Literal

from bot.conflicts.lexicon import Lexicon, optional_lexicon, phrase_regex
from bot.conflicts.rules import ConflictRules
from bot.dates import read_dates

# "at": the claim's event falls within the date; "after": the date is the earliest it can be
# ("not before late 2028"); "by": the latest ("by 2030").
Side = Literal["at", "after", "by"]

_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class ClaimTime:
    """One time a claim refers to: the date as written (its first and last day) and its side."""

    first: date
    last: date
    side: Side
    text: str  # as written, with the word that places it ("not before late 2028")
    # A negation places the date ("will not launch before 2027"): it says when, not whether.
    by_negation: bool = False


def times_meet(x: ClaimTime, y: ClaimTime) -> bool:
    """Whether both times can be true of one event. Two deadlines (or two earliest dates) are
    two lines, not two rays: "by 2027" and "by 2034" name different deadlines."""
    if x.side == y.side and x.side != "at":
        return x.first <= y.last and y.first <= x.last
    earliest = [t.first for t in (x, y) if t.side != "by"]
    latest = [t.last for t in (x, y) if t.side != "after"]
    return not earliest or not latest or max(earliest) <= min(latest)


def times_apart(a: tuple[ClaimTime, ...], b: tuple[ClaimTime, ...]) -> bool:
    """Both claims are dated and no time of one can meet a time of the other."""
    return bool(a and b) and not any(times_meet(x, y) for x in a for y in b)


@dataclass(frozen=True)
class TimingRules:
    """The [timeline] word lists of ConflictRules, compiled once."""

    parts: dict[str, tuple[int, int]]
    year_min: int
    year_max: int
    window: int
    starts: re.Pattern[str]
    not_before: re.Pattern[str]
    targets: re.Pattern[str]
    held_off: re.Pattern[str]
    # Every event verb and event-kind phrase: a date near one is the time of an event.
    events: Lexicon | None
    kinds: tuple[tuple[str, Lexicon], ...]


def _marker(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # The phrase just before the date, "the" allowed between ("until the spring of 2028").
    body = "|".join(phrase_regex(p) for p in phrases) or r"(?!x)x"
    return re.compile(rf"(?:{body})\s+(?:the\s+)?$", re.IGNORECASE)


def compile_timing(rules: ConflictRules) -> TimingRules:
    kinds = tuple(
        (k, lex) for k, ps in rules.event_kinds.items() if (lex := optional_lexicon(ps)) is not None
    )
    return TimingRules(
        parts={k.lower(): v for k, v in rules.date_parts.items()},
        year_min=rules.year_min,
        year_max=rules.year_max,
        window=rules.window_words,
        starts=_marker(rules.time_starts),
        not_before=_marker(rules.time_not_before),
        targets=_marker(rules.targets),
        held_off=_marker(rules.time_held_off),
        events=optional_lexicon(
            (*rules.events, *(p for ps in rules.event_kinds.values() for p in ps))
        ),
        kinds=kinds,
    )


def event_kinds(sentence: str, tr: TimingRules) -> frozenset[str]:
    """The kinds of event a sentence names ("comes into force" and "must comply" are one)."""
    return frozenset(k for k, lex in tr.kinds if lex.search(sentence))


def claim_times(
    sentence: str,
    tr: TimingRules,
    *,
    negation: re.Pattern[str],
    clause_start: Callable[[int], int],
) -> tuple[ClaimTime, ...]:
    """The times a sentence refers to: every date it writes that a word places ("since",
    "not before", "by") or that an event verb dates ("takes effect on 1 January 2026"), or the
    one date of a sentence that names an event. A date in none of these ("a 2023 survey") is
    background, not the claim's time."""
    dates = read_dates(sentence, tr.parts, year_min=tr.year_min, year_max=tr.year_max)
    if not dates:
        return ()
    events = tr.events.finditer(sentence) if tr.events is not None else []
    out: list[ClaimTime] = []
    for d in dates:
        before = sentence[: d.start]
        negated = partial(_negated_before, before, negation, clause_start)
        side: Side | None = None
        mark: re.Match[str] | None = None
        said = ""
        if m := tr.not_before.search(before):
            side, mark = "after", m
        elif (m := tr.held_off.search(before)) and negated(m):
            # "will not be required of insurers before July 2028": not before it.
            side, mark, said = "after", m, "not "
        elif m := tr.targets.search(before):
            if negated(m):
                continue  # "not ready by 2027" says only that it is later: no time to compare
            side, mark = "by", m
        elif m := tr.held_off.search(before):
            side, mark = "by", m  # "applies until 2030": up to then
        elif m := tr.starts.search(before):
            side, mark = "at", m
        elif _near_event(sentence, d.start, d.end, events, tr.window) or (
            len(dates) == 1 and events
        ):
            side = "at"
        if side is None:
            continue
        begin = mark.start() if mark is not None else d.start
        text = said + sentence[begin : d.end].strip()
        placed_by_negation = bool(said) or (side == "after" and negation.search(text) is not None)
        out.append(ClaimTime(d.first, d.last, side, text, placed_by_negation))
    return tuple(out)


def _negated_before(
    before: str,
    negation: re.Pattern[str],
    clause_start: Callable[[int], int],
    m: re.Match[str],
) -> bool:
    """A negator in the clause, before the word that places the date ("will not be required
    of insurers before ...")."""
    return negation.search(before[clause_start(m.start()) : m.start()]) is not None


def _near_event(
    sentence: str, start: int, end: int, events: list[re.Match[str]], window: int
) -> bool:
    for ev in events:
        gap = sentence[min(ev.end(), end) : max(ev.start(), start)]
        if len(_WORD.findall(gap)) <= window:
            return True
    return False
