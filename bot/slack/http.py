"""HTTP mode: a threaded WSGI server (waitress) for POST /slack/events, GET /healthz, /metrics."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

from bot.observability import metrics_payload

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Health = Callable[[], dict[str, Any]]
_POLL_SECONDS = 0.2  # how soon the serving loop notices stop()


class SlackWsgi:
    """Routes Slack's requests to Bolt and answers the operator's own endpoints."""

    def __init__(self, app: App, health: Health) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._health = health

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
        if path == "/metrics" and method in ("GET", "HEAD"):
            payload, content_type = metrics_payload()
            return _reply(start_response, "200 OK", payload, content_type)
        return self._slack(environ, start_response)


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
        host: str = "0.0.0.0",
        port: int = 3000,
        threads: int = 16,
    ) -> None:
        self._server: Any = create_server(
            SlackWsgi(app, health),
            host=host,
            port=port,
            threads=threads,
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
