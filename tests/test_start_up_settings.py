"""A bad DATABASE_URL or an unreachable Slack at start: one line naming the setting, exit 2."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.slack_standin import SlackStandIn
from tests.store.databases import postgres_unavailable_reason

ROOT = Path(__file__).resolve().parents[1]
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
SECRET_PASSWORD = "hunter2-secret"

BAD_URLS = {
    "unparseable": "not a database url",
    "wrong driver": f"mysql+nosuchdriver://bot:{SECRET_PASSWORD}@db.example/briefbot",
    "unknown dialect": f"oracle://bot:{SECRET_PASSWORD}@db.example/briefbot",
    "unreachable host": f"postgresql+psycopg://bot:{SECRET_PASSWORD}@127.0.0.1:1/briefbot",
}
# Every command that opens the database, with the tokens it needs to get that far.
COMMANDS = {
    "serve": (["serve"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A-1-x"}),
    "serve --http": (
        ["serve", "--http"],
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s"},
    ),
    "run-due": (["run-due"], {}),
    "subscribe": (["subscribe", "C0123ABCD", "--day", "mon", "--time", "09:00"], {}),
    "unsubscribe": (["unsubscribe", "C0123ABCD"], {}),
    "subscriptions": (["subscriptions"], {}),
    "feedback": (["feedback"], {}),
    "ingest": (["ingest"], {}),
}


@pytest.fixture(scope="module")
def closed_port_url() -> Iterator[str]:
    """A Slack API URL nothing listens on."""
    with SlackStandIn() as slack:
        url = slack.url
    yield url


def briefbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRIEFBOT_", "DATABASE_URL"))
    }
    base.update(
        BRIEFBOT_DATA_DIR=str(tmp_path / "data"),
        BRIEFBOT_CONTENT_DIR=str(ROOT / "content"),
        PYTHONPATH=str(ROOT),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=base,
        cwd=tmp_path,  # no stray .env
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


_INFO_LOG = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO ")


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one line that says what is wrong (ordinary INFO log lines before it aside)."""
    lines = [ln for ln in done.stderr.splitlines() if ln.strip() and not _INFO_LOG.match(ln)]
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith(("briefbot: ", "error: ")), done.stderr[-2000:]
    return lines[0]


# Each command once, and each kind of bad URL at least once (a subprocess costs seconds).
CASES = [
    ("serve", "unreachable host"),
    ("serve --http", "unparseable"),
    ("run-due", "wrong driver"),
    ("subscribe", "unknown dialect"),
    ("unsubscribe", "unparseable"),
    ("subscriptions", "unreachable host"),
    ("feedback", "wrong driver"),
    ("ingest", "unreachable host"),
]


@pytest.mark.parametrize(("command", "kind"), CASES)
def test_bad_database_url_is_one_line_naming_the_setting(
    tmp_path: Path, command: str, kind: str
) -> None:
    args, env = COMMANDS[command]
    line = one_line(briefbot(args, tmp_path, DATABASE_URL=BAD_URLS[kind], **env))
    assert "DATABASE_URL" in line and "Traceback" not in line
    assert SECRET_PASSWORD not in line and "db.example" not in line  # never the value


def test_database_that_refuses_the_role_is_one_line(tmp_path: Path) -> None:
    if postgres_unavailable_reason():
        pytest.skip("needs the local PostgreSQL")
    url = "postgresql+psycopg://no_such_role@127.0.0.1:5432/test"
    line = one_line(briefbot(["subscriptions"], tmp_path, DATABASE_URL=url))
    assert "setting DATABASE_URL" in line and "does not exist" in line


@pytest.mark.parametrize("args", [["serve", "--http"], ["run-due"]])
def test_unreachable_slack_api_at_start_is_one_line_naming_it(
    tmp_path: Path, closed_port_url: str, args: list[str]
) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": closed_port_url}
    env |= (
        {"SLACK_SIGNING_SECRET": "s"} if "--http" in args else {"SLACK_APP_TOKEN": "xapp-1-A-1-x"}
    )
    line = one_line(briefbot(args, tmp_path, **env))
    assert "setting SLACK_API_URL" in line and "cannot reach" in line


def test_token_slack_refuses_is_one_line_naming_the_token(tmp_path: Path) -> None:
    with SlackStandIn() as slack:
        slack.fail_next("auth.test", 5, status=200, error="invalid_auth")
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": slack.url,
            "SLACK_SIGNING_SECRET": "s",
        }
        line = one_line(briefbot(["serve", "--http"], tmp_path, **env))
    assert "setting SLACK_BOT_TOKEN" in line and "invalid_auth" in line
    assert BOT_TOKEN not in line


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_database_url_text_builds_a_store_or_one_settings_error(raw: str) -> None:
    from bot.errors import SettingsError
    from bot.store import Store

    if raw.lstrip().lower().startswith("sqlite"):
        return  # a valid SQLite URL would create a file wherever it points
    try:
        Store(raw).close()  # builds the engine only; connecting is migrate's job
    except SettingsError as exc:
        message = str(exc)
        assert message.startswith("setting DATABASE_URL") and "\n" not in message
        assert len(raw.strip()) < 12 or raw.strip() not in message  # never the value
