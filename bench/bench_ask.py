"""Benchmark of match + answer: throughput and latency on the real and a 10,000-section corpus."""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.matcher import prepare
from bot.models import Claim, Corpus, Section, Source, TopicScore
from bot.retrieval import retrieval_index_for

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = (
    "what's new in multimodal",
    "sources for LoRA",
    "where do the reports disagree on scaling?",
    "mutlimodal",
    "quantm",
    "wat abt LoRA",
    "<@U123> what's new in <https://x.y|multimodal>",
    "Loihi 2",
    "GDPR",
    "AutoGPT",
    "what's the weather",
    "order a pizza",
    "",
    "tell me about regulation",
    "latest on agents :rocket:",
    "which reports mention open source",
    "any conflicting claims about energy?",
    "list topics",
    "this week's digest",
    "subscribe this channel mon 09:00 Europe/Berlin",
    "what about drones",
    "neuromorfic computing",
    "help",
    "who won the match",
    "what's new in multimodal and quantum and regulation " * 770,  # ~40,000 characters
)

SYNTHETIC_WORDS = re.findall(
    r"\S+",
    "model training inference data compute benchmark accuracy latency memory users deployment "
    "research evaluation dataset architecture parameters tokens context retrieval alignment "
    "safety privacy regulation energy hardware agents multimodal quantum efficiency fine-tuning "
    "scaling open source community edge devices chips transformer attention reasoning",
)


def synthetic_corpus(real: Corpus, sections: int = 10_000, seed: int = 7) -> Corpus:
    """A corpus of `sections` sections over the real taxonomy, with made-up named systems."""
    rng = random.Random(seed)
    topics = real.topics
    per_report = 50
    sources = []
    secs = []
    for r in range(sections // per_report):
        sid = f"synthetic_{r:04d}"
        published = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
        sources.append(
            Source(source_id=sid, title=f"Synthetic report {r}", published=published,
                   path=f"{sid}.md", sha256="0" * 64)
        )  # fmt: skip
        for n in range(per_report):
            topic = rng.choice(topics)
            keyword = rng.choice((*topic.keywords, topic.name)) if topic.keywords else topic.name
            name = f"System{rng.randrange(100_000)}-{rng.randrange(10)}"
            body = " ".join(rng.choice(SYNTHETIC_WORDS) for _ in range(120))
            text = f"{keyword.capitalize()} with {name} shows {rng.randrange(100)}% gains. {body}."
            section_id = f"{sid}#s{n}"
            secs.append(
                Section(
                    section_id=section_id, source_id=sid, heading=f"{topic.name} {n}", level=2,
                    line=n * 4 + 3, text=text, summary=text[:300],
                    topics=(TopicScore(topic_id=topic.id, score=80.0),),
                    claims=(Claim(claim_id=f"{section_id}/0", source_id=sid,
                                  section_id=section_id, topic_ids=(topic.id,),
                                  text=f"{name} shows gains."),),
                )
            )  # fmt: skip
    return Corpus(
        version=f"synthetic-{sections}-{seed}",
        built_at=datetime.now(UTC),
        topics=topics,
        sources=tuple(sources),
        sections=tuple(secs),
    )


def measure(index: CorpusIndex, questions: Sequence[str], rounds: int) -> dict[str, float]:
    start = time.perf_counter()
    prepare(index)
    retrieval_index_for(index)  # BM25 over every section and sentence, once per corpus
    build_ms = (time.perf_counter() - start) * 1000
    for q in questions:  # warm-up
        answer_question(q, index)
    timings = []
    cpu = []  # CPU time of this thread: what a call costs when other processes preempt it
    total_start = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            c = time.thread_time()
            t = time.perf_counter()
            answer_question(q, index)
            timings.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
    total = time.perf_counter() - total_start
    timings.sort()
    cpu.sort()
    return {
        "cpu_p50_ms": cpu[len(cpu) // 2] * 1000,
        "cpu_p99_ms": cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))] * 1000,
        "questions": len(timings),
        "qps": len(timings) / total,
        "p50_ms": timings[len(timings) // 2] * 1000,
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000,
        "max_ms": timings[-1] * 1000,
        "prepare_ms": build_ms,
    }


def cold_start(data_dir: Path, runs: int = 5) -> float:
    """Median wall time of `briefbot ask --json QUESTION` in a new process (corpus built)."""
    cmd = [sys.executable, "-m", "bot", "ask", "--json", "what's new in multimodal"]
    env = {"BRIEFBOT_DATA_DIR": str(data_dir), "BRIEFBOT_CONTENT_DIR": str(ROOT / "content")}
    env = {**os.environ, **env}
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)  # builds the corpus
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from bot.ingest import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        real = load_corpus(ROOT / "content", data_dir).corpus
        rows = [
            ("real corpus", len(real.sections), measure(CorpusIndex(real), QUESTIONS, rounds=40)),
        ]
        synthetic = synthetic_corpus(real)
        rows.append(
            ("synthetic corpus", len(synthetic.sections),
             measure(CorpusIndex(synthetic), QUESTIONS, rounds=8))
        )  # fmt: skip
        cold = cold_start(data_dir)

    print(
        "| corpus | sections | questions | questions/s | p50 ms | p99 ms | max ms "
        "| CPU p50 ms | CPU p99 ms | prepare ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, sections, m in rows:
        print(
            f"| {name} | {sections:,} | {m['questions']:.0f} | {m['qps']:,.0f} | "
            f"{m['p50_ms']:.2f} | {m['p99_ms']:.2f} | {m['max_ms']:.2f} | "
            f"{m['cpu_p50_ms']:.2f} | {m['cpu_p99_ms']:.2f} | {m['prepare_ms']:.0f} |"
        )
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| cold start of `briefbot ask --json` (median of 5, corpus built) | {cold:.2f} s |")
    load = os.getloadavg()[0]
    print(f"| load average during the run (1 min; {os.cpu_count()} CPUs) | {load:.1f} |")


if __name__ == "__main__":
    main()
