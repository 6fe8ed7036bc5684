"""The claim-pair relation on the labelled pairs: held-out precision, recall, no false agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conflicts.normal import DISAGREEMENTS
from bot.ingest.rules_file import load_rules

from .conftest import SEED_CONTENT
from .pair_eval import load_pairs, predict, score

MIN_PRECISION = 0.95
MIN_RECALL = 0.9
# Measured once on the v4 hold-out (45 pairs written before their first run): precision 1.00,
# recall 0.893 (25/28); its two false agreements were units ("42 Tbps" vs "5 Tbps", "10 minutes"
# vs "2 hours"), fixed since on train pairs (durations, W/kW, Wh/kWh, bit rates). The v5 block
# (45 pairs, then v5b, 3 more, each written blind so the hold-out is a third of the set again)
# was measured once before that fix: precision 1.00, recall 0.667 (18/27); v5b 3/3 right.
# After the train-only unit fix the whole hold-out (93 pairs) gave precision 1.00, recall 0.860
# (49/57). The third pass wrote a v6 hold-out block (7 pairs) blind before changing any rule,
# then tuned only on 14 new tune pairs of the wording v5 had missed, on other subjects (a check
# in the negative is unverified, target years "by 2027", prototype and commercially-available
# stances, "unresolved"), and measured the hold-out once at the end: 100 pairs, precision 1.00,
# recall 0.919 (57/62); v4+v5 alone 0.947 (54/57), the blind v6 block 0.60 (3/5). Still missed:
# a v4 synthetic verification pair, "12% vs 60% of business plans" (no shared subject), and
# three read as agreement (below). Earlier hold-outs,
# each measured once and then moved to train: v1 recall 0.82, v2 0.79, v3 0.83.
# The fourth pass (no false agreement: one side reserved, the other not, is never agreement;
# tuned on test_no_false_agreement.py's written cases and the train split, whose agreement
# recall stayed 1.00) measured the hold-out once at the end: precision 1.00, recall 0.919
# (unchanged), agreement recall 0.947 (was 0.974: one control lost), pairs read as agreement
# 3 -> 1.
# The fifth pass (no rule change looked at a hold-out pair): v7 (24 pairs, blind) measured once
# at the end of the fourth pass gave precision 0.857, recall 0.429, 4 read as agreement, and
# joined train; the v7 misses were fixed by general rules with 12 new train pairs (v8 tune). The
# blind v8 + v8b block (34 pairs) then gave precision 0.833, recall 0.250, 5 (after one more
# train-only change, 4) read as agreement, and joined train too. The sixth pass worked on it
# (subject phrases, hedges as reserve, years that do not meet, "While …," main clauses), then
# measured a blind v9 block (60 pairs): precision 1.00, recall 0.297, 10 read as agreement.
# One a-priori change (a subject phrase alone never makes agreement) was measured on v9 a second
# time (5 read as agreement) and, with a new blind v10 block (60 pairs) written before it, once:
# v10 precision 0.933, recall 0.389 (14/36), agreement recall 0.25, 2 read as agreement.
# v9 then joined train; the seventh pass read its wording by general rules (numbers in words,
# "down from", failed reproductions, pilots and laboratories, subordinate openings) and a blind
# v11 block (28 pairs) was measured once: precision 0.889, recall 0.471 (8/17), agreement recall
# 0.0 (0/11), 1 read as agreement; v10 measured a second time: recall 0.417, 2 read as agreement.
# Whole hold-out (v4-v6, v10, v11; 188 pairs): precision 0.976, recall 0.722, 3 read as
# agreement; v4-v6 alone 1.00 / 0.968, none. Every blind block says that wording the rules have
# not seen is mostly not read at all (recall 0.43, 0.25, 0.30, 0.39, 0.47), and the conservative
# agreement rules now leave most agreeing pairs of new wording unrelated.
# The eighth pass: a blind v12 block (60 pairs) measured whole first: precision 0.917, recall
# 0.289, 3 read as agreement; a third of it stays hold-out, the rest joined train. General rules
# from train only (dates of any form as a claim's time, numbers and fractions in words, bounds,
# what a figure measures, vendor claims and audits, stance and caution wording by class,
# contracted negation, claims meeting on two distinctive words or one quoted figure). Whole
# hold-out (v4-v6, v10, v11, v12's third; 208 pairs): precision 0.981, recall 0.803, agreement
# recall 0.642, 4 read as agreement; train 0.996 / 0.992.
# The ninth pass measured agreement precision for the first time: a blind n1 block (45 pairs on
# one subject that make different points, label "none") was read as agreement 21 times of 45
# (and once as a stance flag). Its third stays hold-out. From train only, plain statements
# (no stage, no agreeing figure, not both dated) now agree only on words shared past the
# subject (the first content words) or a large Jaccard share: train "none" read as agreement
# 14 -> 1 of 30, agreement recall 0.82 -> 0.80; hold-out agreement precision 0.825 -> 0.852,
# "none" read as agreement 7 -> 4 of 15, agreement recall 0.64 -> 0.57, disagreement
# precision and recall unchanged (0.981 / 0.811).
# Then a blind v13 block (60 pairs) measured whole first: precision 0.950, recall 0.475 (19/40),
# agreement recall 0.30, 1 read as agreement; its third joined the hold-out (0.786 recall with
# it). Train-only rules from its tune part (a measure known on one side and guessed on the
# other, planned dates, figures nobody outside checked, checks still owed, one forecast figure
# with two horizons): train recall 0.938 -> 0.960; hold-out precision 0.991, recall 0.793.
# The tenth pass: subject links by word families, curated equivalents, heading words and
# abbreviations (train recall 0.960 -> 0.964, hold-out 0.793 -> 0.807). Then a blind v14 block
# (48 pairs) measured whole: precision 0.846, recall 0.367 (11/30), agreement recall 0.30, none
# read as agreement; its third joined the hold-out (recall 0.767 with it). Train-only rules from
# its tune part (fractions such as "one fiftieth", ceilings such as "capped at", "as high as",
# "no longer spend $X" as the value before a change, stance and caution wording, audits with
# an adverb): train recall 0.929 -> 0.946, precision 0.986 -> 0.989; hold-out unchanged.
# The eleventh pass: a blind v15 block (48 pairs) measured whole before any change: precision
# 1.00, recall 0.39 (11/28), agreement recall 0.33 (4/12), none read as agreement; its third
# joined the hold-out (recall 0.742 with it). From its train part ("positions" as a jobs
# measure, "are already shipping", "remains out of reach", hedges scoped to the main clause):
# train recall 0.917 -> 0.930, agreement recall 0.727 -> 0.733; hold-out recall 0.748.
RECALL_REACHED = 0.74
AGREEMENT_PRECISION_REACHED = 0.85
FALSE_AGREEMENT = pytest.mark.xfail(
    strict=True,
    reason="4 hold-out pairs (v10, v11, v12) are read as agreement (see the comment above)",
)


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules(Path(SEED_CONTENT))


def test_the_labelled_set_is_large_enough_and_holds_out_a_third() -> None:
    pairs = load_pairs()
    disagree = [p for p in pairs if p["label"] in DISAGREEMENTS]
    agree = [p for p in pairs if p["label"] == "agree"]
    assert len(disagree) >= 45 and len(agree) >= 25
    held = [p for p in pairs if p["split"] == "holdout"]
    # v4, v5 and v6, each written blind: a third of the set.
    assert len(held) >= len(pairs) / 3
    assert {p["label"] for p in disagree} == set(DISAGREEMENTS)


def test_held_out_precision_and_recall_of_disagreement(rules, capsys) -> None:  # type: ignore[no-untyped-def]
    pairs = load_pairs()
    for split in ("train", "holdout"):
        s = score(pairs, rules, split)
        # Hold-out misses are not printed: reading them would be tuning on the hold-out.
        misses = list(s.misses) if split == "train" else "not shown"
        with capsys.disabled():
            print(
                f"\n[pairs {split}] n={s.pairs} disagreements={s.disagreements} "
                f"precision={s.precision:.3f} recall={s.recall:.3f} kind={s.kind_accuracy:.3f} "
                f"agree_recall={s.agree_recall:.3f} misses={misses}"
            )
    held = score(pairs, rules, "holdout")
    precision, recall = held.precision, held.recall  # plain numbers: no misses in the report
    assert precision >= MIN_PRECISION, f"hold-out precision {precision:.3f}"
    assert recall >= RECALL_REACHED, f"hold-out recall {recall:.3f}"
    if recall < MIN_RECALL:
        pytest.xfail(f"hold-out recall {recall:.3f}, target {MIN_RECALL}")


@FALSE_AGREEMENT
def test_no_disagreeing_pair_is_related_as_agreement(rules) -> None:  # type: ignore[no-untyped-def]
    wrong = [
        p["origin"]
        for p in load_pairs()
        if p["label"] in DISAGREEMENTS and predict(p, rules) == "agree"
    ]
    assert len(wrong) == 0, f"{len(wrong)} disagreeing pairs read as agreement"


def test_held_out_precision_is_at_least_the_floor(rules) -> None:  # type: ignore[no-untyped-def]
    precision = score(load_pairs(), rules, "holdout").precision
    assert precision >= MIN_PRECISION, f"hold-out precision {precision:.3f}"


def test_no_train_pair_that_disagrees_is_related_as_agreement(rules) -> None:  # type: ignore[no-untyped-def]
    wrong = [
        p["origin"]
        for p in load_pairs()
        if p["split"] == "train" and p["label"] in DISAGREEMENTS and predict(p, rules) == "agree"
    ]
    assert wrong == []


def test_meaning_keeping_rewordings_are_not_disagreements(rules) -> None:  # type: ignore[no-untyped-def]
    controls = [p for p in load_pairs() if p["origin"].startswith("control")]
    assert len(controls) >= 10
    assert [p["origin"] for p in controls if predict(p, rules) in DISAGREEMENTS] == []


def test_agreement_precision_on_the_hold_out(rules) -> None:  # type: ignore[no-untyped-def]
    # Of the hold-out pairs related as agreement, the share labelled agree ("none" pairs on one
    # subject with different points, and disagreeing ones, count against it).
    held = score(load_pairs(), rules, "holdout")
    assert held.agree_precision >= AGREEMENT_PRECISION_REACHED, f"{held.agree_precision:.3f}"
    train = score(load_pairs(), rules, "train")
    assert train.unrelated_as_agree <= 1, f"{train.unrelated_as_agree} train 'none' pairs agree"
