"""Claims that name no subject in common are still compared when they share distinctive words or
quote one figure; such a weaker link never makes agreement by itself, and the pipeline blocks on
it (sentences written for these tests)."""

from __future__ import annotations

import pytest

from bot.conflicts import detect_flags, extract_claims
from bot.conflicts.normal import Link, linked, normalize_claim, relate, shared
from bot.conflicts.pairs import context_of
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


def _numeric_flags(says: dict[str, str]) -> list[str]:
    """The numeric flags the whole pipeline raises over one section per report."""
    sources = [Source(source_id=s, title=f"Report {s}", path=f"{s}.md", sha256="0") for s in says]
    sections = [_section(sid, text) for sid, text in says.items()]
    flags = detect_flags(sections, sources, (Topic(id="ops", name="Operations"),), rules=RULES)
    return [f.kind for f in flags if f.kind == "numeric"]


def test_the_pipeline_compares_claims_linked_only_by_their_words() -> None:
    says = {
        "r0": "The airline's baggage-tracking system locates a lost suitcase in under 10 minutes.",
        "r1": "Finding a misplaced suitcase takes the airline's baggage tracker about 2 hours.",
    }
    assert _numeric_flags(says) == ["numeric"]


def _in(heading: str, sentence: str):  # type: ignore[no-untyped-def]
    return normalize_claim(sentence, RULES, context_of(heading, "", RULES))


def test_one_word_family_and_an_equivalent_word_are_shared_words() -> None:
    # "scheduling" / "scheduled", "pump" / "pumping": one family; "statute" / "law": one kind.
    a = _in("Utilities", "The water utility schedules its pumps with an AI planner.")
    b = _in("Operations", "AI-scheduled pumping at the water utility saves energy.")
    link = linked(a, b)
    assert link is not None and {"pump", "utility"} <= set(link.subjects)
    a = _in("Data Retention Legislation", "The statute applies from 1 July 2026.")
    b = _in("Compliance", "Operators must comply with the data-retention law from January 2028.")
    assert not shared(a, b)
    link = linked(a, b)
    assert link is not None and link.by_words
    # The heading's words link too ("legislation" under the heading, "law" in the sentence),
    # and a link by words dates one event: two dates that cannot meet disagree.
    rel = relate(a, b, RULES)
    assert rel is not None and rel[0] == "timeline"


def test_equivalent_words_of_another_thing_are_no_link() -> None:
    a = _in("Tax reform", "The tax statute applies from 1 July 2026.")
    b = _in("Compliance", "Operators must comply with the data-retention law from January 2028.")
    assert linked(a, b) is None
    assert relate(a, b, RULES) is None


def test_an_abbreviation_and_its_words_are_one_word() -> None:
    a = _in("Fleets", "EV batteries kept 90% of their capacity after five years.")
    b = _in("Ageing", "Electric vehicle packs kept only 70% of their capacity.")
    link = linked(a, b)
    assert link is not None and "ev" in link.subjects
    # A run of common words is no abbreviation's words.
    c = _in("Retail", "Every vendor kept 70% of its capacity.")
    assert "ev" not in (linked(a, c) or Link((), False, None)).subjects


def test_an_abbreviated_name_is_the_name() -> None:
    a = normalize_claim("The FDA cleared the sepsis model in 2024.", RULES)
    b = normalize_claim("The Food and Drug Administration cleared the sepsis model in 2026.", RULES)
    assert "fda" in shared(a, b, named_only=True)


def test_a_definite_reference_takes_the_figure_of_the_named_system() -> None:
    # "the chip" names no system; its figure of the same measure is the named one's.
    a = _in("Graphics processors", "Nvidia's B300 draws 1,400 W under load.")
    b = _in("Datacentre power", "The chip draws about 700 W under load.")
    rel = relate(a, b, RULES)
    assert rel is not None and rel[0] == "numeric"
    # Equivalent words and the same figure: the same point.
    a = _in("Warranties", "The manufacturer's battery warranty runs for 96 months.")
    b = _in("Terms", "The carmaker's battery guarantee lasts eight years.")
    rel = relate(a, b, RULES)
    assert rel is not None and rel[0] == "agree"


def test_the_pipeline_compares_claims_linked_by_an_abbreviation() -> None:
    says = {
        "r0": "EV batteries kept 90% of their capacity after five years of use.",
        "r1": "Electric vehicle packs kept only 70% of their capacity after five years.",
    }
    assert _numeric_flags(says) == ["numeric"]


def test_a_hyphenated_name_is_abbreviated_by_all_its_parts() -> None:
    a = _in("Connected cars", "The carmaker's OTA updates reach 95% of vehicles within a week.")
    b = _in(
        "Updates", "Over-the-air updates from the manufacturer reach only 50% of cars in a week."
    )
    rel = relate(a, b, RULES)
    assert rel is not None and rel[0] == "numeric"
