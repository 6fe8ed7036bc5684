"""`briefbot serve` in Socket Mode, end to end: the entry point builds its Runtime, connects to
the stand-in's WebSocket, acks each envelope and answers into the stand-in's Web API."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from serve_process import BRIEFBOT, clean_env
from slack_harness import APP_TOKEN, BOT_TOKEN, new_ts
from slack_standin import BOT_USER_ID, SlackStandIn

from tests.small_content import QUANTUM_AND_REGULATION

TOPICS = QUANTUM_AND_REGULATION
REPORT = """\
# Socket Field Notes (2025)

## Quantum Progress
Error-corrected qubits doubled in 2025, and annealers cut training cost by a third.

## Regulation Watch
Compliance audits under the new rules began in 2025.
"""


@dataclass
class SocketServe:
    proc: subprocess.Popen[str]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_connected(self, slack: SlackStandIn, timeout: float = 120) -> None:
        """Until the bot holds a Socket Mode connection; a process that died fails with its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.stderr()
            try:
                slack.socket_mode.wait_connected(timeout=0.5)
                return
            except AssertionError:
                continue
        raise AssertionError(f"serve never connected in Socket Mode:\n{self.stderr()}")


@pytest.fixture
def report() -> str:
    return REPORT


@pytest.fixture
def socket_serve(tmp_path: Path, slack: SlackStandIn, report: str) -> Iterator[SocketServe]:
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    (content / "sources" / "notes.md").write_text(report, encoding="utf-8")
    (content / "topics.toml").write_text(TOPICS, encoding="utf-8")
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_URL=slack.url,
        BRIEFBOT_CONTENT_DIR=str(content),
    )
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as err:
        # No --http and an app token: Socket Mode, as a team trying briefbot out runs it.
        proc = subprocess.Popen(
            [*BRIEFBOT, "serve"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=err
        )
    served = SocketServe(proc, log)
    try:
        yield served
    finally:
        slack.socket_mode.close_all()
        proc.kill()
        proc.wait()


def _mention(
    envelope: str,
    event_id: str,
    channel: str,
    ts: str,
    *,
    text: str = "what's new in quantum",
    **extra: Any,
) -> dict[str, Any]:
    """An events_api envelope as Slack pushes it down the socket."""
    return {
        "envelope_id": envelope,
        "type": "events_api",
        "accepts_response_payload": False,
        "payload": {
            "team_id": "T0STANDIN",
            "api_app_id": "A0BRIEFBOT",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": "U0SOCKE2E",
                "channel": channel,
                "ts": ts,
                "text": f"<@{BOT_USER_ID}> {text}",
            },
            "authorizations": [{"team_id": "T0STANDIN", "user_id": BOT_USER_ID, "is_bot": True}],
        },
        **extra,
    }


def _posts(slack: SlackStandIn, channel: str) -> list[Any]:
    return [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == channel]


def test_serve_in_socket_mode_acks_a_mention_answers_in_thread_and_answers_a_retry_once(
    socket_serve: SocketServe, slack: SlackStandIn
) -> None:
    socket_serve.wait_connected(slack)
    (opened,) = slack.calls_to("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"

    ts = new_ts()
    slack.socket_mode.send(_mention("env-e2e-1", "EvSOCKE2E01", "C0SOCKE2E", ts))
    slack.socket_mode.wait_for_ack("env-e2e-1")
    (answer,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SOCKE2E", timeout=60
    )
    assert answer.args["thread_ts"] == ts
    assert "Socket Field Notes" in json.dumps(answer.json_arg("blocks"))

    # Slack redelivers an envelope it thinks was lost; the event inbox answers it once.
    retry = _mention(
        "env-e2e-2", "EvSOCKE2E01", "C0SOCKE2E", ts, retry_attempt=1, retry_reason="timeout"
    )
    slack.socket_mode.send(retry)
    slack.socket_mode.wait_for_ack("env-e2e-2")
    time.sleep(1.0)
    assert len(_posts(slack, "C0SOCKE2E")) == 1
    assert "duplicate delivery acknowledged, not answered event_id=EvSOCKE2E01" in (
        socket_serve.stderr()
    )

    log = socket_serve.stderr()
    assert "mode: Socket Mode" in log and "Socket Mode: connecting" in log
    assert BOT_TOKEN not in log and APP_TOKEN not in log
    assert "Traceback" not in log


@pytest.mark.parametrize("report", [""])  # "file is empty": refused
def test_serve_in_socket_mode_with_no_good_corpus_connects_and_says_its_content_is_broken(
    socket_serve: SocketServe, slack: SlackStandIn
) -> None:
    """A refused file never stops a replica (issue 13); here in Socket Mode, which had no
    test of its own for it."""
    socket_serve.wait_connected(slack)
    slack.socket_mode.send(
        _mention("env-broken", "EvSOCKBROKEN1", "C0SOCKBRK", new_ts(), text="tell me about ai")
    )
    slack.socket_mode.wait_for_ack("env-broken")
    (answer,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SOCKBRK", timeout=60
    )
    said = json.dumps(answer.json_arg("blocks")) + str(answer.args.get("text"))
    assert "My content is broken" in said and "notes.md" in said
    assert "Traceback" not in socket_serve.stderr()
