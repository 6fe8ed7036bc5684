"""Benchmark: ingest of a synthetic 10,000-section corpus, and re-deriving flags and topic
summaries after one more report (targets: <= 60 s and <= 10 s on this machine).

    .venv/bin/python -m bench.bench_claims [--sections 10000]

The corpus is made from the seed reports' sections with their figures, years and named systems
varied per report (so claims collide on subjects the way many real reports would), written to a
temporary content directory with the seed taxonomy, rules and curation. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.conflicts import detect_flags_with_warnings, extract_claims  # noqa: E402
from bot.conflicts.topic_summary import summarize_topics  # noqa: E402
from bot.ingest import build_corpus  # noqa: E402
from bot.ingest.rules_file import load_curation, load_rules  # noqa: E402

SEEDS = ROOT / "content"
_SECTION = re.compile(r"^## .*$", re.M)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def seed_sections() -> list[str]:
    out: list[str] = []
    for path in sorted((SEEDS / "sources").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _SECTION.finditer(text)] + [len(text)]
        out += [text[a:b].strip() for a, b in zip(starts, starts[1:], strict=False)]
    return out


def vary(section: str, n: int, rng: random.Random) -> str:
    """The section with its numbers moved and one in ten of its names made report-specific."""

    def number(m: re.Match[str]) -> str:
        v = float(m.group(0))
        if 1900 <= v <= 2100:
            return str(int(v) + rng.choice((0, 0, 1, -1)))
        return f"{v * rng.choice((1, 1, 1.1, 0.5, 3)):g}"

    text = _NUMBER.sub(number, section)
    if n % 10 == 0:
        text = re.sub(r"\b(Loihi|Gemini|TinyLLM|SAIGE)\b", lambda m: f"{m.group(1)}{n}", text)
    return text


def write_corpus(target: Path, sections: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("sources"))
    (target / "sources").mkdir()
    topics = target / "topics.toml"  # the seed pins name seed sections, absent here
    topics.write_text(
        re.sub(r"^pins\s*=.*$", "", topics.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    pool = seed_sections()
    per_report = 20
    reports: list[str] = []
    for r in range(sections // per_report):
        body = "\n\n".join(
            vary(pool[(r * 7 + k) % len(pool)], r, rng) for k in range(per_report)
        )
        name = f"{r:05d}_synthetic"
        year = 2020 + r % 7
        (target / "sources" / f"{name}.md").write_text(
            f"---\ntitle: Synthetic report {r}\npublished: {year}-0{1 + r % 9}-1{r % 9}\n---\n"
            f"# Synthetic report {r}\n\n{body}\n",
            encoding="utf-8",
        )
        reports.append(name)
    return reports


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        write_corpus(content, args.sections)
        t0 = time.perf_counter()
        result = build_corpus(content)
        ingest_s = time.perf_counter() - t0
        corpus = result.corpus
        rules, curation = load_rules(content), load_curation(content)

        # One more report: its claims are extracted, then every flag and summary re-derived.
        extra = seed_sections()[:10]
        template = corpus.sections[0]
        t1 = time.perf_counter()
        added = []
        for k, text in enumerate(extra):
            sid = f"99999_new#s{k}"
            claims = extract_claims(sid, "99999_new", text, ("scaling",), rules=rules)
            added.append(
                template.model_copy(
                    update={"section_id": sid, "source_id": "99999_new", "text": text,
                            "claims": claims}
                )
            )
        source = corpus.sources[0].model_copy(update={"source_id": "99999_new"})
        sections = (*corpus.sections, *added)
        sources = (*corpus.sources, source)
        flags, _ = detect_flags_with_warnings(
            sections, sources, corpus.topics, rules=rules, curation=curation
        )
        summarize_topics(corpus.topics, sections, sources, flags)
        add_s = time.perf_counter() - t1
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| sections ingested | {len(corpus.sections)} | 10,000 |")
    print(f"| ingest (read, map, claims, flags, summaries) | {ingest_s:.1f} s | <= 60 s |")
    print(f"| flags after ingest | {len(corpus.flags)} | |")
    print(f"| add one report: re-derive flags and summaries | {add_s:.1f} s | <= 10 s |")


if __name__ == "__main__":
    main()
