"""Benchmark of the coverage map: grid, App Home text and PNG on the seed and a large corpus."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.coverage import coverage_grid
from bot.errors import InputError
from bot.ingest import load_corpus
from bot.models import Corpus, Flag, FlagSide, Section, Source, Topic, TopicScore
from bot.render.coverage import coverage_home_blocks

ROOT = Path(__file__).resolve().parents[1]


def _large(topics: int = 200, reports: int = 40) -> Corpus:
    """Every report writes about every third topic; a flag on every fifth topic."""
    sources = tuple(
        Source(
            source_id=f"r{i}",
            title=f"Report {i}",
            published=date(2020, 1, 1) + timedelta(days=30 * i),
            path=f"r{i}.md",
            sha256=f"{i}",
        )
        for i in range(reports)
    )
    sections = tuple(
        Section(
            section_id=f"r{r}#t{t}",
            source_id=f"r{r}",
            heading=f"T{t}",
            level=2,
            line=t + 1,
            text="body",
            summary="summary",
            topics=(TopicScore(topic_id=f"t{t}", score=90),),
        )
        for r in range(reports)
        for t in range(topics)
        if (r + t) % 3 == 0
    )
    kinds = ("stance", "consensus", "single_source", "numeric")
    flags = tuple(
        Flag(
            flag_id=f"f{t}",
            topic=f"t{t}",
            kind=kinds[t % len(kinds)],
            summary="s",
            sides=tuple(FlagSide(source_id=f"r{r}", heading="h", claim="c") for r in (t % 7, 9)),
        )
        for t in range(0, topics, 5)
    )
    return Corpus(
        version="large",
        built_at=datetime(2026, 1, 1, tzinfo=UTC),
        topics=tuple(Topic(id=f"t{t}", name=f"Topic number {t}") for t in range(topics)),
        sources=sources,
        sections=sections,
        flags=flags,
    )


def _ms(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        seed = load_corpus(ROOT / "content", Path(data)).corpus
    print("| corpus | topics × reports | grid (ms) | App Home blocks (ms) | PNG (ms) |")
    print("|---|---|---|---|---|")
    for name, corpus in (("seed", seed), ("synthetic", _large())):
        grid = coverage_grid(corpus)
        png_ms = float("nan")
        try:
            from bot.render.coverage_png import coverage_png_bytes

            png_ms = _ms(lambda g=grid: coverage_png_bytes(g), 2)
        except (ImportError, InputError):
            pass
        print(
            f"| {name} | {len(grid.topics)} × {len(grid.reports)} "
            f"| {_ms(lambda c=corpus: coverage_grid(c)):.1f} "
            f"| {_ms(lambda g=grid: coverage_home_blocks(g)):.1f} | {png_ms:.0f} |"
        )


if __name__ == "__main__":
    main()
