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


def test_a_year_only_date_is_not_inside_a_week_that_starts_on_1_january() -> None:
    from bot.dates import dated_within

    week = {"after": date(2025, 12, 31), "through": date(2026, 1, 7)}
    assert not dated_within(date(2026, 1, 1), "year", **week)
    assert not dated_within(date(2026, 1, 1), "month", **week)
    assert dated_within(date(2026, 1, 1), "day", **week)
    assert dated_within(
        date(2026, 1, 1), "year", after=date(2025, 12, 31), through=date(2026, 12, 31)
    )
    assert dated_within(
        date(2026, 2, 1), "month", after=date(2026, 1, 31), through=date(2026, 2, 28)
    )
    assert not dated_within(None, None, **week)


@given(st.dates(), st.sampled_from(["day", "month", "year"]), st.dates(), st.dates())
def test_a_date_is_dated_within_a_period_only_when_every_day_it_can_mean_is(
    d: date, precision: str, a: date, b: date
) -> None:
    from bot.dates import date_span, dated_within

    first, last = date_span(d, precision)  # type: ignore[arg-type]
    assert first <= d <= last
    assert dated_within(d, precision, after=a, through=b) == (a < first and last <= b)  # type: ignore[arg-type]
