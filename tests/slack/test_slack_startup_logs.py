"""Start-up: one log line per component and no library noise; a refused token stops it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from slack_harness import BOT_TOKEN, REPO, SIGNING_SECRET, bot_settings
from slack_standin import SlackStandIn

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider
from bot.errors import SettingsError
from bot.models import Corpus
from bot.runtime import slack_deps
from bot.slack.app import build_app
from bot.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(proc: subprocess.Popen[str], port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.2)
    raise AssertionError("serve --http did not answer /healthz")


def test_serve_logs_mode_database_corpus_and_address_once_each_and_nothing_else(
    tmp_path: Path, slack: SlackStandIn, corpus: Corpus, corpus_dir: Path
) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRIEFBOT_", "DATABASE_URL", "PORT"))
    }
    env |= {
        # In the environment, as in a container: what made Bolt warn "`token` will be unused".
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url,
        "BRIEFBOT_CONTENT_DIR": str(REPO / "content"),
        "BRIEFBOT_DATA_DIR": str(corpus_dir),  # the session's compiled corpus: no rebuild
        "DATABASE_URL": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "PYTHONPATH": str(REPO),
    }
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
    try:
        _wait_healthy(proc, port)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = stderr.strip().splitlines()
    messages = [line.split(": ", 1)[1] if ": " in line else line for line in lines]
    for component in ("mode: ", "database: ", "corpus: ", "listening: "):
        assert sum(m.startswith(component) for m in messages) == 1, (component, lines)
    assert f"listening: http://127.0.0.1:{port}/slack/events" in messages
    assert any(m.startswith(f"corpus: {corpus.version[:12]} (") for m in messages), lines
    assert not [line for line in lines if "alembic" in line or "apscheduler" in line], lines
    assert "will be unused" not in stderr
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line], lines
    assert BOT_TOKEN not in stderr


def test_a_refused_bot_token_stops_start_up_naming_the_setting(
    tmp_path: Path, slack: SlackStandIn, corpus: Corpus
) -> None:
    slack.fail_next("auth.test", status=200, error="invalid_auth")
    store = Store(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    deps = slack_deps(bot_settings(slack, tmp_path), CorpusProvider(CorpusIndex(corpus)), store)
    with pytest.raises(SettingsError, match=r"SLACK_BOT_TOKEN .*\(invalid_auth\)") as refused:
        build_app(deps)
    assert BOT_TOKEN not in str(refused.value)
    store.close()
