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
    # Batches 4 and 5 (100 questions each, written blind by writers who never ran the bot, as
    # Slack users put things) took every measure down. Batch 5 measured whole before any change
    # made for it: section first 66.2%, fact first 50.0%, intent 81.0%, out-of-domain refused
    # 20.0%, in-domain answered 92.2%. After the fifth pass (tuned on its tune part only) its
    # hold-out part is unchanged but for one section-first question lost (70.4% -> 66.7%): the
    # changes fit the questions they were made from. See the README for every split.
    # Batch 6 (100 more, by writers who read only the reports and the ids) measured whole before
    # any change made for it: section first 85.5%, fact first 46.9%, intent 91.0%, out-of-domain
    # refused 80.8%, in-domain answered 98.6%: the sentence chosen first is what fails most.
    # Batch 7 (97, the same way) measured whole before any change made for it: section first
    # 86.2%, fact first 59.4%, intent 85.6%, out-of-domain refused 69.6%, in-domain answered
    # 98.6%: hard out-of-domain questions in the field's words are what it adds.
    # Batch 8 (78, one writer, the same way) measured whole before any change made this session:
    # section first 82.6%, fact first 40.0%, intent 92.5%, out-of-domain refused 75.0%,
    # in-domain answered 98.3%; with this session's first change, made without sight of it,
    # fact first 46.7%. A third joined the hold-out; the rest was tuned on.
    # Batch 9 (77 kept of 80, the same way) measured whole before any change made for it, at
    # the session-start code and at that session's code alike: section first 84.8%, fact first
    # 64.3%, intent 92.5%, out-of-domain refused 90.0%, in-domain answered 98.3%. With its
    # thirds the tune fact first reads 77.7% and every hold-out floor holds.
    # The floors are what each split holds now, so a regression still fails.
    ("tune", "best_section_first"): 0.90,
    ("tune", "fact_first"): 0.77,
    ("holdout", "best_section_first"): 0.83,
    ("holdout", "fact_first"): 0.68,
    ("holdout", "intent"): 0.91,
    ("holdout", "ood_refused"): 0.75,
    ("holdout", "in_domain_answered"): 0.97,
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
