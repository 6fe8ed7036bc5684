"""The event inbox: an event is done only once answered; survivors recover, never twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.event_inbox import (
    MAX_ATTEMPTS,
    RETRY_DELAY_MAX,
    EventInbox,
    TaggedClient,
    retry_delay,
)
from bot.store import Store
from bot.store.tables import EventInboxRow
from tests.store.databases import database_url

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=10)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with database_url(str(request.param), tmp_path) as url:
        s = Store(url)
        s.migrate()
        yield s
        s.close()


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class RecordingSlack:
    """A Web API that keeps what was posted and answers conversations.replies from it."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    lookups_fail: bool = False

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802
        self.posts.append(kwargs)
        return {"ok": True, "ts": f"1700000100.{len(self.posts):06d}"}

    def conversations_replies(self, **kwargs: Any) -> dict[str, Any]:
        if self.lookups_fail:
            raise ConnectionError("Slack is unreachable")
        thread = kwargs["ts"]
        return {"messages": [p for p in self.posts if p.get("thread_ts") == thread]}

    def answers(self) -> list[dict[str, Any]]:
        return [p for p in self.posts if "metadata" in p]

    def apologies(self) -> list[dict[str, Any]]:
        return [p for p in self.posts if str(p.get("text", "")).startswith("Sorry")]


@dataclass(frozen=True)
class Surface:
    kind: str
    name: str
    listener: Callable[[Any], Callable[..., None]]


@dataclass(frozen=True)
class Deps:
    store: Any


def mention(n: int) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "event_id": f"Ev{n:04d}",
        "event": {
            "type": "app_mention",
            "channel": "C1",
            "ts": f"1700000000.{n:06d}",
            "text": "hi",
        },
    }


def answering(fail_times: int = 0, *, fail_after_post: bool = False) -> Callable[..., None]:
    """A mention listener that answers in the thread, failing its first `fail_times` calls."""
    calls = {"n": 0}

    def listener(event: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        calls["n"] += 1
        if calls["n"] <= fail_times and not fail_after_post:
            raise ConnectionError("database connection terminated")
        client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="answer")
        if calls["n"] <= fail_times:
            raise ConnectionError("database connection terminated after the post")

    return listener


def accept(inbox: EventInbox, body: dict[str, Any]) -> None:
    acked: list[bool] = []
    response = inbox.middleware()(body=body, next=lambda: acked.append(True))
    assert response is None and acked == [True], "a new event is passed on to be acknowledged"


def run_tracked(
    inbox: EventInbox, listener: Callable[..., None], body: dict[str, Any], slack: RecordingSlack
) -> None:
    inbox.tracked(listener)(event=body["event"], body=body, client=slack)


def surfaces(listener: Callable[..., None]) -> tuple[Surface, ...]:
    return (Surface("event", "app_mention", lambda _deps: listener),)


def outcome(store: Store, event_id: str) -> str | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(EventInboxRow.outcome).where(EventInboxRow.event_id == event_id)
        ).scalar()
    return None if row is None else str(row)


def test_failed_listener_leaves_the_event_pending_and_recovery_answers_it_once(
    store: Store,
) -> None:
    clock, slack = Clock(), RecordingSlack()
    inbox = EventInbox(store, lease=LEASE, owner="a", clock=clock)
    listener = answering(fail_times=1)
    body = mention(1)
    accept(inbox, body)
    run_tracked(inbox, listener, body, slack)  # fails: no answer, and no apology
    assert slack.posts == [] and store.pending_event_count() == 1
    assert inbox.recover_once(Deps(store), slack, surfaces(listener)) == 0  # retry not due yet
    clock.advance(1.5)  # the first retry waits one second, not a whole lease
    assert inbox.recover_once(Deps(store), slack, surfaces(listener)) == 1
    assert len(slack.answers()) == 1 and slack.apologies() == []
    assert store.pending_event_count() == 0 and outcome(store, "Ev0001") == "recovered"


def test_without_a_recovery_loop_a_failure_is_final_and_goes_to_the_error_handler(
    store: Store,
) -> None:
    """An app built without an inbox of its own (tests, benches) still de-duplicates through
    one, but nothing would retry a failed event: it is marked failed and the error raised."""
    clock, slack = Clock(), RecordingSlack()
    inbox = EventInbox(store, lease=LEASE, owner="a", clock=clock, recovers=False)
    body = mention(8)
    accept(inbox, body)
    with pytest.raises(ConnectionError):
        run_tracked(inbox, answering(fail_times=1), body, slack)
    assert store.pending_event_count() == 0 and outcome(store, "Ev0008") == "failed"
    response = inbox.middleware()(body=body, next=lambda: None)  # Slack's retry
    assert response is not None and response.status == 200  # acknowledged, not run again


def test_answer_posted_before_a_failure_is_found_by_its_tag_not_posted_again(
    store: Store,
) -> None:
    clock, slack = Clock(), RecordingSlack()
    inbox = EventInbox(store, lease=LEASE, owner="a", clock=clock)
    survivor = EventInbox(store, lease=LEASE, owner="b", clock=clock)
    listener = answering(fail_times=1, fail_after_post=True)
    body = mention(2)
    accept(inbox, body)
    run_tracked(inbox, listener, body, slack)  # posted, then the database went away
    assert len(slack.answers()) == 1 and store.pending_event_count() == 1
    clock.advance(2)
    assert survivor.recover_once(Deps(store), slack, surfaces(listener)) == 0
    assert len(slack.answers()) == 1 and slack.apologies() == []
    assert outcome(store, "Ev0002") == "found_answer"


def test_heartbeat_keeps_a_slow_answer_from_being_taken_over(store: Store) -> None:
    clock, slack = Clock(), RecordingSlack()
    busy = EventInbox(store, lease=LEASE, owner="busy", clock=clock)
    survivor = EventInbox(store, lease=LEASE, owner="survivor", clock=clock)
    accept(busy, mention(3))  # acknowledged; the listener is still queued or working
    for _ in range(6):  # a minute of work, renewed every few seconds
        clock.advance(LEASE.total_seconds() / 2)
        assert busy.renew_once() == {"Ev0003"}
        assert survivor.recover_once(Deps(store), slack, surfaces(answering())) == 0
    assert slack.posts == []


def test_dead_replicas_event_is_answered_by_a_survivor_after_one_lease(store: Store) -> None:
    clock, slack = Clock(), RecordingSlack()
    dead = EventInbox(store, lease=LEASE, owner="dead", clock=clock)
    survivor = EventInbox(store, lease=LEASE, owner="survivor", clock=clock)
    accept(dead, mention(4))  # then SIGKILL: no heartbeat, no answer
    clock.advance(LEASE.total_seconds() - 1)
    assert survivor.recover_once(Deps(store), slack, surfaces(answering())) == 0
    clock.advance(2)
    assert survivor.recover_once(Deps(store), slack, surfaces(answering())) == 1
    assert survivor.recover_once(Deps(store), slack, surfaces(answering())) == 0
    assert len(slack.answers()) == 1 and outcome(store, "Ev0004") == "recovered"


def test_survivor_that_cannot_look_in_slack_waits_instead_of_answering_twice(
    store: Store,
) -> None:
    clock, slack = Clock(), RecordingSlack()
    dead = EventInbox(store, lease=LEASE, owner="dead", clock=clock)
    survivor = EventInbox(store, lease=LEASE, owner="survivor", clock=clock)
    body = mention(5)
    accept(dead, body)
    TaggedClient(slack, "Ev0005").chat_postMessage(
        channel="C1", thread_ts=body["event"]["ts"], text="answer"
    )  # the dead replica's answer went out just before it died
    slack.lookups_fail = True
    for _ in range(3):
        clock.advance(LEASE.total_seconds() + 1)
        survivor.recover_once(Deps(store), slack, surfaces(answering()))
    assert len(slack.posts) == 1 and store.pending_event_count() == 1
    slack.lookups_fail = False
    clock.advance(LEASE.total_seconds() + 1)
    survivor.recover_once(Deps(store), slack, surfaces(answering()))
    assert len(slack.posts) == 1 and outcome(store, "Ev0005") == "found_answer"


def test_event_failing_every_time_is_given_up_with_one_apology(store: Store) -> None:
    clock, slack = Clock(), RecordingSlack()
    inbox = EventInbox(store, lease=LEASE, owner="a", clock=clock)
    listener = answering(fail_times=10_000)
    body = mention(6)
    accept(inbox, body)
    run_tracked(inbox, listener, body, slack)
    for _ in range(MAX_ATTEMPTS + 2):
        clock.advance(RETRY_DELAY_MAX.total_seconds() + 1)
        inbox.recover_once(Deps(store), slack, surfaces(listener))
    assert slack.answers() == [] and len(slack.apologies()) == 1
    assert outcome(store, "Ev0006") == "gave_up"


def test_database_error_before_the_ack_asks_slack_to_retry(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'gone' / 'x.sqlite3'}")  # never migrated: no table
    inbox = EventInbox(store, lease=LEASE, owner="a")
    passed_on: list[bool] = []
    response = inbox.middleware()(body=mention(7), next=lambda: passed_on.append(True))
    assert response is not None and response.status == 500 and passed_on == []
    store.close()


def test_pruning_keeps_finished_events_bounded_and_never_drops_pending_ones(
    store: Store,
) -> None:
    clock, slack = Clock(), RecordingSlack()
    inbox = EventInbox(store, lease=LEASE, owner="a", clock=clock, retention=timedelta(hours=2))
    pending = mention(9999)
    accept(inbox, pending)  # its replica is still working on it (a heartbeat would renew it)
    sizes: list[int] = []
    for hour in range(12):
        for n in range(20):
            body = mention(hour * 100 + n)
            accept(inbox, body)
            run_tracked(inbox, answering(), body, slack)
            assert store.first_request(f"cmd:{hour}:{n}", now=clock())  # a slash command
        inbox.prune_once()
        sizes.append(store.event_row_count())
        clock.advance(3600)
    # About retention's worth of events and commands, however long it runs.
    assert max(sizes) <= 3 * 40 + 1, sizes
    assert store.pending_event_count() == 1


def test_many_events_of_a_dead_replica_are_all_answered_in_one_round(store: Store) -> None:
    clock, slack = Clock(), RecordingSlack()
    dead = EventInbox(store, lease=LEASE, owner="dead", clock=clock)
    survivor = EventInbox(store, lease=LEASE, owner="survivor", clock=clock)
    for n in range(20):
        accept(dead, mention(100 + n))
    clock.advance(LEASE.total_seconds() + 1)
    assert survivor.recover_once(Deps(store), slack, surfaces(answering())) == 20
    threads = sorted(p["thread_ts"] for p in slack.answers())
    assert threads == sorted(set(threads)) and len(threads) == 20
    assert store.pending_event_count() == 0 and survivor.held() == set()


def test_retries_back_off_from_a_second_to_a_minute() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays[:4] == [1, 2, 4, 8] and max(delays) == 60 and delays == sorted(delays)
