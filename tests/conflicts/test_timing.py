"""Claim times: dates of any common form, placed by the words before them, decide timeline flags
before stance; the same time said in other words is never a flag."""

from __future__ import annotations

import pytest

from bot.conflicts.normal import DISAGREEMENTS, normalize_claim, relate
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)


def _relation(a: str, b: str) -> str:
    rel = relate(normalize_claim(a, RULES), normalize_claim(b, RULES), RULES)
    return rel[0] if rel else "none"


def _times(sentence: str) -> list[tuple[str, str]]:
    return [(t.side, t.text) for t in normalize_claim(sentence, RULES).times]


def test_the_word_before_a_date_says_how_the_claim_stands_to_it() -> None:
    assert _times("The drone rules have applied since May 2025.") == [("at", "since May 2025")]
    assert _times("Couriers may fly the drones from 3 June 2026.") == [("at", "from 3 June 2026")]
    assert _times("The drones will not be cleared for cities until late 2029.") == [
        ("after", "not until late 2029")
    ]
    assert _times("Drone couriers will not be licensed before Q2 2028.") == [
        ("after", "not before Q2 2028")
    ]
    assert _times("The drone rules must be met by the end of 2027.") == [
        ("by", "by the end of 2027")
    ]


def test_a_date_no_word_or_event_places_is_background() -> None:
    assert _times("A 2023 survey found that couriers like the drones.") == []
    assert _times("The courier drone was released in the second half of 2026.") == [
        ("at", "second half of 2026")
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The city's drone-delivery rules take effect on 1 June 2027.",
            "The city's drone-delivery rules have been in force since October 2025.",
        ),
        (
            "Harbor Bank's fraud model goes live in the first half of 2026.",
            "Harbor Bank's fraud model will not go live before the autumn of 2027.",
        ),
        (
            "Parcel lockers with drone docks were made mandatory for new towers on 2 May 2025.",
            "New towers have until 2031 before parcel lockers with drone docks become mandatory.",
        ),
        (
            "The agency published its drone-noise guidance in H1 2024.",
            "The drone-noise guidance is due to be published by the agency in Q4 2026.",
        ),
    ],
)
def test_the_same_event_at_times_that_cannot_meet_is_a_timeline(a: str, b: str) -> None:
    assert _relation(a, b) == "timeline"
    assert _relation(b, a) == "timeline"


def test_a_date_mismatch_beats_the_negation_that_places_it() -> None:
    # "will not ... before" reads as a negated claim, but what it disputes is when.
    a = "Grid operators must file AI outage forecasts from 1 April 2026."
    b = "Grid operators will not be required to file AI outage forecasts before March 2029."
    assert _relation(a, b) == "timeline"


def test_a_negation_that_only_places_a_compatible_date_is_no_disagreement() -> None:
    a = "The Vela rover launches in 2029."
    b = "The Vela rover will not launch before 2028."
    assert _relation(a, b) not in DISAGREEMENTS


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The Vela rover launches in Q1 2029.",
            "The Vela rover launches in the first quarter of 2029.",
        ),
        ("The Vela rover launches in 2029.", "The Vela rover launches in early 2029."),
        (
            "The Vela rover will launch by 28 February 2029.",
            "The Vela rover launches in the first quarter of 2029.",
        ),
        (
            "The city's drone-delivery rules took effect on 2 October 2025.",
            "Since October 2025, the city's drone-delivery rules have been in force.",
        ),
        (
            "The Vela rover launches in the spring of 2029.",
            "The Vela rover will not launch before May 2029.",
        ),
    ],
)
def test_the_same_time_in_other_words_is_never_a_flag(a: str, b: str) -> None:
    assert _relation(a, b) not in DISAGREEMENTS
    assert _relation(b, a) not in DISAGREEMENTS


def test_two_systems_each_unknown_to_the_other_are_not_dated_against_each_other() -> None:
    a = "The Ontario AI Act takes effect in February 2026."
    b = "The Quebec AI Act takes effect in August 2024."
    assert _relation(a, b) != "timeline"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A rule becomes binding: "(effective 2025)" and "will not become enforceable until".
        (
            "The Nordic Data Code (effective 2025) limits how long chat logs are kept.",
            "The Nordic Data Code's retention limits will not become binding until May 2027.",
        ),
        # A service starts, in any tense ("begins", "began", "will not start before").
        (
            "Robot street-sweeping by the Vantor fleet begins in Lisbon in March 2026.",
            "The Vantor fleet's robot street-sweeping in Lisbon is not expected to start "
            "before 2028.",
        ),
        (
            "Autonomous ferry crossings by Helio Marine commenced in June 2025.",
            "Helio Marine's autonomous ferry crossings will not commence until 2027.",
        ),
        # Official standing: recognised or added to a list.
        (
            "The Trade Ministry officially recognised drone pilots as a licensed trade in 2023.",
            "Drone pilots are due to be added to the Trade Ministry's licensed trades register "
            "in H2 2026.",
        ),
    ],
)
def test_event_words_of_each_kind_date_the_same_event(a: str, b: str) -> None:
    assert _relation(a, b) == "timeline"
    assert _relation(b, a) == "timeline"


def test_a_start_word_inside_another_word_dates_nothing() -> None:
    assert _times("Startups at the fair in 2024 showed robot sweepers.") == []
    assert _times("At the beginning of 2026 the sweepers were repainted green.") == []
