"""`briefbot serve --http` as a real process, for the tests that need the whole entry point:
its environment, a free port, /healthz polling, a signed mention, and a SIGTERM stop."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from slack_harness import BOT_TOKEN, REPO, SIGNING_SECRET, new_ts, sign
from slack_standin import BOT_USER_ID, SlackStandIn

BRIEFBOT = [sys.executable, "-m", "bot"]
# Settings a developer's shell may hold that must never leak into a test's process.
_OWN_SETTINGS = ("SLACK_", "BRIEFBOT_", "DATABASE_URL", "PORT")


def clean_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This environment without briefbot's settings, plus the test's; SQLite in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env |= {
        "BRIEFBOT_CONTENT_DIR": str(REPO / "content"),
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "PYTHONPATH": str(REPO),
    }
    return env | settings


def slack_env(tmp_path: Path, slack: SlackStandIn, **settings: str) -> dict[str, str]:
    """clean_env with the tokens HTTP mode needs, pointed at the stand-in."""
    return clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        **settings,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeProcess:
    """One `briefbot serve --http` on 127.0.0.1 (stop() or kill() it; the fixture kills)."""

    def __init__(self, env: Mapping[str, str], cwd: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*BRIEFBOT, "serve", "--http", "--port", str(self.port), "--host", "127.0.0.1"],
            cwd=cwd,  # no stray .env
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

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
        self, ok: Callable[[dict[str, Any]], bool] = lambda _h: True, timeout: float = 60
    ) -> dict[str, Any]:
        """Poll /healthz until `ok(health)`; a process that died fails with its stderr."""
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
        raise AssertionError(f"/healthz never matched: {health}")

    def mention(self, text: str, channel: str) -> None:
        """A signed app_mention, as Slack sends it."""
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

    def stop(self, timeout: float = 20) -> str:
        """SIGTERM (as docker stop sends), wait for a clean exit; its stderr."""
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=timeout)
        return err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
