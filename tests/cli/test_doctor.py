"""`briefbot doctor` against the Web API stand-in and a real database: one line per check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from slack_harness import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from slack_standin import DEFAULT_SCOPES, SlackStandIn
from typer.testing import CliRunner

from bot.cli import app
from bot.ops.doctor import DoctorReport, run_doctor
from bot.runtime.settings import Settings, load_settings, redacted_url
from bot.slack.app import SCOPES
from bot.store import Store

TOPICS = """\
[[topic]]
id = "robots"
name = "Robotics"
aliases = ["robots", "robotics"]
keywords = ["humanoid", "actuators"]
"""

REPORT = """\
# Robots Outlook (2025)

## Humanoid robots
Humanoid robots enter warehouses in 2025. Actuators got cheaper by 30%.
"""


def _content(root: Path, topics: str = TOPICS) -> Path:
    content = root / "content"
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "topics.toml").write_text(topics, encoding="utf-8")
    (content / "sources" / "robots.md").write_text(REPORT, encoding="utf-8")
    return content


def _settings(slack: SlackStandIn, tmp_path: Path, db_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SIGNING_SECRET": None,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": db_url,
        "BRIEFBOT_DATA_DIR": tmp_path / "data",
    }
    values.update(extra)
    if "BRIEFBOT_CONTENT_DIR" not in values:
        values["BRIEFBOT_CONTENT_DIR"] = _content(tmp_path)
    return load_settings(**values)


def _migrated(db_url: str, *subscriptions: tuple[str, str]) -> None:
    store = Store(db_url)
    store.migrate()
    for channel, tz in subscriptions:
        store.subscribe(channel, "mon", "09:00", tz)
    store.close()


def _by_name(report: DoctorReport) -> dict[str, str]:
    return {c.name: c.line() for c in report.checks}


@pytest.fixture(autouse=True)
def _fresh_slack(slack: SlackStandIn) -> None:
    slack.reset()
    slack.grant_scopes(DEFAULT_SCOPES)


def test_a_healthy_setup_passes_every_check_and_exits_0(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url, ("C0DIGEST", "Europe/Berlin"))
    slack.set_channel("C0DIGEST", name="ai-digest", is_member=True)
    report = run_doctor(_settings(slack, tmp_path, db_url))
    assert report.ok, [c.line() for c in report.checks if not c.ok]
    assert report.exit_code == 0
    lines = _by_name(report)
    assert lines["channel C0DIGEST"] == "✓ channel C0DIGEST: #ai-digest: the bot is a member"
    assert "Europe/Berlin" in lines["time zones"]
    assert "1 reports" in lines["content"]
    assert all(line.startswith("✓ ") for line in lines.values())
    assert slack.calls_to("auth.test") and slack.calls_to("conversations.info")


def test_a_missing_scope_is_named_with_the_fix(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url)
    slack.grant_scopes([s for s in DEFAULT_SCOPES if s != "channels:history"])
    report = run_doctor(_settings(slack, tmp_path, db_url))
    assert report.exit_code == 1
    line = _by_name(report)["scopes"]
    assert line.startswith("✗ scopes: missing channels:history → ")
    assert "reinstall" in line


def test_a_channel_the_bot_is_not_in_says_to_invite_it(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url, ("C0IN", "UTC"), ("C0OUT", "UTC"), ("C0GONE", "UTC"))
    slack.set_channel("C0IN", name="in", is_member=True)
    slack.set_channel("C0OUT", name="general", is_member=False)
    slack.set_channel("C0GONE", exists=False)
    report = run_doctor(_settings(slack, tmp_path, db_url))
    lines = _by_name(report)
    assert lines["channel C0IN"].startswith("✓")
    assert lines["channel C0OUT"] == (
        "✗ channel C0OUT: #general: the bot is not a member, so digests there will fail"
        " → type `/invite @briefbot` in #general"
    )
    assert "channel_not_found" in lines["channel C0GONE"]
    assert report.exit_code == 1


def test_an_unmigrated_database_fails_without_being_migrated(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    engine.connect().close()  # the database exists (an empty SQLite file), with no schema
    engine.dispose()
    report = run_doctor(_settings(slack, tmp_path, db_url))
    lines = _by_name(report)
    assert lines["database"].startswith("✗ database: ")
    assert "not migrated" in lines["database"]
    assert lines["channels"].startswith("✗ channels: not checked")
    # the doctor only looks: the schema is still empty afterwards
    again = run_doctor(_settings(slack, tmp_path, db_url))
    assert not again.ok


def test_a_bad_zone_and_a_broken_content_file_are_named(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url, ("C0MARS", "Mars/Olympus_Mons"))
    slack.set_channel("C0MARS", name="mars")
    content = _content(tmp_path, topics='[[topic]]\nid = "robots"\nname = \n')
    report = run_doctor(_settings(slack, tmp_path, db_url, BRIEFBOT_CONTENT_DIR=content))
    lines = _by_name(report)
    assert lines["time zones"].startswith("✗ time zones: cannot load C0MARS (Mars/Olympus_Mons)")
    assert lines["content"].startswith("✗ content: ") and "topics.toml:3" in lines["content"]


def test_a_refused_token_fails_auth_and_skips_the_slack_checks(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url, ("C0DIGEST", "UTC"))
    slack.fail_next("auth.test", status=200, error="invalid_auth")
    report = run_doctor(_settings(slack, tmp_path, db_url))
    lines = _by_name(report)
    assert lines["auth.test"].startswith("✗ auth.test: Slack refused the bot token (invalid_auth)")
    assert "scopes" not in lines
    assert lines["channels"].startswith("✗ channels: not checked")


def test_missing_tokens_say_where_to_copy_them_from(tmp_path: Path, db_url: str) -> None:
    _migrated(db_url)
    settings = load_settings(
        SLACK_BOT_TOKEN=None,
        SLACK_APP_TOKEN=None,
        SLACK_SIGNING_SECRET=None,
        DATABASE_URL=db_url,
        BRIEFBOT_DATA_DIR=tmp_path / "data",
        BRIEFBOT_CONTENT_DIR=_content(tmp_path),
    )
    lines = _by_name(run_doctor(settings))
    assert "OAuth & Permissions" in lines["SLACK_BOT_TOKEN"]
    assert lines["mode"].startswith("✗ mode: neither SLACK_APP_TOKEN")
    assert "auth.test" not in lines


def test_http_mode_needs_the_signing_secret_not_a_token(
    slack: SlackStandIn, tmp_path: Path, db_url: str
) -> None:
    _migrated(db_url)
    good = run_doctor(
        _settings(
            slack, tmp_path, db_url, SLACK_APP_TOKEN=None, SLACK_SIGNING_SECRET=SIGNING_SECRET
        )
    )
    assert good.ok
    pasted = run_doctor(
        _settings(slack, tmp_path, db_url, SLACK_APP_TOKEN=None, SLACK_SIGNING_SECRET=BOT_TOKEN)
    )
    assert _by_name(pasted)["SLACK_SIGNING_SECRET"].startswith("✗")


def test_the_manifest_scopes_are_what_the_doctor_expects() -> None:
    assert tuple(s.name for s in SCOPES) == DEFAULT_SCOPES


def test_a_sqlite_file_that_does_not_exist_is_not_created(
    slack: SlackStandIn, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'briefbot.sqlite3'}"
    lines = _by_name(run_doctor(_settings(slack, tmp_path, url)))
    assert "does not exist yet" in lines["database"]
    assert not (tmp_path / "nowhere" / "briefbot.sqlite3").exists()


def test_database_urls_are_shown_without_their_password() -> None:
    shown = redacted_url("postgresql+psycopg://bot:s3cret@db.internal:5432/briefbot")
    assert "s3cret" not in shown and "db.internal" in shown


def test_doctor_command_prints_one_line_per_check_and_exits_by_the_result(
    slack: SlackStandIn, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _migrated(db_url, ("C0OUT", "UTC"))
    slack.set_channel("C0OUT", name="general", is_member=False)
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": db_url,
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_CONTENT_DIR": str(_content(tmp_path)),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    result = CliRunner().invoke(app, ["doctor"])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 1
    assert all(line[:2] in ("✓ ", "✗ ") for line in lines[:-1])
    assert lines[-1] == "1 of 8 checks failed"
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-a-user-token")
    bad = CliRunner().invoke(app, ["doctor"])
    assert bad.exit_code == 2
    assert "SLACK_BOT_TOKEN" in bad.stdout and "xoxp-a-user-token" not in bad.stdout
