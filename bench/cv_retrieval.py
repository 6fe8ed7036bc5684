"""Choose the retrieval's weights and floors by 5-fold cross-validation inside the tune split."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import bot.briefing
from bot.corpus import CorpusIndex
from bot.retrieval import weights
from bot.retrieval.index import RetrievalIndex, build_retrieval_index, install

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the labelled set lives with the tests

from tests.matcher.retrieval_scoring import (  # noqa: E402
    MEASURES,
    case_results,
    of_split,
    reciprocal_rank,
)

FOLDS = 5
# The knobs a question's ranking reads at run time, and the values tried for each (0 = signal
# removed). Index-time knobs (BM25 k1/b, prefix and typo lengths) are left out: they need a
# rebuilt index per value.
GRID: dict[str, tuple[float | str, ...]] = {
    "STEMMER": ("plural", "snowball"),
    "W_HEADING": (0.0, 0.15, 0.3, 0.6),
    "W_CHAR": (0.0, 0.1, 0.25, 0.5, 1.0),
    "W_TOPIC": (0.0, 0.1, 0.2, 0.4),
    "W_PRIMARY": (0.0, 0.1, 0.2),
    "W_TERM": (0.0, 0.2, 0.4, 0.8),
    "W_COVERAGE": (0.0, 0.5, 1.0, 2.0),
    "EXPANSION_WEIGHT": (0.0, 0.15, 0.3, 0.6),
    "EXPAND_NAMED_ONLY": (0.0, 1.0),
    "NAME_TOPICS_MAX": (0, 1, 2, 3, 5),
    "SENTENCE_EXPANSION_WEIGHT": (0.0, 0.3, 0.6),
    "W_RRF": (0.0, 0.5, 1.0, 2.0, 4.0),
    "RRF_K": (1.0, 10.0, 60.0),
    "W_PASSAGE": (0.0, 0.25, 0.5, 1.0),
    "RERANK_SECTIONS": (10, 30, 60),
    "W_PARENT": (0.4, 0.8, 1.6),
    "W_FACT": (0.0, 0.3, 0.6, 1.2),
    "W_UNIT": (0.0, 0.25, 0.5, 1.0),
    "FOCUS_WEIGHT": (1.0, 1.5, 2.5, 4.0),
    "ANSWER_KIND_WEIGHT": (0.0, 0.5, 1.0, 2.0, 4.0),
    "SENTENCE_SECTIONS": (3, 6, 12),
    "BROAD_KINDS": (0.0, 1.0),
    "SENTENCE_HEADING_WEIGHT": (0.1, 0.25, 0.5, 1.0),
    "SENTENCE_VARIANT_WEIGHT": (0.0, 0.25, 0.5),
    "VARIANT_RULE": ("prefix", "stem"),
    "VARIANT_WEIGHT": (0.0, 0.25, 0.5, 1.0),
    "SYNONYM_WEIGHT": (0.0, 0.25, 0.5, 1.0),
    "SYNONYM_COVERAGE": (0.0, 1.0),
    "TYPO_CUTOFF": (80.0, 86.0, 92.0),
    "UNSEEN_EVERYDAY_SHARE": (0.25, 0.5, 1.0),
    "ANSWER_FLOOR": (0.1, 0.15, 0.2, 0.25, 0.3),
    "OPEN_FLOOR": (0.08, 0.12, 0.16),
    "RELEVANT_SHARE": (0.2, 0.35, 0.5),
    "OFF_TOPIC_SHARE": (0.35, 0.5, 0.7, 0.9),
}
# Every case's results per configuration, so a configuration is answered once per run.
Config = tuple[tuple[str, float | str], ...]
Results = list[dict[str, bool]]


# Index-time knobs, tried with --index-knobs (each value builds its own index, once).
INDEX_GRID: dict[str, tuple[float | str, ...]] = {
    "STEMMER": ("plural", "snowball"),
    "BM25_K1": (0.9, 1.2, 1.6),
    "BM25_B": (0.5, 0.75, 0.9),
    "CHAR_MAX_DF_SHARE": (0.25, 0.5, 1.0),
}
# One retrieval index per value of the index-time knobs, built once.
_INDEXES: dict[tuple[float | str, ...], RetrievalIndex] = {}


def configure(config: Config, index: CorpusIndex) -> None:
    """Set the knobs (the answer builder keeps its own copies of the floors)."""
    given = dict(config)
    for name in INDEX_GRID:
        setattr(weights, name, given.get(name, getattr(weights, name)))
    key = tuple(getattr(weights, name) for name in INDEX_GRID)
    if key not in _INDEXES:
        _INDEXES[key] = build_retrieval_index(index)
    install(index, _INDEXES[key])
    for name, value in config:
        setattr(weights, name, value)
        if hasattr(bot.briefing, name):
            setattr(bot.briefing, name, value)


class Evaluator:
    """Answers the tune cases under a configuration, once per configuration."""

    def __init__(self, index: CorpusIndex, cases: Sequence[dict[str, Any]]) -> None:
        self.index = index
        self.cases = cases
        self.base: dict[str, float | str] = {
            name: getattr(weights, name) for name in (*GRID, *INDEX_GRID)
        }
        self.cache: dict[Config, Results] = {}
        # Per case, 1/place of its best section among those shown (0 for a case without one).
        self.rr: dict[Config, list[float]] = {}

    def config(self, **changes: float | str) -> Config:
        return tuple(sorted({**self.base, **changes}.items()))

    def results(self, config: Config) -> Results:
        if config not in self.cache:
            configure(config, self.index)
            try:
                answers = [self._answer(c["q"]) for c in self.cases]
                self.cache[config] = [
                    {m: ok for m, (ok, _) in case_results(c, a).items()}
                    for c, a in zip(self.cases, answers, strict=True)
                ]
                self.rr[config] = [
                    reciprocal_rank(c, a) or 0.0 for c, a in zip(self.cases, answers, strict=True)
                ]
            finally:
                configure(self.config(), self.index)
        return self.cache[config]

    def _answer(self, question: str) -> Any:
        return bot.briefing.answer_question(question, self.index)


def objective(results: Results, members: Iterable[int]) -> int:
    """Passed measures over the given cases (each case counts once per measure it is in)."""
    return sum(sum(results[i].values()) for i in members)


def mrr_sum(rr: list[float], members: Iterable[int]) -> float:
    """The reciprocal ranks of the given cases, summed: the tie-breaker between equal
    objectives, so a value that puts the best section second instead of fifth is preferred."""
    return round(sum(rr[i] for i in members), 6)


def rates(results: Results, members: Iterable[int]) -> dict[str, float]:
    hits = dict.fromkeys(MEASURES, 0)
    totals = dict.fromkeys(MEASURES, 0)
    for i in members:
        for m, ok in results[i].items():
            totals[m] += 1
            hits[m] += ok
    return {m: hits[m] / totals[m] if totals[m] else 1.0 for m in MEASURES}


def select(ev: Evaluator, members: list[int]) -> dict[str, float | str]:
    """Coordinate ascent, one pass over the knobs in GRID order: each knob takes the value best
    on these cases given the choices so far (passed measures, then the summed reciprocal rank of
    the best section among those shown); ties go to 0 (the signal removed), then to the current
    value."""
    current: dict[str, float | str] = dict(ev.base)
    for name, values in GRID.items():
        scored: dict[float | str, tuple[int, float]] = {}
        for v in values:
            config = ev.config(**{**current, name: v})
            scored[v] = (objective(ev.results(config), members), mrr_sum(ev.rr[config], members))
        top = max(scored.values())
        best = [v for v in values if scored[v] == top]
        now = current[name]
        current[name] = 0.0 if 0.0 in best else now if now in best else best[0]
    return {k: v for k, v in current.items() if v != ev.base[k]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="write the selection as JSON here")
    parser.add_argument(
        "--removal",
        action="store_true",
        help="only ask, knob by knob, whether a signal survives: its value or 0 (and the stemmer)",
    )
    parser.add_argument(
        "--index-knobs", action="store_true", help="only the index-time knobs (stemmer, k1, b)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="KNOB",
        help="only these knobs of GRID (a new signal asked on its own, the rest as they are)",
    )
    args = parser.parse_args()
    if args.only:
        for name in list(GRID):
            if name not in args.only:
                del GRID[name]
    if args.index_knobs:
        GRID.clear()
        GRID.update(INDEX_GRID)
    if args.removal:
        for name, values in list(GRID.items()):
            base = getattr(weights, name)
            if name == "STEMMER":
                continue
            if 0.0 in values and base != 0.0:
                GRID[name] = (base, 0.0)
            else:
                del GRID[name]
    from bot.ingest import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(ROOT / "content", Path(tmp)).corpus
    cases = of_split("tune")
    ev = Evaluator(CorpusIndex(corpus), cases)
    started = time.perf_counter()
    folds = [[i for i in range(len(cases)) if i % FOLDS == k] for k in range(FOLDS)]
    everyone = list(range(len(cases)))
    base = ev.results(ev.config())
    base_cv = picked_cv = 0
    base_rr = picked_rr = 0.0
    per_fold: list[dict[str, Any]] = []
    for k, held in enumerate(folds):
        train = [i for i in everyone if i % FOLDS != k]
        changes = select(ev, train)
        got = ev.results(ev.config(**changes))
        base_cv += objective(base, held)
        picked_cv += objective(got, held)
        base_rr += mrr_sum(ev.rr[ev.config()], held)
        picked_rr += mrr_sum(ev.rr[ev.config(**changes)], held)
        per_fold.append(
            {
                "fold": k,
                "changes": changes,
                "base": objective(base, held),
                "picked": objective(got, held),
            }
        )
        print(
            f"fold {k}: held-out base {objective(base, held)} -> picked "
            f"{objective(got, held)}  changes {changes}",
            flush=True,
        )
    final = select(ev, everyone)
    final_results = ev.results(ev.config(**final))
    print(f"\nCV (held-out folds, passed measures): base {base_cv} -> procedure {picked_cv}")
    print(f"CV (held-out folds, summed reciprocal ranks): base {base_rr:.2f} -> {picked_rr:.2f}")
    print(f"final selection on all tune cases: {final}")
    for name, res in (("base", base), ("final", final_results)):
        line = "  ".join(f"{m} {r:.1%}" for m, r in rates(res, everyone).items())
        print(f"tune (in-sample) {name}: {line}")
    print(f"{len(ev.cache)} configurations, {time.perf_counter() - started:.0f} s")
    if args.out:
        args.out.write_text(
            json.dumps(
                {"folds": per_fold, "base_cv": base_cv, "picked_cv": picked_cv, "final": final},
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
