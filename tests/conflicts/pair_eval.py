"""Scores the claim-pair relation on the labelled pairs in pairs.toml (shared by test and bench)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.conflicts.normal import DISAGREEMENTS, normalize_claim, relate
from bot.conflicts.pairs import context_of
from bot.conflicts.rules import ConflictRules

PAIRS = Path(__file__).with_name("pairs.toml")


def load_pairs() -> list[dict[str, Any]]:
    return list(tomllib.loads(PAIRS.read_text(encoding="utf-8"))["pair"])


def predict(pair: dict[str, Any], rules: ConflictRules) -> str:
    # Context as ingest builds it: the heading, and the section's first sentence when given.
    a_ctx = context_of(pair["a_context"], pair.get("a_first", ""), rules)
    b_ctx = context_of(pair["b_context"], pair.get("b_first", ""), rules)
    a = normalize_claim(pair["a"], rules, a_ctx)
    b = normalize_claim(pair["b"], rules, b_ctx)
    rel = relate(a, b, rules)
    return rel[0] if rel else "none"


@dataclass(frozen=True)
class Scores:
    split: str
    pairs: int
    disagreements: int
    precision: float
    recall: float
    kind_accuracy: float  # of the disagreements found, the share with the labelled kind
    agree_recall: float  # of the agreement pairs, the share related as "agree"
    disagreeing_as_agree: int  # disagreeing pairs the rules would put in an agreement
    misses: tuple[str, ...]
    # Of the pairs related as "agree", the share labelled agree: a "none" pair (same subject,
    # another point) or a disagreeing one read as agreement counts against it.
    agree_precision: float = 1.0
    unrelated_as_agree: int = 0  # "none" pairs (same subject, not the same point) read as agree


def score(pairs: list[dict[str, Any]], rules: ConflictRules, split: str) -> Scores:
    chosen = [p for p in pairs if split == "all" or p["split"] == split]
    tp = fp = fn = kind_ok = agree_ok = as_agree = said_agree = none_as_agree = 0
    misses: list[str] = []
    for p in chosen:
        got = predict(p, rules)
        actual = p["label"] in DISAGREEMENTS
        said = got in DISAGREEMENTS
        if actual and said:
            tp += 1
            kind_ok += got == p["label"]
        elif said:
            fp += 1
        elif actual:
            fn += 1
        if actual and got == "agree":
            as_agree += 1
        if p["label"] == "agree" and got == "agree":
            agree_ok += 1
        if got == "agree":
            said_agree += 1
            none_as_agree += p["label"] == "none"
        if got != p["label"]:
            misses.append(f"{p['label']} -> {got}: {p['origin']}")
    agree_total = sum(p["label"] == "agree" for p in chosen)
    return Scores(
        split=split,
        pairs=len(chosen),
        disagreements=tp + fn,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        kind_accuracy=kind_ok / tp if tp else 1.0,
        agree_recall=agree_ok / agree_total if agree_total else 1.0,
        disagreeing_as_agree=as_agree,
        misses=tuple(misses),
        agree_precision=agree_ok / said_agree if said_agree else 1.0,
        unrelated_as_agree=none_as_agree,
    )
