"""Pure: a report date at the precision the report states it ("2 Nov 2026", "Nov 2026", "2025")."""

from __future__ import annotations

from datetime import date
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
