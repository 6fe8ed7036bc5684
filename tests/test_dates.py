"""One formatter writes a report date at the precision the report states; ages respect it."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.briefing import age_note
from bot.dates import format_published, months_between


def test_each_precision_is_written_as_stated() -> None:
    assert format_published(date(2026, 11, 2), "day") == "2 Nov 2026"
    assert format_published(date(2026, 11, 1), "month") == "Nov 2026"
    assert format_published(date(2025, 1, 1), "year") == "2025"
    assert format_published(None, None) == "undated"


def test_a_year_only_date_is_not_months_older_than_a_day_in_that_year() -> None:
    assert months_between(date(2025, 1, 1), "year", date(2025, 11, 2), "day") is None
    assert age_note(date(2025, 1, 1), date(2025, 11, 2), "year", "day") is None
    assert months_between(date(2024, 1, 1), "year", date(2025, 11, 2), "day") == 12
    assert age_note(date(2025, 1, 1), date(2025, 11, 2), "day", "day") is not None


@given(st.dates(), st.sampled_from(["day", "month", "year"]))
def test_a_year_precision_date_never_shows_a_day_or_month(d: date, precision: str) -> None:
    text = format_published(d, precision)  # type: ignore[arg-type]
    assert str(d.year) in text
    if precision == "year":
        assert text == str(d.year)
