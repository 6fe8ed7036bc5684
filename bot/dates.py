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
