"""Benchmark: what hostile input costs the bot: unclosed markup, unsigned floods, huge bodies.

Run: .venv/bin/python -m bench.bench_security
Mention stripping + normalisation of repeated `<@U1|` (and the pattern it replaced, to show
the quadratic cost that is gone); 401s per second for requests with a malformed timestamp;
time to 413 and the server's peak memory while a 100 MB body is pushed at it.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret"
# The mention pattern before issue 13: its label ran to the next ">", so every `<@U1|` of a
# message without one scanned to the end of the text.
OLD_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def _best(func: object, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func(text)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def hostile_text() -> list[tuple[int, float, float | None]]:
    from bot.matcher.normalize import normalize
    from bot.slack.delivery_rules import strip_mentions

    rows: list[tuple[int, float, float | None]] = []
    for n in (20_000, 40_000, 80_000):
        text = "<@U1|" * (n // 5)
        new = _best(lambda t: normalize(strip_mentions(t)), text)
        old = _best(lambda t: OLD_MENTION.sub(" ", t), text, repeat=1) if n <= 40_000 else None
        rows.append((n, new, old))
    return rows


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _push(port: int, head: bytes, total: int, chunked: bool) -> tuple[int, float]:
    """Push `total` bytes of body; return (status, seconds until the answer arrived)."""
    piece = b"x" * 65536
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head)
        try:
            for _ in range(total // len(piece)):
                sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n" if chunked else piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        with contextlib.suppress(ConnectionResetError):
            data = sock.recv(4096)
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - started


def refusals(requests: int = 1000) -> dict[str, float]:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.slack.http import HttpServer

    app = App(
        client=WebClient(token="xoxb-bench", base_url="http://127.0.0.1:9/api/"),
        signing_secret=SECRET,
        token_verification_enabled=False,
    )
    server = HttpServer(
        app, lambda: {"ok": True}, signing_secret=SECRET, host="127.0.0.1", port=0
    ).start()
    try:
        latencies = []
        body = b"command=%2Ftrends&text=help&channel_id=C1&user_id=U1"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers |= {"X-Slack-Request-Timestamp": "x", "X-Slack-Signature": "v0=00"}
        started = time.perf_counter()
        for _ in range(requests):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            t = time.perf_counter()
            conn.request("POST", "/slack/events", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - t)
            conn.close()
            if response.status != 401:
                raise RuntimeError(f"expected 401, got {response.status}")
        elapsed = time.perf_counter() - started
        rss_before = _peak_rss_mb()
        size = 100 * 1024 * 1024
        length_head = (
            f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n"
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        length_status, length_s = _push(server.port, length_head, size, chunked=False)
        chunked_head = (
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/json\r\n\r\n"
        )
        chunked_status, chunked_s = _push(server.port, chunked_head, size, chunked=True)
        rss_after = _peak_rss_mb()
    finally:
        server.stop()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "per_s": requests / elapsed,
        "length_status": length_status,
        "length_s": length_s,
        "chunked_status": chunked_status,
        "chunked_s": chunked_s,
        "rss_growth_mb": rss_after - rss_before,
    }


def main() -> None:
    print("Hostile text: `<@U1|` repeated, mention stripping + normalisation (best of 3)\n")
    print("| characters | now | before issue 13 (mention pattern alone) |")
    print("|---:|---:|---:|")
    for n, new, old in hostile_text():
        before = f"{old * 1000:.0f} ms" if old is not None else "(not run: ~4x the 40,000 row)"
        print(f"| {n:,} | {new * 1000:.1f} ms | {before} |")
    r = refusals()
    print("\nRefusals on loopback (one connection per request, sequential)\n")
    print("| what | result |")
    print("|---|---:|")
    flood = f"401, p50 {r['p50_ms']:.1f} ms, {r['per_s']:.0f}/s"
    print(f"| malformed timestamp, 1000 requests | {flood} |")
    print(f"| 100 MB body, Content-Length | {r['length_status']:.0f} after {r['length_s']:.2f} s |")
    print(f"| 100 MB body, chunked | {r['chunked_status']:.0f} after {r['chunked_s']:.2f} s |")
    print(f"| server peak memory growth during both | {r['rss_growth_mb']:.1f} MB |")


if __name__ == "__main__":
    main()
