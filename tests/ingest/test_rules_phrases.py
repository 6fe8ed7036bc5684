"""Lexicon phrases in rules.toml that could backtrack without bound are refused at load."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conflicts import Lexicon
from bot.errors import ContentError
from bot.ingest.limits import MAX_PHRASE_GAPS, MAX_PHRASE_WORDS
from bot.ingest.rules_file import load_rules, phrase_problem

HOSTILE = " ".join(["~"] * 20) + " hurdles"


def _rules(tmp_path: Path, early: str) -> Path:
    (tmp_path / "rules.toml").write_text(
        '# rules\n[thresholds]\nmax_sides = 3\n\n[stance]\nearly = [\n  "nascent",\n'
        f"  {early},\n]\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        (HOSTILE, "gaps (~); the limit is"),
        ("remain* ~ ~ challenge", "two gaps (~ ~) in a row"),
        ("a ~ b ~ c ~ d", f"has 3 gaps (~); the limit is {MAX_PHRASE_GAPS}"),
        ("one two three four five six seven eight nine", f"the limit is {MAX_PHRASE_WORDS}"),
        ("~", "only gaps"),
        ("early *", "only '*'"),
    ],
)
def test_backtracking_phrase_is_refused_with_file_line_and_fix(
    tmp_path: Path, phrase: str, reason: str
) -> None:
    started = time.monotonic()
    with pytest.raises(ContentError) as caught:
        load_rules(_rules(tmp_path, f'"{phrase}"'))
    assert time.monotonic() - started < 10  # a hang guard, not a timing test
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'rules.toml'}:8: [stance] phrase ")
    assert reason in message and "(use at most" in message


def test_shipped_and_default_phrases_are_accepted() -> None:
    root = Path(__file__).resolve().parents[2] / "content"
    rules = load_rules(root)
    for phrase in (*rules.mature, *rules.early, *rules.hedges, *rules.negators, *rules.events):
        assert phrase_problem(phrase) is None, phrase


def test_the_worst_accepted_phrase_matches_hostile_text_in_linear_time() -> None:
    worst = "remain* ~ big ~ hurdles today"
    assert phrase_problem(worst) is None
    lexicon = Lexicon((worst,))
    started = time.monotonic()
    for words in (
        ["remain", "big"] * 20_000,
        ["remains"] * 40_000,
        ["remain", "x", "big"] * 10_000,
    ):
        assert lexicon.search(" ".join(words)) is None
        # One long compound: a hyphen is a separator too, tried once per hyphen.
        assert lexicon.search("-".join(words)) is None
    assert time.monotonic() - started < 10


_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@given(st.lists(_PART, min_size=2, max_size=4), st.lists(st.sampled_from([" ", "-"]), min_size=3))
def test_a_hyphen_and_a_space_between_words_are_one_separator(
    parts: list[str], seps: list[str]
) -> None:
    written = "".join(p + seps[i] for i, p in enumerate(parts[:-1])) + parts[-1]
    text = f"Reports call it {written} today."
    for phrase in (" ".join(parts), "-".join(parts)):
        assert Lexicon((phrase,)).search(text) is not None, (phrase, text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("proof-of-concept", "it is a proofofconcept"),  # the closed compound
        ("early stage*", "early-stages"),
        ("pilot-scale", "pilot  scale"),
    ],
)
def test_compound_spellings_match(phrase: str, text: str) -> None:
    assert Lexicon((phrase,)).search(text) is not None


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("experimental", "non-experimental"),  # a prefix still keeps the word apart
        ("early stage", "earlystage"),  # a space is no closed compound
        ("lab demo*", "lab, demo"),
    ],
)
def test_a_separator_is_only_space_or_hyphen(phrase: str, text: str) -> None:
    assert Lexicon((phrase,)).search(text) is None
