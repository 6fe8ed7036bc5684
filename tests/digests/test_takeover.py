"""Taking over a dead sender's digest: parts it posted are found by metadata, not posted again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.corpus import CorpusIndex
from bot.delivery import METADATA_EVENT_TYPE, PostRequest, Send, run_due, web_api_send
from bot.store import Store
from tests.digests.sample import ManualClock, RecordingSend, long_corpus, no_sleep
from tests.slack_standin import RecordedCall, SlackStandIn

SLOT = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
LEASE = timedelta(minutes=15)


class Crash(BaseException):
    """What SIGKILL looks like to the code after it: nothing runs (not an Exception)."""


def _crash_after(send: Send, part: int) -> Send:
    """Posts for real, and the process 'dies' right after part `part` reached Slack."""

    def crashing(request: PostRequest) -> str:
        ts = send(request)
        if request.part == part:
            raise Crash(f"killed after part {part}")
        return ts

    return crashing


@pytest.fixture
def backdated(sqlite_store: Store) -> Store:
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    sqlite_store.subscribe("C1", "mon", "09:00", "Europe/Berlin")
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=SLOT - timedelta(days=14)))
    return sqlite_store


def _posts(slack: SlackStandIn) -> list[RecordedCall]:
    return slack.calls_to("chat.postMessage")


@pytest.mark.parametrize("crash_after", [1, 2])
def test_taken_over_delivery_does_not_repost_what_reached_slack(
    backdated: Store, crash_after: int
) -> None:
    index = CorpusIndex(long_corpus())
    with SlackStandIn() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url)
        with pytest.raises(Crash):
            run_due(
                SLOT,
                backdated,
                index,
                _crash_after(web_api_send(client), crash_after),
                pace=0,
                sleep=no_sleep,
            )
        (dead,) = backdated.deliveries("C1")
        # The post reached Slack but its progress was never recorded.
        assert (dead.status, dead.messages_sent) == ("claimed", crash_after - 1)
        assert len(_posts(slack)) == crash_after

        # Within the lease nobody touches it; after it, the next run takes over.
        assert run_due(SLOT + LEASE / 2, backdated, index, web_api_send(client)).outcomes == ()
        report = run_due(
            SLOT + LEASE + timedelta(minutes=1),
            backdated,
            index,
            web_api_send(client),
            pace=0,
            sleep=no_sleep,
        )
        posts = _posts(slack)
        looked = slack.calls_to("conversations.history") + slack.calls_to("conversations.replies")
        shares = len(slack.shared_files())  # the coverage PNG (with the charts extra)

    assert report.sent == 1
    (d,) = backdated.deliveries("C1")
    assert d.status == "sent" and d.messages_sent - shares >= 3
    heads = [p for p in posts if not p.args.get("thread_ts")]
    assert len(heads) == 1, "the digest head was posted twice"
    head_meta = heads[0].args["metadata"]
    assert head_meta["event_type"] == METADATA_EVENT_TYPE
    assert head_meta["event_payload"]["delivery_id"] == d.id
    parts = sorted(p.args["metadata"]["event_payload"]["part"] for p in posts)
    assert parts == list(range(1, d.messages_sent - shares + 1)), "a part posted twice or skipped"
    assert {p.args["thread_ts"] for p in posts if p.args.get("thread_ts")} == {d.thread_ts}
    # One lookup found the unrecorded part, one more found the next part missing.
    assert [c.method for c in looked] == (
        ["conversations.history", "conversations.replies"]
        if crash_after == 1
        else ["conversations.replies", "conversations.replies"]
    )
    assert all(str(c.args["include_all_metadata"]).lower() in ("1", "true") for c in looked)


def test_fresh_delivery_does_not_look_anything_up(backdated: Store) -> None:
    with SlackStandIn() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url)
        report = run_due(SLOT, backdated, CorpusIndex(long_corpus()), web_api_send(client), pace=0)
        methods = {c.method for c in slack.calls}
    uploads = {"files.getUploadURLExternal", "upload", "files.completeUploadExternal"}
    assert report.sent == 1 and methods - uploads == {"chat.postMessage"}


def test_sender_without_lookup_resumes_from_recorded_progress(backdated: Store) -> None:
    """A Send that cannot look (the terminal, a fake) resumes after the last recorded part."""
    index = CorpusIndex(long_corpus())
    first = RecordingSend()
    with pytest.raises(Crash):
        run_due(SLOT, backdated, index, _crash_after(first, 2), pace=0, sleep=no_sleep)
    assert backdated.deliveries("C1")[0].messages_sent == 1
    second = RecordingSend()
    report = run_due(SLOT + LEASE + timedelta(minutes=1), backdated, index, second, pace=0)
    assert report.sent == 1
    assert [p.part for p in second.posts][0] == 2  # part 2 again: nothing can tell it was sent


def test_live_sender_keeps_its_claim_past_the_lease(backdated: Store) -> None:
    """A digest that takes longer than the lease to post is not taken over while it is sent:
    each part renews the claim right before it is posted."""
    index = CorpusIndex(long_corpus())
    clock = ManualClock(SLOT)
    slow = RecordingSend()
    others: list[RecordingSend] = []
    attempts: list[int] = []

    def slow_send(request: PostRequest) -> str:
        clock.advance(LEASE * 0.6)  # each part takes more than half the lease
        if request.part == 3:  # well past the lease since the claim, mid-digest
            other = RecordingSend()
            others.append(other)
            attempts.append(len(run_due(clock(), backdated, index, other, pace=0).outcomes))
        return slow(request)

    run_due(SLOT, backdated, index, slow_send, pace=0, clock=clock, sleep=clock.sleep)
    assert attempts == [0] and others[0].posts == []
    (d,) = backdated.deliveries("C1")
    parts = slow.posts[0].parts
    assert parts >= 3 and d.status == "sent"
    assert [p.part for p in slow.posts] == list(range(1, parts + 1))


def test_background_renewal_keeps_a_claim_through_one_long_post(backdated: Store) -> None:
    """One post may outlast the lease (slack_sdk waiting out 429s): the keeper's background
    rounds renew the claim meanwhile, at the run's clock."""
    from bot.delivery import LeaseKeeper

    clock = ManualClock(SLOT)
    did = backdated.claim_delivery(1, "2025-W44", channel="C1", now=SLOT, token="run-a")
    assert did is not None
    keeper = LeaseKeeper(backdated, clock, LEASE, "run-a", [did])
    for _ in range(4):  # an hour in all, a quarter at a time
        clock.advance(LEASE)
        assert keeper.renew_once() == {did}
        stale = backdated.resumable_deliveries(now=clock(), stale_before=clock() - LEASE / 2)
        assert stale == []
    assert backdated.delivery(did).claimed_at == clock()  # type: ignore[union-attr]


def test_stalled_sender_that_lost_its_claim_stops_sending(backdated: Store) -> None:
    """A run taken over while stalled (GC pause, hung socket) stops instead of sending beside
    the run that took the delivery over: only the claimer's token renews a claim."""
    index = CorpusIndex(long_corpus())
    clock = ManualClock(SLOT)
    stalled = RecordingSend()

    def stalling_send(request: PostRequest) -> str:
        ts = stalled(request)
        if request.part == 1:
            clock.advance(LEASE * 2)  # stuck in part 1 for two leases
            (d,) = backdated.deliveries("C1")
            # Another run takes the delivery over meanwhile.
            assert backdated.reclaim_delivery(
                d.id, now=clock(), stale_before=clock() - LEASE, token="other-run"
            )
        return ts

    report = run_due(SLOT, backdated, index, stalling_send, pace=0, clock=clock, sleep=clock.sleep)
    assert [p.part for p in stalled.posts] == [1]  # parts 2 and 3 are the other run's
    assert [(o.status, o.error) for o in report.outcomes] == [("retry", "claim lost")]
    (d,) = backdated.deliveries("C1")
    assert d.status == "claimed" and d.messages_sent == 1


def test_paced_parts_renew_at_the_run_clock(backdated: Store) -> None:
    """Pacing waits go through the injected sleep, and each renewal is stamped by the clock."""
    index = CorpusIndex(long_corpus())
    clock = ManualClock(SLOT)
    stamps: list[datetime] = []
    send = RecordingSend()

    def stamping(request: PostRequest) -> str:
        (d,) = backdated.deliveries("C1")
        stamps.append(d.claimed_at)
        return send(request)

    report = run_due(SLOT, backdated, index, stamping, pace=1.0, clock=clock, sleep=clock.sleep)
    assert report.sent == 1
    assert stamps == [SLOT + timedelta(seconds=i) for i in range(len(stamps))]


def test_lease_must_be_positive(backdated: Store) -> None:
    with pytest.raises(ValueError, match="lease"):
        run_due(SLOT, backdated, CorpusIndex(long_corpus()), RecordingSend(), lease=timedelta(0))


def test_lease_and_tick_are_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.errors import SettingsError
    from bot.runtime.settings import load_settings

    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("BRIEFBOT_DIGEST_LEASE_SECONDS", "BRIEFBOT_SCHEDULER_INTERVAL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    defaults = load_settings()
    assert (defaults.digest_lease_seconds, defaults.scheduler_interval_seconds) == (900, 60)
    monkeypatch.setenv("BRIEFBOT_DIGEST_LEASE_SECONDS", "4")
    monkeypatch.setenv("BRIEFBOT_SCHEDULER_INTERVAL_SECONDS", "2")
    short = load_settings()
    assert (short.digest_lease_seconds, short.scheduler_interval_seconds) == (4, 2)
    for name, bad in (
        ("BRIEFBOT_DIGEST_LEASE_SECONDS", "0"),
        ("BRIEFBOT_DIGEST_LEASE_SECONDS", "soon"),
        ("BRIEFBOT_SCHEDULER_INTERVAL_SECONDS", "0"),
    ):
        monkeypatch.setenv(name, bad)
        with pytest.raises(SettingsError, match=name):
            load_settings()
        monkeypatch.setenv(name, "4")


def test_scheduler_rejects_a_tick_under_a_second(backdated: Store) -> None:
    from bot.delivery.scheduler import build_scheduler

    index = CorpusIndex(long_corpus())
    with pytest.raises(ValueError, match="every"):
        build_scheduler(backdated, lambda: index, RecordingSend(), every=timedelta(0))
