"""One formatter writes a report date at the precision the report states; ages respect it; a
date written in a sentence is read at its own precision."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.briefing import age_note
from bot.dates import format_published, months_between, read_dates


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


PARTS = {"late": (9, 12), "early": (1, 4), "spring": (3, 5), "end": (10, 12), "winter": (1, 14)}


def _spans(text: str) -> list[tuple[str, str, str]]:
    return [(str(d.first), str(d.last), text[d.start : d.end]) for d in read_dates(text, PARTS)]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("opened on 14 June 2027", "2027-06-14", "2027-06-14"),
        ("opened on June 14, 2027", "2027-06-14", "2027-06-14"),
        ("opened on 2027-06-14", "2027-06-14", "2027-06-14"),
        ("opened in Sept. 2027", "2027-09-01", "2027-09-30"),
        ("opened in February of 2028", "2028-02-01", "2028-02-29"),
        ("opens between April and June 2027", "2027-04-01", "2027-06-30"),
        ("opens in Q4 2027", "2027-10-01", "2027-12-31"),
        ("opens in the second quarter of 2027", "2027-04-01", "2027-06-30"),
        ("opens in H1 2027", "2027-01-01", "2027-06-30"),
        ("opens in the second half of 2027", "2027-07-01", "2027-12-31"),
        ("opens in late 2027", "2027-09-01", "2027-12-31"),
        ("opens in the spring of 2027", "2027-03-01", "2027-05-31"),
        ("opens by the end of 2027", "2027-10-01", "2027-12-31"),
        ("opens in winter 2027", "2027-01-01", "2028-02-29"),
        ("opens in 2027", "2027-01-01", "2027-12-31"),
    ],
)
def test_a_written_date_means_every_day_its_precision_allows(
    text: str, first: str, last: str
) -> None:
    [(got_first, got_last, _)] = _spans(text)
    assert (got_first, got_last) == (first, last)


def test_numbers_that_are_not_dates_are_not_read_as_dates() -> None:
    assert _spans("Costs fell 40% and 2,000 units of the 3050 model shipped.") == []
    # An impossible day keeps what can be read of it: the month.
    assert _spans("due 31 February 2027") == [("2027-02-01", "2027-02-28", "February 2027")]
    assert read_dates("from 1850 to 1870", PARTS, year_min=1900) == ()


@given(st.text(max_size=60))
def test_any_text_reads_without_error_and_spans_map_into_it(text: str) -> None:
    for d in read_dates(text, PARTS):
        assert 0 <= d.start < d.end <= len(text) and d.first <= d.last
