"""Pure: a date at the precision it is stated ("2 Nov 2026", "Nov 2026", "Q3 2025", "2025"):
a report's own date, and the dates a sentence writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month", "year"]


def format_published(published: date | None, precision: Precision | None = "day") -> str:
    """The one way every renderer and the CLI write a report date; never an invented day."""
    if published is None:
        return "undated"
    if precision == "year":
        return str(published.year)
    if precision == "month":
        return f"{published:%b} {published.year}"
    return f"{published.day} {published:%b} {published.year}"


def months_between(
    older: date, older_precision: Precision | None, newer: date, newer_precision: Precision | None
) -> int | None:
    """Whole months from ``older`` to ``newer`` as far as both precisions tell; None when a
    year-only date leaves it unknown within the year (2025 vs Nov 2025 is not "10 months")."""
    coarse = "year" in (older_precision, newer_precision)
    if coarse:
        years = newer.year - older.year
        return years * 12 if years != 0 else None
    months = (newer.year - older.year) * 12 + newer.month - older.month
    return months


def date_span(published: date, precision: Precision | None) -> tuple[date, date]:
    """The first and last day a date at its precision can mean (2025 -> 1 Jan to 31 Dec)."""
    if precision == "year":
        return date(published.year, 1, 1), date(published.year, 12, 31)
    if precision == "month":
        first = date(published.year, published.month, 1)
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, date.fromordinal(nxt.toordinal() - 1)
    return published, published


def dated_within(
    published: date | None, precision: Precision | None, *, after: date, through: date
) -> bool:
    """Whether the report's date surely falls after ``after`` and on or before ``through``:
    every day its precision allows must do so, so a year-only report is not "new this week"
    because it sorts at 1 January (only its first-seen time can make it new)."""
    if published is None:
        return False
    first, last = date_span(published, precision)
    return after < first and last <= through


# --- dates written in a sentence ---------------------------------------------------------------

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


@dataclass(frozen=True)
class WrittenDate:
    """A date as a sentence writes it, as the first and last day it can mean ("Q3 2025" is
    1 July to 30 September 2025), with where it is written."""

    first: date
    last: date
    start: int
    end: int


# "Sept." and "Nov" as well as the full names; a month name alone is never a date ("may").
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_Y = r"(\d{4})(?![\d%]|[.,]\d)"
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINAL |= {"fourth": 4, "4th": 4, "final": 4, "last": 4}


_FOUR_DIGITS = re.compile(r"\d{4}")


def _month(name: str) -> int:
    low = name.lower().rstrip(".")
    return next(i for i, m in enumerate(MONTH_NAMES, 1) if m.startswith(low[:3]))


def _months(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    """1st of the first month to the last day of the last; a month past 12 is next year's
    ("winter" = December to February)."""
    fy, fm = year + (first_month - 1) // 12, (first_month - 1) % 12 + 1
    ly, lm = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
    return date(fy, fm, 1), date_span(date(ly, lm, 1), "month")[1]


def _day(y: str, m: str, d: str) -> tuple[date, date]:
    when = date(int(y), _month(m) if not m.isdigit() else int(m), int(d))
    return when, when


@lru_cache(maxsize=8)
def _patterns(
    parts: tuple[tuple[str, tuple[int, int]], ...],
) -> tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[date, date]]], ...]:
    part_of = dict(parts)
    names = "|".join(re.escape(p) for p in sorted(part_of, key=len, reverse=True)) or r"(?!x)x"
    b = r"(?<![\w.$,-])"
    table: list[tuple[str, Callable[[re.Match[str]], tuple[date, date]]]] = [
        # ISO: 2025-02-03.
        (rf"{b}(\d{{4}})-(\d{{2}})-(\d{{2}})(?![\d-])", lambda m: _day(m[1], m[2], m[3])),
        # 1 March 2025, 1st of March 2025.
        (
            rf"{b}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}),?\s+{_Y}",
            lambda m: _day(m[3], m[2], m[1]),
        ),
        # March 1, 2025.
        (
            rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_Y}",
            lambda m: _day(m[3], m[1], m[2]),
        ),
        # January to March 2026, between January and March 2026.
        (
            rf"\b({_MONTH})\s*(?:to|and|through|until|-|–)\s*({_MONTH}),?\s+(?:of\s+)?{_Y}",
            lambda m: _months(int(m[3]), _month(m[1]), _month(m[2])),
        ),
        # March 2025, January of 2027.
        (
            rf"\b({_MONTH}),?\s+(?:of\s+)?{_Y}",
            lambda m: _months(int(m[2]), _month(m[1]), _month(m[1])),
        ),
        # Q3 2025, the third quarter of 2027.
        (rf"\bQ([1-4])\s*(?:of\s+)?'?{_Y}", lambda m: _quarter(int(m[2]), int(m[1]))),
        (
            rf"\b({'|'.join(_ORDINAL)})\s+quarter\s+(?:of\s+)?{_Y}",
            lambda m: _quarter(int(m[2]), _ORDINAL[m[1].lower()]),
        ),
        # H2 2026, the second half of 2026.
        (rf"\bH([12])\s*(?:of\s+)?{_Y}", lambda m: _half(int(m[2]), int(m[1]))),
        (
            rf"\b(first|second|1st|2nd)\s+half\s+(?:of\s+)?{_Y}",
            lambda m: _half(int(m[2]), _ORDINAL[m[1].lower()]),
        ),
        # Late 2028, mid-2027, the spring of 2028, the end of 2027.
        (
            rf"\b({names})(?:\s+of)?(?:\s+the\s+year)?[\s-]+{_Y}",
            lambda m: _months(int(m[2]), *part_of[m[1].lower()]),
        ),
        # 2027.
        (rf"{b}{_Y}", lambda m: _months(int(m[1]), 1, 12)),
    ]
    return tuple((re.compile(p, re.IGNORECASE), f) for p, f in table)


def _quarter(year: int, q: int) -> tuple[date, date]:
    return _months(year, 3 * q - 2, 3 * q)


def _half(year: int, h: int) -> tuple[date, date]:
    return _months(year, 6 * h - 5, 6 * h)


def read_dates(
    text: str,
    parts: Mapping[str, tuple[int, int]],
    *,
    year_min: int = 1900,
    year_max: int = 2100,
) -> tuple[WrittenDate, ...]:
    """Every date a sentence writes, in order, each at the precision it is written with: a
    day, a month or a run of months, a quarter, a half, a part of the year (``parts`` maps
    "late" or "spring" to the months it can mean) or a bare year."""
    if _FOUR_DIGITS.search(text) is None:
        return ()  # every form names its year: most sentences are done here
    key = tuple(sorted((k.lower(), (int(v[0]), int(v[1]))) for k, v in parts.items()))
    taken: list[tuple[int, int]] = []
    out: list[WrittenDate] = []
    for pattern, span in _patterns(key):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            years = [int(g) for g in m.groups() if g and len(g) == 4 and g.isdigit()]
            if not years or not all(year_min <= y <= year_max for y in years):
                continue
            try:
                first, last = span(m)
            except ValueError:
                continue  # "2025-13-45" or "31 February 2026" is no date
            taken.append((m.start(), m.end()))
            out.append(WrittenDate(first, last, m.start(), m.end()))
    return tuple(sorted(out, key=lambda d: d.start))
