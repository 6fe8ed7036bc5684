"""Database blips while mentions are answered: every acknowledged mention gets one answer."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from slack_harness import BOT_TOKEN, SIGNING_SECRET, BotHarness, Reply, new_ts
from slack_standin import SlackStandIn
from sqlalchemy import create_engine, text

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider
from bot.models import Corpus
from bot.runtime import slack_deps
from bot.runtime.settings import load_settings
from bot.slack.app import SURFACES, build_app
from bot.slack.event_inbox import EventInbox
from bot.slack.http import HttpServer
from bot.store import Store
from tests.store.databases import postgres_schema_url, postgres_url

MENTIONS = 120
SENDERS = 8
KILL_EVERY = 0.5  # seconds between pg_terminate_backend rounds
QUESTIONS = ("what's new in agents", "topics", "any conflicts on regulation?")


def _terminate_loop(app_name: str, stop: threading.Event, kills: list[int]) -> None:
    """Terminate every connection the bot has open, every KILL_EVERY seconds."""
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    try:
        while not stop.wait(KILL_EVERY):
            with admin.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = :app AND pid <> pg_backend_pid()"
                    ),
                    {"app": app_name},
                ).scalar()
            kills.append(int(killed or 0))
    finally:
        admin.dispose()


def _until_acknowledged(bot: BotHarness, channel: str, ts: str, event_id: str) -> Reply:
    """Slack's part: redeliver (same event_id, X-Slack-Retry-Num) until it gets a 200."""
    reply = bot.mention(
        QUESTIONS[int(ts[-3:]) % len(QUESTIONS)], channel=channel, ts=ts, event_id=event_id
    )
    for retry in range(1, 30):
        if reply.status == 200:
            return reply
        time.sleep(0.2)
        reply = bot.mention("again", channel=channel, ts=ts, event_id=event_id, retry=retry)
    return reply


def test_mentions_answered_exactly_once_while_database_connections_are_killed(
    tmp_path: Path, corpus: Corpus
) -> None:
    app_name = f"bbblips_{uuid.uuid4().hex[:8]}"
    with postgres_schema_url() as base_url, SlackStandIn() as slack:
        url = f"{base_url}&application_name={app_name}"
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
        deps = slack_deps(settings, CorpusProvider(CorpusIndex(corpus)), store)
        # The shipped lease (10 s); recovery looks often so the test does not wait long.
        inbox = EventInbox(store, recover_every=0.5)
        app = build_app(deps, inbox=inbox)
        inbox.start_recovery(deps, app.client, SURFACES)
        server = HttpServer(
            app, lambda: {"ok": True}, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=0
        ).start()
        bot = BotHarness(slack=slack, store=store, server=server, deps=deps)
        stop, kills = threading.Event(), list[int]()
        killer = threading.Thread(target=_terminate_loop, args=(app_name, stop, kills))
        killer.start()
        try:
            mentions = [(f"CBLIP{n % 10:02d}", new_ts(), f"EvBlip{n:05d}") for n in range(MENTIONS)]
            with ThreadPoolExecutor(SENDERS) as pool:
                replies = list(pool.map(lambda m: _until_acknowledged(bot, *m), mentions))
            assert all(r.status == 200 for r in replies), Counter(r.status for r in replies)

            threads = {(ch, ts) for ch, ts, _ in mentions}

            def answered() -> Counter[tuple[str, str]]:
                return Counter(
                    (str(c.args["channel"]), str(c.args.get("thread_ts")))
                    for c in slack.calls_to("chat.postMessage")
                    if c.args.get("metadata")
                )

            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and set(answered()) < threads:
                time.sleep(0.5)
            stop.set()
            killer.join()
            deadline = time.monotonic() + 30  # let recovery finish the last pending ones
            while time.monotonic() < deadline:
                try:
                    if store.pending_event_count() == 0:
                        break
                except Exception:  # noqa: BLE001  (a connection killed in the last round)
                    pass
                time.sleep(0.5)
            time.sleep(1.0)  # a late duplicate would show up now
        finally:
            stop.set()
            killer.join()
            inbox.stop()
            server.stop()

        answers = answered()
        apologies = [
            c
            for c in slack.calls_to("chat.postMessage")
            if str(c.args.get("text", "")).startswith("Sorry, something went wrong")
        ]
        assert sum(kills) > 0, "the killer never found a connection to terminate"
        assert set(answers) == threads, f"{len(threads - set(answers))} mentions never answered"
        twice = {k: n for k, n in answers.items() if n > 1}
        assert not twice, f"{len(twice)} mentions answered more than once"
        assert apologies == [], f"{len(apologies)} apologies, e.g. {apologies[0].args}"
        assert store.pending_event_count() == 0
        print(f"terminated {sum(kills)} connections in {len(kills)} rounds")
        store.close()
