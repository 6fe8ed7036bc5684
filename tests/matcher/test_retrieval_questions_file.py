"""The retrieval question set is well-formed: real sections and facts, known labels, fair splits."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.models import Corpus

HERE = Path(__file__).parent
CONTENT = HERE.parents[1] / "content"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (HERE / "retrieval_questions.yaml").read_text(encoding="utf-8")
)

INTENTS = {
    "whats_new", "topic_brief", "conflicts", "agreement", "single_source", "sources", "reports",
    "list_topics", "digest", "subscribe", "unsubscribe", "help", "greeting", "unknown",
}  # fmt: skip
KINDS = ("fact", "topic", "ood", "other")
MINIMUM_PER_KIND = {"fact": 70, "topic": 90, "ood": 45, "other": 60}
MINIMUM_TOTAL = 270
FIELDS = {"q", "intent", "topic", "kind", "section", "also", "fact", "split"}
# A run this long of tune cases inside one kind would mean the holdout is bunched, not spread.
LONGEST_TUNE_RUN = 3


def _where(case: dict[str, Any]) -> str:
    return f"case {CASES.index(case) + 1} ({case.get('q')!r})"


def _of_kind(kind: str) -> list[dict[str, Any]]:
    return [case for case in CASES if case["kind"] == kind]


def test_every_case_has_known_fields_and_labels() -> None:
    topic_ids = {t["id"] for t in tomllib.loads((CONTENT / "topics.toml").read_text())["topic"]}
    for case in CASES:
        assert set(case) <= FIELDS, f"{_where(case)}: unknown fields {set(case) - FIELDS}"
        assert isinstance(case["q"], str), f"{_where(case)}: q must be a string"
        assert case["intent"] in INTENTS, f"{_where(case)}: intent {case['intent']!r}"
        assert case["topic"] is None or case["topic"] in topic_ids, f"{_where(case)}: topic"
        assert case["kind"] in KINDS, f"{_where(case)}: kind {case['kind']!r}"
        assert case["split"] in ("tune", "holdout"), f"{_where(case)}: split {case['split']!r}"


def test_fact_and_topic_cases_name_a_section_and_only_they_do() -> None:
    for case in CASES:
        cites = case["kind"] in ("fact", "topic")
        assert ("section" in case) is cites, f"{_where(case)}: section iff fact or topic"
        assert ("fact" in case) is (case["kind"] == "fact"), f"{_where(case)}: fact iff fact"
        assert "also" not in case or cites, f"{_where(case)}: 'also' without a section"


def test_out_of_domain_cases_are_unknown_without_topic() -> None:
    for case in _of_kind("ood"):
        assert (case["intent"], case["topic"]) == ("unknown", None), _where(case)


def test_every_cited_section_exists_and_holds_its_fact(corpus: Corpus) -> None:
    text_of = {s.section_id: s.text for s in corpus.sections}
    for case in CASES:
        for section_id in [case.get("section"), *case.get("also", [])]:
            if section_id is not None:
                assert section_id in text_of, f"{_where(case)}: no section {section_id!r}"
        if "also" in case:
            assert case["section"] not in case["also"], f"{_where(case)}: section repeated"
        if case["kind"] == "fact":
            fact = case["fact"]
            assert fact in text_of[case["section"]], f"{_where(case)}: {fact!r} not in section"
            elsewhere = {sid for sid, text in text_of.items() if fact in text}
            elsewhere -= {case["section"], *case.get("also", [])}
            assert elsewhere == set(), f"{_where(case)}: {fact!r} is not distinctive"


def test_questions_are_unique_and_not_copied_from_the_matcher_set() -> None:
    seen = Counter(" ".join(case["q"].casefold().split()) for case in CASES)
    assert [q for q, n in seen.items() if n > 1] == []
    old = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    copied = {" ".join(c["q"].casefold().split()) for c in old} & set(seen)
    assert copied == set()


def test_set_is_big_enough_in_every_kind() -> None:
    counts = Counter(case["kind"] for case in CASES)
    assert len(CASES) >= MINIMUM_TOTAL
    for kind, minimum in MINIMUM_PER_KIND.items():
        assert counts[kind] >= minimum, f"{kind}: {counts[kind]} < {minimum}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_third_of_every_kind_is_held_out_and_spread_evenly(kind: str) -> None:
    splits = [case["split"] for case in _of_kind(kind)]
    assert splits.count("holdout") == round(len(splits) / 3)
    run = longest = 0
    for split in splits:
        run = run + 1 if split == "tune" else 0
        longest = max(longest, run)
    assert longest <= LONGEST_TUNE_RUN
