"""Plain frozen values the store hands out (never ORM objects past its boundary)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


DeliveryStatus = Literal["claimed", "sent", "retry", "failed", "missed"]


class Subscription(_Value):
    """A channel's weekly digest: local weekday and time in an IANA zone, optional topics."""

    id: int
    channel: str
    day: str  # mon..sun
    time: str  # HH:MM, 24 h
    tz: str  # IANA name, e.g. Europe/Berlin
    topics: tuple[str, ...] = ()
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime


class Delivery(_Value):
    """One digest of one subscription for one period (unique on subscription and period)."""

    id: int
    subscription_id: int
    channel: str
    period_key: str  # local ISO week of the scheduled slot, e.g. 2025-W43
    scheduled_for: datetime  # the slot, UTC
    status: DeliveryStatus
    attempts: int = 0
    error: str | None = None
    claimed_at: datetime | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    covered_since: datetime | None = None
    covered_until: datetime | None = None
    digest_json: str | None = None
    messages_sent: int = 0
    thread_ts: str | None = None


class Feedback(_Value):
    """A 👍/👎 on an answer, kept with the question so the taxonomy can be improved."""

    id: int
    user: str
    channel: str
    question: str
    topic: str | None
    answer_text: str
    vote: int  # +1 or -1
    created_at: datetime


class LatestDigest(_Value):
    """The most recently sent digest (for App Home)."""

    channel: str
    sent_at: datetime
    period_key: str
    digest_json: str


class Verdict(_Value):
    """A team member's verdict on a flag: real, not a disagreement, or needs a curator."""

    id: int
    flag_id: str
    channel: str
    verdict: Literal["real", "not_disagreement", "needs_curator"]
    user: str
    created_at: datetime
