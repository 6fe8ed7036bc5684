"""`briefbot serve` and `briefbot feedback` as processes: console, bad settings, HTTP mode."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest
from serve_process import BRIEFBOT, ServeProcess, clean_env
from slack_harness import BOT_TOKEN, SIGNING_SECRET, BotHarness, new_ts
from slack_standin import BOT_USER_ID, SlackStandIn

from bot.models import Corpus
from bot.store import Store


@pytest.fixture(autouse=True)
def _compiled(corpus: Corpus, corpus_dir: Path) -> None:
    global _DATA_DIR
    _DATA_DIR = corpus_dir


_DATA_DIR: Path | None = None


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The session's compiled corpus (no rebuild per process); the database stays per test.
    return clean_env(tmp_path, BRIEFBOT_DATA_DIR=str(_DATA_DIR or tmp_path / "data"), **extra)


def _run(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BRIEFBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no stray .env
        env=_env(tmp_path, **env),
        timeout=60,
    )


def test_serve_without_tokens_answers_stdin_in_the_console(tmp_path: Path) -> None:
    done = _run(tmp_path, "serve", stdin="what's new in multimodal\n\nany conflicts?\n")
    assert done.returncode == 0, done.stderr
    assert "Multimodal models" in done.stdout
    assert "SLACK_BOT_TOKEN" in done.stderr.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (("serve", "--http"), {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        (("serve", "--http"), {"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN"),
        (("serve",), {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
        (("serve",), {"SLACK_BOT_TOKEN": "not-a-bot-token"}, "SLACK_BOT_TOKEN"),
        (("serve",), {"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
        (
            ("serve", "--http"),
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_API_URL": "ftp://nope",
            },
            "SLACK_API_URL",
        ),
    ],
)
def test_a_missing_or_malformed_setting_stops_startup_naming_it(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], named: str
) -> None:
    done = _run(tmp_path, *args, **env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
    for secret in env.values():
        if secret.startswith("xox") or secret == SIGNING_SECRET:
            assert secret not in done.stderr


def test_serve_http_answers_signed_mentions_and_stops_on_sigterm(
    tmp_path: Path, slack: SlackStandIn, bot: BotHarness
) -> None:
    served = ServeProcess(
        _env(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.url,
            BRIEFBOT_MAX_REQUEST_BYTES="20000",
        ),
        tmp_path,
    )
    port, proc = served.port, served.proc
    try:
        health = served.wait_health(timeout=30)
        assert health.get("ok") is True and health.get("corpus_version")
        # The harness signs; point it at the subprocess for one request.
        ts = new_ts()
        body = bot.event_body(
            {
                "type": "app_mention",
                "user": "U0CLI",
                "channel": "C0SERVE",
                "text": f"<@{BOT_USER_ID}> conflicts quantum",
                "ts": ts,
            }
        )
        original = bot.server
        try:
            bot.server = type("Port", (), {"port": port})()  # type: ignore[assignment]
            assert bot.post(body, "application/json").status == 200
            # The security settings reach the process: unsigned is 401, over the limit 413.
            unsigned = b"command=%2Ftrends&text=SECRETWORDS&channel_id=C0SERVE&user_id=U0CLI"
            form = "application/x-www-form-urlencoded"
            bad_ts = {"X-Slack-Request-Timestamp": "x"}
            assert bot.post(unsigned, form, headers=bad_ts).status == 401
            big = b'{"type": "url_verification", "challenge": "' + b"c" * 30_000 + b'"}'
            assert bot.post(big, "application/json").status == 413
        finally:
            bot.server = original
        (call,) = slack.wait_for(
            "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SERVE", timeout=20
        )
        assert call.args["thread_ts"] == ts
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        stderr = proc.stderr.read() if proc.stderr else ""
        assert BOT_TOKEN not in stderr
        assert "refused request status=401" in stderr and "SECRETWORDS" not in stderr
    finally:
        served.kill()


def test_feedback_lists_what_people_voted(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'fb.sqlite3'}"
    store = Store(db)
    store.migrate()
    store.add_feedback(
        user="U1",
        channel="C1",
        question="conflicts quantum",
        topic="quantum",
        answer_text="Where the reports disagree",
        vote=1,
    )
    store.add_feedback(
        user="U2",
        channel="C1",
        question="what's new in <!here>",
        topic=None,
        answer_text="…",
        vote=-1,
    )
    store.close()
    as_json = _run(tmp_path, "feedback", "--json", DATABASE_URL=db)
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [(r["question"], r["topic"], r["vote"]) for r in rows] == [
        ("conflicts quantum", "quantum", 1),
        ("what's new in <!here>", None, -1),
    ]
    assert rows[0]["answer_text"] == "Where the reports disagree"
    plain = _run(tmp_path, "feedback", DATABASE_URL=db)
    assert plain.returncode == 0 and "👍" in plain.stdout and "👎" in plain.stdout
