"""`serve` with a refused content file: starts anyway, answers, says so on /healthz and in logs."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_harness import BOT_TOKEN, REPO, SIGNING_SECRET, blocks_text, new_ts, sign
from slack_standin import BOT_USER_ID, SlackStandIn

TOPICS = """\
[[topic]]
id = "quantum"
name = "Quantum computing"
aliases = ["quantum"]
keywords = ["qubits"]
"""
GOOD = (
    "# Quantum Notes (2025)\n\n## Quantum Outlook\n"
    "Qubits are still noisy, and error correction is years away.\n"
)

MORE = (
    "# Qubit Digest (2026)\n\n## Quantum Hardware\n"
    "Qubits doubled in count in 2026 while noise fell.\n"
)


def _content(root: Path, **reports: str | bytes) -> Path:
    content = root / "content"
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "topics.toml").write_text(TOPICS)
    for name, text in reports.items():
        path = content / "sources" / f"{name}.md"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return content


def _env(tmp_path: Path, content: Path, slack: SlackStandIn) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRIEFBOT_", "DATABASE_URL", "PORT"))
    }
    return env | {
        "BRIEFBOT_CONTENT_DIR": str(content),
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_CONTENT_CHECK_SECONDS": "0.2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc, self.port = proc, port

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def health(self) -> dict[str, Any]:
        status, body = self.get("/healthz")
        assert status == 200
        return dict(json.loads(body))

    def wait_health(
        self, ok: Callable[[dict[str, Any]], bool], timeout: float = 30
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        health: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                health = self.health()
                if ok(health):
                    return health
            except OSError:
                assert self.proc.poll() is None, self.proc.communicate()[1]
            time.sleep(0.1)
        raise AssertionError(f"health never matched: {health}")

    def mention(self, text: str, channel: str) -> None:
        body = json.dumps(
            {
                "token": "t",
                "team_id": "T0STANDIN",
                "api_app_id": "A0BRIEFBOT",
                "type": "event_callback",
                "event_id": f"Ev{time.monotonic_ns()}",
                "event_time": int(time.time()),
                "event": {
                    "type": "app_mention",
                    "user": "U0ALICE",
                    "channel": channel,
                    "text": f"<@{BOT_USER_ID}> {text}",
                    "ts": new_ts(),
                },
                "authorizations": [
                    {"team_id": "T0STANDIN", "user_id": BOT_USER_ID, "is_bot": True}
                ],
            }
        ).encode()
        ts = int(time.time())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(
                "POST",
                "/slack/events",
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Slack-Request-Timestamp": str(ts),
                    "X-Slack-Signature": sign(body, ts),
                },
            )
            assert conn.getresponse().status == 200
        finally:
            conn.close()

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=20)
        return err


@pytest.fixture
def serve(tmp_path: Path, slack: SlackStandIn) -> Iterator[Callable[[Path], Served]]:
    procs: list[subprocess.Popen[str]] = []

    def start(content: Path, *, shipped_check: bool = False) -> Served:
        port = _free_port()
        env = _env(tmp_path, content, slack)
        if shipped_check:
            del env["BRIEFBOT_CONTENT_CHECK_SECONDS"]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "serve",
                "--http",
                "--port",
                str(port),
                "--host",
                "127.0.0.1",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        return Served(proc, port)

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _ingest(tmp_path: Path, content: Path, slack: SlackStandIn) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest"],
        cwd=tmp_path,
        env=_env(tmp_path, content, slack) | {"DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_serve_http_with_a_bad_file_answers_from_the_last_good_corpus_and_logs_each_change(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], Served]
) -> None:
    content = _content(tmp_path, a=GOOD)
    _ingest(tmp_path, content, slack)
    (content / "sources" / "b.md").write_bytes(b"")
    served = serve(content)

    health = served.wait_health(lambda h: "content" in h)
    assert health["ok"] is True and health["content"] == "stale"
    assert "b.md" in health["content_error"] and "file is empty" in health["content_error"]
    served.mention("tell me about quantum", "C0STALE")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0STALE", timeout=30
    )
    assert "noisy" in blocks_text(call)
    status, metrics = served.get("/metrics")
    assert status == 200 and b"briefbot_content_rejected 1.0" in metrics

    # While serving, b.md is fixed and c.md breaks: one more line; then c.md is fixed too.
    (content / "sources" / "b.md").write_text(MORE)
    (content / "sources" / "c.md").write_text("just text\n")
    served.wait_health(lambda h: "c.md:1: no headings" in h.get("content_error", ""))
    for _ in range(10):
        served.health()
    (content / "sources" / "c.md").unlink()
    served.wait_health(lambda h: h["content"] == "ok")
    served.mention("what's new in quantum", "C0FRESH")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0FRESH", timeout=30
    )
    assert "doubled" in blocks_text(call)
    _, metrics = served.get("/metrics")
    assert b"briefbot_content_rejected 0.0" in metrics

    err = served.stop()
    refused = [line for line in err.splitlines() if "content refused" in line]
    assert len(refused) == 2, err
    assert "b.md" in refused[0] and "last good corpus" in refused[0]
    assert len([line for line in err.splitlines() if "content accepted" in line]) == 1


def test_serve_http_with_no_good_corpus_starts_and_says_its_content_is_broken(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], Served]
) -> None:
    content = _content(tmp_path, a=GOOD, b=b"\xff\xfe#\x00 \x00T\x00")
    served = serve(content)
    health = served.wait_health(lambda h: "content" in h)
    assert health["content"] == "broken" and "UTF-16" in health["content_error"]
    served.mention("what's new in quantum", "C0BROKEN")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0BROKEN", timeout=30
    )
    assert "My content is broken" in blocks_text(call) + str(call.args.get("text"))
    assert "b.md:1" in blocks_text(call) + str(call.args.get("text"))
    # Fixed while running: answers come back without a restart.
    (content / "sources" / "b.md").unlink()
    served.wait_health(lambda h: h["content"] == "ok")
    served.stop()


def test_serve_console_with_no_good_corpus_answers_that_content_is_broken(tmp_path: Path) -> None:
    content = _content(
        tmp_path, a="---\ntitle: !!python/object/apply:os.system ['true']\n---\n# T\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRIEFBOT_", "DATABASE_URL", "PORT"))
    } | {
        "BRIEFBOT_CONTENT_DIR": str(content),
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        input="what's new in quantum\nhelp\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("My content is broken") == 2
    assert "a.md:2: front matter uses a YAML tag" in done.stdout
    assert "a.md:2" in done.stderr and "Traceback" not in done.stderr


def test_a_report_added_to_a_running_serve_http_is_answered_within_10_s_by_default(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], Served]
) -> None:
    content = _content(tmp_path, a=GOOD)
    _ingest(tmp_path, content, slack)
    served = serve(content, shipped_check=True)  # the shipped content check interval
    served.wait_health(lambda h: h.get("content") == "ok")

    (content / "sources" / "b.md").write_text(MORE)
    added = time.monotonic()
    version = served.health()["corpus_version"]
    served.wait_health(lambda h: h["corpus_version"] != version, timeout=10)
    served.mention("what's new in quantum", "C0ADDED")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0ADDED", timeout=10
    )
    assert "doubled" in blocks_text(call)
    assert time.monotonic() - added <= 10.0
    served.stop()
