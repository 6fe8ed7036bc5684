"""Benchmark: ack latency and answers per second for signed mentions to the bot in HTTP mode.

Run: .venv/bin/python -m bench.bench_slack [--mentions 1000] [--clients 32]
The bot runs as `briefbot serve --http` would (Bolt on waitress, SQLite store, real content
corpus) on loopback, answering into the Web API stand-in. Each mention is a signed POST to
/slack/events; its ack latency is the time to the HTTP 200. Answers/s counts from the first
request until the stand-in has received every answer (each mention answered exactly once).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-0000-token"


def _signed(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def _mention(i: int) -> bytes:
    questions = (
        "what's new in multimodal",
        "conflicts quantum",
        "any news on regulation?",
        "tell me about energy",
        "topics",
    )
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0STANDIN",
            "api_app_id": "A0BRIEFBOT",
            "event_id": f"EvBENCH{i:07d}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": "U0BENCH",
                "channel": f"C{i % 50:05d}",
                "ts": f"1720000000.{i:06d}",
                "text": f"<@U0BRIEFBOT> {questions[i % len(questions)]}",
            },
        }
    ).encode()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(mentions: int, clients: int, listener_threads: int) -> dict[str, float]:
    from bot.corpus_sync import CorpusProvider
    from bot.runtime import Runtime, load_settings, slack_deps
    from bot.slack.app import build_app
    from bot.slack.http import HttpServer
    from tests.slack_standin import SlackStandIn

    http.server.ThreadingHTTPServer.request_queue_size = 1024
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as slack:
        data = Path(tmp)
        # The collaborators come from a Runtime, as in `serve`; only the listener pool is tuned.
        rt = Runtime(
            load_settings(
                SLACK_BOT_TOKEN=TOKEN,
                SLACK_SIGNING_SECRET=SECRET,
                SLACK_APP_TOKEN=None,
                SLACK_API_URL=slack.url,
                BRIEFBOT_CONTENT_DIR=ROOT / "content",
                BRIEFBOT_DATA_DIR=data,
                DATABASE_URL=f"sqlite:///{data / 'bench.sqlite3'}",
            )
        )
        corpus = CorpusProvider(rt.corpus_index())
        deps = slack_deps(rt.settings, corpus, rt.store, listener_threads=listener_threads)
        server = HttpServer(
            build_app(deps),
            lambda: {"ok": True},
            signing_secret=SECRET,
            host="127.0.0.1",
            port=0,
            threads=32,
        ).start()

        def send(i: int) -> float:
            body = _mention(i)
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            started = time.perf_counter()
            conn.request("POST", "/slack/events", body=body, headers=_signed(body))
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            conn.close()
            if response.status != 200:
                raise RuntimeError(f"mention {i}: HTTP {response.status}")
            return elapsed

        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                acks = list(pool.map(send, range(mentions)))
            acked = time.perf_counter() - started
            slack.wait_for("chat.postMessage", mentions, timeout=600)
            answered = time.perf_counter() - started
            posts = slack.calls_to("chat.postMessage")
            threads = {(c.args["channel"], c.args["thread_ts"]) for c in posts}
            if len(posts) != mentions or len(threads) != mentions:
                raise RuntimeError(f"{len(posts)} answers for {mentions} mentions")
        finally:
            server.stop()
            rt.close()
    return {
        "mentions": mentions,
        "clients": clients,
        "ack_p50_ms": statistics.median(acks) * 1000,
        "ack_p99_ms": _percentile(acks, 0.99) * 1000,
        "ack_max_ms": max(acks) * 1000,
        "acks_per_s": mentions / acked,
        "answers_per_s": mentions / answered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32, help="concurrent senders")
    parser.add_argument("--listener-threads", type=int, default=16)
    args = parser.parse_args()
    r = run(args.mentions, args.clients, args.listener_threads)
    print(
        f"Slack HTTP mode, {r['mentions']:.0f} signed mentions, {r['clients']:.0f} concurrent "
        "senders, loopback stand-in, SQLite\n"
    )
    print("| ack p50 | ack p99 | ack max | acks/s | answers/s |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {r['ack_p50_ms']:.1f} ms | {r['ack_p99_ms']:.1f} ms | {r['ack_max_ms']:.1f} ms "
        f"| {r['acks_per_s']:.0f} | {r['answers_per_s']:.0f} |"
    )


if __name__ == "__main__":
    main()
