"""Decide which digests are due and send each exactly once: claim, compose, post, record.

Exactly once, even for the digest a process was posting when it died: every part carries Slack
message metadata naming its delivery and part, and a run that takes over a delivery looks for
the next part in the channel (or the digest's thread) before posting it again.
"""

from __future__ import annotations

import logging
import threading
import time as _time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.errors import BriefbotError
from bot.models import Digest, DigestSnapshot
from bot.schedule import latest_slot, period_key
from bot.store import Delivery, Store, Subscription

log = logging.getLogger(__name__)

FALLBACK_TEXT_MAX = 3900  # Slack truncates long fallback text; notifications show far less
METADATA_EVENT_TYPE = "briefbot_digest"
DEFAULT_LEASE = timedelta(minutes=15)
LOOKUP_PAGES = 10  # at most this many pages of 200 messages are searched for a posted part
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
    delivery_id: int = 0
    period_key: str = ""

    @property
    def metadata(self) -> dict[str, Any]:
        """Slack message metadata naming the delivery and part (found again after a crash)."""
        return {
            "event_type": METADATA_EVENT_TYPE,
            "event_payload": {
                "delivery_id": self.delivery_id,
                "period": self.period_key,
                "part": self.part,
                "parts": self.parts,
            },
        }

    def tagged(self, message: Any) -> bool:
        """Whether a message from conversations.history/replies is this part."""
        if not isinstance(message, dict):
            return False
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        return (
            meta.get("event_type") == METADATA_EVENT_TYPE
            and str(payload.get("delivery_id")) == str(self.delivery_id)
            and str(payload.get("period")) == self.period_key
            and str(payload.get("part")) == str(self.part)
        )


class Send(Protocol):
    """Posts one message and returns its ts; raises on failure."""

    def __call__(self, request: PostRequest) -> str: ...


@runtime_checkable
class LookupSend(Send, Protocol):
    """A Send that can also tell whether a part is in Slack already (its ts), else None.

    `not_before` is the earliest the part can have been posted (the digest's slot). Raises
    when it cannot look; the run then treats it like a failed post and retries later.
    """

    def find_posted(self, request: PostRequest, *, not_before: datetime) -> str | None: ...


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
        metadata: dict[str, Any] | None = None,
    ) -> Any: ...

    def conversations_history(
        self,
        *,
        channel: str,
        cursor: str | None = None,
        include_all_metadata: bool | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Any: ...

    def conversations_replies(
        self,
        *,
        channel: str,
        ts: str,
        cursor: str | None = None,
        include_all_metadata: bool | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Any: ...


class _WebApiSend:
    """Posts through a slack_sdk WebClient and finds tagged parts with the history methods."""

    def __init__(self, client: _ChatClient) -> None:
        self._client = client

    def __call__(self, request: PostRequest) -> str:
        response = self._client.chat_postMessage(
            channel=request.channel,
            text=request.text,
            blocks=request.blocks,
            thread_ts=request.thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            metadata=request.metadata,
        )
        return str(response["ts"])

    def find_posted(self, request: PostRequest, *, not_before: datetime) -> str | None:
        # The head is a channel message (conversations.history, newest first: stop paging once
        # a page reaches back before the slot); later parts are replies in the head's thread.
        oldest = not_before.timestamp() - 60
        cursor: str | None = None
        for _ in range(LOOKUP_PAGES):
            if request.thread_ts is None:
                page = self._client.conversations_history(
                    channel=request.channel, cursor=cursor, include_all_metadata=True, limit=200
                )
            else:
                page = self._client.conversations_replies(
                    channel=request.channel,
                    ts=request.thread_ts,
                    cursor=cursor,
                    include_all_metadata=True,
                    limit=200,
                )
            messages = list(page.get("messages") or [])
            for message in messages:
                if request.tagged(message):
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or not page.get("has_more", True):
                return None
            if request.thread_ts is None and any(_ts(m) < oldest for m in messages):
                return None
        return None


def _ts(message: Any) -> float:
    try:
        return float(message.get("ts", 0))
    except (TypeError, ValueError, AttributeError):
        return 0.0


def web_api_send(client: _ChatClient) -> Send:
    """A Send over a slack_sdk WebClient (its retry handlers wait out 429s); a LookupSend too."""
    return _WebApiSend(client)


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
    _cache: dict[tuple[datetime | None, tuple[str, ...], str, frozenset[str]], Digest] = field(
        default_factory=dict
    )
    _rendered: dict[str, tuple[list[list[Block]], str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def digest(
        self,
        since: datetime | None,
        topics: tuple[str, ...],
        previous: str | None = None,
        dismissed: frozenset[str] = frozenset(),
    ) -> Digest:
        """`previous`: the snapshot JSON of the channel's last digest; `dismissed`: its
        "Not a disagreement" flags."""
        key = (since, topics, previous or "", dismissed)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compose_digest(
                    self.index,
                    since=since,
                    until=self.until,
                    topics=topics,
                    ingested_at=self.ingested_at,
                    previous=_snapshot(previous),
                    dismissed=dismissed,
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


def _snapshot(raw: str | None) -> DigestSnapshot | None:
    """The stored snapshot, or None (first digest, or one sent before snapshots existed)."""
    if not raw:
        return None
    try:
        return DigestSnapshot.model_validate_json(raw)
    except ValueError:
        log.warning("digest snapshot unreadable; the digest is composed as a first one")
        return None


def _previous(store: Store, last: Mapping[str, Delivery], channel: str) -> str | None:
    return store.digest_snapshot(last[channel].id) if channel in last else None


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
    lease: timedelta = DEFAULT_LEASE,
    pace: float = 1.0,
    workers: int = 16,
    sleep: Callable[[float], None] = _time.sleep,
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
    """
    if now.tzinfo is None:
        raise ValueError("run_due needs an aware datetime")
    if lease <= timedelta(0):
        raise ValueError("run_due needs a positive lease")
    subs = store.subscriptions()
    due = _due_slots(now, store, subs)

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
        composer = _Composer(index, now, ingested)
        last = store.last_deliveries(j.channel for j in jobs)

        keeper = _LeaseKeeper(store, now, lease, token, (j.delivery_id for j in jobs))

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
                previous=_previous(store, last, job.channel),
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


def _due_slots(
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
    grace: timedelta = timedelta(hours=12),
) -> list[DuePreview]:
    """What run_due would do at `now`, composed the same way, with nothing claimed or written.

    The dry run of `briefbot run-due` without Slack tokens: trying it never eats a real digest.
    """
    if now.tzinfo is None:
        raise ValueError("preview_due needs an aware datetime")
    due = _due_slots(now, store, store.subscriptions())
    if not due:
        return []
    sources = [s.source_id for s in index.corpus.sources]
    seen = store.sources_first_seen(sources)
    composer = _Composer(index, now, {sid: seen.get(sid, now) for sid in sources})
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
            _previous(store, last, sub.channel),
            store.dismissed_flags(sub.channel),
        )
        _, text = composer.render(digest.model_dump_json())
        previews.append(DuePreview(sub.channel, key, slot, "due", text))
    return previews


class _LeaseKeeper:
    """Renews this run's claims every lease/3 while their digests are being sent.

    Without it a digest that takes longer than the lease to post (five parts a second apart,
    429 waits) would be taken over by another replica while still being sent. Claim times are
    `now` (the run's clock) plus the time elapsed since, so tests with a fixed clock still work.
    """

    def __init__(
        self,
        store: Store,
        now: datetime,
        lease: timedelta,
        token: str,
        delivery_ids: Iterable[int],
    ) -> None:
        self._store = store
        self._now = now
        self._lease = lease
        self._token = token
        self._lost: set[int] = set()
        self._started = _time.monotonic()
        self._held = set(delivery_ids)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="digest-lease", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def release(self, delivery_id: int) -> None:
        """Stop renewing a claim (before its final status is written)."""
        with self._lock:
            self._held.discard(delivery_id)

    def confirm(self, delivery_id: int) -> bool:
        """Renew this claim now, right before a post: True while it is still ours.

        The background renewal alone leaves a window: a run stalled (a loaded machine, a slow
        database) past its lease could post a part that the run which took over has already
        looked for and not found. Renewing just before each post means a takeover needs the
        post itself to outlast the lease. A database that cannot answer counts as "not ours":
        the claim stays and another run resumes it from the recorded progress.
        """
        at = self._now + timedelta(seconds=_time.monotonic() - self._started)
        with self._lock:
            if delivery_id in self._lost:
                return False
            try:
                ours = self._store.renew_delivery(delivery_id, token=self._token, now=at)
            except Exception:
                log.warning(
                    "could not confirm digest claim delivery=%d", delivery_id, exc_info=True
                )
                return False
            if not ours:
                self._held.discard(delivery_id)
                self._lost.add(delivery_id)
            return ours

    def _loop(self) -> None:
        every = max(0.2, self._lease.total_seconds() / 3)
        while not self._stop.wait(every):
            at = self._now + timedelta(seconds=_time.monotonic() - self._started)
            with self._lock:
                for did in sorted(self._held):
                    try:
                        if not self._store.renew_delivery(did, token=self._token, now=at):
                            log.warning("digest claim taken over by another run delivery=%d", did)
                            self._held.discard(did)
                            self._lost.add(did)
                    except Exception:  # the database may be briefly away; next round
                        log.warning("could not renew digest claim delivery=%d", did, exc_info=True)


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
    composer: _Composer,
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
    keeper: _LeaseKeeper,
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
            text=_fallback(text) if done == 0 else f"Digest continued ({done + 1}/{parts})",
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


__all__: Sequence[str] = (
    "METADATA_EVENT_TYPE",
    "LookupSend",
    "Outcome",
    "DuePreview",
    "PostRequest",
    "RunReport",
    "Send",
    "preview_due",
    "run_due",
    "terminal_send",
    "web_api_send",
)
