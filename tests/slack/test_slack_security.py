"""Attacks on HTTP mode, sent over real HTTP to the bot (waitress + Bolt) against the stand-in."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt import BoltContext
from slack_harness import BotHarness, new_ts, sign, start_bot
from slack_sdk import WebClient
from slack_standin import RecordedCall, SlackStandIn

from bot.matcher.normalize import normalize
from bot.models import Corpus
from bot.ops.logs import TextFormatter
from bot.ops.metrics import sample_value
from bot.render.actions import ACTION_FEEDBACK_UP, ACTION_SUBSCRIBE, button_value
from bot.runtime.settings import DEFAULT_MAX_REQUEST_BYTES
from bot.slack.apology import on_error
from bot.slack.delivery_rules import strip_mentions
from bot.slack.verification import VERIFIED
from tests.store.databases import database_url

MARKER = "ATTACKTEXT7Q"  # appears in every attack body; must never reach a log line
FORGED_LINE = "2026-12-01 00:00:00,000 ERROR bot.cli: FORGEDLINE7Q"


def _touching_attack(call: RecordedCall) -> bool:
    text = json.dumps(call.args) + call.path
    return "ATTACK" in text or MARKER in text


def _attack_calls(slack: SlackStandIn) -> list[RecordedCall]:
    return [c for c in slack.calls if _touching_attack(c)]


def _log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = TextFormatter()
    return [formatter.format(r) for r in caplog.records]


def _raw(port: int, head: bytes, body: Iterable[bytes] = (), *, timeout: float = 15) -> int:
    """Send bytes as they are (any header, any framing) and return the HTTP status."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            for chunk in body:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before we finished: that is the point
        data = b""
        try:
            while b"\r\n" not in data:
                part = sock.recv(65536)
                if not part:
                    break
                data += part
        except ConnectionResetError:
            pass
    assert data.startswith(b"HTTP/1.1 "), data[:80]
    return int(data.split(b" ", 2)[1])


def _head(port: int, headers: dict[str, str], *, length: int | None) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


# --- the bodies an attacker sends -----------------------------------------------------------


def _attack_command(bot: BotHarness) -> bytes:
    return bot.command_body(
        f"{MARKER}\n{FORGED_LINE}",
        channel="C0ATTACK",
        user="U0ATTACK",
        response_name="attack",
    )


def _attack_mention(bot: BotHarness) -> bytes:
    event = {
        "type": "app_mention",
        "user": "U0ATTACK",
        "text": f"<@U0BRIEFBOT> {MARKER}\n{FORGED_LINE}",
        "ts": new_ts(),
        "channel": "C0ATTACK",
    }
    return bot.event_body(event)


def _attack_press(bot: BotHarness) -> bytes:
    value = button_value(topic="quantum", question=MARKER)
    return bot.press_body(ACTION_FEEDBACK_UP, value, channel="C0ATTACK", user="U0ATTACK")


ATTACK_BODIES = {
    "command": (_attack_command, "application/x-www-form-urlencoded"),
    "mention": (_attack_mention, "application/json"),
    "button": (_attack_press, "application/x-www-form-urlencoded"),
}

# (X-Slack-Request-Timestamp, X-Slack-Signature) with None for a header left out; "{now}" and
# "{sig}" are the current time and a signature any forger could compute (with the wrong secret).
BAD_HEADERS = {
    "timestamp not a number": ("x", "{sig}"),
    "timestamp empty": ("", "{sig}"),
    "timestamp of 5000 digits": ("9" * 5000, "{sig}"),
    "timestamp negative": ("-1", "{sig}"),
    "timestamp with a plus sign": ("+{now}", "{sig}"),
    "timestamp in exponent form": ("1.7e9", "{sig}"),
    "timestamp in Arabic-Indic digits": ("\u0661\u0667\u0660\u0660", "{sig}"),
    "timestamp missing": (None, "{sig}"),
    "signature missing": ("{now}", None),
    "both missing": (None, None),
    "signature empty": ("{now}", ""),
    "signature prefix only": ("{now}", "v0="),
    "signature not hex": ("{now}", "v0=" + "g" * 64),
    "signature not ASCII": ("{now}", "v0=" + "\u00e9" * 64),
    "signature of 100,000 characters": ("{now}", "v0=" + "0" * 100_000),
    "signature with the wrong secret": ("{now}", "{sig}"),
}


@pytest.mark.parametrize("kind", sorted(ATTACK_BODIES))
@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_malformed_signature_headers_get_401_and_nothing_happens(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, kind: str, case: str
) -> None:
    build, content_type = ATTACK_BODIES[kind]
    body = build(bot)
    now = int(time.time())
    forged = sign(body, now, secret="guessed-secret")
    headers = {"Content-Type": content_type}
    for name, template in zip(
        ("X-Slack-Request-Timestamp", "X-Slack-Signature"), BAD_HEADERS[case], strict=True
    ):
        if template is not None:
            headers[name] = template.replace("{now}", str(now)).replace("{sig}", forged)
    with caplog.at_level(logging.DEBUG):
        status = _raw(bot.port, _head(bot.port, headers, length=len(body)), [body])
        time.sleep(0.3)
    assert status == 401
    assert not _attack_calls(bot.slack), "no Web API call, no response_url POST"
    lines = _log_lines(caplog)
    assert not [line for line in lines if MARKER in line or "FORGEDLINE" in line]
    assert any("refused request status=401" in line for line in lines)


def test_fifty_requests_with_a_bad_timestamp_post_nothing(bot: BotHarness) -> None:
    """The issue's reproduction: 50 of 50 such requests made the error handler post."""
    statuses = []
    for _ in range(50):
        body = _attack_command(bot)
        reply = bot.post(
            body,
            "application/x-www-form-urlencoded",
            headers={"X-Slack-Request-Timestamp": "x"},
        )
        statuses.append(reply.status)
    time.sleep(0.5)
    assert statuses == [401] * 50
    assert not _attack_calls(bot.slack)
    assert sample_value("briefbot_requests_refused_total", {"status": "401"}) >= 50


def test_a_genuine_request_with_a_stale_timestamp_is_refused_without_logging_its_text(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    body = _attack_mention(bot)
    stale = int(time.time()) - 5 * 60 - 30
    with caplog.at_level(logging.DEBUG):
        reply = bot.post(body, "application/json", timestamp=stale, signature=sign(body, stale))
        time.sleep(0.3)
    assert reply.status == 401
    assert not _attack_calls(bot.slack)
    assert not [line for line in _log_lines(caplog) if MARKER in line]


# --- size -----------------------------------------------------------------------------------


def _signed_headers(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    now = int(time.time())
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(now),
        "X-Slack-Signature": sign(body, now),
    }


def test_a_huge_content_length_gets_413_before_the_body_is_sent(bot: BotHarness) -> None:
    # 100 MB announced, nothing sent: an answer proves the server did not wait to read it.
    head = _head(bot.port, {"Content-Type": "application/json"}, length=100_000_000)
    started = time.monotonic()
    assert _raw(bot.port, head) == 413
    assert time.monotonic() - started < 5


def test_a_body_just_over_the_limit_gets_413_and_just_under_is_read(bot: BotHarness) -> None:
    limit = DEFAULT_MAX_REQUEST_BYTES  # what the harness's server was given

    def challenge_of_size(size: int) -> bytes:
        start = b'{"type": "url_verification", "token": "x", "challenge": "'
        return start + b"c" * (size - len(start) - 2) + b'"}'

    under, over = challenge_of_size(limit), challenge_of_size(limit + 1)
    assert len(under) == limit
    ok = bot.post(under, "application/json")
    assert ok.status == 200 and len(ok.body) > limit - 100
    status = _raw(bot.port, _head(bot.port, _signed_headers(over), length=len(over)), [over])
    assert status == 413


def test_a_chunked_body_is_counted_as_it_is_read_and_refused_past_the_limit(
    bot: BotHarness,
) -> None:
    limit = DEFAULT_MAX_REQUEST_BYTES  # what the harness's server was given
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    piece = b"x" * 65536

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // len(piece) + 4):
            yield b"%x\r\n" % len(piece) + piece + b"\r\n"
        yield b"0\r\n\r\n"

    assert _raw(bot.port, _head(bot.port, headers, length=None), chunks()) == 413


# --- the error handler ----------------------------------------------------------------------


class RecordingClient:
    """Stands in for WebClient in a direct call: records every Web API method called."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((name, kwargs))
            return {"ok": True}

        return call


class RecordingRespond:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


def _command_dict() -> dict[str, Any]:
    return {
        "command": "/trends",
        "channel_id": "C0ATTACK",
        "user_id": "U0ATTACK",
        "response_url": "http://127.0.0.1:9/response/attack",
        "event": {"type": "app_mention", "channel": "C0ATTACK", "user": "U0ATTACK", "ts": "1.2"},
    }


def test_the_error_handler_does_nothing_for_an_unverified_request() -> None:
    client, respond = RecordingClient(), RecordingRespond()
    on_error(
        RuntimeError("boom"),
        _command_dict(),
        cast(WebClient, client),
        cast(Any, respond),
        context=BoltContext({}),
    )
    assert client.calls == [] and respond.calls == []


def test_the_error_handler_apologises_for_a_verified_request() -> None:
    client, respond = RecordingClient(), RecordingRespond()
    on_error(
        RuntimeError("boom"),
        _command_dict(),
        cast(WebClient, client),
        cast(Any, respond),
        context=BoltContext({VERIFIED: True}),
    )
    assert len(respond.calls) == 1 and respond.calls[0]["text"].startswith("Sorry")


# --- logs -----------------------------------------------------------------------------------


def test_user_text_of_a_genuine_request_is_logged_only_at_debug(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        bot.mention(f"what's new in multimodal {MARKER}", channel="C0LOGTEXT")
        bot.command(f"subscribe mon 09:00 UTC {MARKER}", channel="C0LOGTEXT")
        bot.slack.wait_for(
            "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0LOGTEXT"
        )
        time.sleep(0.5)
    assert caplog.records
    assert not [line for line in _log_lines(caplog) if MARKER in line]


def test_a_newline_in_a_logged_message_cannot_start_a_forged_line() -> None:
    record = logging.LogRecord(
        "bot.slack", logging.INFO, __file__, 1, "topic=%r said %s", ("x", "a\nb\r\nc"), None
    )
    line = TextFormatter().format(record)
    assert "\n" not in line and "\r" not in line
    assert "a\\nb\\r\\nc" in line


def test_bolt_never_logs_a_request_body(caplog: pytest.LogCaptureFixture) -> None:
    """Bolt's own line for a failed signature check carries the body; ours withholds it."""
    from bot.slack.app import _withhold_bolt_request_content

    _withhold_bolt_request_content()
    bolt = logging.getLogger("slack_bolt.RequestVerification")
    with caplog.at_level(logging.DEBUG):
        bolt.info(f"Invalid request signature detected (signature: x, body: {MARKER})")
        logging.getLogger("slack_bolt").warning(f"Unhandled request ({{'text': '{MARKER}'}})")
    assert len(caplog.records) == 2
    assert not [line for line in _log_lines(caplog) if MARKER in line]


# --- replays --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_replayed_command_or_button_press_runs_once_across_replicas(
    slack: SlackStandIn, corpus: Corpus, tmp_path: Path, kind: str
) -> None:
    with database_url(kind, tmp_path) as url:
        first = start_bot(slack, tmp_path, corpus, database_url=url)
        second = start_bot(slack, tmp_path, corpus, database_url=url)
        try:
            name = f"replay-{kind}"
            command = first.command_body("help", channel="C0REPLAY", response_name=name)
            channel = f"C0REPLAYBTN{kind.upper()}"
            press = first.press_body(
                ACTION_FEEDBACK_UP,
                button_value(topic="quantum", question="q"),
                channel=channel,
            )
            for body in (command, press):
                ts = int(time.time())
                signature = sign(body, ts)
                replies = [
                    bot.post(
                        body, "application/x-www-form-urlencoded", timestamp=ts, signature=signature
                    )
                    for bot in (first, second, first)
                ]
                assert [r.status for r in replies] == [200, 200, 200]
            slack.wait_for("response_url", 1, where=lambda c: c.path.endswith(name))
            slack.wait_for("chat.postEphemeral", 1, where=lambda c: c.args["channel"] == channel)
            time.sleep(0.5)
            assert len([c for c in slack.calls_to("response_url") if c.path.endswith(name)]) == 1
            rows = [r for r in first.store.list_feedback() if r.channel == channel]
            assert len(rows) == 1
        finally:
            for bot in (first, second):
                bot.server.stop()
                bot.store.close()


def test_the_same_command_signed_again_is_a_new_request(bot: BotHarness) -> None:
    """Only the identical signed request is a replay; Slack sending it again a second later
    (a new timestamp, so a new signature) runs again."""
    body = bot.command_body("help", channel="C0AGAIN", response_name="again")
    now = int(time.time())
    for ts in (now - 1, now):
        assert bot.post(body, "application/x-www-form-urlencoded", timestamp=ts).status == 200
    bot.slack.wait_for("response_url", 2, where=lambda c: c.path.endswith("again"))


# --- button values are hints ----------------------------------------------------------------


def test_the_subscribe_button_opens_the_modal_for_the_channel_it_was_pressed_in(
    bot: BotHarness,
) -> None:
    bot.slack.set_user("U0FORGER", tz="UTC")
    forged = json.dumps({"topic": "regulation", "channel": "C0VICTIM"})
    bot.press(ACTION_SUBSCRIBE, forged, channel="C0PRESSED", user="U0FORGER")
    (opened,) = bot.slack.wait_for(
        "views.open", 1, where=lambda c: "C0PRESSED" in json.dumps(c.args)
    )
    assert "C0VICTIM" not in json.dumps(opened.args)
    assert bot.store.subscription("C0VICTIM") is None
    assert bot.store.subscription("C0PRESSED") is None  # the modal saves, the click does not


def test_a_forged_button_value_is_never_echoed_raw(bot: BotHarness) -> None:
    bot.slack.set_user("U0FORGER2", tz="UTC")
    forged = json.dumps({"topic": "<!channel> <@U0BOSS>", "channel": "<!everyone>"})
    bot.press(ACTION_SUBSCRIBE, forged, channel="C0ECHO", user="U0FORGER2")
    (opened,) = bot.slack.wait_for("views.open", 1, where=lambda c: "C0ECHO" in json.dumps(c.args))
    text = json.dumps(opened.args)
    assert "<!channel>" not in text and "<!everyone>" not in text and "<@U0BOSS>" not in text
    assert bot.store.subscription("C0ECHO") is None


def test_a_forged_choice_value_acts_only_on_the_channel_it_was_pressed_in(
    bot: BotHarness,
) -> None:
    from bot.render.actions import ACTION_CHOICE

    forged = json.dumps({"say": "subscribe fri 16:00 UTC <#C0VICTIM2|victim> <!channel>"})
    bot.press(ACTION_CHOICE, forged, channel="C0CHOOSER", user="U0FORGER3")
    bot.slack.wait_for("chat.postMessage", 1, where=lambda c: c.args["channel"] == "C0CHOOSER")
    assert bot.store.subscription("C0VICTIM2") is None
    sub = bot.store.subscription("C0CHOOSER")
    assert sub is not None and (sub.day, sub.time) == ("fri", "16:00")
    texts = json.dumps([c.args for c in bot.slack.calls if c.args.get("channel") == "C0CHOOSER"])
    assert "<!channel>" not in texts


def test_a_nonsense_page_in_a_next_button_answers_instead_of_failing(bot: BotHarness) -> None:
    from bot.render.actions import ACTION_NEXT_PAGE

    value = json.dumps({"topic": "quantum", "q": "quantum", "page": "9" * 5000})
    assert bot.press(ACTION_NEXT_PAGE, value, channel="C0PAGEJUNK").status == 200
    bot.slack.wait_for("chat.postMessage", 1, where=lambda c: c.args["channel"] == "C0PAGEJUNK")


# --- malformed signed payloads --------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"


def _payload(obj: object) -> bytes:
    return urlencode({"payload": json.dumps(obj)}).encode()


def _block_actions(**fields: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": "U0MALFORMED"},
        "channel": {"id": "C0MALFORMED"},
        "actions": [{"action_id": ACTION_FEEDBACK_UP, "value": "{}"}],
    } | fields


def _callback(event: object) -> bytes:
    return json.dumps(
        {"type": "event_callback", "event_id": "EvMALFORMED", "event": event}
    ).encode()


MALFORMED = {
    "not JSON": (b"{not json", "application/json"),
    "a JSON list": (b"[1, 2]", "application/json"),
    "a JSON string": (b'"text"', "application/json"),
    "empty": (b"", "application/json"),
    "deeply nested": (b"[" * 200_000 + b"]" * 200_000, "application/json"),
    "not UTF-8": (b'{"type": "\xff\xfe"}', "application/json"),
    "payload not JSON": (b"payload=notjson", FORM),
    "payload a list": (_payload([1]), FORM),
    "actions a string": (_payload(_block_actions(actions="x")), FORM),
    "actions empty": (_payload(_block_actions(actions=[])), FORM),
    "action_id a number": (_payload(_block_actions(actions=[{"action_id": 5}])), FORM),
    "no user": (_payload(_block_actions(user=None)), FORM),
    "channel a string": (_payload(_block_actions(channel="C0MALFORMED")), FORM),
    "view a list": (_payload(_block_actions(view=[])), FORM),
    "message text a list": (_payload(_block_actions(message={"ts": "1.2", "text": []})), FORM),
    "event a string": (_callback("x"), "application/json"),
    "event without type": (_callback({"channel": "C0MALFORMED"}), "application/json"),
    "mention channel a number": (
        _callback({"type": "app_mention", "channel": 5, "ts": "1.2", "text": "hi"}),
        "application/json",
    ),
    "mention without ts": (
        _callback({"type": "app_mention", "channel": "C0MALFORMED", "text": "hi"}),
        "application/json",
    ),
    "home without user": (
        _callback({"type": "app_home_opened", "tab": "home"}),
        "application/json",
    ),
    "command without channel": (b"command=%2Ftrends&text=help&user_id=U0MALFORMED", FORM),
    "challenge a number": (b'{"type": "url_verification", "challenge": 5}', "application/json"),
    "authorizations a string": (
        json.dumps({"type": "event_callback", "authorizations": "x", "event": {}}).encode(),
        "application/json",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_signed_payload_gets_400_never_500(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = MALFORMED[case]
    with caplog.at_level(logging.INFO):
        reply = bot.post(body, content_type)
        time.sleep(0.2)
    assert reply.status == 400, reply.body[:200]
    assert not [c for c in bot.slack.calls if "MALFORMED" in json.dumps(c.args)]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert len([r for r in caplog.records if "refused request status=400" in r.getMessage()]) == 1


_FIELDS = (
    "type",
    "event",
    "actions",
    "user",
    "channel",
    "container",
    "message",
    "view",
    "command",
    "channel_id",
    "user_id",
    "text",
    "ts",
    "action_id",
    "value",
    "id",
    "authorizations",
    "challenge",
    "subtype",
    "bot_id",
    "tab",
    "event_id",
    "enterprise",
    "team",
)
_TYPES = ("event_callback", "block_actions", "url_verification", "app_mention", "message", "")
_scalars = st.none() | st.booleans() | st.integers() | st.sampled_from(_TYPES) | st.text(max_size=8)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_FIELDS), inner),
    max_leaves=12,
)
_bodies = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _json, max_size=6).map(
        lambda d: (json.dumps(d).encode(), "application/json")
    ),
    st.dictionaries(st.sampled_from(_FIELDS), _json, max_size=6).map(lambda d: (_payload(d), FORM)),
    st.dictionaries(st.sampled_from(_FIELDS), st.text(max_size=12), max_size=6).map(
        lambda d: (urlencode(d).encode(), FORM)
    ),
    st.binary(max_size=64).map(lambda b: (b, "application/json")),
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sent=_bodies)
def test_signed_garbage_never_gets_a_500_or_a_traceback(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, sent: tuple[bytes, str]
) -> None:
    body, content_type = sent
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        status = bot.post(body, content_type).status
        time.sleep(0.05)  # listeners run after the ack
    assert status in (200, 400, 404)
    assert not [r for r in caplog.records if r.exc_info], body[:300]


_DELETE = object()
# Where a genuine payload gets one field replaced (or deleted) by a random JSON value.
_MUTATION_PATHS: dict[str, tuple[tuple[str | int, ...], ...]] = {
    "mention": (
        ("type",),
        ("event_id",),
        ("event",),
        ("authorizations",),
        ("event", "type"),
        ("event", "text"),
        ("event", "channel"),
        ("event", "user"),
        ("event", "ts"),
        ("event", "thread_ts"),
        ("event", "subtype"),
    ),
    "press": (
        ("type",),
        ("actions",),
        ("actions", 0),
        ("actions", 0, "value"),
        ("actions", 0, "action_id"),
        ("user",),
        ("user", "id"),
        ("channel",),
        ("channel", "id"),
        ("message",),
        ("message", "ts"),
        ("message", "thread_ts"),
        ("container",),
        ("container", "channel_id"),
    ),
}


def _genuine(bot: BotHarness, kind: str) -> dict[str, Any]:
    if kind == "mention":
        event = {"type": "app_mention", "user": "U0FUZZ", "text": "<@U0BRIEFBOT> topics"}
        event |= {"ts": new_ts(), "channel": "C0FUZZ"}
        return dict(json.loads(bot.event_body(event)))
    value = button_value(topic="quantum", question="what is new")
    form = bot.press_body(ACTION_FEEDBACK_UP, value, channel="C0FUZZ", user="U0FUZZ")
    return dict(json.loads(parse_qs(form.decode())["payload"][0]))


def _mutate(payload: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    target: Any = payload
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE and isinstance(target, dict):
        target.pop(path[-1], None)
    elif value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(_MUTATION_PATHS)),
    pick=st.integers(min_value=0, max_value=100),
    value=st.just(_DELETE) | st.text(max_size=20) | _json,
)
def test_a_genuine_payload_with_one_field_garbled_never_gets_a_500_or_a_traceback(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, kind: str, pick: int, value: object
) -> None:
    payload = _genuine(bot, kind)
    paths = _MUTATION_PATHS[kind]
    _mutate(payload, paths[pick % len(paths)], value)
    if kind == "mention":
        body, content_type = json.dumps(payload).encode(), "application/json"
    else:
        body, content_type = _payload(payload), FORM
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        status = bot.post(body, content_type).status
        time.sleep(0.05)  # listeners run after the ack
    assert status in (200, 400, 404)
    assert not [r for r in caplog.records if r.exc_info], body[:300]


# --- hostile text ---------------------------------------------------------------------------

HOSTILE_UNITS = ("<@U1|", "<@U1", "<#C1|", "<http://x|", "<!subteam^S1|", "<", ":a", "&amp")


def _seconds(text: str) -> float:
    """Best of three: mention stripping and normalisation, as a mention's text goes through."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        normalize(strip_mentions(text))
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_unclosed_slack_markup_is_stripped_in_linear_time(unit: str) -> None:
    small, big = unit * (20_000 // len(unit)), unit * (80_000 // len(unit))
    small_s, big_s = _seconds(small), _seconds(big)
    assert big_s < 0.5, f"{big_s:.3f}s for 80,000 characters of {unit!r}"
    # Four times the text: linear work is ~4x; quadratic would be ~16x. The floor absorbs
    # timer noise on inputs that take well under a millisecond.
    assert big_s < max(8 * small_s, 0.02), f"{small_s:.4f}s -> {big_s:.4f}s"


def test_a_40000_character_mention_of_unclosed_markup_is_answered_promptly(
    bot: BotHarness,
) -> None:
    text = "<@U1|" * 8_000  # 40,000 characters: Slack's limit for a message
    reply = bot.mention(text, channel="C0HOSTILE")
    assert reply.status == 200 and reply.seconds < 3
    bot.slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args["channel"] == "C0HOSTILE", timeout=10
    )


def test_an_overlong_subscribe_argument_is_refused_briefly_and_stores_nothing(
    bot: BotHarness,
) -> None:
    body = bot.command_body(
        "subscribe " + "<@U1|" * 8_000, channel="C0LONGSUB", response_name="longsub"
    )
    assert bot.post(body, FORM).status == 200
    (call,) = bot.slack.wait_for("response_url", 1, where=lambda c: c.path.endswith("longsub"))
    assert call.args["response_type"] == "ephemeral"
    assert "too long" in call.args["text"] and len(call.args["text"]) < 300
    assert bot.store.subscription("C0LONGSUB") is None


# --- the checks themselves, for servers other than waitress ---------------------------------


def test_a_body_longer_than_its_content_length_claims_is_still_cut_at_the_limit() -> None:
    from io import BytesIO

    from bot.slack.verification import Rejection, read_body

    # No Content-Length (a server that de-chunks without setting it): the stream is read only
    # up to one byte past the limit.
    stream = BytesIO(b"x" * 10_000)
    refused = read_body({"wsgi.input": stream}, 1_000)
    assert isinstance(refused, Rejection) and refused.status == 413
    assert stream.tell() == 1_001
    assert read_body({"wsgi.input": BytesIO(b"ok"), "CONTENT_LENGTH": "2"}, 1_000) == b"ok"
    assert read_body({"CONTENT_LENGTH": "12abc"}, 1_000) == Rejection(
        400, "Content-Length is not a number"
    )


@given(
    timestamp=st.none() | st.text(max_size=40) | st.integers().map(str),
    signature=st.none() | st.text(max_size=80),
    body=st.binary(max_size=64),
)
def test_signature_check_answers_for_any_headers_and_never_raises(
    timestamp: str | None, signature: str | None, body: bytes
) -> None:
    from bot.slack.verification import signature_problem

    problem = signature_problem("secret", body, timestamp, signature, now=time.time())
    assert problem is not None  # without the secret, nothing passes


def test_signature_check_accepts_exactly_what_slack_signs() -> None:
    from bot.slack.verification import signature_problem

    now = int(time.time())
    body = b'{"type": "url_verification"}'
    good = sign(body, now, secret="secret")
    assert signature_problem("secret", body, str(now), good, now=now) is None
    assert signature_problem("secret", body, str(now), good.upper(), now=now) is not None
    stale = sign(body, now - 301, secret="secret")
    assert signature_problem("secret", body, str(now - 301), stale, now=now) == (
        "timestamp outside the 5-minute window"
    )
