"""A local stand-in for Slack's Web API: answers on loopback, records calls, fails on demand."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

try:  # pytest puts tests/ on sys.path
    from socket_mode_standin import SocketModeEndpoint
except ImportError:  # imported as tests.slack_standin (the bench scripts)
    from tests.socket_mode_standin import SocketModeEndpoint

TEAM_ID = "T0STANDIN"
BOT_USER_ID = "U0BRIEFBOT"
BOT_ID = "B0BRIEFBOT"
APP_ID = "A0BRIEFBOT"
# What a freshly installed briefbot token is granted (as in deploy/slack-manifest.yml); Slack
# names them in the x-oauth-scopes header of every Web API answer.
DEFAULT_SCOPES: tuple[str, ...] = (
    "app_mentions:read",
    "chat:write",
    "commands",
    "im:history",
    "channels:history",
    "groups:history",
    "im:read",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
)


@dataclass(frozen=True)
class RecordedCall:
    """One request the stand-in received (answered or refused)."""

    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    args: dict[str, Any]  # form fields, query parameters and JSON body merged
    headers: dict[str, str]  # lower-cased names
    status: int  # HTTP status the stand-in answered with
    ok: bool  # the "ok" field of the answer
    at: float  # time.monotonic() when received
    content_type: str = ""
    path: str = ""

    def json_arg(self, name: str) -> Any:
        """An argument that may arrive JSON-encoded in a form (blocks, view) or as JSON."""
        value = self.args.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None = None
    error: str | None = None


@dataclass
class UserProfile:
    id: str
    name: str = "someone"
    tz: str = "Europe/Berlin"
    tz_offset: int = 3600
    tz_label: str = "Central European Time"
    is_bot: bool = False
    channels: tuple[str, ...] = ()  # what users.conversations lists for this user


@dataclass
class ChannelInfo:
    id: str
    name: str = ""
    is_member: bool = True
    exists: bool = True


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal and the upload URL it returned."""

    id: str
    filename: str
    length: int  # what files.getUploadURLExternal was told
    alt_txt: str = ""
    data: bytes | None = None  # what reached the upload URL (None: nothing yet)
    title: str = ""
    channel: str = ""  # where files.completeUploadExternal shared it ("" while unshared)
    thread_ts: str = ""


@dataclass
class _State:
    calls: list[RecordedCall] = field(default_factory=list)
    faults: dict[str, list[_Fault]] = field(default_factory=dict)
    users: dict[str, UserProfile] = field(default_factory=dict)
    # When set, chat.postMessage to one channel faster than this many seconds gets 429.
    channel_pace: float | None = None
    last_post: dict[str, float] = field(default_factory=dict)
    delay: float = 0.0
    # Posted messages (with their metadata) for conversations.replies / .history.
    messages: list[dict[str, Any]] = field(default_factory=list)
    channels: dict[str, ChannelInfo] = field(default_factory=dict)
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    files: dict[str, UploadedFile] = field(default_factory=dict)


class SlackStandIn:
    """Threaded HTTP server answering Slack Web API methods; use `url` as SLACK_API_URL.

    Usage:
        with SlackStandIn() as slack:
            client = WebClient(base_url=slack.url, token="xoxb-test")
            slack.fail_next("chat.postMessage", 1, status=429, retry_after=1)
            ...
            assert slack.calls_to("chat.postMessage")
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._state = _State()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        # The WebSocket apps.connections.open points to (Socket Mode).
        self.socket_mode = SocketModeEndpoint()

    # --- life cycle ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def url(self) -> str:
        """The Web API base URL (what SLACK_API_URL should be)."""
        return self.base + "api/"

    def response_url(self, name: str = "r") -> str:
        """A response_url (slash commands, block actions) that this stand-in records."""
        return f"{self.base}response/{name}"

    def start(self) -> SlackStandIn:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.socket_mode.close_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        count: int = 1,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` with `status` (429 carries Retry-After).

        With status=200 and `error`, answer {"ok": false, "error": error} instead.
        """
        with self._lock:
            self._state.faults.setdefault(method, []).append(
                _Fault(status=status, remaining=count, retry_after=retry_after, error=error)
            )

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Describe a user for users.info (e.g. tz="America/New_York")."""
        with self._lock:
            self._state.users[user_id] = UserProfile(id=user_id, **fields)

    def set_channel(
        self, channel_id: str, *, name: str = "", is_member: bool = True, exists: bool = True
    ) -> None:
        """Describe a channel for conversations.info (is the bot in it? does it exist?)."""
        with self._lock:
            self._state.channels[channel_id] = ChannelInfo(channel_id, name, is_member, exists)

    def grant_scopes(self, scopes: tuple[str, ...] | list[str]) -> None:
        """The scopes the bot token has (sent in every answer's x-oauth-scopes header)."""
        with self._lock:
            self._state.scopes = tuple(scopes)

    def enforce_channel_pace(self, seconds: float | None = 1.0) -> None:
        """Refuse (429, Retry-After: 1) a chat.postMessage to a channel posted to < seconds ago."""
        with self._lock:
            self._state.channel_pace = seconds

    def set_delay(self, seconds: float) -> None:
        """Make every answer take this long (a slow Slack)."""
        with self._lock:
            self._state.delay = seconds

    def reset(self) -> None:
        """Forget recorded calls, pending faults and pacing history (users stay)."""
        with self._lock:
            users, channels = self._state.users, self._state.channels
            self._state = _State(users=users, channels=channels)

    # --- inspection ---------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._state.calls)

    def shared_files(self) -> list[UploadedFile]:
        """Files that files.completeUploadExternal shared in a channel (or a thread)."""
        with self._lock:
            return [f for f in self._state.files.values() if f.channel]

    def upload_url(self, file_id: str) -> str:
        """Where files.getUploadURLExternal tells the client to POST the bytes (recorded as
        the method "upload")."""
        return f"{self.base}upload/{file_id}"

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        """Block until at least `count` successful calls of `method` (matching `where`) arrived."""
        deadline = time.monotonic() + timeout

        def matching() -> list[RecordedCall]:
            return [
                c
                for c in self._state.calls
                if c.method == method and c.ok and (where is None or where(c))
            ]

        with self._changed:
            while len(found := matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{method}: {len(found)} of {count} calls after {timeout}s; "
                        f"saw {[c.method for c in self._state.calls]}"
                    )
                self._changed.wait(left)
            return found

    # --- answering ----------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ts)}.{next(self._ids):06d}"

    def _answer(self, method: str, args: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "api.test":
            return {"ok": True, "args": args}
        if not token.startswith(("xoxb-", "xoxp-", "xapp-")):
            return {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
        channel = str(args.get("channel", ""))
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://standin.slack.com/",
                "team": "Stand-in",
                "user": "briefbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update"):
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            if not args.get("text") and not args.get("blocks") and not args.get("attachments"):
                return {"ok": False, "error": "no_text"}
            ts = str(args["ts"]) if method == "chat.update" else self._next_ts()
            message: dict[str, Any] = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "text": args.get("text", ""),
                "ts": ts,
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            if method == "chat.update":
                return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
            if args.get("metadata"):
                meta = args["metadata"]
                message["metadata"] = json.loads(meta) if isinstance(meta, str) else meta
            with self._lock:
                self._state.messages.append({**message, "channel": channel})
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            if not channel or not args.get("user"):
                return {
                    "ok": False,
                    "error": "channel_not_found" if not channel else "user_not_found",
                }
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://standin.slack.com/archives/{channel}/p{args.get('message_ts')}",
            }
        if method == "views.publish":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            if not args.get("user_id") or not isinstance(view, dict):
                return {"ok": False, "error": "invalid_arguments"}
            return {
                "ok": True,
                "view": {
                    **view,
                    "id": f"V{next(self._ids):08d}",
                    "team_id": TEAM_ID,
                    "app_id": APP_ID,
                    "bot_id": BOT_ID,
                    "hash": f"{int(time.time())}.abc",
                },
            }
        if method == "views.open":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            if not args.get("trigger_id") or not isinstance(view, dict):
                return {"ok": False, "error": "invalid_arguments"}
            return {
                "ok": True,
                "view": {
                    **view,
                    "id": f"V{next(self._ids):08d}",
                    "team_id": TEAM_ID,
                    "app_id": APP_ID,
                    "bot_id": BOT_ID,
                    "state": {"values": {}},
                    "hash": f"{int(time.time())}.abc",
                },
            }
        if method == "conversations.info":
            with self._lock:
                known = self._state.channels.get(channel, ChannelInfo(channel))
            if not channel or not known.exists:
                return {"ok": False, "error": "channel_not_found"}
            return {
                "ok": True,
                "channel": {
                    "id": channel,
                    "name": known.name or f"channel-{channel.lower()}",
                    "is_channel": channel.startswith("C"),
                    "is_im": channel.startswith("D"),
                    "is_private": channel.startswith("G"),
                    "is_member": known.is_member,
                    "created": 1700000000,
                },
            }
        if method == "users.info":
            user_id = str(args.get("user", ""))
            if not user_id:
                return {"ok": False, "error": "user_not_found"}
            with self._lock:
                profile = self._state.users.get(user_id, UserProfile(id=user_id))
            return {
                "ok": True,
                "user": {
                    "id": profile.id,
                    "team_id": TEAM_ID,
                    "name": profile.name,
                    "real_name": profile.name.title(),
                    "tz": profile.tz,
                    "tz_label": profile.tz_label,
                    "tz_offset": profile.tz_offset,
                    "is_bot": profile.is_bot,
                    "deleted": False,
                },
            }
        if method == "users.conversations":
            with self._lock:
                member = self._state.users.get(str(args.get("user", "")))
            listed = member.channels if member is not None else ()
            return {
                "ok": True,
                "channels": [
                    {"id": c, "name": f"channel-{c.lower()}", "is_channel": True, "is_member": True}
                    for c in listed
                ],
                "response_metadata": {"next_cursor": ""},
            }
        if method in ("conversations.replies", "conversations.history"):
            # Messages the bot posted here (the stand-in knows no others); metadata only when
            # include_all_metadata is set, as Slack does.
            thread = str(args.get("ts", ""))
            oldest = float(args.get("oldest") or 0)
            with_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
            with self._lock:
                found = [
                    {
                        k: v
                        for k, v in m.items()
                        if k != "channel" and (with_meta or k != "metadata")
                    }
                    for m in self._state.messages
                    if m["channel"] == channel
                    and (
                        m.get("thread_ts") == thread or m["ts"] == thread
                        if method == "conversations.replies"
                        else float(m["ts"]) >= oldest
                    )
                ]
            return {"ok": True, "messages": found, "has_more": False}
        if method.startswith("files.") and "files:write" not in self._state.scopes:
            return {"ok": False, "error": "missing_scope", "needed": "files:write"}
        if method == "files.getUploadURLExternal":
            filename = str(args.get("filename", ""))
            try:
                length = int(args.get("length", ""))
            except ValueError:
                return {"ok": False, "error": "invalid_arguments"}
            if not filename or length <= 0:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ids):08d}"
            with self._lock:
                self._state.files[file_id] = UploadedFile(
                    file_id, filename, length, str(args.get("alt_txt") or "")
                )
            return {"ok": True, "upload_url": self.upload_url(file_id), "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        if method == "conversations.join":
            return {"ok": True, "channel": {"id": channel}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            listed = json.loads(args.get("files") or "[]")
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        channel = str(args.get("channel_id") or "")
        thread_ts = str(args.get("thread_ts") or "")
        shared: list[dict[str, Any]] = []
        with self._lock:
            for item in listed:
                known = self._state.files.get(str(item.get("id", "")))
                if known is None:
                    return {"ok": False, "error": "file_not_found"}
                # Slack refuses to finish an upload whose bytes never arrived or differ in size.
                if known.data is None or len(known.data) != known.length:
                    return {"ok": False, "error": "file_upload_size_mismatch"}
                known.title = str(item.get("title") or known.filename)
                known.channel, known.thread_ts = channel, thread_ts
                shared.append(
                    {
                        "id": known.id,
                        "name": known.filename,
                        "title": known.title,
                        "mimetype": "image/png" if known.filename.endswith(".png") else "",
                        "size": known.length,
                    }
                )
        if channel:
            # Sharing a file posts a message carrying it (in the thread, with thread_ts).
            message: dict[str, Any] = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "text": "",
                "ts": self._next_ts(),
                "files": shared,
                "upload": True,
            }
            if thread_ts:
                message["thread_ts"] = thread_ts
            with self._lock:
                self._state.messages.append({**message, "channel": channel})
        return {"ok": True, "files": shared}

    def _receive_upload(self, file_id: str, data: bytes) -> bool:
        with self._lock:
            known = self._state.files.get(file_id)
            if known is None:
                return False
            known.data = data
            return True

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._state.faults.get(method)
            while queue and queue[0].remaining <= 0:
                queue.pop(0)
            if not queue:
                return None
            queue[0].remaining -= 1
            return queue[0]

    def _paced_out(self, method: str, args: dict[str, Any], now: float) -> bool:
        if method != "chat.postMessage":
            return False
        with self._lock:
            pace = self._state.channel_pace
            channel = str(args.get("channel", ""))
            last = self._state.last_post.get(channel)
            if pace is not None and last is not None and now - last < pace:
                return True
            self._state.last_post[channel] = now
            return False

    def _record(self, call: RecordedCall) -> None:
        with self._changed:
            self._state.calls.append(call)
            self._changed.notify_all()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # quiet: tests read `calls`, not stderr

            def do_GET(self) -> None:  # noqa: N802
                if self.headers.get("Upgrade", "").lower() == "websocket":
                    standin.socket_mode.serve(self)
                    return
                self._serve()

            def do_POST(self) -> None:  # noqa: N802
                self._serve()

            def _serve(self) -> None:
                now = time.monotonic()
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                content_type = self.headers.get("Content-Type", "")
                args: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
                if parts.path.startswith("/upload/"):  # raw bytes, not a form
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    self._upload(parts.path[len("/upload/") :], raw, headers, now, content_type)
                    return
                try:
                    if raw and "json" in content_type:
                        body = json.loads(raw)
                        if isinstance(body, dict):
                            args.update(body)
                    elif raw:
                        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                except (ValueError, UnicodeDecodeError):
                    self._reply(400, {"ok": False, "error": "invalid_form_data"})
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                if parts.path.startswith("/response/"):
                    standin._record(
                        RecordedCall(
                            "response_url", args, headers, 200, True, now, content_type, parts.path
                        )
                    )
                    self._reply(200, None, text="ok")
                    return
                if not parts.path.startswith("/api/"):
                    self._reply(404, {"ok": False, "error": "not_found"})
                    return
                method = parts.path[len("/api/") :]
                auth = headers.get("authorization", "")
                token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
                token = token or str(args.pop("token", ""))
                if standin._state.delay:
                    time.sleep(standin._state.delay)
                fault = standin._take_fault(method)
                extra: dict[str, str] = {}
                if fault is not None and fault.status == 429:
                    status, body_out = 429, {"ok": False, "error": "ratelimited"}
                    if fault.retry_after is not None:
                        extra["Retry-After"] = str(fault.retry_after)
                elif fault is not None and fault.status >= 500:
                    status, body_out = fault.status, {"ok": False, "error": "internal_error"}
                elif fault is not None:
                    status, body_out = (
                        fault.status,
                        {"ok": False, "error": fault.error or "fatal_error"},
                    )
                elif standin._paced_out(method, args, now):
                    status, body_out = 429, {"ok": False, "error": "ratelimited"}
                    extra["Retry-After"] = "1"
                else:
                    status, body_out = 200, standin._answer(method, args, token)
                    if token.startswith(("xoxb-", "xoxp-")):
                        with standin._lock:
                            extra["x-oauth-scopes"] = ",".join(standin._state.scopes)
                standin._record(
                    RecordedCall(
                        method,
                        args,
                        headers,
                        status,
                        bool(body_out.get("ok")),
                        now,
                        content_type,
                        parts.path,
                    )
                )
                self._reply(status, body_out, extra_headers=extra)

            def _upload(
                self, file_id: str, raw: bytes, headers: dict[str, str], now: float, ctype: str
            ) -> None:
                # The upload URL takes the raw bytes (any content type) and answers in text.
                fault = standin._take_fault("upload")
                if fault is not None:
                    status = fault.status if fault.status != 200 else 500
                    text = "error"
                elif standin._receive_upload(file_id, raw):
                    status, text = 200, f"OK - {len(raw)}"
                else:
                    status, text = 404, "file not found"
                call = RecordedCall(
                    "upload",
                    {"file_id": file_id, "bytes": len(raw)},
                    headers,
                    status,
                    status == 200,
                    now,
                    ctype,
                    self.path,
                )
                standin._record(call)
                self._reply(status, None, text=text)

            def _reply(
                self,
                status: int,
                body: dict[str, Any] | None,
                *,
                text: str | None = None,
                extra_headers: dict[str, str] | None = None,
            ) -> None:
                payload = (json.dumps(body) if body is not None else (text or "")).encode()
                self.send_response(status)
                ctype = "application/json; charset=utf-8" if body is not None else "text/plain"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (extra_headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


@contextmanager
def running_standin() -> Iterator[SlackStandIn]:
    """Start a stand-in on a free loopback port for the duration of a with-block."""
    standin = SlackStandIn().start()
    try:
        yield standin
    finally:
        standin.stop()
