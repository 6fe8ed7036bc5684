"""Benchmark: compose and send digests for 1,000 channels to the loopback Web API stand-in.

Run: .venv/bin/python -m bench.bench_digests [--channels 1000] [--workers 64,256,1000]
Slack allows about one message per second per channel, so the parts of one digest are paced
a second apart while different channels are sent concurrently; the stand-in answers 429 to any
post that breaks that pace, so "429s" must be 0.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _bench(channels: int, workers: int, content: Path) -> dict[str, float]:
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
    from sqlalchemy import update

    from bot.corpus import CorpusIndex
    from bot.delivery import run_due, web_api_send
    from bot.ingest import build_corpus
    from bot.store import Store
    from bot.store.tables import SubscriptionRow
    from tests.slack_standin import SlackStandIn

    # The stdlib server listens with a backlog of 5; a thousand concurrent clients would spend
    # their time in SYN retransmits instead of measuring the bot.
    http.server.ThreadingHTTPServer.request_queue_size = 1024
    index = CorpusIndex(build_corpus(content).corpus)
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as slack:
        slack.enforce_channel_pace(1.0)
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        store.migrate()
        for i in range(channels):
            store.subscribe(f"C{i:05d}", "mon", "09:00", "Europe/Berlin")
        with store.engine.begin() as conn:
            conn.execute(
                update(SubscriptionRow).values(created_at=datetime(2025, 1, 1, tzinfo=UTC))
            )
        client = WebClient(
            token="xoxb-bench",
            base_url=slack.url,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
        )
        at = datetime(2025, 10, 27, 8, 0, tzinfo=UTC) + timedelta(seconds=30)
        t0 = time.perf_counter()
        report = run_due(at, store, index, web_api_send(client), workers=workers, pace=1.0)
        elapsed = time.perf_counter() - t0
        posts = slack.calls_to("chat.postMessage")
        refused = [c for c in slack.calls_to("chat.postMessage", ok_only=False) if c.status == 429]
        shared = len(slack.shared_files())  # coverage PNGs (with the charts extra)
        store.close()
    return {
        "workers": workers,
        "sent": report.sent,
        "messages": len(posts),
        "seconds": elapsed,
        "digests_per_s": report.sent / elapsed,
        "messages_per_s": len(posts) / elapsed,
        "refused_429": len(refused),
        "pngs": shared,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--workers", default="64,256,1000")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    rows = []
    for w in args.workers.split(","):
        rows.append(_bench(args.channels, int(w), args.content))
        print(f"workers={w}: {rows[-1]}", file=sys.stderr, flush=True)
    print(f"\n### Digests for {args.channels} channels (SQLite store, loopback stand-in)\n")
    print("| workers | digests sent | messages | PNGs | seconds | digests/s | messages/s | 429s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['workers']} | {r['sent']} | {r['messages']} | {r['pngs']} | {r['seconds']:.1f} "
            f"| {r['digests_per_s']:.0f} | {r['messages_per_s']:.0f} | {r['refused_429']} |"
        )


if __name__ == "__main__":
    main()
