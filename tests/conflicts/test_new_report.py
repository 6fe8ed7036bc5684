"""A report written for this test contradicts a seed report: the flags follow, untuned."""

from __future__ import annotations

import shutil

import pytest

from bot.ingest import IngestResult, build_corpus
from bot.models import Flag

from .conftest import SEED_CONTENT

OLD = "000_f8847632cb21589d"  # "Transformative Advances…" (2025)
AGREEING = "001_de7cd17c8301cb13"  # says quantum is early, like the new report
NEW = "900_field_check"

# Written in words none of the seed reports use for these points.
FIELD_CHECK = """\
---
title: "Quantum and Neuromorphic Computing for Language Models: A Field Check"
published: 2025-09-01
---
# Quantum and Neuromorphic Computing for Language Models: A Field Check

## Quantum Computing in LLM Training

Quantum-assisted training of language models is still in its infancy, with only small
demonstrations on toy problems. Measured on real workloads, quantum annealing cut training
costs by at most 5%, well below vendor claims. Error-corrected machines with enough qubits are
not expected before 2030.

## Neuromorphic Chips

Spiking neuromorphic chips such as Loihi 2 are nascent research platforms rather than products
on sale. In our benchmark, training a small neuromorphic LLM on Loihi 2 drew 2,000 watts once
cooling and host servers were counted.

## EU Regulation

The EU AI Act took effect in 2026 for general-purpose models, after a two-year transition.
"""

NEW_PHRASES = ("in its infancy", "nascent", "took effect", "2,000 watts", "at most 5%")


def _between(flags: tuple[Flag, ...], kind: str, topic: str, a: str, b: str) -> list[Flag]:
    return [
        f
        for f in flags
        if f.kind == kind and f.topic == topic and {a, b} <= {s.source_id for s in f.sides}
    ]


@pytest.fixture(scope="module")
def with_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flag, ...]:
    """The seed content plus the field-check report, built once for this module."""
    content = tmp_path_factory.mktemp("field") / "content"
    shutil.copytree(SEED_CONTENT, content)
    (content / "sources" / f"{NEW}.md").write_text(FIELD_CHECK, encoding="utf-8")
    return build_corpus(content).corpus.flags


def test_the_new_report_uses_wording_the_seeds_never_use() -> None:
    seeds = " ".join(
        p.read_text(encoding="utf-8").lower() for p in (SEED_CONTENT / "sources").glob("*.md")
    )
    for phrase in NEW_PHRASES:
        assert phrase not in seeds, phrase


def test_a_contradicting_number_is_flagged(with_new: tuple[Flag, ...]) -> None:
    flags = with_new
    watts = _between(flags, "numeric", "neuromorphic", OLD, NEW)
    assert watts, [f.summary for f in flags if f.kind == "numeric"]
    assert "500 watts" in watts[0].summary and "2,000 watts" in watts[0].summary
    costs = _between(flags, "numeric", "quantum", OLD, NEW)
    assert costs and "40%" in costs[0].summary and "5%" in costs[0].summary


def test_a_contradicting_maturity_is_flagged(with_new: tuple[Flag, ...]) -> None:
    flags = with_new
    quantum = _between(flags, "stance", "quantum", OLD, NEW)
    assert quantum
    assert "Field Check" in quantum[0].summary or "Quantum and Neuromorphic" in quantum[0].summary
    assert "2025" in quantum[0].summary
    assert _between(flags, "stance", "neuromorphic", OLD, NEW)


def test_a_contradicting_date_is_flagged(with_new: tuple[Flag, ...]) -> None:
    flags = with_new
    timeline = _between(flags, "timeline", "regulation", OLD, NEW)
    assert timeline
    assert "2024" in timeline[0].summary and "2026" in timeline[0].summary


def test_a_report_that_agrees_is_not_in_conflict(with_new: tuple[Flag, ...]) -> None:
    flags = with_new
    disagreeing = [f for f in flags if f.kind in ("stance", "numeric", "timeline")]
    assert not [
        f for f in disagreeing if {f.sides[0].source_id, f.sides[1].source_id} == {AGREEING, NEW}
    ]
    # Both say quantum is early: one flag against the report that calls it a cornerstone,
    # with the two of them on the same side.
    quantum = _between(flags, "stance", "quantum", OLD, NEW)
    assert len(quantum) == 1
    if AGREEING in {s.source_id for s in quantum[0].sides}:
        assert quantum[0].sides[0].source_id == OLD
        assert "(early or limited)" in quantum[0].summary


def test_a_second_report_ends_single_source_status(
    seed_result: IngestResult, with_new: tuple[Flag, ...]
) -> None:
    before = seed_result.corpus.flags
    assert any(f.kind == "single_source" and f.topic == "neuromorphic" for f in before)
    after = with_new
    assert not any(
        f.kind == "single_source" and f.topic == "neuromorphic" and "covers" in f.summary
        for f in after
    )


def test_seed_conflicts_keep_their_ids_when_a_report_is_added(
    seed_result: IngestResult, with_new: tuple[Flag, ...]
) -> None:
    # A new report may join a seed disagreement (one flag per kind and subject); the flag keeps
    # its id unless the new pair states the point more sharply, and then answers to the old id.
    before = {f.flag_id for f in seed_result.corpus.flags if f.kind == "stance"}
    after = {f.flag_id for f in with_new if f.kind == "stance"}
    assert len(before & after) >= len(before) - 1


def test_a_verdict_on_a_seed_conflict_survives_a_report_joining_it(
    seed_result: IngestResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed_stance = [f for f in seed_result.corpus.flags if f.kind == "stance"]
    assert seed_stance
    content = tmp_path_factory.mktemp("verdicts") / "content"
    shutil.copytree(SEED_CONTENT, content)
    (content / "sources" / f"{NEW}.md").write_text(FIELD_CHECK, encoding="utf-8")
    (content / "curation.toml").write_text(
        "".join(f'[[confirm]]\nflag_id = "{f.flag_id}"\nnote = "checked"\n' for f in seed_stance),
        encoding="utf-8",
    )
    result = build_corpus(content)
    assert not [w for w in result.warnings if "was not detected" in w]
    for old in seed_stance:
        claims = {s.claim for s in old.sides}
        same = [
            f
            for f in result.corpus.flags
            if f.kind == "stance" and f.topic == old.topic and claims <= {s.claim for s in f.sides}
        ]
        assert same and all(f.status == "confirmed" for f in same), old.summary
