"""run_due: every digest once, on time in its zone, retried without double posts, or missed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.corpus import CorpusIndex
from bot.delivery import run_due, terminal_send, web_api_send
from bot.store import Store
from tests.digests.sample import RecordingSend, long_corpus, no_sleep
from tests.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]
# Monday 27 Oct 2025, 09:00 in Berlin (summer time ended the day before) = 08:00Z.
SLOT = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
BEFORE = SLOT - timedelta(days=14)


def _subscribe(store: Store, channel: str = "C1", **kw: object) -> None:
    """Subscribe as of two weeks before the slot (created_at is 'now' in the store)."""
    store.subscribe(channel, "mon", "09:00", "Europe/Berlin", **kw)  # type: ignore[arg-type]


def _run(store: Store, index: CorpusIndex, at: datetime, send: RecordingSend, **kw: object):  # type: ignore[no-untyped-def]
    return run_due(at, store, index, send, sleep=no_sleep, pace=0, **kw)  # type: ignore[arg-type]


@pytest.fixture
def backdated(sqlite_store: Store) -> Store:
    """Subscriptions created long ago, so this week's slot counts."""
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    _subscribe(sqlite_store)
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=BEFORE))
    return sqlite_store


def test_due_digest_is_sent_once_and_reruns_send_nothing(
    backdated: Store, index: CorpusIndex
) -> None:
    send = RecordingSend()
    report = _run(backdated, index, SLOT + timedelta(seconds=30), send)
    assert report.sent == 1 and len(send.posts) >= 1
    assert send.posts[0].channel == "C1" and send.posts[0].thread_ts is None
    assert all(p.thread_ts == "1001.000100" for p in send.posts[1:])
    again = _run(backdated, index, SLOT + timedelta(minutes=1), send)
    assert again.outcomes == () and len(send.posts) == report.outcomes[0].attempts
    (d,) = backdated.deliveries("C1")
    assert (d.status, d.period_key, d.scheduled_for) == ("sent", "2025-W44", SLOT)
    assert backdated.latest_digest() is not None


def test_not_due_before_the_local_time(backdated: Store, index: CorpusIndex) -> None:
    # 07:30Z is 08:30 in Berlin; last week's slot is long past grace and recorded as missed.
    report = _run(backdated, index, SLOT - timedelta(minutes=30), RecordingSend())
    assert [o.period_key for o in report.outcomes] == ["2025-W43"]
    assert report.outcomes[0].status == "missed" and report.sent == 0


def test_subscribing_after_the_slot_waits_for_next_week(
    sqlite_store: Store, index: CorpusIndex
) -> None:
    _subscribe(sqlite_store)  # created now (real clock, after SLOT)
    later = datetime.now(UTC) + timedelta(minutes=1)
    report = _run(sqlite_store, index, later, RecordingSend())
    assert report.outcomes == () and sqlite_store.deliveries() == []


def test_back_within_grace_posts_once(backdated: Store, index: CorpusIndex) -> None:
    send = RecordingSend()
    report = _run(backdated, index, SLOT + timedelta(hours=11), send)
    assert report.sent == 1


def test_back_after_grace_records_missed(backdated: Store, index: CorpusIndex) -> None:
    send = RecordingSend()
    report = _run(backdated, index, SLOT + timedelta(hours=13), send)
    assert report.missed == 1 and send.posts == []
    assert backdated.deliveries("C1")[0].status == "missed"


def test_failed_send_is_retried_with_backoff_and_recorded(
    backdated: Store, index: CorpusIndex
) -> None:
    waits: list[float] = []
    send = RecordingSend(fail_first=2)
    report = run_due(SLOT, backdated, index, send, sleep=waits.append, pace=0, backoff=0.5)
    assert report.sent == 1
    assert waits == [0.5, 1.0]
    d = backdated.deliveries("C1")[0]
    assert d.status == "sent" and d.attempts == 3 + len(send.posts) - 1


def test_long_digest_resumes_in_its_thread(backdated: Store) -> None:
    """Part 2 keeps failing: the next run resumes at part 2, in part 1's thread, no repost."""
    index = CorpusIndex(long_corpus())
    send = RecordingSend(fail_parts=frozenset({2}))
    first = _run(backdated, index, SLOT, send)
    d = backdated.deliveries("C1")[0]
    assert first.outcomes[0].status == "retry"
    assert (d.status, d.messages_sent, d.attempts) == ("retry", 1, 4)
    assert "ConnectionError" in (d.error or "")
    assert _run(backdated, index, SLOT + timedelta(minutes=2), send).outcomes == ()  # too early
    send.fail_parts = frozenset()
    second = _run(backdated, index, SLOT + timedelta(minutes=11), send)
    assert second.sent == 1
    parts = [p.part for p in send.posts]
    assert parts == list(range(1, parts[-1] + 1)) and parts[-1] >= 2
    assert {p.thread_ts for p in send.posts[1:]} == {"1001.000100"}


def test_retries_stop_at_the_grace_and_record_failed(backdated: Store, index: CorpusIndex) -> None:
    send = RecordingSend(fail_first=100)
    report = _run(backdated, index, SLOT + timedelta(hours=11, minutes=55), send)
    assert report.outcomes[0].status == "failed"
    d = backdated.deliveries("C1")[0]
    assert d.status == "failed" and d.attempts == 3 and d.error
    assert _run(backdated, index, SLOT + timedelta(hours=12), send).outcomes == ()


def test_next_digest_covers_what_came_after_the_last(backdated: Store, index: CorpusIndex) -> None:
    send = RecordingSend()
    _run(backdated, index, SLOT, send)
    first = json.loads(backdated.deliveries("C1")[0].digest_json or "{}")
    assert first["report_count"] == 1  # the newest material
    _run(backdated, index, SLOT + timedelta(days=7), send)
    second = backdated.deliveries("C1")[1]
    assert second.covered_since == SLOT
    assert json.loads(second.digest_json or "{}")["items"] == []  # nothing new: a short note


def test_pace_between_parts_of_one_channel(backdated: Store, index: CorpusIndex) -> None:
    waits: list[float] = []
    run_due(SLOT, backdated, index, RecordingSend(), sleep=waits.append, pace=1.0)
    d = backdated.deliveries("C1")[0]
    assert waits == [1.0] * (d.messages_sent - 1)


def test_terminal_sender_prints_the_digest(backdated: Store, index: CorpusIndex) -> None:
    out: list[str] = []
    report = run_due(SLOT, backdated, index, terminal_send(out.append), sleep=no_sleep)
    assert report.sent == 1 and "AI trends digest" in out[0] and "C1" in out[0]


def test_posts_through_the_web_api_with_429_waited_out(
    backdated: Store, index: CorpusIndex
) -> None:
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    with SlackStandIn() as slack:
        slack.fail_next("chat.postMessage", 1, status=429, retry_after=1)
        client = WebClient(
            token="xoxb-test",
            base_url=slack.url,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
        )
        report = run_due(SLOT, backdated, index, web_api_send(client), pace=0.05)
        posts = slack.calls_to("chat.postMessage")
        shares = len(slack.shared_files())  # the coverage PNG (with the charts extra)
    assert report.sent == 1
    assert posts[0].args["channel"] == "C1" and "thread_ts" not in posts[0].args
    assert len(posts[0].json_arg("blocks")) <= 50
    d = backdated.deliveries("C1")[0]
    assert d.status == "sent" and d.messages_sent == len(posts) + shares


def _race(db_url: str, processes: int, channels: int) -> list[dict[str, int]]:
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    store = Store(db_url)
    store.migrate()
    for i in range(channels):
        _subscribe(store, f"C{i:03d}")
    with store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=BEFORE))
    with SlackStandIn() as slack:
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "tests/digests/race_worker.py"),
                    db_url,
                    slack.url,
                    (SLOT + timedelta(minutes=1)).isoformat(),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        results = [json.loads(p.communicate(timeout=90)[0]) for p in procs]
        assert all(p.returncode == 0 for p in procs)
        posts = slack.calls_to("chat.postMessage")
        shared = [f.channel for f in slack.shared_files()]  # coverage PNGs (charts extra)
    tops = [p.args["channel"] for p in posts if not p.args.get("thread_ts")]
    assert sorted(tops) == [f"C{i:03d}" for i in range(channels)]  # one top post per channel
    assert len(shared) == len(set(shared))  # at most one PNG per channel
    per_channel = {d.channel: d.messages_sent for d in store.deliveries()}
    assert len(posts) + len(shared) == sum(per_channel.values())  # and no thread part twice
    assert {d.status for d in store.deliveries()} == {"sent"}
    store.close()
    return results


def test_processes_racing_send_each_digest_once(db_url: str) -> None:
    results = _race(db_url, processes=4, channels=12)
    assert sum(r["sent"] for r in results) == 12
    assert sum(r["failed"] + r["missed"] for r in results) == 0


def _backdate(store: Store, to: datetime = BEFORE) -> None:
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    with store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=to))


@pytest.mark.parametrize(
    ("zone", "utc_slot"),
    [
        # Sunday 30 Mar 2025, 02:30 Berlin does not exist: sent at 03:30 CEST = 01:30Z.
        ("Europe/Berlin", datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
        # Sunday 9 Mar 2025, 02:30 New York does not exist: sent at 03:30 EDT = 07:30Z.
        ("America/New_York", datetime(2025, 3, 9, 7, 30, tzinfo=UTC)),
    ],
)
def test_slot_in_a_spring_forward_gap_is_sent_once_just_after_it(
    sqlite_store: Store, index: CorpusIndex, zone: str, utc_slot: datetime
) -> None:
    sqlite_store.subscribe("CGAP", "sun", "02:30", zone)
    _backdate(sqlite_store, utc_slot - timedelta(days=3))  # after the week before's slot
    send = RecordingSend()
    assert _run(sqlite_store, index, utc_slot - timedelta(minutes=1), send).due == 0
    report = _run(sqlite_store, index, utc_slot + timedelta(seconds=5), send)
    assert report.sent == 1
    for minutes in (1, 30, 60, 90):  # the hour after the gap: nothing more
        assert _run(sqlite_store, index, utc_slot + timedelta(minutes=minutes), send).due == 0
    (d,) = sqlite_store.deliveries("CGAP")
    assert d.scheduled_for == utc_slot and d.status == "sent"


@pytest.mark.parametrize(
    "bad_zone", ["localtime", "right/UTC", "Europe", "Mars/Base", "x" * 10_000]
)
def test_subscription_with_an_unloadable_zone_is_skipped_and_the_others_are_sent(
    sqlite_store: Store, index: CorpusIndex, bad_zone: str, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy import update

    from bot.ops.metrics import SUBSCRIPTIONS_SKIPPED
    from bot.store.tables import SubscriptionRow

    _subscribe(sqlite_store, "CGOOD1")
    _subscribe(sqlite_store, "CBAD")
    _subscribe(sqlite_store, "CGOOD2")
    with sqlite_store.engine.begin() as conn:  # written by hand, or before zones were checked
        conn.execute(
            update(SubscriptionRow).where(SubscriptionRow.channel == "CBAD").values(tz=bad_zone)
        )
    _backdate(sqlite_store)
    skipped = SUBSCRIPTIONS_SKIPPED.labels(reason="time_zone")
    before = skipped._value.get()
    send = RecordingSend()
    report = _run(sqlite_store, index, SLOT + timedelta(seconds=30), send)
    assert report.sent == 2 and {p.channel for p in send.posts} == {"CGOOD1", "CGOOD2"}
    assert skipped._value.get() == before + 1
    assert any("channel=CBAD" in r.getMessage() for r in caplog.records)
