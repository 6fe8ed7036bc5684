"""The one parser of digest requests: the /trends grammar and plain words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversation.requests import REQUEST_MAX, DigestRequest, parse_request, request_text
from bot.schedule import DAYS

ZONES = {"london": "Europe/London", "new york": "America/New_York"}


def _parse(text: str) -> DigestRequest | None:
    return parse_request(text, ZONES)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "subscribe mon 09:00 Europe/Berlin multimodal, regulation",
            DigestRequest(
                "subscribe", "mon", (), "09:00", (), "Europe/Berlin", ("multimodal", "regulation")
            ),
        ),
        ("send us the digest every friday at 4pm", DigestRequest("subscribe", "fri", time="16:00")),
        (
            "weekly on Thursdays at 10 London time",
            DigestRequest("subscribe", "thu", time="10:00", tz="Europe/London"),
        ),
        (
            "follow regulation and quantum too",
            DigestRequest("follow", topics=("regulation", "quantum")),
        ),
        ("unfollow quantum", DigestRequest("unfollow", topics=("quantum",))),
        ("stop following quantum in the digest", DigestRequest("unfollow", topics=("quantum",))),
        ("stop the weekly digest", DigestRequest("unsubscribe")),
        ("please stop sending digests", DigestRequest("unsubscribe")),
        ("unsubscribe", DigestRequest("unsubscribe")),
        ("when is our next digest?", DigestRequest("next")),
        ("show our subscription", DigestRequest("show")),
        ("subscriptions", DigestRequest("show")),
        ("sign us up for the weekly digest", DigestRequest("subscribe")),
        (
            "<@U07BOT> subscribe <#C024BE91L|general> fri 16:30 UTC",
            DigestRequest("subscribe", "fri", time="16:30", tz="UTC"),
        ),
        ("subscribe this channel mon 09:00", DigestRequest("subscribe", "mon", time="09:00")),
        ("subscribe all topics", DigestRequest("subscribe", all_topics=True)),
        (
            "Send it every Tuesday at 9:30am New York time",
            DigestRequest("subscribe", "tue", time="09:30", tz="America/New_York"),
        ),
        ("digest on fridays at noon", DigestRequest("subscribe", "fri", time="12:00")),
    ],
)
def test_a_request_is_read_into_its_parts(text: str, want: DigestRequest) -> None:
    assert _parse(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "what's new in multimodal",
        "show me this week's digest",  # a preview: the matcher's digest intent
        "who says that?",
        "top 3 trends",
        "digest",
        "what do you know about edge ai",
        "what happened on friday in regulation",
        "follow up",
    ],
)
def test_a_question_is_not_a_request(text: str) -> None:
    assert _parse(text) is None


def test_an_hour_without_am_or_pm_is_ambiguous_and_both_readings_are_kept() -> None:
    request = _parse("send the digest on monday at 4")
    assert request is not None and request.time is None and request.times == ("04:00", "16:00")


def test_two_days_are_kept_for_a_question_back() -> None:
    request = _parse("subscribe mon and thu 9am")
    assert request is not None and request.day is None and request.days == ("mon", "thu")


@pytest.mark.parametrize(
    ("text", "typed"), [("subscribe mon 25:00", "25:00"), ("subscribe 13pm", "13pm")]
)
def test_an_impossible_time_is_kept_as_typed_for_the_validator(text: str, typed: str) -> None:
    request = _parse(text)
    assert request is not None and request.time == typed


def test_an_overlong_request_is_marked_without_being_parsed() -> None:
    request = _parse("subscribe " + "<@U1|" * 8_000)
    assert request is not None and request.too_long
    assert _parse("what is new " + "x" * REQUEST_MAX) is None


_times = st.tuples(st.integers(0, 23), st.integers(0, 59))
_topic = st.sampled_from(["multimodal", "regulation", "quantum", "edge ai"])


@settings(max_examples=200, deadline=None)
@given(
    day=st.sampled_from(DAYS),
    hm=_times,
    tz=st.sampled_from(["Europe/Berlin", "UTC", "America/New_York"]),
    topics=st.lists(_topic, max_size=3, unique=True),
)
def test_request_text_reads_back_as_the_same_schedule(
    day: str, hm: tuple[int, int], tz: str, topics: list[str]
) -> None:
    """What a Replace button or the modal says is read back as exactly that schedule."""
    time = f"{hm[0]:02d}:{hm[1]:02d}"
    request = _parse(request_text(day, time, tz, tuple(topics), all_topics=not topics))
    assert request is not None
    assert (request.action, request.day, request.time, request.tz) == ("subscribe", day, time, tz)
    assert request.topics == tuple(topics) and request.all_topics == (not topics)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_question_and_never_fails(text: str) -> None:
    request = _parse(text)
    if request is not None:
        assert request.action in ("subscribe", "unsubscribe", "follow", "unfollow", "show", "next")
        assert request.day is None or request.day in DAYS
        assert len(request.topics) <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    lead=st.sampled_from(
        ["send us the digest", "weekly digest", "move our digest to", "subscribe"]
    ),
    day=st.sampled_from(["monday", "Tuesdays", "wed", "Thursday", "fridays"]),
    hour=st.integers(8, 11),
    half=st.sampled_from(["am", "pm"]),
)
def test_plain_words_with_a_day_and_a_time_are_a_subscription(
    lead: str, day: str, hour: int, half: str
) -> None:
    request = _parse(f"{lead} every {day} at {hour}{half}")
    assert request is not None and request.action == "subscribe"
    assert request.day == day.lower()[:3]
    assert request.time == f"{hour + (12 if half == 'pm' else 0):02d}:00"
