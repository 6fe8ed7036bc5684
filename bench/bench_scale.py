"""Benchmark: acknowledgement latency and answer throughput through nginx in front of N replicas.

    .venv/bin/python -m bench.bench_scale [--mentions 1000] [--replicas 1 3] [--senders 32]

Each run starts the replicas (`briefbot serve --http`) on a fresh PostgreSQL schema
(BRIEFBOT_TEST_DATABASE_URL, default the local server), nginx from deploy/nginx.conf and the
Slack Web API stand-in, sends signed app_mention events through nginx from `senders` threads,
and prints a Markdown table: acks per second, ack latency p50/p99 (what Slack's 3 s limit is
about), and answers per second (first event sent to last answer posted).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale import cluster as c  # noqa: E402
from tests.slack_standin import SlackStandIn  # noqa: E402
from tests.store.databases import postgres_schema_url  # noqa: E402

QUESTIONS = (
    "what's new in multimodal",
    "any conflicts on quantum computing?",
    "who says what about regulation",
    "brief me on agents",
)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(replicas: int, mentions: int, senders: int) -> dict[str, float]:
    with (
        postgres_schema_url() as url,
        SlackStandIn() as slack,
        tempfile.TemporaryDirectory() as tmp,
        c.cluster(replicas, database_url=url, slack_api_url=slack.url, workdir=Path(tmp)) as (
            lb,
            _,
        ),
    ):
        bodies = [
            c.mention_body(
                n,
                channel=f"CBENCH{n % 50:02d}",
                text=QUESTIONS[n % len(QUESTIONS)],
                ts=f"1720000000.{n:06d}",
            )
            for n in range(mentions)
        ]
        deliverer = c.Deliverer()
        # Warm up each replica's caches and connections (not measured).
        for body in c_warmup(replicas * 4):
            deliverer.post(lb.port, body)
        slack.wait_for("chat.postMessage", replicas * 4, timeout=30)
        slack.reset()

        started = time.perf_counter()
        with ThreadPoolExecutor(senders) as pool:
            results = list(pool.map(lambda b: deliverer.post(lb.port, b), bodies))
        acked_at = time.perf_counter()
        slack.wait_for("chat.postMessage", mentions, timeout=300)
        answered_at = time.perf_counter()
        deliverer.close()

    lat = [d.seconds * 1000 for d in results if d.acked]
    return {
        "replicas": replicas,
        "mentions": mentions,
        "acked": len(lat),
        "acks_per_s": len(lat) / (acked_at - started),
        "ack_p50_ms": statistics.median(lat),
        "ack_p99_ms": _quantile(lat, 0.99),
        "ack_max_ms": max(lat),
        "answers_per_s": mentions / (answered_at - started),
    }


def c_warmup(n: int) -> list[dict[str, object]]:
    return [
        c.mention_body(900_000 + i, channel="CWARM", text="topics", ts=f"1719999999.{i:06d}")
        for i in range(n)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mentions", type=int, default=1000)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--senders", type=int, default=32)
    args = parser.parse_args(argv)
    rows = [run(n, args.mentions, args.senders) for n in args.replicas]
    print(
        "| replicas | mentions | acked | acks/s | ack p50 ms | ack p99 ms | ack max ms "
        "| answers/s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['replicas']:.0f} | {r['mentions']:.0f} | {r['acked']:.0f} "
            f"| {r['acks_per_s']:.0f} | {r['ack_p50_ms']:.1f} | {r['ack_p99_ms']:.1f} "
            f"| {r['ack_max_ms']:.1f} | {r['answers_per_s']:.0f} |"
        )


if __name__ == "__main__":
    main()
