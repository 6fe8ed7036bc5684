"""CLI commands: serve (Slack in Socket Mode or HTTP mode, or a local console) and feedback."""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TextIO, cast

import typer

from bot.cli.app import app
from bot.errors import BriefbotError, SettingsError

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.config import Settings
    from bot.corpus import CorpusIndex
    from bot.slack.deps import CorpusProvider
    from bot.store import Store

logger = logging.getLogger(__name__)

Mode = Literal["console", "socket", "http"]

CONNECT_HINT = (
    "briefbot: no Slack tokens set, so this is the local console (one question per line). "
    "To connect Slack, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or "
    "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `briefbot serve --http`."
)


def _secret(value: object) -> str:
    get = getattr(value, "get_secret_value", None)
    return str(get()) if get is not None else ""


def choose_mode(settings: Settings, *, http: bool) -> Mode:
    """Which way to run, or a SettingsError naming the one setting that is missing."""
    bot_token = _secret(settings.slack_bot_token)
    if http:
        if not bot_token:
            raise SettingsError("setting SLACK_BOT_TOKEN is missing: HTTP mode needs the bot token")
        if not _secret(settings.slack_signing_secret):
            raise SettingsError(
                "setting SLACK_SIGNING_SECRET is missing: HTTP mode needs it to verify requests"
            )
        return "http"
    if _secret(settings.slack_app_token):
        if not bot_token:
            raise SettingsError(
                "setting SLACK_BOT_TOKEN is missing: Socket Mode needs the bot token too"
            )
        return "socket"
    if bot_token:
        raise SettingsError(
            "setting SLACK_APP_TOKEN is missing: set it for Socket Mode, or run `serve --http`"
        )
    return "console"


def _load_index(settings: Settings) -> CorpusIndex:
    """The console's index: the last good one (or a broken one) while a file is refused."""
    from bot.cli.app import answering_index

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return answering_index(Path(settings.content_dir), allow_broken=True)


def open_store(settings: Settings) -> Store:
    from bot.store import Store

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.effective_database_url)
    store.migrate()
    return store


def run_console(index: CorpusIndex, lines: TextIO, out: TextIO) -> int:
    """Say each line to the conversation, as in Slack; the last answer's topic carries over,
    as in a thread. The console has no channel, so a digest request says where digests go."""
    from rich.console import Console

    from bot.conversation import AnswerReply, Context, local_ports, reply
    from bot.render import print_answer
    from bot.render.conversation_text import reply_terminal

    # Piped output keeps each point on one line (no hard wrap at 80 columns) for grep and tools.
    console = Console(file=out, highlight=False, soft_wrap=not out.isatty())
    interactive = lines.isatty()
    ports = local_ports(index)
    topic: str | None = None
    answered = 0
    while True:
        if interactive:
            out.write("briefbot> ")
            out.flush()
        raw = lines.readline()
        if not raw:
            break
        question = raw.strip()
        if not question:
            continue
        context = Context(
            surface="console",
            channel=None,
            user="console",
            now=datetime.now(UTC),
            thread_topic=topic,
        )
        got = reply(question, context, ports)
        if answered and not interactive:
            console.print()
        if isinstance(got, AnswerReply):
            print_answer(got.answer, console)
            topic = got.answer.topic or topic
        else:
            console.print(reply_terminal(got), markup=False)
        if interactive:
            console.print()
        answered += 1
    return answered


def _start_scheduler(
    store: Store, corpus: CorpusProvider, client: WebClient, settings: Settings
) -> None:
    """The digest scheduler runs inside serve; the database decides which replica sends."""
    from bot.delivery import web_api_send
    from bot.delivery.scheduler import build_scheduler

    # WebClient's keyword-only chat_postMessage does not match delivery's **kwargs Protocol.
    build_scheduler(
        store,
        corpus,
        web_api_send(cast(Any, client)),
        every=timedelta(seconds=settings.scheduler_interval_seconds),
        lease=timedelta(seconds=settings.digest_lease_seconds),
    ).start()


def readiness(store: Store, corpus: Callable[[], CorpusIndex]) -> Callable[[], dict[str, Any]]:
    """GET /readyz: ready while the database answers and a corpus is loaded."""

    def ready() -> dict[str, Any]:
        report: dict[str, Any] = {"ok": True, "database": "ok"}
        try:
            store.ping()
        except Exception as exc:  # reported, never raised: the probe must get an answer
            report.update(ok=False, database=f"unreachable ({type(exc).__name__})")
        try:
            index = corpus()
            report.update(corpus_version=index.version, sources=len(index.sources))
        except Exception as exc:
            report.update(ok=False, corpus=f"not loaded ({type(exc).__name__})")
        return report

    return ready


def run_slack(settings: Settings, mode: Mode, *, host: str, port: int) -> None:
    from bot.config import redacted_url
    from bot.corpus_sync import ContentWatcher, CorpusProvider, StoreCorpusSource, starting_index
    from bot.ingest import load_or_last_good
    from bot.ingest.reader import content_fingerprint
    from bot.slack.app import SURFACES, build_app
    from bot.slack.deps import SlackDeps
    from bot.slack.event_inbox import EventInbox
    from bot.slack.http import HttpServer

    logger.info("mode: %s", "HTTP (events at /slack/events)" if mode == "http" else "Socket Mode")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    content_dir, data_dir = Path(settings.content_dir), Path(settings.data_dir)
    store = open_store(settings)  # first: a bad DATABASE_URL fails before the corpus loads
    logger.info("database: %s (%s, migrated)", redacted_url(store.url), store.dialect)
    fingerprint = content_fingerprint(content_dir)
    load = load_or_last_good(content_dir, data_dir)
    # Scale (issue 6): answer from the corpus version shared through the database, publish
    # this one if the cluster has never seen it; keep every event from before its ack.
    # A refused file never stops a replica: it answers from the last good corpus, or says
    # its content is broken, and picks up a fixed file without a restart.
    shared = StoreCorpusSource(store)
    corpus = CorpusProvider(starting_index(load, shared, lambda: datetime.now(UTC)), shared)
    watcher = ContentWatcher(
        corpus,
        content_dir,
        data_dir,
        shared,
        problem=str(load.error) if load.error is not None else None,
        fingerprint=fingerprint,
    ).start(every=settings.content_check_seconds)
    # The retrieval index from the data dir (built and stored once per corpus version), so the
    # first question does not pay for building it.
    from bot.cli.app import with_stored_retrieval

    with_stored_retrieval(corpus(), data_dir)
    current = corpus().corpus
    logger.info(
        "corpus: %s (%d reports, %d sections, %d topics, %d flags)",
        current.version[:12],
        len(current.sources),
        len(current.sections),
        len(current.topics),
        len(current.flags),
    )
    inbox = EventInbox.with_lease(
        store,
        timedelta(seconds=settings.event_lease_seconds),
        retention=timedelta(hours=settings.event_retention_hours),
    )
    deps = SlackDeps(corpus=corpus, store=store, settings=settings)
    bolt = build_app(deps, inbox=inbox)
    inbox.start_recovery(deps, bolt.client, SURFACES)
    _start_scheduler(store, corpus, bolt.client, settings)
    logger.info("scheduler: due digests checked every %d s", settings.scheduler_interval_seconds)
    if mode == "http":
        server = HttpServer(
            bolt,
            lambda: {"ok": True, "corpus_version": corpus().version, **watcher.health()},
            signing_secret=_secret(settings.slack_signing_secret),
            max_body_bytes=settings.max_request_bytes,
            host=host,
            port=port,
            ready=readiness(store, corpus),
        )
        # SIGTERM (docker stop, Kubernetes) finishes the loop instead of killing mid-request.
        signal.signal(signal.SIGTERM, lambda _sig, _frame: server.stop_soon())
        server.run()
    else:
        from bot.slack.socket_mode import run_socket_mode

        run_socket_mode(bolt, _secret(settings.slack_app_token))


@app.command()
def serve(
    http: Annotated[
        bool, typer.Option("--http", help="HTTP mode (events at /slack/events).")
    ] = False,
    port: Annotated[int | None, typer.Option("--port", help="HTTP port (default: PORT).")] = None,
    host: Annotated[str, typer.Option("--host", help="HTTP bind address.")] = "0.0.0.0",
) -> None:
    """Run the bot: Socket Mode with SLACK_APP_TOKEN, HTTP mode with --http, else a console."""
    from bot.config import load_settings
    from bot.ops.logs import configure_logging

    try:
        settings = load_settings()
        configure_logging(settings.log_format)
        mode = choose_mode(settings, http=http)
        if mode == "console":
            print(CONNECT_HINT, file=sys.stderr)
            run_console(_load_index(settings), sys.stdin, sys.stdout)
            return
        run_slack(settings, mode, host=host, port=port if port is not None else settings.port)
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@app.command()
def feedback(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
) -> None:
    """List the 👍/👎 feedback people gave on answers (to improve the taxonomy)."""
    from bot.config import load_settings

    try:
        rows = open_store(load_settings()).list_feedback()
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        print("No feedback yet.")
        return
    for r in rows:
        vote = "👍" if r.vote > 0 else "👎"
        when = r.created_at.strftime("%Y-%m-%d %H:%M")
        print(f"{when} {vote} topic={r.topic or '-'} user={r.user} channel={r.channel}")
        print(f"    Q: {r.question}")
