"""HTTP mode: a threaded WSGI server (waitress) for POST /slack/events, GET /healthz, /metrics."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from waitress import wasyncore
from waitress.server import create_server

from bot.ops.metrics import metrics_payload, record_request_refused
from bot.runtime.settings import DEFAULT_MAX_REQUEST_BYTES
from bot.slack.verification import (
    VERIFIED,
    Rejection,
    payload_problem,
    read_body,
    signature_problem,
)

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Health = Callable[[], dict[str, Any]]
_POLL_SECONDS = 0.2  # how soon the serving loop notices stop()


class SlackWsgi:
    """Routes Slack's requests to Bolt and answers the operator's own endpoints.

    A POST to /slack/events is size-checked, then signature-checked, before anything parses,
    logs or handles it; only then does Bolt see it (its own signature check stays as a second
    line). Every refusal is one log line naming the reason, never the body."""

    def __init__(
        self,
        app: App,
        health: Health,
        *,
        signing_secret: str,
        max_body_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        clock: Callable[[], float] = time.time,
        ready: Health | None = None,
    ) -> None:
        if not signing_secret:
            raise ValueError("HTTP mode needs the signing secret to verify requests")
        self._app = app
        self._health = health
        self._secret = signing_secret
        self._max_body_bytes = max_body_bytes
        self._clock = clock
        self._ready = ready  # GET /readyz (readiness; /healthz stays the liveness probe)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            try:
                body, status = self._health(), "200 OK"
            except Exception:  # a health check must answer, not raise
                logger.exception("health check failed")
                body, status = {"ok": False}, "503 Service Unavailable"
            return _reply(start_response, status, json.dumps(body).encode(), "application/json")
        if path == "/readyz" and method in ("GET", "HEAD") and self._ready is not None:
            return self._readiness(start_response)
        if path == "/metrics" and method in ("GET", "HEAD"):
            payload, content_type = metrics_payload()
            return _reply(start_response, "200 OK", payload, content_type)
        if path == EVENTS_PATH and method == "POST":
            return self._slack_request(environ, start_response)
        return _reply(start_response, "404 Not Found", b"Not Found", "text/plain; charset=utf-8")

    def _slack_request(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        body = read_body(environ, self._max_body_bytes)
        if isinstance(body, Rejection):
            return _refuse(start_response, body, environ)
        headers = _headers(environ)
        problem = signature_problem(
            self._secret,
            body,
            headers.get("x-slack-request-timestamp"),
            headers.get("x-slack-signature"),
            now=self._clock(),
        )
        if problem is not None:
            return _refuse(start_response, Rejection(401, problem), environ)
        # Signed by Slack from here on; what is still wrong is a malformed payload: 400.
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(start_response, Rejection(400, "body is not UTF-8"), environ)
        try:
            request = BoltRequest(
                body=text,
                query=str(environ.get("QUERY_STRING", "")),
                headers=dict(headers),
                context={VERIFIED: True},
            )
        except Exception:  # Bolt parses (JSON, form, payload=) as it builds the request
            return _refuse(start_response, Rejection(400, "payload not parseable"), environ)
        problem = payload_problem(request.body)
        if problem is not None:
            return _refuse(start_response, Rejection(400, problem), environ)
        response = self._app.dispatch(request)
        out = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(out.status, out.get_headers())
        return out.get_body()

    def _readiness(self, start_response: StartResponse) -> Iterable[bytes]:
        """503 while this replica cannot do its work (the database is away), so the load
        balancer sends Slack's requests to another; /healthz keeps it alive meanwhile."""
        assert self._ready is not None
        try:
            body = self._ready()
        except Exception as exc:  # a readiness check must answer, not raise
            logger.warning("readiness check failed: %s", type(exc).__name__)
            body = {"ok": False}
        status = "200 OK" if body.get("ok") else "503 Service Unavailable"
        return _reply(start_response, status, json.dumps(body).encode(), "application/json")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    """The request headers by lower-case name, as Bolt names them."""
    headers = {
        key[5:].lower().replace("_", "-"): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.lower().replace("_", "-")] = str(environ[key])
    return headers


def _refuse(
    start_response: StartResponse, rejection: Rejection, environ: WSGIEnvironment
) -> Iterable[bytes]:
    record_request_refused(rejection.status)
    logger.info(
        "refused request status=%d reason=%s remote=%s",
        rejection.status,
        rejection.reason,
        environ.get("REMOTE_ADDR", "?"),
    )
    phrase = {400: "Bad Request", 401: "Unauthorized", 413: "Content Too Large"}
    status = f"{rejection.status} {phrase.get(rejection.status, 'Refused')}"
    # The log names why a signature failed; the caller only learns that it did.
    reason = "invalid request" if rejection.status == 401 else rejection.reason
    body = json.dumps({"error": reason}).encode()
    return _reply(start_response, status, body, "application/json")


def _reply(
    start_response: StartResponse, status: str, body: bytes, content_type: str
) -> Iterable[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class HttpServer:
    """The waitress server around SlackWsgi; `run()` blocks, `start()` runs it in a thread."""

    def __init__(
        self,
        app: App,
        health: Health,
        *,
        signing_secret: str,
        max_body_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        host: str = "0.0.0.0",
        port: int = 3000,
        threads: int = 16,
        ready: Health | None = None,
    ) -> None:
        self._server: Any = create_server(
            SlackWsgi(
                app,
                health,
                signing_secret=signing_secret,
                max_body_bytes=max_body_bytes,
                ready=ready,
            ),
            host=host,
            port=port,
            threads=threads,
            # waitress answers 413 itself for a larger Content-Length, before reading the body,
            # and stops a chunked body as soon as it has read this much (it refuses at >=).
            max_request_body_size=max_body_bytes + 1,
            # Slack retries what we do not ack in 3 s; queueing longer than that is pointless.
            channel_timeout=30,
            connection_limit=1000,
            ident="briefbot",
        )
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self) -> None:
        """Serve until stop() (or a signal) ends the loop; connections close on this thread."""
        server = self._server
        host = str(getattr(server, "effective_host", "0.0.0.0"))
        logger.info("listening: http://%s:%d%s", host, self.port, EVENTS_PATH)
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=_POLL_SECONDS, map=server._map, count=1)
        finally:
            wasyncore.close_all(server._map)
            server.task_dispatcher.shutdown()

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self.run, name="briefbot-http", daemon=True)
        self._thread.start()
        return self

    def stop_soon(self) -> None:
        """Ask the loop to finish (safe from a signal handler or another thread)."""
        self._stopping.set()

    def stop(self) -> None:
        self.stop_soon()
        if self._thread is not None:
            self._thread.join(timeout=5)
