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
    # quantulum3 0.10.0 on the same set: precision 0.61, recall 0.64 (so the rules stay).
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
