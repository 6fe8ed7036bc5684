"""Reading quantities, years, stance and subjects from sentences; no text crashes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conflicts import (
    DEFAULT_RULES,
    ConflictRules,
    ScopedStance,
    extract_claims,
    read_quantities,
    read_sentence,
    read_stance,
    split_sentences,
)
from bot.conflicts.normal import normalize_claim
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT


def _q(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q, _, _, _ in read_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reducing computational costs by up to 40%.", [(40.0, "%")]),
        ("a 1B-parameter model beats 7B-parameter models", [(1e9, "params"), (7e9, "params")]),
        ("LLMs with >100B parameters", [(1e11, "params")]),
        ("$12M in annual savings", [(12e6, "usd")]),
        ("dropped from $2.6B to $1.3B", [(2.6e9, "usd"), (1.3e9, "usd")]),
        ("requires 500 watts versus 5,000 watts", [(500.0, "watts"), (5000.0, "watts")]),
        ("a 2 kW rack", [(2000.0, "watts")]),
        ("consuming 10x less energy", [(10.0, "x")]),
        ("shrunk from 10–15 years", [(10 * 31557600.0, "seconds"), (15 * 31557600.0, "seconds")]),
        ("15M lost jobs", [(15e6, "count")]),
        ("AutoGPT 3.x and Gemini Pro 2.0 and SAIGE-3 and H100", []),
        ("in 2024 and by 2030", []),
    ],
)
def test_quantities_are_read_with_value_and_unit(
    text: str, expected: list[tuple[float, str]]
) -> None:
    assert _q(text) == expected


def test_a_number_takes_the_measure_written_near_it() -> None:
    measures = [m for _, m, _, _ in read_quantities("reducing computational costs by up to 40%")]
    assert measures == ["cost"]
    assert [m for _, m, _, _ in read_quantities("TinyLLM-S achieves 94% accuracy")] == ["accuracy"]
    assert [m for _, m, _, _ in read_quantities("Loihi 2 requires 500 watts")] == ["energy"]


def test_years_and_event_years() -> None:
    r = read_sentence("The EU AI Act (effective 2024) imposes transparency rules until 2030.")
    assert r.years == (2024, 2030)
    assert r.event_years == (2024,)
    assert read_sentence("The EU AI Act took effect in 2026 for large models.").event_years == (
        2026,
    )


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("These models are now embedded in edge devices.", "mature"),
        ("Loihi 2 and Pohoiki Springs are commercializing brain-inspired chips.", "mature"),
        ("positioning quantum-enhanced models as a cornerstone of next-gen AI.", "mature"),
        ("The Labor Department formally recognizes 12M AI Copilot Engineers.", "mature"),
        ("Robustness has seen marked improvements.", "mature"),
        ("Quantum LLM research is promising, albeit still in early stages.", "early"),
        ("Explaining massive models remains a significant challenge.", "early"),
        ("However, substantial technical hurdles remain.", "early"),
        ("These methods often offer limited insights.", "early"),
        ("The lack of a theoretical framework hinders progress.", "early"),
        ("Further research is needed to develop robust methods.", "early"),
        ("Quantum computing could revolutionize LLM capabilities.", "neutral"),
        ("Edge AI is no longer nascent.", "mature"),
        ("Multimodal models process text, images and audio.", "neutral"),
    ],
)
def test_stance_is_read_from_the_lexicon(sentence: str, stance: str) -> None:
    assert read_stance(sentence)[0] == stance


def test_a_hedged_claim_of_maturity_is_a_claim_of_limits() -> None:
    assert read_stance("While progress has been made, it remains a significant challenge.")[0] == (
        "early"
    )


def test_scoped_phrases_count_only_for_their_subject() -> None:
    rules = ConflictRules(
        scoped=(ScopedStance(subject="scaling", early=("diminishing returns",)),),
        early=(),
        subjects=DEFAULT_RULES.subjects,
    )
    from bot.conflicts import SubjectHint

    rules = rules.model_copy(
        update={"subjects": (SubjectHint(name="scaling", patterns=("scaling",)),)}
    )
    assert read_sentence("Scaling shows diminishing returns.", rules).stance == "early"
    assert read_sentence("Marketing shows diminishing returns.", rules).stance == "neutral"


def test_named_systems_are_subjects() -> None:
    subjects = read_sentence(
        "For example, training a neuromorphic LLM on Loihi 2 requires 500 watts versus "
        "5,000 watts on NVIDIA H100 GPUs."
    ).subjects
    assert "loihi 2" in subjects
    assert any("h100" in s for s in subjects)
    assert "for" not in subjects and "example" not in subjects


def test_sentences_split_on_ends_and_list_items_but_not_abbreviations() -> None:
    text = (
        "Industry giants (e.g., IBM, Google) invest. The U.S. and China lag behind. "
        "This is driven by:\n- Destructive pruning, removing neurons.\n"
        "- Quantization-aware training."
    )
    assert split_sentences(text) == [
        "Industry giants (e.g., IBM, Google) invest.",
        "The U.S. and China lag behind.",
        "This is driven by:",
        "Destructive pruning, removing neurons.",
        "Quantization-aware training.",
    ]


def test_claims_carry_ids_topics_and_exact_sentences() -> None:
    text = "Quantum annealing cuts training costs by up to 40%. Short one. It is used widely."
    claims = extract_claims("r#quantum", "r", text, ("quantum",))
    assert claims[0].claim_id == "r#quantum/0"
    assert claims[0].text == "Quantum annealing cuts training costs by up to 40%."
    assert claims[0].topic_ids[0] == "quantum"
    assert claims[0].quantities[0].text == "up to 40%"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_no_text_crashes_extraction(text: str) -> None:
    for claim in extract_claims("s#x", "s", text, ("t",)):
        assert claim.text.strip()
        assert claim.stance in ("mature", "early", "neutral")


_PIECES = st.sampled_from(
    [
        "40%",
        "$2.6B",
        "1B-parameter",
        ">100B parameters",
        "10x",
        "500 watts",
        "2024",
        "10–15 years",
        "e.g.",
        "U.S.",
        "now embedded",
        "early stages",
        "**bold**",
        "- ",
        "\n",
        ". ",
        "Loihi 2",
        "(",
        ")",
        "1,000,000",
        "3.x",
        "€5M",
        "not yet",
        "could",
        "0.01%",
        "9" * 30,
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_no_mix_of_numbers_and_phrases_crashes_reading(parts: list[str]) -> None:
    text = " ".join(parts)
    r = read_sentence(text)
    for q, _ in r.quantities:
        assert q.value == q.value  # not NaN
    for y in r.event_years:
        assert y in r.years


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Soil-sensing robots have moved beyond the pilot stage.", "mature"),
        ("Soil-sensing robots have not moved beyond the pilot stage.", "early"),
        ("Soil-sensing robots have never got past a pilot on two farms.", "early"),
        ("Soil-sensing robots haven't left the research-prototype stage.", "early"),
        ("Soil-sensing robots are out of pilots and sold to farms.", "mature"),
    ],
)
def test_a_negated_exit_from_a_stage_keeps_the_stage(sentence: str, stance: str) -> None:
    rules = load_rules(SEED_CONTENT)
    assert read_stance(sentence, rules)[0] == stance


@pytest.mark.parametrize(
    "sentence",
    [
        "Kelp-farming drones aren't widely deployed along the coast.",
        "Kelp-farming drones haven't been deployed along the coast.",
        "The kelp-farming drone isn’t in production yet.",
    ],
)
def test_a_contracted_negation_flips_a_stance_and_negates_its_clause(sentence: str) -> None:
    rules = load_rules(SEED_CONTENT)
    assert read_stance(sentence, rules)[0] == "early"
    assert normalize_claim(sentence, rules).negated


def test_a_contracted_negation_denies_a_check() -> None:
    rules = load_rules(SEED_CONTENT)
    claim = normalize_claim("The drones' 30% yield gain hasn't been independently verified.", rules)
    assert claim.verification == "unverified"


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        # Mature: in use every day, British spelling, other tenses.
        ("Barcode-free tills are revolutionising small grocers.", "mature"),
        ("Barcode-free tills are in everyday use at small grocers.", "mature"),
        ("Barcode-free tills are commonplace at small grocers.", "mature"),
        ("Small grocers routinely use barcode-free tills.", "mature"),
        ("The till maker has shipped barcode-free tills to 900 grocers.", "mature"),
        ("Barcode-free tills are fully operational at small grocers.", "mature"),
        # Early: still being built or tried.
        ("Barcode-free tills are still under development.", "early"),
        ("Barcode-free tills are being trialled at two grocers.", "early"),
        ("Barcode-free tills are in closed beta at two grocers.", "early"),
        ("Barcode-free tills have had only a limited roll-out.", "early"),
        ("Barcode-free tills have yet to reach small grocers.", "early"),
        ("Barcode-free tills remain proofs of concept.", "early"),
        ("Barcode-free tills are not ready for small grocers.", "early"),
        # A negator of another form flips a mature phrase.
        ("Barcode-free tills have failed to reach production use at grocers.", "early"),
        ("Barcode-free tills are hardly commonplace at grocers.", "early"),
        # A likelihood is no claim of maturity.
        ("Barcode-free tills are likely to become commonplace at grocers.", "neutral"),
    ],
)
def test_stage_wording_is_read_by_class(sentence: str, stance: str) -> None:
    assert read_stance(sentence, load_rules(SEED_CONTENT))[0] == stance
