"""Digest delivery: which digests are due (policy), composing them once (compose), keeping the
claims alive (lease), sending them exactly once (run), and how parts (and the coverage PNG of a
digest with new reports) reach Slack (send).

The APScheduler job that calls run_due inside `briefbot serve` is `bot.delivery.scheduler`
(imported on its own, so the rest never loads APScheduler).
"""

from __future__ import annotations

from bot.delivery.lease import DEFAULT_LEASE, LeaseKeeper
from bot.delivery.policy import (
    DEFAULT_GRACE,
    DeliveryPolicy,
    DuePreview,
    due_slots,
    preview_due,
)
from bot.delivery.run import Outcome, RunReport, run_due
from bot.delivery.send import (
    METADATA_EVENT_TYPE,
    AttachRequest,
    AttachSend,
    LookupSend,
    PostRequest,
    Send,
    terminal_send,
    web_api_send,
)

__all__ = [
    "DEFAULT_GRACE",
    "DEFAULT_LEASE",
    "METADATA_EVENT_TYPE",
    "AttachRequest",
    "AttachSend",
    "DeliveryPolicy",
    "DuePreview",
    "LeaseKeeper",
    "LookupSend",
    "Outcome",
    "PostRequest",
    "RunReport",
    "Send",
    "due_slots",
    "preview_due",
    "run_due",
    "terminal_send",
    "web_api_send",
]
