"""Socket Mode's handler path in-process: envelopes in, acks out, answers into the stand-in."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_harness import APP_TOKEN, BOT_TOKEN, new_ts
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_standin import BOT_USER_ID, SlackStandIn

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider
from bot.models import Corpus
from bot.runtime import slack_deps
from bot.runtime.settings import load_settings
from bot.slack.app import build_app
from bot.slack.socket_mode import socket_mode_handler
from bot.store import Store


class RecordingSocketClient:
    """Stands where slack_sdk's SocketModeClient would: keeps the acks it is asked to send."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("test.socket")
        self.acks: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.acks.append(response)


@pytest.fixture(scope="module")
def socket_bot(
    slack: SlackStandIn, corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    data = tmp_path_factory.mktemp("socket")
    settings = load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_SIGNING_SECRET=None,
        SLACK_API_URL=slack.url,
        BRIEFBOT_DATA_DIR=Path(data),
        DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}",
    )
    store = Store(settings.effective_database_url)
    store.migrate()
    app = build_app(slack_deps(settings, CorpusProvider(CorpusIndex(corpus)), store))
    handler = socket_mode_handler(app, APP_TOKEN)
    yield handler
    store.close()


def _events_api(event: dict[str, Any], envelope: str, event_id: str) -> dict[str, Any]:
    return {
        "envelope_id": envelope,
        "type": "events_api",
        "accepts_response_payload": False,
        "payload": {
            "team_id": "T0STANDIN",
            "api_app_id": "A0BRIEFBOT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        },
    }


def test_socket_mode_mention_is_acked_and_answered_in_thread(
    socket_bot: Any, slack: SlackStandIn
) -> None:
    client = RecordingSocketClient()
    ts = new_ts()
    event = {
        "type": "app_mention",
        "user": "U0SOCK",
        "channel": "C0SOCKET",
        "ts": ts,
        "text": f"<@{BOT_USER_ID}> what's new in multimodal",
    }
    request = SocketModeRequest.from_dict(_events_api(event, "env-1", "EvSOCKET001"))
    assert request is not None
    started = time.monotonic()
    socket_bot.handle(client, request)
    assert time.monotonic() - started < 3
    assert [a.envelope_id for a in client.acks] == ["env-1"]
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SOCKET"
    )
    assert call.args["thread_ts"] == ts
    assert "Multimodal models" in json.dumps(call.json_arg("blocks"))
    # Socket Mode redelivers with retry_attempt; the database answers it once.
    retried = _events_api(event, "env-2", "EvSOCKET001") | {
        "retry_attempt": 1,
        "retry_reason": "timeout",
    }
    socket_bot.handle(client, SocketModeRequest.from_dict(retried))
    time.sleep(0.4)
    assert [a.envelope_id for a in client.acks] == ["env-1", "env-2"]
    assert (
        len([c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == "C0SOCKET"])
        == 1
    )


def test_socket_mode_slash_command_is_acked(socket_bot: Any, slack: SlackStandIn) -> None:
    client = RecordingSocketClient()
    payload = {
        "envelope_id": "env-cmd",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "command": "/trends",
            "text": "conflicts quantum",
            "channel_id": "C0SOCKCMD",
            "user_id": "U0SOCK",
            "team_id": "T0STANDIN",
            "api_app_id": "A0BRIEFBOT",
            "response_url": slack.response_url("sock"),
            "trigger_id": "1.2.3",
        },
    }
    socket_bot.handle(client, SocketModeRequest.from_dict(payload))
    assert [a.envelope_id for a in client.acks] == ["env-cmd"]
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SOCKCMD"
    )
    assert "disagree" in json.dumps(call.json_arg("blocks")).lower()


def test_socket_mode_handler_uses_the_configured_web_api(
    socket_bot: Any, slack: SlackStandIn
) -> None:
    assert socket_bot.client.web_client.base_url == slack.url
    assert socket_bot.client.app_token == APP_TOKEN


def test_socket_mode_failure_still_gets_an_apology(socket_bot: Any, slack: SlackStandIn) -> None:
    """Socket Mode requests carry no signature (the connection is authenticated), so the error
    handler's refusal of unverified HTTP requests must not silence them."""
    slack.fail_next("chat.postMessage", 1, status=200, error="invalid_blocks")
    event = {
        "type": "app_mention",
        "user": "U0SOCK",
        "channel": "C0SOCKFAIL",
        "ts": new_ts(),
        "text": f"<@{BOT_USER_ID}> what's new in multimodal",
    }
    socket_bot.handle(
        RecordingSocketClient(),
        SocketModeRequest.from_dict(_events_api(event, "env-fail", "EvSOCKFAIL1")),
    )
    (apology,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0SOCKFAIL"
    )
    assert apology.args["text"].startswith("Sorry")
