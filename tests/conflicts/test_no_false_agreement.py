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
    ("done", "early"),
    [
        # A maturity written as a compound modifier is the stance of its spaced form.
        (
            "Warehouse picking agents are deployed across European logistics hubs.",
            "Warehouse picking agents for European logistics hubs are at a lab-demo stage.",
        ),
        (
            "Int8 quantization of speech models is production-grade on hearing aids.",
            "Int8 quantization of speech models on hearing aids is research-only.",
        ),
        # Both carry a reserve word ("pilot", "trials", "challenges"): the stance decides.
        (
            "Kiva's sorting robots have moved beyond pilot-scale trials in parcel depots.",
            "Kiva's sorting robots are still in pilot-scale trials in parcel depots.",
        ),
        (
            "Despite open challenges, Kiva's sorting robots are field-tested in parcel depots.",
            "Kiva's sorting robots remain at an early-stage in parcel depots.",
        ),
    ],
)
def test_a_compound_stance_against_its_opposite_is_a_stance_flag(done: str, early: str) -> None:
    assert _relation(done, early) == "stance"
    assert _relation(early, done) == "stance"


@pytest.mark.parametrize(
    ("done", "early"),
    [
        # A pilot of any size or length, against a roll-out everywhere.
        (
            "The grocer's shelf-scanning robots are in a small six-week pilot at two depots.",
            "The grocer has rolled out shelf-scanning robots across its entire depot network.",
        ),
        # Sold on the open market, against only for research partners and not sold.
        (
            "Photonic inference chips from Lumara are sold commercially to data centres.",
            "Lumara's photonic inference chips remain research platforms, available only to "
            "university labs and not sold commercially.",
        ),
    ],
)
def test_a_class_of_stage_wording_against_its_opposite_is_a_stance_flag(
    done: str, early: str
) -> None:
    assert _relation(done, early) == "stance"
    assert _relation(early, done) == "stance"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Hyphenated and spaced forms of one stance.
        (
            "Kiva's sorting robots in parcel depots are early-stage.",
            "Kiva's sorting robots in parcel depots are at an early stage.",
        ),
        (
            "Int8 quantization of speech models on hearing aids is a proof-of-concept.",
            "On hearing aids, int8 quantization of speech models is still a proof of concept.",
        ),
        # An early phrase a negator turned mature carries no reserve.
        (
            "Kiva's sorting robots in parcel depots are no longer a lab-stage technology.",
            "Kiva's sorting robots in parcel depots have moved past the lab stage.",
        ),
        # Both reserved: the same caution told twice is agreement.
        (
            "Federated learning of diagnostic models in hospitals is still at the pilot stage.",
            "In hospitals, federated learning of diagnostic models is still in pilot stage.",
        ),
        # A pilot negated is past the pilot: no reserve against a roll-out.
        (
            "Vantor's shelf-scanning robots at grocery depots are no longer a pilot.",
            "Vantor has rolled out its shelf-scanning robots to grocery depots.",
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
