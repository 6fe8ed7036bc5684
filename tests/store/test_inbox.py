"""The event inbox's store methods (bot/store/inbox.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]
BODY = {"event_id": "Ev1", "event": {"type": "app_mention", "channel": "C1", "ts": "1.0"}}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def test_event_is_accepted_once_and_taken_over_only_after_its_lease(store: Store) -> None:
    body = {"event_id": "Ev1", "event": {"type": "app_mention", "channel": "C1", "ts": "1.0"}}
    lease = timedelta(seconds=30)
    assert store.accept_event("Ev1", "app_mention", body, owner="a", lease=lease)
    assert not store.accept_event("Ev1", "app_mention", body, owner="b", lease=lease)
    assert store.take_over_expired_events(owner="b", lease=lease) == []  # a is still on it
    short = timedelta(seconds=-1)  # an already-expired lease: its replica died
    assert store.accept_event("Ev2", "app_mention", body, owner="a", lease=short)
    (taken,) = store.take_over_expired_events(owner="b", lease=lease)
    assert (taken.event_id, taken.attempts, taken.body) == ("Ev2", 2, body)
    assert store.take_over_expired_events(owner="c", lease=lease) == []  # one winner
    store.finish_event("Ev1")
    store.finish_event("Ev2", outcome="recovered")
    assert store.pending_event_count() == 0
    assert store.prune_finished_events(datetime.now(UTC) + timedelta(seconds=1)) == 2


def test_only_the_holder_renews_or_shortens_a_lease(store: Store) -> None:
    assert store.accept_event("Ev1", "app_mention", BODY, owner="a", lease=LEASE, now=T0)
    later = T0 + LEASE - timedelta(seconds=1)
    assert store.renew_event_leases(["Ev1", "Ev9"], owner="a", lease=LEASE, now=later) == {"Ev1"}
    assert store.renew_event_leases(["Ev1"], owner="b", lease=LEASE, now=later) == set()
    # Renewed: not expired at the old lease's end.
    assert store.take_over_expired_events(owner="b", lease=LEASE, now=T0 + LEASE * 1.5) == []
    assert not store.retry_event_later("Ev1", owner="b", at=T0, now=later)
    assert store.retry_event_later("Ev1", owner="a", at=later, now=later)
    (taken,) = store.take_over_expired_events(owner="b", lease=LEASE, now=later + LEASE / 10)
    assert taken.event_id == "Ev1"
    store.finish_event("Ev1", outcome="recovered")
    assert store.renew_event_leases(["Ev1"], owner="b", lease=LEASE) == set()  # done: not held


def test_pending_events_are_never_pruned(store: Store) -> None:
    assert store.accept_event("Ev1", "app_mention", BODY, owner="a", lease=LEASE, now=T0)
    assert store.first_request("cmd:1", now=T0)
    assert store.event_row_count() == 2
    assert store.prune_finished_events(T0 + timedelta(days=365)) == 1  # the command only
    assert store.pending_event_count() == 1 == store.event_row_count()


def test_signed_request_runs_only_the_first_time(store: Store) -> None:
    assert store.first_request("cmd:1") is True
    assert store.first_request("cmd:1") is False
    assert store.first_request("cmd:2") is True


def test_old_request_keys_are_pruned_with_finished_events(store: Store) -> None:
    store.first_request("cmd:1")
    assert store.pending_event_count() == 0  # born done: never leased, never recovered
    assert store.prune_finished_events(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert store.first_request("cmd:1") is True


def test_signed_request_runs_once_across_processes(db_url: str) -> None:
    Store(db_url).migrate()
    code = (
        "import sys; from bot.store import Store; s = Store(sys.argv[1]);"
        "print(sum(s.first_request(f'cmd:{i}') for i in range(40)))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    wins = [int(p.communicate(timeout=60)[0].strip()) for p in procs]
    assert sum(wins) == 40
