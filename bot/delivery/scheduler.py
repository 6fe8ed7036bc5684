"""Edge: the APScheduler 3 job inside `briefbot serve` that calls run_due every interval."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.corpus import CorpusIndex
from bot.delivery import DEFAULT_GRACE, DEFAULT_LEASE, RunReport, Send, run_due
from bot.store import Store

log = logging.getLogger(__name__)

JOB_ID = "briefbot-run-due"
# APScheduler's 1 s default would drop a check that started late (a busy process, a laptop
# waking up); run_due itself decides what is still within the digest grace period.
MISFIRE_GRACE = timedelta(hours=1)


def build_scheduler(
    store: Store,
    corpus: Callable[[], CorpusIndex],
    send: Send,
    *,
    grace: timedelta = DEFAULT_GRACE,
    every: timedelta = timedelta(minutes=1),
    lease: timedelta = DEFAULT_LEASE,
    first_run_after: timedelta = timedelta(seconds=5),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> BackgroundScheduler:
    """A scheduler whose one job asks the database what is due; every replica may run one.

    APScheduler 3 cannot share a job store between processes, so no job state is shared: the
    claim in the database (unique on subscription and period) decides who sends. A claim not
    renewed for `lease` (its replica died) is resumed by the next tick of any replica, so a
    dead replica's digests go out within about `lease + every`.
    """
    if every < timedelta(seconds=1) or lease <= timedelta(0):
        raise ValueError("build_scheduler needs every >= 1 s and a positive lease")
    scheduler = BackgroundScheduler(timezone=UTC)

    def tick() -> RunReport | None:
        index = corpus()
        if index.problem is not None:
            # No good content at all: a digest now would be empty and use up its slot.
            return None
        try:
            report = run_due(clock(), store, index, send, grace=grace, lease=lease)
        except Exception:  # the one catch-all of this edge: log it, try again next minute
            log.exception("run_due failed job=%s", JOB_ID)
            return None
        if report.outcomes:
            log.info(
                "run_due job=%s sent=%d failed=%d missed=%d",
                JOB_ID,
                report.sent,
                report.failed,
                report.missed,
            )
        return report

    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=int(every.total_seconds()), timezone=UTC),
        id=JOB_ID,
        misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC) + first_run_after,
    )
    return scheduler
