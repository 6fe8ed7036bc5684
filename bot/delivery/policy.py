"""Which digests are due at a moment (each subscription's latest slot with no delivery yet), and
how often replicas look for them and how long a claim on one lasts (DeliveryPolicy)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.corpus import CorpusIndex
from bot.delivery.compose import Composer, previous_snapshot
from bot.errors import BriefbotError
from bot.schedule import latest_slot, period_key
from bot.store import Store, Subscription

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=12)  # a slot later than this is recorded as missed


@dataclass(frozen=True)
class DeliveryPolicy:
    """How digests are delivered: how often every replica looks for due ones, and how old a
    claim must be before another replica takes over (the sender renews it while it works)."""

    every: timedelta
    lease: timedelta


def due_slots(
    now: datetime, store: Store, subs: Sequence[Subscription]
) -> list[tuple[Subscription, datetime, str]]:
    """(subscription, slot, period) of each latest slot with no delivery yet.

    A row that cannot be scheduled (a zone written before zones were checked, or by hand) is
    skipped, logged with its channel and counted; the other channels are still sent.
    """
    from bot.ops.metrics import record_subscription_skipped

    slots: list[tuple[Subscription, datetime, str]] = []
    for sub in subs:
        try:
            slot = latest_slot(sub.day, sub.time, sub.tz, now)
            key = period_key(slot, sub.tz)
        except (BriefbotError, ValueError) as exc:
            log.error(
                "subscription skipped channel=%s: %s (fix: briefbot subscribe %s --tz <zone>)",
                sub.channel,
                str(exc)[:300],
                sub.channel,
            )
            record_subscription_skipped("time_zone")
            continue
        if slot < sub.created_at:
            continue  # subscribed after this week's slot: the first digest is next week's
        slots.append((sub, slot, key))
    taken = store.deliveries_for_periods((s.id, key) for s, _, key in slots)
    return [(s, slot, key) for s, slot, key in slots if (s.id, key) not in taken]


@dataclass(frozen=True)
class DuePreview:
    """A digest run_due would send (or record as missed) at `now`; nothing was recorded."""

    channel: str
    period_key: str
    scheduled_for: datetime
    status: Literal["due", "missed"]
    text: str = ""  # the digest's text (empty for a missed one)


def preview_due(
    now: datetime,
    store: Store,
    index: CorpusIndex,
    *,
    grace: timedelta = DEFAULT_GRACE,
) -> list[DuePreview]:
    """What run_due would do at `now`, composed the same way, with nothing claimed or written.

    The dry run of `briefbot run-due` without Slack tokens: trying it never eats a real digest.
    """
    if now.tzinfo is None:
        raise ValueError("preview_due needs an aware datetime")
    due = due_slots(now, store, store.subscriptions())
    if not due:
        return []
    sources = [s.source_id for s in index.corpus.sources]
    seen = store.sources_first_seen(sources)
    composer = Composer(index, now, {sid: seen.get(sid, now) for sid in sources})
    last = store.last_deliveries(s.channel for s, _, _ in due)
    previews: list[DuePreview] = []
    for sub, slot, key in due:
        if now - slot > grace:
            previews.append(DuePreview(sub.channel, key, slot, "missed"))
            continue
        since = last[sub.channel].covered_until if sub.channel in last else None
        digest = composer.digest(
            since,
            sub.topics,
            previous_snapshot(store, last, sub.channel),
            store.dismissed_flags(sub.channel),
        )
        _, text = composer.render(digest.model_dump_json())
        previews.append(DuePreview(sub.channel, key, slot, "due", text))
    return previews
