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
    # 94.1%: the names of a topic the question does not name are no longer added to the query
    # (weights.EXPAND_NAMED_ONLY, chosen by 5-fold CV in the tune split).
    ("tune", "best_section_first"): 0.94,
    # 84.8% (78/92): one held-out question fewer than before EXPAND_NAMED_ONLY (85.9%), which the
    # CV chose on the tune split (+2 on its held-out folds); measured once, not tuned on.
    ("holdout", "best_section_first"): 0.84,
    ("holdout", "intent"): 0.94,
    # The third batch's out-of-domain questions use no word of the off-domain list, so only the
    # evidence floor can refuse them: 2 of its 3 held-out ones are (the first 20 stay at 19).
    ("holdout", "ood_refused"): 0.91,
    ("holdout", "in_domain_answered"): 0.96,
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
