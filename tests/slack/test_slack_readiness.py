"""GET /readyz tells the truth about the database; /healthz stays the liveness probe."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from slack_harness import BOT_TOKEN, SIGNING_SECRET, BotHarness
from slack_standin import SlackStandIn
from sqlalchemy.engine import make_url

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider
from bot.models import Corpus
from bot.ops.readiness import readiness
from bot.runtime import slack_deps
from bot.runtime.settings import load_settings
from bot.slack.app import build_app
from bot.slack.http import HttpServer
from bot.store import Store
from tests.store.databases import postgres_schema_url


class TcpRelay:
    """A loopback TCP relay in front of PostgreSQL that can be cut and restored (a blip)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> TcpRelay:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        with self._lock:
            if self._listener is not None:
                with suppress(OSError):  # wakes the accept() (close alone would not, on Linux)
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for conn in self._conns:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        with suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@contextmanager
def relayed(url: str) -> Iterator[tuple[str, TcpRelay]]:
    parsed = make_url(url)
    relay = TcpRelay((parsed.host or "127.0.0.1", parsed.port or 5432)).start()
    try:
        yield parsed.set(host="127.0.0.1", port=relay.port).render_as_string(False), relay
    finally:
        relay.cut()


def _status(bot: BotHarness, path: str) -> tuple[int, dict[str, object]]:
    reply = bot.get(path)
    return reply.status, json.loads(reply.body)


def test_readyz_is_503_while_the_database_is_unreachable_and_healthz_stays_200(
    tmp_path: Path, corpus: Corpus
) -> None:
    with (
        postgres_schema_url() as direct,
        relayed(direct) as (url, relay),
        SlackStandIn() as slack,
    ):
        settings = load_settings(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_APP_TOKEN=None,
            SLACK_API_URL=slack.url,
            BRIEFBOT_DATA_DIR=tmp_path,
            DATABASE_URL=url,
        )
        store = Store(url)
        store.migrate()
        provider = CorpusProvider(CorpusIndex(corpus))
        deps = slack_deps(settings, provider, store)
        server = HttpServer(
            build_app(deps),
            lambda: {"ok": True},
            signing_secret=SIGNING_SECRET,
            host="127.0.0.1",
            port=0,
            ready=readiness(store, provider),
        ).start()
        bot = BotHarness(slack=slack, store=store, server=server, deps=deps)
        try:
            status, body = _status(bot, "/readyz")
            assert status == 200 and body["database"] == "ok", body
            assert body["corpus_version"] == corpus.version and body["sources"] == len(
                corpus.sources
            )

            relay.cut()  # the database goes away
            status, body = _status(bot, "/readyz")
            assert status == 503 and str(body["database"]).startswith("unreachable"), body
            assert _status(bot, "/healthz")[0] == 200  # alive: do not restart it

            relay.start()  # back, on the same port
            deadline = time.monotonic() + 10
            while _status(bot, "/readyz")[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _status(bot, "/readyz") == (200, body | {"ok": True, "database": "ok"})
        finally:
            server.stop()
            store.close()
