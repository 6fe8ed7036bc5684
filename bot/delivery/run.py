"""Send every due digest exactly once: claim, compose, post, record.

Exactly once, even for the digest a process was posting when it died: every part carries Slack
message metadata naming its delivery and part, and a run that takes over a delivery looks for
the next part in the channel (or the digest's thread) before posting it again.

A digest covering a report new to its channel then shares the coverage grid PNG in its thread
(when the charts extra is installed). The share counts as one more message sent, so a run that
takes over after it is recorded skips it, and one that takes over before looks for it first. A
failed upload is logged and counted; the digest is still sent, once.
"""

from __future__ import annotations

import logging
import time as _time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.corpus import CorpusIndex
from bot.delivery.compose import Composer, fallback_text, previous_snapshot
from bot.delivery.lease import DEFAULT_LEASE, Clock, LeaseKeeper
from bot.delivery.policy import DEFAULT_GRACE, due_slots
from bot.delivery.send import AttachRequest, AttachSend, LookupSend, PostRequest, Send
from bot.store import Delivery, Store

log = logging.getLogger(__name__)


Status = Literal["sent", "retry", "failed", "missed"]


@dataclass(frozen=True)
class Outcome:
    channel: str
    period_key: str
    status: Status
    attempts: int = 0
    error: str | None = None


@dataclass(frozen=True)
class RunReport:
    """What one run_due call did (claims lost to another process are not listed)."""

    now: datetime
    outcomes: tuple[Outcome, ...] = ()
    due: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def failed(self) -> int:
        return self.count("failed") + self.count("retry")

    @property
    def missed(self) -> int:
        return self.count("missed")


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    channel: str
    period_key: str
    scheduled_for: datetime
    topics: tuple[str, ...]
    resume: Delivery | None = None


def run_due(
    now: datetime,
    store: Store,
    index: CorpusIndex,
    send: Send,
    *,
    grace: timedelta = DEFAULT_GRACE,
    attempts: int = 3,
    backoff: float = 2.0,
    retry_after: timedelta = timedelta(minutes=10),
    lease: timedelta = DEFAULT_LEASE,
    pace: float = 1.0,
    workers: int = 16,
    sleep: Callable[[float], None] = _time.sleep,
    clock: Clock | None = None,
) -> RunReport:
    """Send every digest due at `now` once: claim in the database first, then post.

    Each subscription's latest slot (its local day and time) is due if no delivery exists for
    its period; within `grace` it is sent, later it is recorded as missed. A failing post is
    retried `attempts` times with exponential `backoff` (seconds); if that fails too, the
    delivery waits `retry_after` for the next run (while still within grace), and resumes after
    the last message that went out, so nothing is posted twice. A claim is renewed while its
    digest is being sent; one not renewed for `lease` (its process died) is taken over the same
    way, and when `send` can look things up (LookupSend) each part is first looked for in Slack
    by its metadata, so a part posted just before the crash is recorded, not posted again.
    Parts of one digest are paced `pace` seconds apart (Slack: one message per second per
    channel); channels run concurrently.

    `clock` tells the time while the run goes on (claims are renewed at its readings); by
    default `now` plus the time elapsed since the call, so a run at a fixed `now` still works.
    Tests pass a clock they move by hand, with a `sleep` that moves it.
    """
    if now.tzinfo is None:
        raise ValueError("run_due needs an aware datetime")
    if lease <= timedelta(0):
        raise ValueError("run_due needs a positive lease")
    subs = store.subscriptions()
    due = due_slots(now, store, subs)

    outcomes: list[Outcome] = []
    jobs: list[_Job] = []
    # Names this run's claims: only it may renew them, so a run that stalled past its lease
    # finds out it lost a delivery instead of sending beside the run that took it over.
    token = uuid.uuid4().hex
    for sub, slot, key in due:
        did = store.claim_delivery(
            sub.id, key, channel=sub.channel, scheduled_for=slot, now=now, token=token
        )
        if did is None:
            continue  # another process got it
        if now - slot > grace:
            store.mark_missed(did, reason=f"not sent within {grace} of {slot.isoformat()}")
            log.warning("digest missed channel=%s period=%s", sub.channel, key)
            outcomes.append(Outcome(sub.channel, key, "missed"))
            continue
        jobs.append(_Job(did, sub.channel, key, slot, sub.topics))

    by_id = {s.id: s for s in subs}
    for d in store.resumable_deliveries(now=now, stale_before=now - lease):
        if not store.reclaim_delivery(d.id, now=now, stale_before=now - lease, token=token):
            continue
        if now - d.scheduled_for > grace and d.messages_sent == 0:
            store.mark_missed(d.id, reason=f"still failing {grace} after the slot: {d.error}")
            outcomes.append(Outcome(d.channel, d.period_key, "missed", d.attempts, d.error))
            continue
        topics = by_id[d.subscription_id].topics if d.subscription_id in by_id else ()
        jobs.append(_Job(d.id, d.channel, d.period_key, d.scheduled_for, topics, resume=d))

    if jobs:
        ingested = store.record_sources_seen((s.source_id for s in index.corpus.sources), now)
        composer = Composer(index, now, ingested)
        last = store.last_deliveries(j.channel for j in jobs)

        keeper = LeaseKeeper(
            store, clock or _elapsed_since(now), lease, token, (j.delivery_id for j in jobs)
        )

        def work(job: _Job) -> Outcome:
            try:
                return _deliver_job(job)
            except Exception as exc:  # e.g. the database went away mid-send
                # The claim stays; after `lease` another run resumes from the recorded progress.
                keeper.release(job.delivery_id)
                log.exception(
                    "digest delivery crashed channel=%s period=%s", job.channel, job.period_key
                )
                return Outcome(job.channel, job.period_key, "failed", 0, repr(exc))

        def _deliver_job(job: _Job) -> Outcome:
            return _deliver(
                job,
                store=store,
                composer=composer,
                since=last[job.channel].covered_until if job.channel in last else None,
                previous=previous_snapshot(store, last, job.channel),
                send=send,
                now=now,
                grace=grace,
                attempts=attempts,
                backoff=backoff,
                retry_after=retry_after,
                pace=pace,
                sleep=sleep,
                keeper=keeper,
            )

        keeper.start()
        try:
            with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
                outcomes.extend(pool.map(work, jobs))
        finally:
            keeper.stop()
    _count_outcomes(outcomes)
    return RunReport(now=now, outcomes=tuple(outcomes), due=len(due))


def _elapsed_since(now: datetime) -> Clock:
    started = _time.monotonic()
    return lambda: now + timedelta(seconds=_time.monotonic() - started)


def _count_outcomes(outcomes: Sequence[Outcome]) -> None:
    """Metrics (scale, issue 6): briefbot_digests_total{outcome=sent|missed|failed}."""
    from bot.ops.metrics import record_digest

    for o in outcomes:
        record_digest(
            "sent" if o.status == "sent" else "missed" if o.status == "missed" else "failed"
        )


def _deliver(
    job: _Job,
    *,
    store: Store,
    composer: Composer,
    since: datetime | None,
    previous: str | None,
    send: Send,
    now: datetime,
    grace: timedelta,
    attempts: int,
    backoff: float,
    retry_after: timedelta,
    pace: float,
    sleep: Callable[[float], None],
    keeper: LeaseKeeper,
) -> Outcome:
    resume = job.resume
    tries = resume.attempts if resume else 0
    try:
        if resume and resume.digest_json:
            digest_json = resume.digest_json
        else:
            digest = composer.digest(
                since, job.topics, previous, store.dismissed_flags(job.channel)
            )
            digest_json = digest.model_dump_json()
            store.save_digest(
                job.delivery_id,
                digest_json=digest_json,
                covered_since=since,
                covered_until=digest.period_end,
                snapshot_json=digest.snapshot.model_dump_json(),
            )
        messages, text = composer.render(digest_json)
    except Exception as exc:  # a bug composing one digest must not stop the others
        log.exception("digest compose failed channel=%s period=%s", job.channel, job.period_key)
        keeper.release(job.delivery_id)
        store.mark_failed(job.delivery_id, attempts=tries, error=f"compose: {exc!r}")
        return Outcome(job.channel, job.period_key, "failed", tries, repr(exc))

    done = resume.messages_sent if resume else 0
    thread_ts = resume.thread_ts if resume else None
    parts = len(messages)
    error: str | None = None
    # A resumed delivery may have posted its next part without recording it (the process died
    # between the post and mark_progress, or the post timed out after Slack took it): look
    # first. Parts go out in order, so once one is missing the later ones are too.
    look = resume is not None and isinstance(send, LookupSend)
    while done < parts:
        if not keeper.confirm(job.delivery_id):
            # Another run resumed it from the recorded progress; it finishes the digest.
            log.warning(
                "digest claim lost, stopping channel=%s period=%s", job.channel, job.period_key
            )
            return Outcome(job.channel, job.period_key, "retry", tries, "claim lost")
        request = PostRequest(
            channel=job.channel,
            text=fallback_text(text) if done == 0 else f"Digest continued ({done + 1}/{parts})",
            blocks=messages[done],
            thread_ts=thread_ts,
            part=done + 1,
            parts=parts,
            delivery_id=job.delivery_id,
            period_key=job.period_key,
        )
        ts = _post_with_retries(
            request,
            send,
            attempts,
            backoff,
            sleep,
            look_first=job.scheduled_for if look else None,
        )
        tries += ts.tries
        if ts.ts is None:
            error = ts.error
            break
        done += 1
        if thread_ts is None:
            thread_ts = ts.ts
        store.mark_progress(job.delivery_id, messages_sent=done, thread_ts=thread_ts)
        if ts.found:
            log.info(
                "digest part already posted, recorded channel=%s period=%s part=%d/%d",
                job.channel,
                job.period_key,
                request.part,
                parts,
            )
            continue
        look = False
        if done < parts and pace > 0:
            sleep(pace)  # one message per second per channel

    if (
        error is None
        and thread_ts is not None
        and done == parts
        and isinstance(send, AttachSend)
        and composer.has_new_reports(digest_json)
    ):
        if not keeper.confirm(job.delivery_id):
            log.warning(
                "digest claim lost, stopping channel=%s period=%s", job.channel, job.period_key
            )
            return Outcome(job.channel, job.period_key, "retry", tries, "claim lost")
        # All parts were out before this run began: the share may be out too.
        look = resume is not None and resume.messages_sent >= parts
        shared = _attach_coverage(
            job,
            composer,
            send,
            thread_ts,
            look=look,
            still_ours=lambda: keeper.confirm(job.delivery_id),
        )
        if shared is None:
            log.warning(
                "digest claim lost during the coverage upload, stopping channel=%s period=%s",
                job.channel,
                job.period_key,
            )
            return Outcome(job.channel, job.period_key, "retry", tries, "claim lost")
        if shared:
            store.mark_progress(job.delivery_id, messages_sent=parts + 1, thread_ts=thread_ts)

    keeper.release(job.delivery_id)
    if error is None:
        store.mark_sent(job.delivery_id, attempts=tries, now=now)
        log.info("digest sent channel=%s period=%s parts=%d", job.channel, job.period_key, parts)
        return Outcome(job.channel, job.period_key, "sent", tries)
    retry_at = now + retry_after
    keep_trying = retry_at - job.scheduled_for <= grace
    store.mark_failed(
        job.delivery_id, attempts=tries, error=error, retry_at=retry_at if keep_trying else None
    )
    log.warning(
        "digest send failed channel=%s period=%s attempts=%d error=%s",
        job.channel,
        job.period_key,
        tries,
        error,
    )
    return Outcome(job.channel, job.period_key, "retry" if keep_trying else "failed", tries, error)


def _attach_coverage(
    job: _Job,
    composer: Composer,
    send: AttachSend,
    thread_ts: str,
    *,
    look: bool,
    still_ours: Callable[[], bool],
) -> bool | None:
    """Share the coverage PNG in the digest's thread; True when it is there (shared or found),
    None when the claim was lost between the upload and the share (the run that took the
    delivery over shares it, once).

    One try: the WebClient's retry handlers already wait out rate limits and dropped
    connections, and a digest never fails or repeats over its attachment.
    """
    from bot.ops.metrics import record_digest_attachment

    png = composer.coverage_png()
    if png is None:
        record_digest_attachment("skipped")
        return False
    request = AttachRequest(
        channel=job.channel,
        thread_ts=thread_ts,
        png=png,
        delivery_id=job.delivery_id,
        period_key=job.period_key,
    )
    try:
        if look and send.find_attached(request):
            log.info(
                "digest coverage PNG already shared, recorded channel=%s period=%s",
                job.channel,
                job.period_key,
            )
            record_digest_attachment("found")
            return True
        if not send.attach(request, still_ours=still_ours):
            return None  # the run that took the delivery over shares it and counts it
    except Exception as exc:  # the Web API, the upload URL, or the network
        log.warning(
            "digest coverage PNG upload failed channel=%s period=%s: %s",
            job.channel,
            job.period_key,
            f"{type(exc).__name__}: {exc}"[:500],
        )
        record_digest_attachment("failed")
        return False
    log.info(
        "digest coverage PNG shared channel=%s period=%s bytes=%d",
        job.channel,
        job.period_key,
        len(png),
    )
    record_digest_attachment("uploaded")
    return True


@dataclass(frozen=True)
class _Posted:
    ts: str | None
    tries: int
    error: str | None = None
    found: bool = False  # already in Slack: looked up, not posted


def _post_with_retries(
    request: PostRequest,
    send: Send,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
    *,
    look_first: datetime | None = None,
) -> _Posted:
    """Post (after looking for the part in Slack when `look_first` gives the slot)."""
    error = ""
    for attempt in range(1, max(1, attempts) + 1):
        try:
            if look_first is not None and isinstance(send, LookupSend):
                found = send.find_posted(request, not_before=look_first)
                if found is not None:
                    return _Posted(found, attempt, found=True)
            return _Posted(send(request), attempt)
        except Exception as exc:  # the Web API, the network, or the sender itself
            error = f"{type(exc).__name__}: {exc}"[:500]
            log.warning(
                "post failed channel=%s part=%d/%d attempt=%d: %s",
                request.channel,
                request.part,
                request.parts,
                attempt,
                error,
            )
            if attempt < attempts:
                sleep(backoff * 2 ** (attempt - 1))
    return _Posted(None, max(1, attempts), error)
