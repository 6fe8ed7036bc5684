"""Retrieval side by side on the held-out questions: briefbot vs BM25 alone vs TF-IDF n-grams."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.models import Corpus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the labelled set lives with the tests

from tests.matcher.retrieval_scoring import CASES, good_sections  # noqa: E402

Retriever = Callable[[str], list[str]]  # question -> section ids, best first


def briefbot(index: CorpusIndex) -> Retriever:
    """The sections in the order the answer shows them (nothing when it refuses)."""

    def run(question: str) -> list[str]:
        answer = answer_question(question, index)
        seen: dict[str, None] = {}
        for p in answer.points:
            if p.section_id:
                seen.setdefault(p.section_id)
        return list(seen)

    return run


def bm25_alone(corpus: Corpus) -> Retriever:
    """bm25s over each section's heading and body, its own English tokenizer and stop words."""
    import bm25s

    ids = [s.section_id for s in corpus.sections]
    retriever = bm25s.BM25()
    docs = [f"{s.heading}\n{s.text}" for s in corpus.sections]
    retriever.index(bm25s.tokenize(docs, stopwords="en", show_progress=False), show_progress=False)

    def run(question: str) -> list[str]:
        tokens = bm25s.tokenize([question], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return []
        found, scores = retriever.retrieve(tokens, k=min(10, len(ids)), show_progress=False)
        return [ids[int(i)] for i, s in zip(found[0], scores[0], strict=True) if s > 0]

    return run


def tfidf_char(corpus: Corpus) -> Retriever:
    """scikit-learn TF-IDF over character 3-5-grams (within words), cosine similarity."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    ids = [s.section_id for s in corpus.sections]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform([f"{s.heading}\n{s.text}" for s in corpus.sections])

    def run(question: str) -> list[str]:
        scores = linear_kernel(vectorizer.transform([question]), matrix)[0]
        order = scores.argsort()[::-1][:10]
        return [ids[int(i)] for i in order if scores[i] > 0]

    return run


def evaluate(run: Retriever, cases: Sequence[dict[str, Any]]) -> dict[str, float]:
    for case in cases[:5]:  # warm-up
        run(case["q"])
    hit1 = hit3 = 0
    rr = 0.0
    times: list[float] = []
    for case in cases:
        t = time.perf_counter()
        ranked = run(case["q"])
        times.append(time.perf_counter() - t)
        good = good_sections(case)
        rank = next((i for i, sid in enumerate(ranked) if sid in good), None)
        if rank is not None:
            hit1 += rank == 0
            hit3 += rank < 3
            rr += 1 / (rank + 1)
    times.sort()
    n = len(cases)
    return {
        "hit1": hit1 / n,
        "hit3": hit3 / n,
        "mrr": rr / n,
        "p50": statistics.median(times) * 1000,
        "p99": times[min(n - 1, int(n * 0.99))] * 1000,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--split",
        choices=("tune", "holdout", "both"),
        default="both",
        help="tune while working on the method; holdout (or both) once, at the end",
    )
    args = parser.parse_args()
    from bot.ingest import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(ROOT / "content", Path(tmp)).corpus
    index = CorpusIndex(corpus)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for split in ("holdout", "tune") if args.split == "both" else (args.split,):
        cases = [
            c
            for c in CASES
            if c["split"] == split and c.get("section") and c["intent"] == "topic_brief"
        ]
        results[split] = {
            "briefbot": evaluate(briefbot(index), cases),
            "BM25 alone (bm25s over sections)": evaluate(bm25_alone(corpus), cases),
            "TF-IDF char 3-5-grams (scikit-learn)": evaluate(tfidf_char(corpus), cases),
        }
        print(f"\n{split} split: {len(cases)} fact and topic questions with a labelled section\n")
        print("| retriever | hit@1 | hit@3 | MRR | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, m in results[split].items():
            print(
                f"| {name} | {m['hit1']:.1%} | {m['hit3']:.1%} | {m['mrr']:.3f} "
                f"| {m['p50']:.2f} | {m['p99']:.2f} |"
            )


if __name__ == "__main__":
    main()
