"""Benchmark: ingest of a synthetic 10,000-section corpus, and re-deriving flags and topic
summaries after one more report (targets: <= 60 s and <= 10 s on this machine).

    .venv/bin/python -m bench.bench_claims [--sections 10000]

The corpus is made from the seed reports' sections with their figures, years and named systems
varied per report (so claims collide on subjects the way many real reports would), written to a
temporary content directory with the seed taxonomy, rules and curation. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
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
from bot.ingest.build import load_corpus  # noqa: E402
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
        body = "\n\n".join(vary(pool[(r * 7 + k) % len(pool)], r, rng) for k in range(per_report))
        name = f"{r:05d}_synthetic"
        year = 2020 + r % 7
        (target / "sources" / f"{name}.md").write_text(
            f"---\ntitle: Synthetic report {r}\npublished: {year}-0{1 + r % 9}-1{r % 9}\n---\n"
            f"# Synthetic report {r}\n\n{body}\n",
            encoding="utf-8",
        )
        reports.append(name)
    return reports


def derive(sections: int) -> dict[str, float]:
    """Claims, flags and summaries for ``sections`` synthetic sections that are not
    duplicates of each other (topic mapping taken from the seed section each one varies)."""
    seed = build_corpus(SEEDS).corpus
    rules, curation = load_rules(SEEDS), load_curation(SEEDS)
    rng = random.Random(11)
    base = [s for s in seed.sections if s.claims]
    out_sections = []
    sources = []
    t0, c0 = time.perf_counter(), time.process_time()
    per_report = 20
    for r in range(sections // per_report):
        sid = f"{r:05d}_synthetic"
        sources.append(
            seed.sources[r % len(seed.sources)].model_copy(
                update={"source_id": sid, "title": f"Synthetic report {r}", "duplicate_of": None}
            )
        )
        for k in range(per_report):
            sec = base[(r * 7 + k) % len(base)]
            text = vary(sec.text, r, rng)
            sec_id = f"{sid}#{k}"
            claims = extract_claims(
                sec_id,
                sid,
                text,
                tuple(t.topic_id for t in sec.topics),
                rules=rules,
                heading=sec.heading,
            )
            out_sections.append(
                sec.model_copy(
                    update={
                        "section_id": sec_id,
                        "source_id": sid,
                        "text": text,
                        "claims": claims,
                        "duplicate_of": None,
                    }
                )
            )
    claims_s, claims_cpu = time.perf_counter() - t0, time.process_time() - c0
    t1, c1 = time.perf_counter(), time.process_time()
    flags, _ = detect_flags_with_warnings(
        out_sections, sources, seed.topics, rules=rules, curation=curation
    )
    summarize_topics(seed.topics, out_sections, sources, flags)
    flags_s, flags_cpu = time.perf_counter() - t1, time.process_time() - c1
    # One more report: its claims, then every flag and summary re-derived.
    t2, c2 = time.perf_counter(), time.process_time()
    new_sid = "99999_new"
    added = []
    for k, sec in enumerate(base[:10]):
        sec_id = f"{new_sid}#{k}"
        text = vary(sec.text, 99999, rng)
        claims = extract_claims(
            sec_id,
            new_sid,
            text,
            tuple(t.topic_id for t in sec.topics),
            rules=rules,
            heading=sec.heading,
        )
        added.append(
            sec.model_copy(
                update={
                    "section_id": sec_id,
                    "source_id": new_sid,
                    "text": text,
                    "claims": claims,
                    "duplicate_of": None,
                }
            )
        )
    all_sections = [*out_sections, *added]
    all_sources = [*sources, sources[0].model_copy(update={"source_id": new_sid})]
    again, _ = detect_flags_with_warnings(
        all_sections, all_sources, seed.topics, rules=rules, curation=curation
    )
    summarize_topics(seed.topics, all_sections, all_sources, again)
    add_s, add_cpu = time.perf_counter() - t2, time.process_time() - c2
    return {
        "claims": claims_s,
        "claims_cpu": claims_cpu,
        "flags": flags_s,
        "flags_cpu": flags_cpu,
        "add": add_s,
        "add_cpu": add_cpu,
        "n_flags": float(len(flags)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument(
        "--skip-ingest", action="store_true", help="Only claims, flags and summaries."
    )
    args = parser.parse_args()
    ingest_s = ingest_cpu = add_ingest_s = add_ingest_cpu = None
    if not args.skip_ingest:
        with tempfile.TemporaryDirectory() as tmp:
            content = Path(tmp) / "content"
            reports = write_corpus(content, args.sections)
            t0, c0 = time.perf_counter(), time.process_time()
            load_corpus(content, Path(tmp) / "data")
            ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
            # One more report (20 sections, varied like the others), through the cache.
            last = (content / "sources" / f"{reports[-1]}.md").read_text(encoding="utf-8")
            front, body = last.split("\n---\n", 1)
            (content / "sources" / "99999_new.md").write_text(
                front.replace("Synthetic report", "New report")
                + "\n---\n"
                + vary(body, 99999, random.Random(5)),
                encoding="utf-8",
            )
            t0, c0 = time.perf_counter(), time.process_time()
            load_corpus(content, Path(tmp) / "data")
            add_ingest_s = time.perf_counter() - t0
            add_ingest_cpu = time.process_time() - c0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    if ingest_s is not None:
        print(
            f"| full ingest of {args.sections} sections (read, map, claims, flags) "
            f"| {ingest_s:.1f} s (CPU {ingest_cpu:.1f} s) | <= 60 s |"
        )
        print(
            f"| ingest again after adding one report (cached sections reused) "
            f"| {add_ingest_s:.1f} s (CPU {add_ingest_cpu:.1f} s) | <= 10 s |"
        )
    sys.stdout.flush()
    d = derive(args.sections)
    print(
        f"| claims of {args.sections} distinct sections "
        f"| {d['claims']:.1f} s (CPU {d['claims_cpu']:.1f} s) | |"
    )
    print(
        f"| flags and topic summaries over them ({d['n_flags']:.0f} flags) "
        f"| {d['flags']:.1f} s (CPU {d['flags_cpu']:.1f} s) | |"
    )
    print(
        f"| add one report: its claims, then flags and summaries re-derived "
        f"| {d['add']:.1f} s (CPU {d['add_cpu']:.1f} s) | <= 10 s |"
    )


if __name__ == "__main__":
    main()
