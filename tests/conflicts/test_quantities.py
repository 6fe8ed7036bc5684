"""The quantity reader against hand-labelled values and units (quantulum3 measured on it too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conflicts.claims import digitized, read_quantities
from bot.conflicts.normal import normalize_claim, quantities_agree
from bot.ingest.rules_file import load_rules
from bot.models import Quantity

from .conftest import SEED_CONTENT

GOLD = Path(__file__).with_name("quantities.json")
RULES = load_rules(Path(SEED_CONTENT))


def _matched(preds: list[tuple[float, str]], golds: list[list[float | str]]) -> int:
    used: set[int] = set()
    hit = 0
    for value, unit in golds:
        for i, (pv, pu) in enumerate(preds):
            if i not in used and pu == unit and abs(pv - float(value)) <= 0.01 * abs(float(value)):
                used.add(i)
                hit += 1
                break
    return hit


def test_values_and_units_are_read_as_labelled() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    preds = [[(q.value, q.unit) for q, *_ in read_quantities(s, RULES)] for s, _ in gold]
    tp = sum(_matched(p, g) for p, (_, g) in zip(preds, gold, strict=True))
    precision = tp / sum(len(p) for p in preds)
    recall = tp / sum(len(g) for _, g in gold)
    # quantulum3 0.10.0 on the same 42 sentences: precision 0.52, recall 0.56, 20/42 sentences
    # fully right, with or without its unit classifier, and 6-22 ms a sentence (so the rules stay).
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


def test_bounds_and_changes_are_normalized() -> None:
    def bounds(sentence: str) -> list[tuple[str, float | None, float | None]]:
        return [(q.bound, q.low, q.high) for q in normalize_claim(sentence, RULES).quantities]

    assert bounds("Fines reach up to 7% of revenue.") == [("up_to", 7.0, 7.0)]
    assert bounds("Costs fell by at most 5% in trials.") == [("at_most", 0.0, 5.0)]
    year = 31557600.0  # durations are compared in seconds
    assert bounds("Timelines take from 10 to 12 years here.")[0] == ("range", 10 * year, 12 * year)
    changed = bounds("Timelines have shrunk from 10–15 years to 4–7 years.")
    assert [b for b, _, _ in changed] == ["previous", "range"]
    assert [q.value for q in normalize_claim("Costs were halved by Q-Net.", RULES).quantities] == [
        0.5
    ]


def test_a_number_belongs_to_the_subject_of_its_own_clause() -> None:
    n = normalize_claim(
        "Training on Loihi 2 requires 500 watts versus 5,000 watts on NVIDIA H100 GPUs.", RULES
    )
    assert [(q.value, q.subject) for q in n.quantities] == [
        (500.0, "loihi 2"),
        (5000.0, "nvidia h100 gpus"),
    ]


_value = st.floats(min_value=0.01, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(_value, st.floats(min_value=0.0, max_value=0.1))
def test_a_value_always_agrees_with_itself_nudged_within_tolerance(v: float, nudge: float) -> None:
    p = Quantity(value=v, unit="watts", text="", low=v, high=v)
    q = Quantity(
        value=v * (1 + nudge), unit="watts", text="", low=v * (1 + nudge), high=v * (1 + nudge)
    )
    assert quantities_agree(p, q, RULES) and quantities_agree(q, p, RULES)


@given(_value, _value)
def test_agreement_of_two_values_is_symmetric(a: float, b: float) -> None:
    p = Quantity(value=a, unit="%", text="", low=a, high=a)
    q = Quantity(value=b, unit="%", text="", low=b, high=b)
    assert quantities_agree(p, q, RULES) == quantities_agree(q, p, RULES)


@given(st.text(max_size=200))
def test_any_text_normalizes_without_error(text: str) -> None:
    n = normalize_claim(text, RULES)
    assert all(q.low is None or q.high is None or q.low <= q.high for q in n.quantities)


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("it turned up some twelve hundred battery materials", "twelve hundred", 1200.0),
        ("flies for more than two hours on one charge", "more than two hours", 7200.0),
        (
            "cut settlement time by no more than fifteen per cent",
            "more than fifteen per cent",
            15.0,
        ),
        ("reduced claims leakage by twenty-two percent", "twenty-two percent", 22.0),
    ],
)
def test_numbers_in_words_are_read_and_quoted_as_written(
    sentence: str, text: str, value: float
) -> None:
    found = read_quantities(sentence, load_rules(Path(SEED_CONTENT)))
    assert [(q.text, q.value) for q, _, _, _ in found] == [(text, value)]
    _, _, start, end = found[0]
    assert sentence[start:end] == text


@given(st.text(alphabet=st.sampled_from(list("abc two twelve hundred 5%-,.")), max_size=80))
def test_digitized_spans_always_map_back_into_the_sentence(sentence: str) -> None:
    text, starts, ends = digitized(sentence)
    assert len(starts) == len(ends) == len(text)
    assert all(0 <= s < e <= len(sentence) for s, e in zip(starts, ends, strict=True))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # compound number words
        ("the survey reached three hundred and forty clinics", [(340.0, "count")]),
        ("the fleet now has two and a half million riders", [(2.5e6, "count")]),
        ("the archive holds a dozen scanned atlases", [(12.0, "count")]),
        # vague counts are ranges
        ("the pilot enrolled a few thousand tenants", [(2000.0, "count"), (5000.0, "count")]),
        # fractions and "one in N" are shares
        ("roughly a third of the depots use the planner", [(100 / 3, "%")]),
        ("two thirds of the orchards were mapped", [(200 / 3, "%")]),
        ("waste fell by half at the bakery", [(50.0, "%")]),
        ("one in four drivers ignored the alert", [(25.0, "%")]),
        # durations in words: "a day" after a qualifier, "an hour and a half", "half a day"
        ("the audit now takes well under a day", [(86400.0, "seconds")]),
        ("the ferry crossing lasts an hour and a half", [(5400.0, "seconds")]),
        ("calibration needs half a day per rig", [(43200.0, "seconds")]),
        # money written out after the number
        ("the county spends some 4 million dollars on it", [(4e6, "usd")]),
    ],
)
def test_numbers_fractions_and_durations_in_words_are_read(
    sentence: str, expected: list[tuple[float, str]]
) -> None:
    found = [(q.value, q.unit) for q, *_ in read_quantities(sentence, RULES)]
    assert [u for _, u in found] == [u for _, u in expected]
    assert all(abs(v - w) <= 0.01 * w for (v, _), (w, _) in zip(found, expected, strict=True))


@pytest.mark.parametrize(
    "sentence",
    [
        "sales rose in the second half of the year",  # an ordinal half is a time, not a share
        "revenue rose in a quarter when demand peaked",  # a quarter of a year
        "the depot runs a day shift and a night shift",  # "a day" with no qualifier
        "costs 4 dollars a day to run",  # "a day" after money is a rate
    ],
)
def test_time_words_and_articles_are_not_read_as_figures(sentence: str) -> None:
    found = [(q.value, q.unit) for q, *_ in read_quantities(sentence, RULES)]
    assert all(u != "%" for _, u in found)
    assert all(u != "seconds" for _, u in found), found


def test_between_two_figures_is_one_range_and_a_trailing_plus_is_a_floor() -> None:
    def bounds(sentence: str) -> list[tuple[str, float | None, float | None]]:
        return [(q.bound, q.low, q.high) for q in normalize_claim(sentence, RULES).quantities]

    assert bounds("The sorter cuts packing errors by between 8% and 12%.") == [("range", 8.0, 12.0)]
    assert bounds("The county hired between 3 and 4 million seasonal pickers.") == [
        ("range", 3e6, 4e6)
    ]
    assert bounds("The atlas now covers 300+ river basins.") == [("at_least", 300.0, None)]


def test_a_bound_before_a_number_does_not_push_its_measure_out_of_reach() -> None:
    found = read_quantities("Routing lowers the cost per parcel by as much as 30 percent.", RULES)
    assert [m for _, m, _, _ in found] == ["cost"]


def _relation(a: str, b: str) -> str:
    from bot.conflicts.normal import relate

    rel = relate(normalize_claim(a, RULES), normalize_claim(b, RULES), RULES)
    return rel[0] if rel else "none"


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        # The object of the change verb is what both figures measure, though the words next
        # to them differ ("vineyards" and "water").
        (
            "Drip scheduling cuts water use in hillside vineyards by over 50%.",
            "In hillside vineyards, drip scheduling cuts water use by 5% to 8%.",
            "numeric",
        ),
        (
            "Drip scheduling cuts water use in hillside vineyards by up to 20%.",
            "Water use in hillside vineyards falls by as much as 20 percent with drip scheduling.",
            "agree",
        ),
        # A change noun is its verb: "a 30% cut in scrap" is "cuts scrap by 30%".
        (
            "Auditors confirmed the 30% cut in scrap at the Tern press line.",
            "The Tern press line cut scrap by thirty percent, auditors confirmed.",
            "agree",
        ),
    ],
)
def test_figures_whose_measure_is_only_guessed_meet_on_the_object_of_their_change(
    a: str, b: str, relation: str
) -> None:
    assert _relation(a, b) == relation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Other objects of one verb, for one subject.
        (
            "Drip scheduling cuts water use in vineyards by 60%.",
            "Drip scheduling cuts labour in vineyards by 5%.",
        ),
        # A share of a whole is not a change.
        (
            "A quarter of the depot's drivers use the route planner.",
            "The route planner cut idle time for the depot's drivers by 70%.",
        ),
        # A change and a count of something else.
        (
            "Route planning trims fuel use of delivery vans by 12%.",
            "Route planning lets delivery vans make 30% more stops.",
        ),
    ],
)
def test_figures_for_different_things_of_one_subject_are_not_compared(a: str, b: str) -> None:
    assert _relation(a, b) != "numeric"


def test_figures_of_one_engine_compare_though_the_nearest_names_differ() -> None:
    # The nearest names ("english", "kestrel spanish-to-english") differ; both clauses name
    # Kestrel, and each sentence has one duration.
    a = "On the call line, the Kestrel engine turned Spanish into English with a lag of 250 ms."
    b = "Kestrel's Spanish-to-English call translation lags by about three seconds."
    assert _relation(a, b) == "numeric"
    assert (
        _relation(a, "Kestrel's Spanish-to-English call translation lags by 0.3 seconds.")
        == "agree"
    )
