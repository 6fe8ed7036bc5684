"""Three replicas behind nginx on one PostgreSQL: a replica dies mid-flood and nothing is lost."""

from __future__ import annotations

import functools
import json
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import Store
from tests.scale import cluster as c
from tests.slack_standin import RecordedCall, SlackStandIn
from tests.store.databases import postgres_schema_url

MENTIONS = 1000
SENDERS = 24
RETRY_SHARE = 0.08  # Slack-style retries (same event_id) sent straight to another replica
KILL_AFTER = 400  # deliveries before one replica is SIGKILLed
DIGEST_CHANNELS = 12
# Short digest lease and tick, so the dead replica's digests are taken over within the test.
DIGEST_LEASE_SECONDS = 4
SCHEDULER_INTERVAL_SECONDS = 2
RECOVERY_BUDGET = 15.0  # seconds from the SIGKILL to the victim's last event answered
HOLDER_TIMEOUT = 30.0  # seconds to wait for a replica to be seen mid-digest
QUESTIONS = (
    "what's new in multimodal",
    "any conflicts on quantum computing?",
    "who says what about regulation",
    "topics",
    "what's new in agents",
    "brief me on neuromorphic chips",
)

pytestmark = pytest.mark.skipif(c.nginx_binary() is None, reason=c.NGINX_MISSING)


def _subscribe_due(store: Store, now: datetime) -> list[str]:
    """Subscriptions whose slot was ten minutes ago and which existed well before it."""
    slot = now - timedelta(minutes=10)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[slot.weekday()]
    channels = [f"CDIGEST{i:03d}" for i in range(DIGEST_CHANNELS)]
    for ch in channels:
        store.subscribe(ch, day, slot.strftime("%H:%M"), "UTC", (), user="U0OPERATOR")
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE subscriptions SET created_at = :t"), {"t": now - timedelta(days=8)}
        )
    return channels


def _answers(slack: SlackStandIn) -> Counter[tuple[str, str]]:
    """Answers to mentions: threaded posts in the mention channels, by (channel, thread)."""
    return Counter(
        (str(call.args["channel"]), str(call.args["thread_ts"]))
        for call in slack.calls_to("chat.postMessage")
        if str(call.args.get("channel", "")).startswith("CMENTION") and call.args.get("thread_ts")
    )


def _digest_posts(slack: SlackStandIn) -> list[RecordedCall]:
    return [
        call
        for call in slack.calls_to("chat.postMessage")
        if str(call.args.get("channel", "")).startswith("CDIGEST")
    ]


def _poster(call: RecordedCall) -> str:
    """The bot token a Web API call was made with (each replica has its own)."""
    return call.headers.get("authorization", "").removeprefix("Bearer ")


def _replica_mid_digest(
    store: Store, slack: SlackStandIn, replicas: list[c.Replica]
) -> tuple[c.Replica, list[str]] | None:
    """A live replica holding a digest claim it has started posting, and those channels."""
    with store.engine.connect() as conn:
        claimed = {
            str(ch)
            for (ch,) in conn.execute(
                text("SELECT channel FROM deliveries WHERE status = 'claimed'")
            ).all()
        }
    if not claimed:
        return None
    by_token = {r.token: r for r in replicas if r.alive}
    holding: dict[str, list[str]] = {}
    for call in _digest_posts(slack):
        channel = str(call.args["channel"])
        if channel in claimed and _poster(call) in by_token:
            holding.setdefault(_poster(call), []).append(channel)
    if not holding:
        return None
    token, channels = max(holding.items(), key=lambda kv: len(set(kv[1])))
    return by_token[token], sorted(set(channels))


def _deliveries(store: Store) -> dict[str, tuple[str, int]]:
    """Digest deliveries by channel: (status, messages_sent)."""
    with store.engine.connect() as conn:
        return {
            str(ch): (str(status), int(sent))
            for ch, status, sent in conn.execute(
                text("SELECT channel, status, messages_sent FROM deliveries")
            ).all()
        }


def _digest_heads(slack: SlackStandIn) -> Counter[str]:
    """First message of each digest: a top-level post in a subscribed channel."""
    return Counter(
        str(call.args["channel"])
        for call in slack.calls_to("chat.postMessage")
        if str(call.args.get("channel", "")).startswith("CDIGEST")
        and not call.args.get("thread_ts")
    )


def _post_retry(
    deliverer: c.Deliverer, port: int, retry_num: int, body: dict[str, object]
) -> c.Delivery:
    return deliverer.post(port, body, retry_num=retry_num)


NEW_REPORT = """# Report: Field Notes on Edge Inference, Late 2025

## 1. Edge inference moves onto phones
Published 2025-12-01. Small multimodal models now run on phone NPUs at interactive speed; vendors
report up to 3x lower energy per token than a year ago, and offline assistants ship by default.
"""


def _ingest_new_report(tmp_path: Path, database_url: str) -> str:
    """`briefbot ingest` on a copy of content/ with one more report, DATABASE_URL shared."""
    content = tmp_path / "content-v2"
    shutil.copytree(c.ROOT / "content", content)
    (content / "sources" / "999_scale_test_edge_notes.md").write_text(NEW_REPORT, encoding="utf-8")
    env = c.replica_env(
        database_url=database_url, slack_api_url="http://127.0.0.1:9/api/", data_dir=tmp_path
    )
    env.update(BRIEFBOT_CONTENT_DIR=str(content), BRIEFBOT_DATA_DIR=str(tmp_path / "ingest-data"))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest"],
        env=env,
        cwd=c.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    store = Store(database_url)
    try:
        version = store.current_corpus_version()
    finally:
        store.close()
    assert version is not None
    return version


def _corpus_version(port: int) -> str:
    status, _, body = c.get(port, "/healthz")
    return str(json.loads(body)["corpus_version"]) if status == 200 else ""


def test_replica_killed_mid_flood_loses_nothing_and_answers_once(tmp_path: Path) -> None:
    rng = random.Random(6)
    with postgres_schema_url() as url, SlackStandIn() as slack:
        setup = Store(url)
        setup.migrate()
        digest_channels: list[str] = []

        mentions = [
            c.mention_body(
                n,
                channel=f"CMENTION{n % 40:02d}",
                text=QUESTIONS[n % len(QUESTIONS)],
                ts=f"1710000000.{n:06d}",
            )
            for n in range(MENTIONS)
        ]
        with c.cluster(
            3,
            database_url=url,
            slack_api_url=slack.url,
            workdir=tmp_path,
            # Events: the shipped lease (crash recovery in seconds is the default). Digests: a
            # short lease so the dead replica's digests are taken over within the test.
            extra_env={
                "BRIEFBOT_DIGEST_LEASE_SECONDS": str(DIGEST_LEASE_SECONDS),
                "BRIEFBOT_SCHEDULER_INTERVAL_SECONDS": str(SCHEDULER_INTERVAL_SECONDS),
            },
        ) as (
            lb,
            replicas,
        ):
            by_port = {f"127.0.0.1:{r.port}": r for r in replicas}
            deliverer = c.Deliverer()
            sent = 0
            sent_lock = threading.Lock()
            killed_at: list[float] = []
            victims: list[c.Replica] = []
            held_at_kill: list[str] = []
            results: list[c.Delivery] = []

            def kill_a_digest_holder() -> None:
                """Make digests due now, and SIGKILL whichever replica is seen mid-digest:
                it has posted part of a digest whose claim it still holds."""
                digest_channels.extend(_subscribe_due(setup, datetime.now(UTC)))
                deadline = time.monotonic() + HOLDER_TIMEOUT
                while time.monotonic() < deadline:
                    found = _replica_mid_digest(setup, slack, replicas)
                    if found is not None:
                        victim, channels = found
                        victim.kill()
                        killed_at.append(time.monotonic())
                        victims.append(victim)
                        held_at_kill.extend(channels)
                        return
                    time.sleep(0.02)
                raise AssertionError(f"no replica seen mid-digest in {HOLDER_TIMEOUT}s")

            def deliver(body: dict[str, object]) -> list[c.Delivery]:
                nonlocal sent
                with sent_lock:
                    sent += 1
                    if sent == KILL_AFTER:
                        kill_a_digest_holder()
                first = deliverer.post(lb.port, body)
                out = [first]
                if first.acked and rng.random() < RETRY_SHARE:
                    # Slack did not see the ack in time and retries: to another replica.
                    others = [
                        r for r in replicas if r.alive and f"127.0.0.1:{r.port}" != first.upstream
                    ]
                    if others:
                        out.append(deliverer.post(rng.choice(others).port, body, retry_num=1))
                return out

            with ThreadPoolExecutor(SENDERS) as pool:
                for batch in pool.map(deliver, mentions):
                    results.extend(batch)

            # Slack retries whatever was not acknowledged (up to three times, here at once).
            by_id = {str(m["event_id"]): m for m in mentions}
            acked = {d.event_id for d in results if d.acked}
            for retry_num in (1, 2, 3):
                missing = [by_id[e] for e in by_id if e not in acked]
                if not missing:
                    break
                time.sleep(0.2)
                with ThreadPoolExecutor(SENDERS) as pool:
                    again = list(
                        pool.map(
                            functools.partial(_post_retry, deliverer, lb.port, retry_num), missing
                        )
                    )
                results.extend(again)
                acked |= {d.event_id for d in again if d.acked}
            deliverer.close()

            assert killed_at and victims and not victims[0].alive
            victim = victims[0]
            assert acked == set(by_id), f"never acknowledged: {sorted(set(by_id) - acked)[:5]}"
            upstreams = Counter(by_port[d.upstream].name for d in results if d.upstream in by_port)
            assert len(upstreams) == 3, f"nginx did not spread the load: {upstreams}"

            # Every mention answered (wait for stragglers, then make sure no late duplicate).
            expected = {
                (str(m["event"]["channel"]), str(m["event"]["ts"]))  # type: ignore[index]
                for m in mentions
            }
            deadline = time.monotonic() + 45
            while time.monotonic() < deadline:
                if set(_answers(slack)) >= expected and {
                    status for status, _ in _deliveries(setup).values()
                } == {"sent"}:
                    break
                time.sleep(0.25)
            time.sleep(1.5)
            answers = _answers(slack)
            lost = expected - set(answers)
            twice = {k: n for k, n in answers.items() if n > 1}
            assert not lost, (
                f"{len(lost)} acknowledged mentions never answered, e.g. {sorted(lost)[:3]}"
            )
            assert not twice, f"{len(twice)} mentions answered more than once: {list(twice)[:3]}"
            assert set(answers) == expected
            # The victim's acknowledged mentions reached a survivor within seconds of the kill.
            victim_threads = {
                (str(m["event"]["channel"]), str(m["event"]["ts"]))  # type: ignore[index]
                for m in mentions
                if any(
                    d.acked and d.upstream == f"127.0.0.1:{victim.port}"
                    for d in results
                    if d.event_id == str(m["event_id"])
                )
            }
            answered_at = {
                (str(call.args["channel"]), str(call.args["thread_ts"])): call.at
                for call in slack.calls_to("chat.postMessage")
                if call.args.get("thread_ts")
            }
            late = {
                k: answered_at[k] - killed_at[0]
                for k in victim_threads
                if answered_at[k] - killed_at[0] > RECOVERY_BUDGET
            }
            assert not late, f"{len(late)} of the victim's mentions answered >15 s after the kill"

            heads = _digest_heads(slack)
            assert set(heads) == set(digest_channels), "a due digest was not posted"
            assert all(n == 1 for n in heads.values()), f"a digest was posted twice: {heads}"
            # Every part of every digest exactly once (by the metadata naming delivery and part),
            # including those the victim was posting when it died, which others took over.
            deliveries = _deliveries(setup)
            assert set(deliveries) == set(digest_channels)
            assert {status for status, _ in deliveries.values()} == {"sent"}, deliveries
            digest_posts = _digest_posts(slack)
            parts = Counter(
                (str(p.args["channel"]), int(p.args["metadata"]["event_payload"]["part"]))
                for p in digest_posts
            )
            twice_parts = {k: n for k, n in parts.items() if n > 1}
            assert not twice_parts, f"digest parts posted more than once: {twice_parts}"
            # A digest with new reports also shares the coverage PNG (one more message sent),
            # at most once per digest even when its sender died around the upload.
            shares = Counter(f.channel for f in slack.shared_files())
            assert all(n == 1 for n in shares.values()), f"a PNG was shared twice: {shares}"
            for ch, (_, n_sent) in deliveries.items():
                n_parts = n_sent - shares[ch]
                assert n_parts >= 2 and {p for c_, p in parts if c_ == ch} == set(
                    range(1, n_parts + 1)
                ), f"{ch}: parts {sorted(p for c_, p in parts if c_ == ch)} of {n_parts}"
            posters: dict[str, set[str]] = {}
            for p in digest_posts:
                posters.setdefault(str(p.args["channel"]), set()).add(_poster(p))
            finished_by_others = sorted(ch for ch in held_at_kill if posters[ch] - {victim.token})
            assert held_at_kill and finished_by_others, (
                "the victim held digests mid-send when killed, yet nobody resumed them"
            )
            found_posted = sum(
                r.log().count("digest part already posted") for r in replicas if r is not victim
            )
            print(
                f"victim {victim.name} killed mid-digest in {held_at_kill}; "
                f"finished by others: {finished_by_others}; "
                f"parts found by metadata instead of reposted: {found_posted}; "
                f"coverage PNGs shared: {sum(shares.values())}"
            )

            # The inbox agrees: every stored event is done; the dead replica's were taken over.
            with setup.engine.connect() as conn:
                outcomes = dict(
                    conn.execute(
                        text(
                            "SELECT coalesce(outcome, 'pending'), count(*)"
                            " FROM event_inbox GROUP BY 1"
                        )
                    ).all()
                )
            assert "pending" not in outcomes, outcomes
            assert sum(outcomes.values()) == MENTIONS
            print(f"inbox outcomes: {outcomes}; deliveries per replica: {dict(upstreams)}")

            # A new report ingested once (anywhere) reaches every live replica, no restart.
            new_version = _ingest_new_report(tmp_path, url)
            live = [r for r in replicas if r.alive]
            deadline = time.monotonic() + 20
            versions: dict[str, str] = {}
            while time.monotonic() < deadline:
                versions = {r.name: _corpus_version(r.port) for r in live}
                if set(versions.values()) == {new_version}:
                    break
                time.sleep(0.5)
            assert set(versions.values()) == {new_version}, versions

            retried = sum(1 for d in results if d.retry_num)
            assert retried > 0
            ok_calls: list[RecordedCall] = slack.calls_to("chat.postMessage")
            assert len(ok_calls) >= MENTIONS + DIGEST_CHANNELS
        setup.close()
