"""Benchmark of ingest on big and hostile content: duplicate check, full build, refusals."""

from __future__ import annotations

import itertools
import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.errors import ContentError
from bot.ingest import build_corpus
from bot.ingest.duplicates import duplicate_sections
from bot.ingest.limits import MAX_SECTIONS_PER_REPORT

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
WORDS = re.findall(
    r"\S+",
    "model training inference data compute benchmark accuracy latency memory users deployment "
    "research evaluation dataset architecture parameters tokens context retrieval alignment "
    "safety privacy regulation energy hardware agents multimodal quantum efficiency fine-tuning "
    "scaling open source community edge devices chips transformer attention reasoning",
)


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _sections(n: int, per_report: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """n sections of ~60 words; one in 20 is a lightly edited copy from an earlier report."""
    out: list[tuple[str, str, str]] = []
    for i in range(n):
        source = f"r{i // per_report:04d}"
        if i >= per_report and i % 20 == 0:
            _, _, text = out[rng.randrange(0, (i // per_report) * per_report)]
            text = text.replace(" data ", " the data ", 1)
        else:
            text = _paragraph(rng, 60)
        out.append((f"{source}#s{i}", source, text))
    return out


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


Row = tuple[str, float, str]


def bench_duplicates(rng: random.Random) -> Iterator[Row]:
    for n in (4_000, 10_000, 100_000):
        sections = _sections(n, 100 if n < 100_000 else 500, rng)
        seconds, found = _timed(partial(duplicate_sections, sections))
        yield (f"duplicate check, {n:,} sections", seconds, f"{len(found):,} repeats found")
    headings = [(f"r{i // 500:04d}#h{i}", f"r{i // 500:04d}", f"h{i}") for i in range(100_000)]
    seconds, _ = _timed(lambda: duplicate_sections(headings))
    yield ("duplicate check, 100,000 one-word sections", seconds, "")


def _write_content(root: Path, reports: dict[str, str]) -> Path:
    (root / "sources").mkdir(parents=True)
    # The real taxonomy, without its pins (they name the real reports' sections).
    topics = (ROOT / "content" / "topics.toml").read_text(encoding="utf-8")
    (root / "topics.toml").write_text(re.sub(r"(?m)^pins\s*=.*$", "", topics))
    for name, text in reports.items():
        (root / "sources" / name).write_text(text)
    return root


def bench_build(rng: random.Random) -> Iterator[Row]:
    for n in (4_000, 10_000):
        per = MAX_SECTIONS_PER_REPORT
        reports = {
            f"r{r:03d}.md": f"# Report {r} (2025)\n\n"
            + "".join(f"## Heading {r} {s}\n{_paragraph(rng, 60)}\n\n" for s in range(per))
            for r in range(n // per)
        }
        with tempfile.TemporaryDirectory() as tmp:
            content = _write_content(Path(tmp), reports)
            seconds, result = _timed(partial(build_corpus, content))
        sections = len(result.corpus.sections)
        yield (f"full build, {n:,} sections in {n // per} reports", seconds, f"{sections:,}")
    hostile = {
        "many-headings.md": "# T\n" + "".join(f"## h{i}\nx\n" for i in range(100_000)),
        "ok.md": "# T (2025)\n\n## S\nText about qubits and chips.\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        content = _write_content(Path(tmp), hostile)
        started = time.perf_counter()
        try:
            build_corpus(content)
            outcome = "built (unexpected)"
        except ContentError:
            outcome = "refused: too many sections"
        yield ("100,000 headings in one report", time.perf_counter() - started, outcome)


def main() -> None:
    rng = random.Random(13)
    load = os.getloadavg()[0]
    print(f"Ingest on big and hostile content (load average {load:.1f}, {os.cpu_count()} cores)\n")
    print("| case | seconds | result |")
    print("| --- | ---: | --- |")
    for name, seconds, result in itertools.chain(bench_build(rng), bench_duplicates(rng)):
        print(f"| {name} | {seconds:.2f} | {result} |", flush=True)


if __name__ == "__main__":
    main()
