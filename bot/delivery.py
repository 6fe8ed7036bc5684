"""Decide which digests are due and send each exactly once: claim, compose, post, record."""

from __future__ import annotations

import logging
import threading
import time as _time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.models import Digest
from bot.schedule import latest_slot, period_key
from bot.store import Delivery, Store, Subscription

log = logging.getLogger(__name__)

FALLBACK_TEXT_MAX = 3900  # Slack truncates long fallback text; notifications show far less
Block = dict[str, Any]


@dataclass(frozen=True)
class PostRequest:
    """One chat.postMessage: the first part goes to the channel, the rest to its thread."""

    channel: str
    text: str
    blocks: list[Block]
    thread_ts: str | None
    part: int  # 1-based
    parts: int


class Send(Protocol):
    """Posts one message and returns its ts; raises on failure."""

    def __call__(self, request: PostRequest) -> str: ...


class _ChatClient(Protocol):
    def chat_postMessage(  # noqa: N802  (slack_sdk's name)
        self,
        *,
        channel: str,
        text: str | None = None,
        blocks: Sequence[dict[Any, Any]] | None = None,
        thread_ts: str | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
    ) -> Any: ...


def web_api_send(client: _ChatClient) -> Send:
    """A Send over a slack_sdk WebClient (its retry handlers wait out 429s)."""

    def send(request: PostRequest) -> str:
        response = client.chat_postMessage(
            channel=request.channel,
            text=request.text,
            blocks=request.blocks,
            thread_ts=request.thread_ts,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])

    return send


def terminal_send(write: Callable[[str], None]) -> Send:
    """A Send that prints each digest (its full text rides on the first part) instead of posting."""
    counter = iter(range(1, 1_000_000_000))

    def send(request: PostRequest) -> str:
        if request.part == 1:
            write(f"── digest for {request.channel} ──\n{request.text}\n")
        return f"terminal.{next(counter)}"

    return send


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


@dataclass
class _Composer:
    """Composes and renders each distinct (since, topics) digest once per run."""

    index: CorpusIndex
    until: datetime
    ingested_at: dict[str, datetime]
    _cache: dict[tuple[datetime | None, tuple[str, ...]], Digest] = field(default_factory=dict)
    _rendered: dict[str, tuple[list[list[Block]], str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def digest(self, since: datetime | None, topics: tuple[str, ...]) -> Digest:
        key = (since, topics)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compose_digest(
                    self.index,
                    since=since,
                    until=self.until,
                    topics=topics,
                    ingested_at=self.ingested_at,
                )
            return self._cache[key]

    def render(self, digest_json: str) -> tuple[list[list[Block]], str]:
        from bot.render import render_digest_messages, render_digest_text

        with self._lock:
            if digest_json not in self._rendered:
                digest = Digest.model_validate_json(digest_json)
                self._rendered[digest_json] = (
                    render_digest_messages(digest),
                    render_digest_text(digest),
                )
            return self._rendered[digest_json]


def _fallback(text: str) -> str:
    return text if len(text) <= FALLBACK_TEXT_MAX else text[: FALLBACK_TEXT_MAX - 1] + "…"


def run_due(
    now: datetime,
    store: Store,
    index: CorpusIndex,
    send: Send,
    *,
    grace: timedelta = timedelta(hours=12),
    attempts: int = 3,
    backoff: float = 2.0,
    retry_after: timedelta = timedelta(minutes=10),
    lease: timedelta = timedelta(minutes=15),
    pace: float = 1.0,
    workers: int = 16,
    sleep: Callable[[float], None] = _time.sleep,
) -> RunReport:
    """Send every digest due at `now` once: claim in the database first, then post.

    Each subscription's latest slot (its local day and time) is due if no delivery exists for
    its period; within `grace` it is sent, later it is recorded as missed. A failing post is
    retried `attempts` times with exponential `backoff` (seconds); if that fails too, the
    delivery waits `retry_after` for the next run (while still within grace), and resumes after
    the last message that went out, so nothing is posted twice. A claim older than `lease`
    whose process vanished is taken over the same way. Parts of one digest are paced `pace`
    seconds apart (Slack: one message per second per channel); channels run concurrently.
    """
    if now.tzinfo is None:
        raise ValueError("run_due needs an aware datetime")
    subs = store.subscriptions()
    slots: list[tuple[Subscription, datetime, str]] = []
    for sub in subs:
        slot = latest_slot(sub.day, sub.time, sub.tz, now)
        if slot < sub.created_at:
            continue  # subscribed after this week's slot: the first digest is next week's
        slots.append((sub, slot, period_key(slot, sub.tz)))
    taken = store.deliveries_for_periods((s.id, key) for s, _, key in slots)
    due = [(s, slot, key) for s, slot, key in slots if (s.id, key) not in taken]

    outcomes: list[Outcome] = []
    jobs: list[_Job] = []
    for sub, slot, key in due:
        did = store.claim_delivery(sub.id, key, channel=sub.channel, scheduled_for=slot, now=now)
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
        if not store.reclaim_delivery(d.id, now=now, stale_before=now - lease):
            continue
        if now - d.scheduled_for > grace and d.messages_sent == 0:
            store.mark_missed(d.id, reason=f"still failing {grace} after the slot: {d.error}")
            outcomes.append(Outcome(d.channel, d.period_key, "missed", d.attempts, d.error))
            continue
        topics = by_id[d.subscription_id].topics if d.subscription_id in by_id else ()
        jobs.append(_Job(d.id, d.channel, d.period_key, d.scheduled_for, topics, resume=d))

    if jobs:
        ingested = store.record_sources_seen((s.source_id for s in index.corpus.sources), now)
        composer = _Composer(index, now, ingested)
        last = store.last_deliveries(j.channel for j in jobs)

        def work(job: _Job) -> Outcome:
            try:
                return _deliver_job(job)
            except Exception as exc:  # e.g. the database went away mid-send
                # The claim stays; after `lease` another run resumes from the recorded progress.
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
                send=send,
                now=now,
                grace=grace,
                attempts=attempts,
                backoff=backoff,
                retry_after=retry_after,
                pace=pace,
                sleep=sleep,
            )

        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
            outcomes.extend(pool.map(work, jobs))
    _count_outcomes(outcomes)
    return RunReport(now=now, outcomes=tuple(outcomes), due=len(due))


def _count_outcomes(outcomes: Sequence[Outcome]) -> None:
    """Metrics (scale, issue 6): briefbot_digests_total{outcome=sent|missed|failed}."""
    from bot.observability import record_digest

    for o in outcomes:
        record_digest(
            "sent" if o.status == "sent" else "missed" if o.status == "missed" else "failed"
        )


def _deliver(
    job: _Job,
    *,
    store: Store,
    composer: _Composer,
    since: datetime | None,
    send: Send,
    now: datetime,
    grace: timedelta,
    attempts: int,
    backoff: float,
    retry_after: timedelta,
    pace: float,
    sleep: Callable[[float], None],
) -> Outcome:
    resume = job.resume
    tries = resume.attempts if resume else 0
    try:
        if resume and resume.digest_json:
            digest_json = resume.digest_json
        else:
            digest = composer.digest(since, job.topics)
            digest_json = digest.model_dump_json()
            store.save_digest(
                job.delivery_id,
                digest_json=digest_json,
                covered_since=since,
                covered_until=digest.period_end,
            )
        messages, text = composer.render(digest_json)
    except Exception as exc:  # a bug composing one digest must not stop the others
        log.exception("digest compose failed channel=%s period=%s", job.channel, job.period_key)
        store.mark_failed(job.delivery_id, attempts=tries, error=f"compose: {exc!r}")
        return Outcome(job.channel, job.period_key, "failed", tries, repr(exc))

    done = resume.messages_sent if resume else 0
    thread_ts = resume.thread_ts if resume else None
    parts = len(messages)
    error: str | None = None
    while done < parts:
        request = PostRequest(
            channel=job.channel,
            text=_fallback(text) if done == 0 else f"Digest continued ({done + 1}/{parts})",
            blocks=messages[done],
            thread_ts=thread_ts,
            part=done + 1,
            parts=parts,
        )
        ts = _post_with_retries(request, send, attempts, backoff, sleep)
        tries += ts.tries
        if ts.ts is None:
            error = ts.error
            break
        done += 1
        if thread_ts is None:
            thread_ts = ts.ts
        store.mark_progress(job.delivery_id, messages_sent=done, thread_ts=thread_ts)
        if done < parts and pace > 0:
            sleep(pace)  # one message per second per channel

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


@dataclass(frozen=True)
class _Posted:
    ts: str | None
    tries: int
    error: str | None = None


def _post_with_retries(
    request: PostRequest,
    send: Send,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> _Posted:
    error = ""
    for attempt in range(1, max(1, attempts) + 1):
        try:
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


__all__: Sequence[str] = (
    "Outcome",
    "PostRequest",
    "RunReport",
    "Send",
    "run_due",
    "terminal_send",
    "web_api_send",
)
