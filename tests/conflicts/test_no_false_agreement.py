"""No false agreement: a claim with any mark of reserve (early, still, persisting problems,
pilots and demos, caution, unverified, negated) and one presenting the thing as done are never
called agreement, even where no stance phrase names the reserve (issue 10: a wrong agreement is
the most harmful flag, an unknown relation is better). Small sentences written for the test."""

from __future__ import annotations

import pytest

from bot.conflicts.normal import normalize_claim, relate
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)


def _relation(a: str, b: str, context: tuple[str, ...] = ()) -> str:
    rel = relate(normalize_claim(a, RULES, context), normalize_claim(b, RULES, context), RULES)
    return rel[0] if rel else "none"


@pytest.mark.parametrize(
    ("done", "reserved"),
    [
        (
            "Federated learning trains diagnostic models on patient records in hospitals.",
            "Federated learning of diagnostic models on patient records in hospitals is still "
            "at the pilot stage.",
        ),
        (
            "LLM agents handle invoice processing at major banks end to end.",
            "LLM agents for invoice processing at major banks make errors, and reliability "
            "problems persist.",
        ),
        (
            "Speech translation on earbuds works in real time across 40 languages.",
            "Speech translation on earbuds across 40 languages is an early demo that struggles "
            "outside quiet rooms.",
        ),
        (
            "Protein design models produce working enzymes for industrial chemistry.",
            "Protein design models for industrial chemistry enzymes remain largely untested "
            "beyond the lab.",
        ),
    ],
)
def test_reserve_against_a_claim_of_done_is_never_agreement(done: str, reserved: str) -> None:
    assert _relation(done, reserved) != "agree"
    assert _relation(reserved, done) != "agree"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Both reserved: the same caution told twice is agreement.
        (
            "Federated learning of diagnostic models in hospitals is still at the pilot stage.",
            "In hospitals, federated learning of diagnostic models is still in pilot stage.",
        ),
        # Neither reserved.
        (
            "Speech translation on earbuds works in real time across 40 languages.",
            "Earbuds now do real-time speech translation across 40 languages.",
        ),
        # A negation a stance phrase took in is that stance, not a reserve.
        (
            "No diminishing returns have been observed when scaling model size.",
            "Scaling model size keeps improving results, and diminishing returns have not been "
            "observed.",
        ),
    ],
)
def test_the_same_footing_on_both_sides_still_agrees(a: str, b: str) -> None:
    assert _relation(a, b) == "agree"


def test_a_reserve_marker_is_read_from_the_rules_file() -> None:
    assert "persist*" in RULES.reserved
    assert normalize_claim("Reliability problems persist in LLM agents.", RULES).reserved
    assert not normalize_claim("LLM agents handle invoices end to end.", RULES).reserved
