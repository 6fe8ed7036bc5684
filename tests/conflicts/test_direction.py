"""Direction of change in normalized claims (issue 10): rising / falling words of [claims],
negation and hedges scoped to the word's clause, and the stance flag of opposite directions."""

from __future__ import annotations

import pytest

from bot.conflicts.normal import normalize_claim, relate, shared
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)

RISING = (
    "Grid-scale battery installations across the region are rising quickly, with this year's "
    "additions far exceeding last year's."
)
FELL = (
    "Additions of utility-scale battery capacity in the region fell this year as developers "
    "paused projects amid higher interest rates."
)


def _kind(a: str, b: str) -> str:
    rel = relate(normalize_claim(a, RULES), normalize_claim(b, RULES), RULES)
    return rel[0] if rel else "none"


@pytest.mark.parametrize(
    ("sentence", "direction"),
    [
        (RISING, "up"),
        (FELL, "down"),
        ("Synthetic data reduces costs for model builders.", "down"),
        ("Demand for inference chips surged in the second half.", "up"),
        # negated or hedged in the word's clause: unknown, not the opposite
        ("Battery installations did not fall this year.", ""),
        ("Battery installations are no longer rising.", ""),
        ("Battery installations could fall next year.", ""),
        ("Battery installations may rise again.", ""),
        ("Installations are expected to rise.", ""),
        # words of both directions, or a word that gives no direction of a measure
        ("Costs fell while accuracy rose.", ""),
        ("The system falls under the EU AI Act.", ""),
        ("Cutting-edge chips are sold out.", ""),
    ],
)
def test_direction_is_read_with_its_negation_and_hedge(sentence: str, direction: str) -> None:
    assert normalize_claim(sentence, RULES).direction == direction


def test_opposite_directions_of_one_measure_are_a_stance_flag() -> None:
    assert _kind(RISING, FELL) == "stance"
    assert _kind(FELL, RISING) == "stance"


def test_opposite_directions_of_different_measures_do_not_flag() -> None:
    a = "Synthetic data reduces costs for model builders."
    b = "Synthetic data increases accuracy for model builders."
    assert shared(normalize_claim(a, RULES), normalize_claim(b, RULES))  # one subject
    assert _kind(a, b) != "stance"


def test_a_negated_or_hedged_direction_does_not_flag() -> None:
    up = "Battery installations in the region are rising quickly."
    assert _kind(up, "Battery installations in the region did not fall this year.") != "stance"
    assert _kind(up, "Battery installations in the region could fall next year.") != "stance"
    assert _kind(up, "Battery installations in the region fell this year.") == "stance"


def test_directions_dated_apart_do_not_flag() -> None:
    a = "Battery installations in the region rose in 2023."
    b = "Battery installations in the region fell in 2024."
    assert _kind(a, b) != "stance"
    assert _kind(a, "Battery installations in the region fell in 2023.") == "stance"


def test_a_figure_both_give_is_left_to_the_numeric_rules() -> None:
    a = normalize_claim("The screening tool cut review time by 40%.", RULES)
    assert a.direction == "down" and a.direction_figure
    b = "The screening tool increased review time by 40%."
    assert _kind(a.text, b) != "stance"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the heads of "A of B" differ: another measure of the same thing
        (
            "Sales of electric vehicles in the region rose this year.",
            "Emissions of electric vehicles in the region fell this year.",
        ),
        # one side names a [measures] measure (cost) the other does not
        (
            "Warehouse robot deployments grew strongly in 2024.",
            "Warehouse robot costs shrank in 2024.",
        ),
    ],
)
def test_another_measure_of_one_thing_does_not_flag(a: str, b: str) -> None:
    assert _kind(a, b) != "stance"


def test_a_purpose_is_no_direction() -> None:
    assert normalize_claim("The tool is designed to reduce costs.", RULES).direction == ""
    assert normalize_claim("Emissions continued to fall.", RULES).direction == "down"
