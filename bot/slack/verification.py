"""Edge: what a request to /slack/events must pass before anything parses, logs or handles it."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from slack_bolt import BoltRequest, BoltResponse

from bot.store import Store

logger = logging.getLogger(__name__)

# Slack refuses to sign anything older than this; so do we (replays of older ones fail here).
SIGNATURE_WINDOW_SECONDS = 5 * 60
# Context key Bolt carries to listeners and the error handler: set only by SlackWsgi, after the
# signature checked out. Socket Mode requests are authenticated by their connection instead.
VERIFIED = "briefbot_request_verified"
# Unix seconds: ten digits until 2286; anything longer is not a timestamp, and int() of a
# 5,000-digit string is work we should not do for a stranger.
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)


@dataclass(frozen=True)
class Rejection:
    """Why a request is refused: an HTTP status and a fixed phrase (never request content)."""

    status: int
    reason: str


TOO_LARGE = "body larger than BRIEFBOT_MAX_REQUEST_BYTES"


def read_body(environ: Mapping[str, Any], limit: int) -> bytes | Rejection:
    """The request body, read only if it fits in `limit` bytes (413 otherwise).

    waitress already refuses a larger Content-Length and counts chunked bodies
    (max_request_body_size); this is the same rule for any other WSGI server."""
    raw_length = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not _DIGITS.fullmatch(raw_length):
        return Rejection(400, "Content-Length is not a number")
    if len(raw_length) > len(str(limit)) or int(raw_length) > limit:
        return Rejection(413, TOO_LARGE)
    stream: IO[bytes] | None = environ.get("wsgi.input")
    if stream is None:
        return b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        return Rejection(413, TOO_LARGE)
    return body


def signature_problem(
    secret: str, body: bytes, timestamp: str | None, signature: str | None, *, now: float
) -> str | None:
    """Why this request is not signed by Slack with `secret` (None when it is).

    Slack signs "v0:<timestamp>:<body>" with HMAC-SHA256; the timestamp must be recent. Every
    malformed header is an answer here, never an exception."""
    if timestamp is None or signature is None:
        return "signature headers missing"
    if not _TIMESTAMP.fullmatch(timestamp):
        return "timestamp header malformed"
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return "timestamp outside the 5-minute window"
    if not _SIGNATURE.fullmatch(signature):
        return "signature header malformed"
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "signature mismatch"
    return None


# --- the shape of a signed payload ----------------------------------------------------------

_STRING_FIELDS = (
    "type",
    "command",
    "channel_id",
    "user_id",
    "text",
    "response_url",
    "trigger_id",
    "event_id",
    "challenge",
    "callback_id",
    "api_app_id",
)
_OBJECT_FIELDS = ("event", "view", "user")
# Objects Slack leaves out (or sends as null) where they do not apply: a button in App Home
# has no channel or message.
_OPTIONAL_OBJECT_FIELDS = ("channel", "container", "message")
_EVENT_STRINGS = (
    "type",
    "channel",
    "user",
    "text",
    "ts",
    "thread_ts",
    "event_ts",
    "tab",
    "channel_type",
    "subtype",
    "bot_id",
)
_ANSWERED_EVENTS = frozenset({"app_mention", "message", "app_home_opened"})
_MESSAGE_STRINGS = ("ts", "thread_ts", "text")


def _wrong_types(obj: Mapping[str, Any], names: Sequence[str], kind: type) -> str | None:
    for name in names:
        if name in obj and not isinstance(obj[name], kind):
            return name
    return None


def _missing_id(obj: Mapping[str, Any], names: Sequence[str]) -> str | None:
    """The first of `names` that is not a non-empty string (Slack's ids never are empty)."""
    return next((n for n in names if not (isinstance(obj.get(n), str) and obj[n])), None)


def payload_problem(body: object) -> str | None:
    """What in a signed payload does not have the shape Slack documents and our listeners read
    (None when it is fine). A fixed phrase naming the field, never its value."""
    if not isinstance(body, dict):
        return "payload is not an object"
    if not body:
        return "payload is empty"
    bad = _wrong_types(body, _STRING_FIELDS, str) or _wrong_types(body, _OBJECT_FIELDS, dict)
    bad = bad or next(
        (
            n
            for n in _OPTIONAL_OBJECT_FIELDS
            if body.get(n) is not None and not isinstance(body[n], dict)
        ),
        None,
    )
    if bad:
        return f"field {bad!r} has the wrong type"
    authorizations = body.get("authorizations", [])
    if not (isinstance(authorizations, list) and all(isinstance(a, dict) for a in authorizations)):
        return "field 'authorizations' has the wrong type"
    if "command" in body and _missing_id(body, ("channel_id", "user_id")):
        return "command without channel_id or user_id"
    if body.get("type") == "event_callback":
        return _event_problem(body.get("event"))
    if "actions" in body and (problem := _actions_problem(body["actions"])):
        return problem
    if body.get("type") == "block_actions":
        return _block_actions_problem(body)
    return None


def _event_problem(event: dict[str, Any] | None) -> str | None:
    if event is None:
        return "event_callback without an event"
    bad = _wrong_types(event, ("type",), str) if "type" in event else "type"
    if bad is None and event["type"] in _ANSWERED_EVENTS:
        bad = _wrong_types(event, _EVENT_STRINGS, str)
        needed = ("user",) if event["type"] == "app_home_opened" else ("channel", "ts")
        bad = bad or _missing_id(event, needed)
    return f"event field {bad!r} missing or of the wrong type" if bad else None


def _actions_problem(actions: object) -> str | None:
    if not (isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)):
        return "field 'actions' is not a list of actions"
    for action in actions:
        bad = _wrong_types(action, ("block_id", "value", "type"), str)
        bad = bad or ("action_id" if not isinstance(action.get("action_id"), str) else None)
        if bad:
            return f"action field {bad!r} missing or of the wrong type"
    return None


def _block_actions_problem(body: dict[str, Any]) -> str | None:
    if _missing_id(body.get("user") or {}, ("id",)):
        return "block_actions without a user id"
    channel = body.get("channel")
    if channel is not None and not isinstance(channel.get("id"), str):
        return "channel field 'id' has the wrong type"
    if _wrong_types(body.get("message") or {}, _MESSAGE_STRINGS, str):
        return "message field has the wrong type"
    if _wrong_types(body.get("container") or {}, ("channel_id", "message_ts"), str):
        return "container field has the wrong type"
    return None


# --- replays --------------------------------------------------------------------------------


def _header(headers: Mapping[str, Sequence[str]], name: str) -> str:
    values = headers.get(name) or ()
    return str(values[0]) if values else ""


def replay_key(request: BoltRequest) -> str | None:
    """The durable key of one signed command or button press (None for events, which carry
    their own event_id, and for Socket Mode, which has no signature)."""
    if request.mode != "http" or request.body.get("type") in ("event_callback", "url_verification"):
        return None
    timestamp = _header(request.headers, "x-slack-request-timestamp")
    signature = _header(request.headers, "x-slack-signature")
    if not timestamp or not signature:
        return None
    return "cmd:" + hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()


def refuse_replays(store: Store) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware: a signed command or action runs once, however often the same
    signed request arrives (at any replica: the key is kept in the shared event inbox)."""

    def run_once(
        request: BoltRequest,
        next: Callable[[], BoltResponse | None],  # noqa: A002  (Bolt's name)
    ) -> BoltResponse | None:
        key = replay_key(request)
        if key is None or store.first_request(key):
            return next()
        logger.warning("replayed request ignored key=%s", key[:16])
        return BoltResponse(status=200, body="")

    return run_once


def is_verified(context: Mapping[str, Any] | None, request: BoltRequest | None) -> bool:
    """True when SlackWsgi checked this request's signature, or it came over Socket Mode."""
    if request is not None and request.mode == "socket_mode":
        return True
    return bool(context and context.get(VERIFIED) is True)
