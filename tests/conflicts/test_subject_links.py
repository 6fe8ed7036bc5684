"""Claims that name no subject in common are still compared when they share distinctive words or
quote one figure; such a weaker link never makes agreement by itself, and the pipeline blocks on
it (sentences written for these tests)."""

from __future__ import annotations

import pytest

from bot.conflicts import detect_flags, extract_claims
from bot.conflicts.normal import linked, normalize_claim, relate, shared
from bot.ingest.rules_file import load_rules
from bot.models import Section, Source, Topic, TopicScore

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)


def _relation(a: str, b: str) -> str | None:
    rel = relate(normalize_claim(a, RULES), normalize_claim(b, RULES), RULES)
    return rel[0] if rel else None


def _link(a: str, b: str):  # type: ignore[no-untyped-def]
    return linked(normalize_claim(a, RULES), normalize_claim(b, RULES))


def test_two_distinctive_words_in_common_are_one_subject() -> None:
    a = "The airline's baggage-tracking system locates a lost suitcase in under 10 minutes."
    b = "Finding a misplaced suitcase takes the airline's baggage tracker about 2 hours."
    link = _link(a, b)
    assert link is not None and link.by_words
    assert {"airline", "baggage", "suitcase"} <= set(link.subjects)
    assert _relation(a, b) == "numeric"


def test_one_figure_and_one_word_in_common_are_one_subject() -> None:
    a = "The wildfire model warns residents 40 minutes before the flames arrive."
    b = (
        "The 40-minute head start reported for residents by the fire-spread alert has not been "
        "independently verified."
    )
    link = _link(a, b)
    assert link is not None and not link.by_words and link.figure is not None
    assert _relation(a, b) == "verification"


def test_a_compound_of_the_fields_own_word_is_no_proper_name() -> None:
    # "AI-guided" is no name that could tell two things apart.
    a = "AI-guided sprayers have cut fungicide use in apple orchards by as much as 80 percent."
    b = "On orchards with camera-steered spraying, fungicide use fell by at most 10%."
    link = _link(a, b)
    assert link is not None and {"fungicide", "orchard"} <= set(link.subjects)
    assert _relation(a, b) == "numeric"


def test_a_figure_in_a_unit_of_its_own_is_one_subject_by_itself() -> None:
    a = "The startup's solid electrolyte reaches 175 Wh/kg in its first packs."
    b = "The 175 Wh/kg figure quoted for the novel cells is unaudited."
    assert _relation(a, b) == "verification"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # One share, nothing else in common: two things.
        (
            "Rooftop solar panels raised output by 30% this summer.",
            "The 30% drop in hospital readmissions has not been independently verified.",
        ),
        # A round figure is quoted for many things.
        (
            "The port spent $1 billion on automated cranes.",
            "The $1 billion quoted for the vaccine plant is unaudited.",
        ),
        # The same figure for two named products: two things.
        (
            "Voltix cells store 175 Wh/kg.",
            "The 175 Wh/kg claimed for Amperon packs is unaudited.",
        ),
        # Words of how a claim is put ("still", "pilot", "independently verified") are no subject.
        (
            "Drone delivery is still in a pilot and has not been independently verified.",
            "Robot vacuums have been independently verified and are in commercial use.",
        ),
    ],
)
def test_a_figure_or_manner_words_in_common_about_different_things_is_no_link(
    a: str, b: str
) -> None:
    assert _link(a, b) is None
    assert _relation(a, b) is None


def test_a_weaker_link_alone_never_makes_agreement() -> None:
    # Shared words, the same stance, no figure: not shown to be the same point.
    a = "Staff at the bakery now check every sourdough loaf with a camera."
    b = "A camera grades each loaf of sourdough before the bakery opens."
    assert not shared(normalize_claim(a, RULES), normalize_claim(b, RULES))
    assert _link(a, b) is not None
    assert _relation(a, b) is None
    # A figure both quote is the link itself, not a second sign.
    a = "The startup's solid electrolyte reaches 175 Wh/kg in its first packs."
    b = "Cells from the new plant store 175 Wh/kg."
    assert _relation(a, b) is None


def test_shared_words_and_an_agreeing_figure_agree() -> None:
    a = "The airline's baggage tracker finds a lost suitcase in 10 minutes."
    b = "Locating a missing suitcase takes the airline's baggage system about ten minutes."
    assert _relation(a, b) == "agree"


def test_a_change_is_not_compared_with_a_level() -> None:
    a = "Queues at the passport gates fell by 20 minutes once the face scanners arrived."
    b = "With the face scanners, queues at the passport gates now last 45 minutes."
    assert _link(a, b) is not None
    assert _relation(a, b) != "numeric"


def _section(sid: str, text: str) -> Section:
    section_id = f"{sid}#ops"
    return Section(
        section_id=section_id,
        source_id=sid,
        heading="Operations",
        level=2,
        line=1,
        text=text,
        summary="",
        topics=(TopicScore(topic_id="ops", score=80.0),),
        claims=extract_claims(section_id, sid, text, ("ops",), rules=RULES, heading="Operations"),
    )


def test_the_pipeline_compares_claims_linked_only_by_their_words() -> None:
    says = {
        "r0": "The airline's baggage-tracking system locates a lost suitcase in under 10 minutes.",
        "r1": "Finding a misplaced suitcase takes the airline's baggage tracker about 2 hours.",
    }
    sources = [Source(source_id=s, title=f"Report {s}", path=f"{s}.md", sha256="0") for s in says]
    sections = [_section(sid, text) for sid, text in says.items()]
    flags = detect_flags(sections, sources, (Topic(id="ops", name="Operations"),), rules=RULES)
    assert [f.kind for f in flags if f.kind == "numeric"] == ["numeric"]
