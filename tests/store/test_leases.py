"""Named leases (bot/store/leases.py): one holder at a time, taken over once expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)


def test_one_holder_at_a_time_until_released(store: Store) -> None:
    assert store.acquire_lease("job", owner="a", ttl=TTL, now=T0)
    assert not store.acquire_lease("job", owner="b", ttl=TTL, now=T0)
    assert store.acquire_lease("other-job", owner="b", ttl=TTL, now=T0)  # names are apart
    assert not store.release_lease("job", owner="b")  # only the holder gives it up
    assert store.release_lease("job", owner="a")
    assert store.acquire_lease("job", owner="b", ttl=TTL, now=T0)


def test_holder_renews_and_a_dead_holders_lease_is_taken_after_it_expired(store: Store) -> None:
    assert store.acquire_lease("job", owner="a", ttl=TTL, now=T0)
    assert store.acquire_lease("job", owner="a", ttl=TTL, now=T0 + TTL / 2)  # renewed
    assert not store.acquire_lease("job", owner="b", ttl=TTL, now=T0 + TTL)  # still a's
    assert store.acquire_lease("job", owner="b", ttl=TTL, now=T0 + TTL * 2)  # a died
    assert not store.acquire_lease("job", owner="a", ttl=TTL, now=T0 + TTL * 2)
