"""Edge: `briefbot doctor`'s checks: each setting Slack and the bot need, with its fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import BriefbotError
from bot.runtime.settings import redacted_url, secret_text

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.runtime.settings import Settings
    from bot.store.values import Subscription

SCOPES_HEADER = "x-oauth-scopes"  # every Web API answer names the token's scopes in it


@dataclass(frozen=True)
class Check:
    """One thing the doctor looked at: passed or not, what it saw, and how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        fix = f" → {self.fix}" if self.fix and not self.ok else ""
        return f"{mark} {self.name}: {self.detail}{fix}"


@dataclass(frozen=True)
class DoctorReport:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> str:
        failed = sum(not c.ok for c in self.checks)
        if not failed:
            return f"all {len(self.checks)} checks passed"
        return f"{failed} of {len(self.checks)} checks failed"


# --- settings ---------------------------------------------------------------------------------


def check_tokens(settings: Settings) -> list[Check]:
    """The bot token, and what the chosen mode needs (app token or signing secret)."""
    bot = secret_text(settings.slack_bot_token)
    app = secret_text(settings.slack_app_token)
    secret = secret_text(settings.slack_signing_secret)
    checks = [
        Check("SLACK_BOT_TOKEN", True, "a bot token (xoxb-…)")
        if bot
        else Check(
            "SLACK_BOT_TOKEN",
            False,
            "not set",
            "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into .env",
        )
    ]
    if app:
        checks.append(Check("SLACK_APP_TOKEN", True, "an app-level token (xapp-…): Socket Mode"))
    if secret:
        if secret.startswith(("xoxb-", "xoxp-", "xapp-")):
            checks.append(
                Check(
                    "SLACK_SIGNING_SECRET",
                    False,
                    "holds a token, not the signing secret",
                    "copy Signing Secret from Basic Information → App Credentials",
                )
            )
        else:
            checks.append(Check("SLACK_SIGNING_SECRET", True, "set: HTTP mode can verify requests"))
    if not app and not secret:
        checks.append(
            Check(
                "mode",
                False,
                "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set",
                "add an app-level token with connections:write (Basic Information → "
                "App-Level Tokens) for Socket Mode, or the Signing Secret for `serve --http`",
            )
        )
    return checks


# --- Slack --------------------------------------------------------------------------------------


def check_auth(client: WebClient) -> tuple[Check, frozenset[str] | None]:
    """auth.test with the bot token; also the scopes Slack says the token has (or None)."""
    from slack_sdk.errors import SlackApiError

    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown error")
        return (
            Check(
                "auth.test",
                False,
                f"Slack refused the bot token ({error})",
                "copy the Bot User OAuth Token again from OAuth & Permissions; reinstall the "
                "app if it was revoked",
            ),
            None,
        )
    except OSError as exc:
        return (
            Check(
                "auth.test",
                False,
                f"cannot reach {client.base_url} ({type(exc).__name__})",
                "check the network, a proxy, or SLACK_API_URL",
            ),
            None,
        )
    who = f"bot {response.get('user')} ({response.get('user_id')}) in {response.get('team')}"
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    raw = headers.get(SCOPES_HEADER)
    value = raw[0] if isinstance(raw, list) and raw else raw
    scopes = (
        frozenset(s.strip() for s in str(value).split(",") if s.strip())
        if value is not None
        else None
    )
    return Check("auth.test", True, who), scopes


def check_scopes(granted: frozenset[str] | None, wanted: Sequence[str]) -> Check:
    """Every scope the manifest asks for is granted to the installed token."""
    if granted is None:
        return Check(
            "scopes",
            False,
            f"Slack's answer had no {SCOPES_HEADER} header, so the scopes are unknown",
            "check SLACK_API_URL points at Slack's Web API",
        )
    missing = [s for s in wanted if s not in granted]
    if missing:
        return Check(
            "scopes",
            False,
            "missing " + ", ".join(missing),
            "add them under OAuth & Permissions → Bot Token Scopes (or recreate the app from "
            "`briefbot manifest`), then reinstall the app to the workspace",
        )
    return Check("scopes", True, f"all {len(wanted)} scopes the manifest asks for are granted")


def check_channel(client: WebClient, channel: str) -> Check:
    """The bot is a member of a subscribed channel (else its digest cannot be posted)."""
    from slack_sdk.errors import SlackApiError

    name = f"channel {channel}"
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown error")
        return Check(
            name,
            False,
            f"conversations.info failed ({error})",
            "check the channel id (channel details → bottom, or Copy link), or invite the bot "
            "if it is a private channel",
        )
    label = f"#{info['name']}" if info.get("name") else channel
    if info.get("is_im") or info.get("is_member"):
        return Check(name, True, f"{label}: the bot is a member")
    return Check(
        name,
        False,
        f"{label}: the bot is not a member, so digests there will fail",
        f"type `/invite @briefbot` in {label}",
    )


# --- database, content, zones -----------------------------------------------------------------


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def check_database(url: str) -> Check:
    """The database answers and its schema is at the newest migration (never migrates it)."""
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store import MIGRATIONS_DIR

    shown = redacted_url(url)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.exists():
        return Check(
            "database",
            False,
            f"{shown} does not exist yet",
            "run `briefbot subscriptions` or start `briefbot serve` once: both create and "
            "migrate it",
        )
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ValueError) as exc:
        return Check("database", False, f"{shown}: {exc}", "fix DATABASE_URL")
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or [type(exc).__name__])[0]
        return Check(
            "database",
            False,
            f"{shown} unreachable ({reason})",
            "start the database or fix DATABASE_URL",
        )
    finally:
        engine.dispose()
    if current != heads:
        at = ", ".join(sorted(current)) or "empty"
        return Check(
            "database",
            False,
            f"{shown} is not migrated (at {at}, newest {', '.join(sorted(heads))})",
            "run `briefbot subscriptions` or start `briefbot serve` once: both migrate it",
        )
    return Check("database", True, f"{shown} reachable, at the newest migration")


def check_content(settings: Settings) -> Check:
    """The content folder compiles; a fault names its file and line."""
    from bot.ingest import load_corpus

    try:
        result = load_corpus(Path(settings.content_dir), Path(settings.data_dir))
    except BriefbotError as exc:
        return Check("content", False, str(exc), "fix that file, then run `briefbot ingest`")
    corpus = result.corpus
    detail = (
        f"{settings.content_dir}: {len(corpus.sources)} reports, {len(corpus.topics)} topics, "
        f"corpus {corpus.version[:12]}"
    )
    if result.warnings:
        detail += f" ({len(result.warnings)} warnings: see `briefbot ingest`)"
    return Check("content", True, detail)


def check_time_zones(subscriptions: Sequence[Subscription]) -> Check:
    """Every subscription's time zone loads (tzdata is installed and the name is real)."""
    bad: list[str] = []
    for s in subscriptions:
        try:
            ZoneInfo(s.tz)
        except (ZoneInfoNotFoundError, ValueError):
            bad.append(f"{s.channel} ({s.tz})")
    if bad:
        return Check(
            "time zones",
            False,
            "cannot load " + ", ".join(bad),
            "re-subscribe with an IANA name, e.g. `briefbot subscribe C0123ABCD --tz "
            "Europe/Berlin`, or install tzdata",
        )
    zones = sorted({s.tz for s in subscriptions})
    return Check(
        "time zones", True, f"{len(zones)} zones load" + (f": {', '.join(zones)}" if zones else "")
    )


# --- all of it ----------------------------------------------------------------------------------


def _subscriptions(url: str) -> list[Subscription]:
    from bot.store import Store

    store = Store(url)
    try:
        return store.subscriptions()
    finally:
        store.close()


def run_doctor(settings: Settings) -> DoctorReport:
    """Every check, in the order a new user would fix them."""
    from bot.slack.app import SCOPES, build_client

    checks = check_tokens(settings)
    bot_token = secret_text(settings.slack_bot_token)
    client: WebClient | None = None
    if bot_token:
        client = build_client(bot_token, settings.slack_api_url, max_retries=1)
        auth, granted = check_auth(client)
        checks.append(auth)
        if auth.ok:
            checks.append(check_scopes(granted, [s.name for s in SCOPES]))
        else:
            client = None
    url = settings.effective_database_url
    database = check_database(url)
    checks.append(database)
    subscriptions = _subscriptions(url) if database.ok else None
    if subscriptions is None:
        checks.append(
            Check("channels", False, "not checked: the database check failed", "fix it first")
        )
    elif not subscriptions:
        checks.append(
            Check("channels", True, "no subscriptions yet (`briefbot subscribe C0123ABCD`)")
        )
    elif client is None:
        checks.append(Check("channels", False, "not checked: no working bot token", "fix it first"))
    else:
        checks.extend(check_channel(client, s.channel) for s in subscriptions)
    checks.append(check_content(settings))
    if subscriptions is not None:
        checks.append(check_time_zones(subscriptions))
    return DoctorReport(tuple(checks))
