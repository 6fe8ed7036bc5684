"""Normalized claims: a check in the negative is unverified; target years date a forecast."""

from __future__ import annotations

import pytest

from bot.conflicts.normal import normalize_claim, relate
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)


@pytest.mark.parametrize(
    ("sentence", "verification"),
    [
        ("The 94% score has not been independently reproduced.", "unverified"),
        ("The figure is a vendor claim that no outside lab has validated.", "unverified"),
        ("The throughput gain is yet to be confirmed by outside testers.", "unverified"),
        ("Independent tests confirmed the 3x throughput of the chip.", "verified"),
        ("Two labs independently reproduced the 40% cost cut.", "verified"),
        ("The chip delivers 3x the throughput of its predecessor.", "stated"),
    ],
)
def test_a_check_in_the_negative_is_no_check(sentence: str, verification: str) -> None:
    assert normalize_claim(sentence, RULES).verification == verification


def test_target_years_are_read_after_by_before_and_no_later_than() -> None:
    n = normalize_claim("Robotaxis with LLM planners should reach cities by 2031.", RULES)
    assert n.target_years == (2031,)
    assert normalize_claim("The plan lands no later than 2029.", RULES).target_years == (2029,)
    # "by 40%" is a figure, not a date; a past year after "in" is no target.
    assert normalize_claim("Costs fell by 40% in 2023.", RULES).target_years == ()


def test_the_same_forecast_with_another_target_year_is_a_timeline() -> None:
    a = normalize_claim("Quantum annealing is expected to reach commercial labs by 2028.", RULES)
    b = normalize_claim("Quantum annealing is expected to reach commercial labs by 2036.", RULES)
    same = normalize_claim(
        "By 2028, quantum annealing is expected to reach commercial labs.", RULES
    )
    assert relate(a, b, RULES) is not None and relate(a, b, RULES)[0] == "timeline"  # type: ignore[index]
    assert (relate(a, same, RULES) or ("none",))[0] != "timeline"


def test_reaching_a_level_is_achieved_and_an_unsolved_problem_is_caution() -> None:
    done = normalize_claim("Robot fruit pickers have reached the speed of seasonal workers.", RULES)
    assert done.achieved
    doubt = normalize_claim(
        "Robot fruit pickers still bruise soft berries, and picking at the speed of seasonal "
        "workers is an unsolved problem.",
        RULES,
    )
    assert doubt.caution
    assert (relate(done, doubt, RULES) or ("none",))[0] == "caution"


def test_a_denial_worded_with_other_forms_of_the_same_words_is_a_stance() -> None:
    done = normalize_claim("Warehouse robots are now widely used for night-time restocking.", RULES)
    denied = normalize_claim(
        "While pilots look good, warehouse robots do not restock shelves at night time.", RULES
    )
    assert (relate(done, denied, RULES) or ("none",))[0] == "stance"


@pytest.mark.parametrize(
    ("sentence", "achieved"),
    [
        ("Onboard spam filters avoid phishing losses for small firms.", True),
        ("The new hull coating prevented corrosion on the test ships.", True),
        ("The crawler managed to avoid every trap page on the site.", True),
        ("Hardened chatbots withstand jailbreak prompts in most tests.", True),
        # A purpose, a duty or a denial is nothing done.
        ("The spam filters are designed to avoid phishing losses.", False),
        ("Small firms must prevent phishing losses themselves.", False),
        ("The new hull coating has not prevented corrosion on the ships.", False),
        ("Chatbots cannot withstand jailbreak prompts.", False),
    ],
)
def test_keeping_a_harm_away_is_achieved_unless_a_purpose_duty_or_denial(
    sentence: str, achieved: bool
) -> None:
    assert normalize_claim(sentence, RULES).achieved is achieved


@pytest.mark.parametrize(
    ("done", "doubt"),
    [
        (
            "Onboard spam filters avoid phishing losses for small firms.",
            "Whether onboard spam filters really stop phishing losses for small firms remains "
            "an open question.",
        ),
        (
            "Route planning for the city's snow ploughs has been solved by the new optimiser.",
            "The city warns its snow-plough route planning could still break down in blizzards.",
        ),
        (
            "Hardened chatbots withstand jailbreak prompts in customer service.",
            "Hardened chatbots in customer service have yet to solve jailbreak prompts.",
        ),
    ],
)
def test_an_open_question_or_a_failure_mode_against_a_thing_done_is_caution(
    done: str, doubt: str
) -> None:
    a, b = normalize_claim(done, RULES), normalize_claim(doubt, RULES)
    assert b.caution
    assert (relate(a, b, RULES) or ("none",))[0] == "caution"
    assert (relate(b, a, RULES) or ("none",))[0] == "caution"


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("Quantum annealing could cut training costs by 40%.", True),
        ("Neuromorphic chips may soon replace GPUs for training.", True),
        # A modal in a clause after the main one hedges that clause, not the claim.
        (
            "SAIGE-3 holds about 100 TB of synthetic content, roughly ten times what equivalent "
            "real-world collection would yield.",
            False,
        ),
        ("Although vendors say it might help, robustness has not improved.", False),
    ],
)
def test_a_hedge_is_scoped_to_the_main_clause(sentence: str, hedged: bool) -> None:
    assert normalize_claim(sentence, RULES).hedged is hedged
