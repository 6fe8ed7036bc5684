"""CLI commands: serve (Slack in Socket Mode or HTTP mode, or a local console) and feedback."""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from bot.cli.app import app, runtime

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex
    from bot.runtime import Runtime
    from bot.runtime.runtime import ServeMode

logger = logging.getLogger(__name__)

CONNECT_HINT = (
    "briefbot: no Slack tokens set, so this is the local console (one question per line). "
    "To connect Slack, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or "
    "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `briefbot serve --http`."
)


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


def run_slack(rt: Runtime, mode: ServeMode, *, host: str, port: int) -> None:
    from bot.corpus_sync import ContentWatcher
    from bot.ops.readiness import readiness
    from bot.runtime.settings import redacted_url, secret_text
    from bot.slack.app import SURFACES
    from bot.slack.http import HttpServer

    settings = rt.settings
    logger.info("mode: %s", "HTTP (events at /slack/events)" if mode == "http" else "Socket Mode")
    store = rt.store  # first: a bad DATABASE_URL fails before the corpus loads
    logger.info("database: %s (%s, migrated)", redacted_url(store.url), store.dialect)
    corpus = rt.corpus
    watcher: ContentWatcher = rt.content_watcher.start(every=settings.content_check_seconds)
    rt.load_stored_retrieval()
    current = corpus().corpus
    logger.info(
        "corpus: %s (%d reports, %d sections, %d topics, %d flags)",
        current.version[:12],
        len(current.sources),
        len(current.sections),
        len(current.topics),
        len(current.flags),
    )
    bolt = rt.slack_app
    rt.event_inbox.start_recovery(rt.slack_deps, bolt.client, SURFACES)
    rt.digest_scheduler().start()
    logger.info("scheduler: due digests checked every %d s", settings.scheduler_interval_seconds)
    if mode == "http":
        server = HttpServer(
            bolt,
            lambda: {"ok": True, "corpus_version": corpus().version, **watcher.health()},
            signing_secret=secret_text(settings.slack_signing_secret),
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

        run_socket_mode(bolt, secret_text(settings.slack_app_token))


@app.command()
def serve(
    http: Annotated[
        bool, typer.Option("--http", help="HTTP mode (events at /slack/events).")
    ] = False,
    port: Annotated[int | None, typer.Option("--port", help="HTTP port (default: PORT).")] = None,
    host: Annotated[str, typer.Option("--host", help="HTTP bind address.")] = "0.0.0.0",
) -> None:
    """Run the bot: Socket Mode with SLACK_APP_TOKEN, HTTP mode with --http, else a console."""
    from bot.cli.app import answering_index

    # A server's log is its output: its start-up lines and every event are INFO.
    logging.getLogger().setLevel(logging.INFO)
    rt = runtime()
    settings = rt.settings
    mode = rt.serve_mode(http=http)
    try:
        if mode == "console":
            print(CONNECT_HINT, file=sys.stderr)
            rt.data_dir  # noqa: B018  (created for the corpus cache)
            run_console(answering_index(allow_broken=True), sys.stdin, sys.stdout)
            return
        run_slack(rt, mode, host=host, port=port if port is not None else settings.port)
    except KeyboardInterrupt:  # Ctrl-C stops a server; it is not an error
        raise typer.Exit(0) from None


@app.command()
def feedback(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
) -> None:
    """List the 👍/👎 feedback people gave on answers (to improve the taxonomy)."""
    rows = runtime().store.list_feedback()
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
