"""Subscription validation and slot arithmetic, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.corpus import CorpusIndex
from bot.errors import InputError
from bot.schedule import (
    DAYS,
    bundled_zones,
    latest_slot,
    next_slot,
    parse_day,
    parse_schedule,
    parse_time,
    parse_tz,
    period_key,
    slot_in_week,
    split_topics,
    validate_subscription,
)

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]


@pytest.mark.parametrize(("raw", "day"), [("mon", "mon"), ("Monday", "mon"), ("THU", "thu")])
def test_day_accepts_short_and_full_names(raw: str, day: str) -> None:
    assert parse_day(raw) == day


def test_bad_day_says_what_is_allowed() -> None:
    with pytest.raises(InputError, match="mon, tue, wed, thu, fri, sat, sun"):
        parse_day("funday")


@given(st.integers(0, 23), st.integers(0, 59))
def test_any_24h_time_is_accepted(h: int, m: int) -> None:
    assert parse_time(f"{h}:{m:02d}") == f"{h:02d}:{m:02d}"


@given(st.text(max_size=8))
def test_time_parser_never_crashes(raw: str) -> None:
    try:
        out = parse_time(raw)
    except InputError as exc:
        assert "HH:MM" in str(exc)
    else:
        assert len(out) == 5 and out[2] == ":"


@pytest.mark.parametrize("raw", ["24:00", "9", "09:60", "9am"])
def test_bad_time_is_refused(raw: str) -> None:
    with pytest.raises(InputError, match="HH:MM"):
        parse_time(raw)


def test_bad_zone_suggests_the_closest() -> None:
    with pytest.raises(InputError, match="did you mean Europe/Berlin"):
        parse_tz("Europe/Berln")
    with pytest.raises(InputError, match="IANA"):
        parse_tz("../../etc/passwd")


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("localtime", "file of this machine"),
        ("posixrules", "file of this machine"),
        ("right/UTC", "did you mean UTC"),
        ("posix/Europe/Berlin", "did you mean Europe/Berlin"),
        ("Europe", "did you mean Europe/"),
        ("x" * 10_000, "(10000 chars)"),
        ("Europe/Berlin\x00", "IANA"),
        ("", "IANA"),
    ],
)
def test_only_zones_of_the_bundled_tzdata_are_accepted(raw: str, hint: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_tz(raw)
    assert hint in str(caught.value) and len(str(caught.value)) < 300


def test_zone_names_are_matched_in_any_case_and_stored_canonical() -> None:
    assert parse_tz(" europe/berlin ") == "Europe/Berlin"
    assert parse_tz("utc") == "UTC"
    assert "localtime" not in bundled_zones() and "America/New_York" in bundled_zones()


@given(st.text(max_size=80))
def test_zone_parser_accepts_a_bundled_zone_or_says_why(raw: str) -> None:
    try:
        assert parse_tz(raw) in bundled_zones()
    except InputError as exc:
        assert "IANA zone name" in str(exc)


def test_unknown_topic_suggests_the_closest(index: CorpusIndex) -> None:
    with pytest.raises(InputError, match="did you mean multimodal"):
        validate_subscription(day="mon", time="09:00", tz="UTC", topics=["multimodl"], index=index)


def test_topics_by_id_name_or_alias(index: CorpusIndex) -> None:
    spec = validate_subscription(
        day="fri", time="7:05", tz="Europe/Berlin", topics=["EU AI Act", "multimodal"], index=index
    )
    assert (spec.day, spec.time, spec.topics) == ("fri", "07:05", ("regulation", "multimodal"))


def test_defaults_are_monday_nine_in_the_users_zone(index: CorpusIndex) -> None:
    spec = parse_schedule(
        day=None, time=None, tz=None, taxonomy=index.topics, default_tz="America/New_York"
    )
    assert (spec.day, spec.time, spec.tz, spec.topics) == ("mon", "09:00", "America/New_York", ())


def test_split_topics() -> None:
    assert split_topics("multimodal, regulation") == ["multimodal", "regulation"]
    assert split_topics("a b") == ["a", "b"]
    assert split_topics("") == []


def test_berlin_monday_digest_moves_in_utc_when_summer_time_ends() -> None:
    # Summer time ends Sunday 26 Oct 2025: 09:00 Berlin is 07:00Z before and 08:00Z after.
    assert slot_in_week("mon", "09:00", "Europe/Berlin", 2025, 43) == datetime(
        2025, 10, 20, 7, 0, tzinfo=UTC
    )
    assert slot_in_week("mon", "09:00", "Europe/Berlin", 2025, 44) == datetime(
        2025, 10, 27, 8, 0, tzinfo=UTC
    )
    # At 07:30Z on the Monday after the change it is 08:30 in Berlin: not yet due.
    at = datetime(2025, 10, 27, 7, 30, tzinfo=UTC)
    assert latest_slot("mon", "09:00", "Europe/Berlin", at).date().isoformat() == "2025-10-20"


def test_new_york_nonexistent_time_fires_once_after_the_gap() -> None:
    # 9 Mar 2025 02:30 does not exist in New York; the slot lands at 03:30 EDT, once.
    slot = next_slot("sun", "02:30", "America/New_York", datetime(2025, 3, 8, tzinfo=UTC))
    assert slot == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)
    assert slot.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "03:30"


def test_berlin_nonexistent_time_fires_once_after_the_gap() -> None:
    # 30 Mar 2025 02:30 does not exist in Berlin (02:00 -> 03:00); the slot is 03:30 CEST.
    slot = next_slot("sun", "02:30", "Europe/Berlin", datetime(2025, 3, 29, tzinfo=UTC))
    assert slot == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert slot.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "03:30"
    assert period_key(slot, "Europe/Berlin") == "2025-W13"
    after = next_slot("sun", "02:30", "Europe/Berlin", slot)
    assert after == datetime(2025, 4, 6, 0, 30, tzinfo=UTC)  # 02:30 CEST again a week later


def test_repeated_hour_fires_once_at_the_first() -> None:
    slot = next_slot("sun", "02:30", "Europe/Berlin", datetime(2025, 10, 25, tzinfo=UTC))
    assert slot == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST, not 02:30 CET


@given(
    st.sampled_from(DAYS),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_slots_bracket_now_a_week_apart_at_local_time(
    day: str, hour: int, minute: int, zone: str, naive: datetime
) -> None:
    now = naive.replace(tzinfo=UTC)
    hhmm = f"{hour:02d}:{minute:02d}"
    last, nxt = latest_slot(day, hhmm, zone, now), next_slot(day, hhmm, zone, now)
    assert last <= now < nxt
    assert timedelta(days=6, hours=22) <= nxt - last <= timedelta(days=7, hours=2)
    local = last.astimezone(ZoneInfo(zone))
    assert local.strftime("%a").lower() == day
    # Equal to the chosen wall time, except inside a spring-forward gap (then an hour later).
    assert local.strftime("%H:%M") in (hhmm, f"{(hour + 1) % 24:02d}:{minute:02d}")
    assert period_key(last, zone) != period_key(nxt, zone)
