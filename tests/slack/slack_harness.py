"""Fixtures for the Slack tests: the Web API stand-in, the bot in HTTP mode, signed requests."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_standin import BOT_USER_ID, RecordedCall, SlackStandIn  # noqa: E402

from bot.corpus import CorpusIndex  # noqa: E402
from bot.corpus_sync import CorpusProvider  # noqa: E402
from bot.ingest import load_corpus  # noqa: E402
from bot.models import Corpus  # noqa: E402
from bot.runtime import slack_deps  # noqa: E402
from bot.runtime.settings import Settings, load_settings  # noqa: E402
from bot.slack.app import build_app  # noqa: E402
from bot.slack.deps import SlackDeps  # noqa: E402
from bot.slack.http import HttpServer  # noqa: E402
from bot.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Slack's published specs live in shared/ beside the repository (CI clones it there too).
SLACK_SPECS = next(
    (
        p
        for p in (REPO.parent / "shared" / "slack-specs", Path("/work/shared/slack-specs"))
        if p.is_dir()
    ),
    REPO.parent / "shared" / "slack-specs",
)
SPEC = SLACK_SPECS / "web-api" / "slack_web_openapi_v2.json"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
APP_TOKEN = "xapp-1-A0BRIEFBOT-1234-abcdef0123456789"


# --- corpus ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the compiled corpus (processes given it skip the build)."""
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> Corpus:
    """The real reports in content/, compiled once for the whole session."""
    return load_corpus(REPO / "content", corpus_dir).corpus


# --- the Web API stand-in -------------------------------------------------------------------


def _spec() -> dict[str, Any]:
    return dict(json.loads(SPEC.read_text(encoding="utf-8")))


_SPEC_CACHE: dict[str, Any] = {}
# Parameters Slack added after the 2021 spec was frozen: Bolt's per-request client adds
# team_id to every call (for org-wide apps); the event inbox (bot/slack/event_inbox.py) tags answers
# with message metadata (2022) and reads it back with include_all_metadata.
PARAMS_NEWER_THAN_SPEC = frozenset({"team_id", "metadata", "include_all_metadata"})
# Methods Slack added after that spec (2022's upload flow, which files.upload_v2 uses), written
# out from their reference pages on docs.slack.dev as (required, optional) arguments.
METHODS_NEWER_THAN_SPEC: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "files.getUploadURLExternal": (
        frozenset({"filename", "length"}),
        frozenset({"alt_txt", "snippet_type"}),
    ),
    "files.completeUploadExternal": (
        frozenset({"files"}),
        frozenset({"channel_id", "channels", "thread_ts", "initial_comment", "blocks"}),
    ),
}


def spec_problems(call: RecordedCall) -> list[str]:
    """What is wrong with a recorded call according to Slack's OpenAPI spec (if it covers it)."""
    if not _SPEC_CACHE:
        _SPEC_CACHE.update(_spec())
    path = _SPEC_CACHE["paths"].get(f"/{call.method}")
    if path is not None:
        params = [p for op in path.values() for p in op.get("parameters", [])]
        known = {p["name"] for p in params}
        required = {p["name"] for p in params if p.get("required") and p["name"] != "token"}
    elif call.method in METHODS_NEWER_THAN_SPEC:
        required, optional = (set(a) for a in METHODS_NEWER_THAN_SPEC[call.method])
        known = required | optional | {"token"}
    else:
        return []
    problems = [f"{call.method}: missing required {n!r}" for n in sorted(required - set(call.args))]
    problems += [
        f"{call.method}: unknown parameter {n!r}"
        for n in sorted(set(call.args) - known - PARAMS_NEWER_THAN_SPEC)
    ]
    return problems


@pytest.fixture(scope="module")
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture(autouse=True)
def _calls_match_the_spec(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test, every Web API call the bot made must match Slack's published spec."""
    yield
    if "slack" not in request.fixturenames:
        return
    standin: SlackStandIn = request.getfixturevalue("slack")
    problems = [p for c in standin.calls for p in spec_problems(c)]
    assert not problems, problems


# --- the bot in HTTP mode -------------------------------------------------------------------


def bot_settings(slack: SlackStandIn, data_dir: Path, **extra: Any) -> Settings:
    return load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_APP_TOKEN=None,
        SLACK_API_URL=slack.url,
        BRIEFBOT_DATA_DIR=data_dir,
        **({"DATABASE_URL": f"sqlite:///{data_dir / 'briefbot.sqlite3'}"} | extra),
    )


_ids = itertools.count(1)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """X-Slack-Signature exactly as Slack computes it: v0=HMAC-SHA256(secret, v0:ts:body)."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class BotHarness:
    """The bot serving real HTTP on loopback, and a Slack that signs what it sends."""

    slack: SlackStandIn
    store: Store
    server: HttpServer
    deps: SlackDeps
    sent_event_ids: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Reply:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.monotonic()
        try:
            conn.request("POST", path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return Reply(response.status, data, time.monotonic() - started)

    def get(self, path: str) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        started = time.monotonic()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return Reply(response.status, data, time.monotonic() - started)

    # --- what Slack sends -------------------------------------------------------------------

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> bytes:
        eid = event_id or f"Ev{next(_ids):010d}"
        return json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": "T0STANDIN",
                "api_app_id": "A0BRIEFBOT",
                "event": {"event_ts": event.get("ts", "1700000000.000001"), **event},
                "type": "event_callback",
                "event_id": eid,
                "event_time": int(time.time()),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": "T0STANDIN",
                        "user_id": BOT_USER_ID,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
                "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
            }
        ).encode()

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Reply:
        headers = {}
        if retry:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(self.event_body(event, event_id), "application/json", headers=headers)

    def mention(
        self,
        text: str,
        *,
        channel: str = "C0GENERAL",
        user: str = "U0ALICE",
        ts: str | None = None,
        thread_ts: str | None = None,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Reply:
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts or new_ts(),
            "channel": channel,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, event_id=event_id, retry=retry)

    def command(self, text: str, *, channel: str = "C0GENERAL", user: str = "U0ALICE") -> Reply:
        body = self.command_body(text, channel=channel, user=user)
        return self.post(body, "application/x-www-form-urlencoded")

    def command_body(
        self,
        text: str,
        *,
        channel: str = "C0GENERAL",
        user: str = "U0ALICE",
        response_name: str | None = None,
    ) -> bytes:
        """A /trends form body as Slack sends it (its response_url named `response_name`)."""
        form = {
            "token": "legacy-verification-token",
            "team_id": "T0STANDIN",
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "alice",
            "command": "/trends",
            "text": text,
            "api_app_id": "A0BRIEFBOT",
            "is_enterprise_install": "false",
            "response_url": self.slack.response_url(response_name or f"cmd-{next(_ids)}"),
            "trigger_id": f"{next(_ids)}.1.abc",
        }
        return urlencode(form).encode()

    def press(
        self,
        action_id: str,
        value: str,
        *,
        channel: str | None = "C0GENERAL",
        user: str = "U0ALICE",
        message: dict[str, Any] | None = None,
    ) -> Reply:
        body = self.press_body(action_id, value, channel=channel, user=user, message=message)
        return self.post(body, "application/x-www-form-urlencoded")

    def press_body(
        self,
        action_id: str,
        value: str,
        *,
        channel: str | None = "C0GENERAL",
        user: str = "U0ALICE",
        message: dict[str, Any] | None = None,
    ) -> bytes:
        """A block_actions form body (payload=JSON) as Slack sends it for a button press."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": "alice", "team_id": "T0STANDIN"},
            "api_app_id": "A0BRIEFBOT",
            "token": "legacy-verification-token",
            "trigger_id": f"{next(_ids)}.1.abc",
            "team": {"id": "T0STANDIN", "domain": "standin"},
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "answer_buttons",
                    "text": {"type": "plain_text", "text": "button"},
                    "value": value,
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if channel is not None:
            msg = message or {"type": "message", "ts": new_ts(), "text": "an answer"}
            payload |= {
                "container": {
                    "type": "message",
                    "message_ts": msg["ts"],
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel, "name": "general"},
                "message": msg,
                "response_url": self.slack.response_url(f"act-{next(_ids)}"),
            }
        else:
            payload |= {
                "container": {"type": "view", "view_id": "V0HOME"},
                "view": {"id": "V0HOME", "type": "home"},
            }
        return urlencode({"payload": json.dumps(payload)}).encode()

    def submit_view(
        self, callback_id: str, values: dict[str, Any], *, user: str = "U0ALICE"
    ) -> Reply:
        """A view_submission (a modal's Save) with these state values, as Slack sends it."""
        payload: dict[str, Any] = {
            "type": "view_submission",
            "team": {"id": "T0STANDIN", "domain": "standin"},
            "user": {"id": user, "username": "alice", "team_id": "T0STANDIN"},
            "api_app_id": "A0BRIEFBOT",
            "token": "legacy-verification-token",
            "trigger_id": f"{next(_ids)}.1.abc",
            "view": {
                "id": f"V{next(_ids):08d}",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": "",
                "state": {"values": values},
                "hash": "1.abc",
            },
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


_ts = itertools.count(1)


def new_ts() -> str:
    return f"{1710000000 + next(_ts)}.{next(_ts):06d}"


def start_bot(
    slack: SlackStandIn,
    data_dir: Path,
    corpus: Corpus,
    *,
    database_url: str | None = None,
    **deps: Any,
) -> BotHarness:
    extra = {"DATABASE_URL": database_url} if database_url else {}
    settings = bot_settings(slack, data_dir, **extra)
    store = Store(settings.effective_database_url)
    store.migrate()
    bot_deps = slack_deps(settings, CorpusProvider(CorpusIndex(corpus)), store, **deps)
    app = build_app(bot_deps)
    server = HttpServer(
        app,
        lambda: {"ok": True, "corpus_version": bot_deps.corpus().version},
        signing_secret=SIGNING_SECRET,
        max_body_bytes=settings.max_request_bytes,
        host="127.0.0.1",
        port=0,
        threads=16,
    ).start()
    return BotHarness(slack=slack, store=store, server=server, deps=bot_deps)


@pytest.fixture(scope="module")
def bot(
    slack: SlackStandIn, corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotHarness]:
    harness = start_bot(slack, tmp_path_factory.mktemp("bot"), corpus, max_retries=3)
    try:
        yield harness
    finally:
        harness.server.stop()
        harness.store.close()


def blocks_text(call: RecordedCall) -> str:
    """All the text of a message's blocks, for asserting on what the user sees."""
    blocks = call.json_arg("blocks") or []
    return json.dumps(blocks, ensure_ascii=False)
