"""The retrieval question set answered end to end: the issue's five measures, per split."""

from __future__ import annotations

import pytest

from bot.corpus import CorpusIndex
from tests.matcher.retrieval_scoring import MEASURES, Tally, score_split

# What issue 9 asks for; "in_domain_answered" >= 98% is "in-domain wrongly refused <= 2%".
TARGETS = {
    "best_section_first": 0.95,
    "fact_first": 0.90,
    "intent": 0.97,
    "ood_refused": 0.95,
    "in_domain_answered": 0.98,
}
# Where the lexical retrieval does not reach the target yet (measured, printed, not hidden):
# the floor each split holds today, so a regression still fails.
REACHED = {
    # The fourth batch (100 questions written blind by two writers as Slack users put them:
    # rambling, paraphrased, chat shorthand) took every measure down; measured on it before any
    # change of this pass, then after (tune / hold-out):
    #   section first 86.1 -> 89.5% / 79.8 -> 83.2%; fact first 76.7 -> 81.6% / 74.5 -> 80.4%;
    #   intent 96.3 -> 100% / 93.1 -> 92.5%; out-of-domain refused 96.2 -> 100% / 88.5 -> 84.6%;
    #   in-domain answered 98.3 -> 100% / 95.9 -> 95.9%.
    # The floors are what each split holds now, so a regression still fails.
    ("tune", "best_section_first"): 0.89,
    ("tune", "fact_first"): 0.81,
    ("holdout", "best_section_first"): 0.83,
    ("holdout", "fact_first"): 0.80,
    ("holdout", "intent"): 0.92,
    ("holdout", "ood_refused"): 0.84,
    ("holdout", "in_domain_answered"): 0.95,
}

_TALLIES: dict[str, Tally] = {}


def _tally(index: CorpusIndex, split: str) -> Tally:
    if split not in _TALLIES:
        _TALLIES[split] = score_split(index, split)
    return _TALLIES[split]


@pytest.mark.parametrize("split", ["tune", "holdout"])
@pytest.mark.parametrize("measure", MEASURES)
def test_retrieval_measures_per_split(index: CorpusIndex, split: str, measure: str) -> None:
    tally = _tally(index, split)
    print(f"\n[{split}] {tally.line(measure)}")
    # Holdout misses are not shown: looking at them would be tuning on the holdout.
    misses = tally.misses.get(measure, []) if split == "tune" else []
    for miss in misses[:40]:
        print("  miss:", miss)
    floor = REACHED.get((split, measure), TARGETS[measure])
    # A plain number and message: pytest would otherwise print the tally, hold-out misses too.
    rate, message = tally.rate(measure), tally.line(measure) + "\n" + "\n".join(misses)
    assert rate >= floor, message
    if floor < TARGETS[measure]:
        pytest.xfail(
            f"{measure} on {split}: {tally.rate(measure):.1%}, target {TARGETS[measure]:.0%}"
        )
