"""Edge: no acknowledged Slack event is lost when a replica dies, and none is answered twice.

Ack-first (Bolt's `process_before_response=False`) means Slack stops retrying an event as soon
as a replica said 200, even if that replica is killed before it answers. So each event is
written to the database *before* the ack (a Bolt middleware), leased to the replica that took
it, and marked done only once its listener returned without an error. A heartbeat renews the
leases of the events this replica is working on, so a short lease (10 s) is safe for a slow
answer and a dead replica's events are taken over within seconds. Every replica runs a small
recovery loop that takes over events whose lease ran out (their replica died, or their
listener failed) and runs the same listener again. A retry of a stored event is acknowledged
without answering.

Exactly once, even for the event a replica was posting when it died: answers carry Slack
message metadata naming their event_id, and before re-answering a taken-over event the loop
looks in its thread (conversations.replies) for an answer with that tag. If it cannot look,
it waits and looks again later rather than risk a second answer.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from slack_bolt import BoltResponse

from bot.errors import BriefbotError
from bot.ops.logs import log_context
from bot.ops.metrics import record_event_deduplicated, record_event_retry
from bot.slack.tagged import find_tagged, message_tag
from bot.store import InboxEvent, Store

log = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "briefbot_answer"
# Short, because a heartbeat renews it while an answer is being worked on (429 waits
# included): a SIGKILLed replica's events are taken over about this long after it died.
DEFAULT_LEASE = timedelta(seconds=10)
DEFAULT_RECOVER_EVERY = 1.0  # one small indexed SELECT a second per replica
# A failed answer is retried after 1, 2, 4, ... seconds (at most a minute), this many times.
MAX_ATTEMPTS = 8
RETRY_DELAY_MAX = timedelta(seconds=60)
# The heartbeat stops renewing an event after this long, so one that never reached a
# listener (or a stuck listener) falls to the recovery loop instead of being held forever.
MAX_HOLD = timedelta(minutes=5)
DEFAULT_RETENTION = timedelta(hours=48)
RECOVERY_WORKERS = 8
PRUNE_EVERY = timedelta(minutes=10)

Listener = Callable[..., None]
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class EventSurface(Protocol):
    """What the recovery loop needs of bot.slack.app.Surface."""

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def listener(self) -> Callable[[Any], Listener]: ...


def answer_metadata(event_id: str) -> dict[str, Any]:
    """Slack message metadata that tags an answer with the event it answers."""
    return message_tag(METADATA_EVENT_TYPE, {"event_id": event_id})


class TaggedClient:
    """A WebClient whose chat.postMessage calls carry the event's metadata tag."""

    def __init__(self, client: Any, event_id: str) -> None:
        self._client = client
        self._event_id = event_id

    def chat_postMessage(self, **kwargs: Any) -> Any:  # noqa: N802  (slack_sdk's name)
        kwargs.setdefault("metadata", answer_metadata(self._event_id))
        return self._client.chat_postMessage(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def _event_of(body: Mapping[str, Any]) -> Mapping[str, Any]:
    event = body.get("event")
    return event if isinstance(event, Mapping) else {}


def retry_delay(attempts: int) -> timedelta:
    """How long a failed event waits before recovery tries it again (1 s, 2 s, 4 s, ... 60 s):
    a database blip is retried at once, a Slack outage for a few minutes before giving up."""
    return min(timedelta(seconds=2 ** min(max(0, attempts - 1), 10)), RETRY_DELAY_MAX)


class EventInbox:
    """The durable inbox: a Bolt middleware, a listener wrapper, a heartbeat, recovery."""

    def __init__(
        self,
        store: Store,
        *,
        lease: timedelta = DEFAULT_LEASE,
        owner: str | None = None,
        recover_every: float = DEFAULT_RECOVER_EVERY,
        retention: timedelta = DEFAULT_RETENTION,
        clock: Clock = _utcnow,
        recovers: bool = True,
    ) -> None:
        """`recovers`: a recovery loop (start_recovery) answers failed events again. Without
        one (an app built for a test or a bench) a failure is final: the event is marked
        failed and the error goes to the app's error handler, which apologises."""
        if lease <= timedelta(0):
            raise ValueError("EventInbox needs a positive lease")
        self.store = store
        self.lease = lease
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.recover_every = recover_every
        self.retention = retention
        self.clock = clock
        self.recovers = recovers
        self._held: dict[str, datetime] = {}  # event_id -> when this replica took it
        self._held_lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_prune: datetime | None = None

    @classmethod
    def with_lease(
        cls,
        store: Store,
        lease: timedelta = DEFAULT_LEASE,
        *,
        retention: timedelta = DEFAULT_RETENTION,
    ) -> EventInbox:
        """An inbox whose recovery loop looks twice per lease (at most every second)."""
        return cls(
            store,
            lease=lease,
            recover_every=min(DEFAULT_RECOVER_EVERY, lease.total_seconds() / 2),
            retention=retention,
        )

    # --- what this replica holds ----------------------------------------------------------

    def _hold(self, event_id: str) -> None:
        with self._held_lock:
            self._held.setdefault(event_id, self.clock())

    def _drop(self, event_id: str) -> None:
        with self._held_lock:
            self._held.pop(event_id, None)

    def held(self) -> set[str]:
        with self._held_lock:
            return set(self._held)

    def renew_once(self) -> set[str]:
        """Extend the leases of the events this replica is working on; returns those kept."""
        now = self.clock()
        with self._held_lock:
            for eid, since in list(self._held.items()):
                if now - since > MAX_HOLD:
                    log.warning("event held too long, left to recovery event_id=%s", eid)
                    del self._held[eid]
            ids = set(self._held)
        if not ids:
            return set()
        kept = self.store.renew_event_leases(ids, owner=self.owner, lease=self.lease, now=now)
        for eid in ids - kept:
            # Finished meanwhile, or taken over after a stall; either way not ours to renew.
            self._drop(eid)
        return kept

    # --- the request path -----------------------------------------------------------------

    def middleware(self) -> Callable[..., BoltResponse | None]:
        """A Bolt global middleware: store the event before Bolt acknowledges it."""

        def store_before_ack(
            body: dict[str, Any],
            next: Callable[[], BoltResponse | None],  # noqa: A002
        ) -> BoltResponse | None:
            eid = body.get("event_id")
            if body.get("type") != "event_callback" or not eid:
                return next()
            event_type = str(_event_of(body).get("type", ""))
            try:
                stored = self.store.accept_event(
                    str(eid),
                    event_type,
                    body,
                    owner=self.owner,
                    lease=self.lease,
                    now=self.clock(),
                )
            except Exception:
                # Not acknowledged, so Slack keeps the event and retries it. Answered here
                # rather than raised: Bolt's error handler would apologise for an event that
                # will still be answered.
                log.warning("could not store event, asking Slack to retry event_id=%s", eid)
                return BoltResponse(status=500, body="")
            if stored:
                self._hold(str(eid))
                return next()
            # Stored already: a Slack retry, maybe at another replica. The holder answers it.
            record_event_deduplicated()
            log.info("duplicate delivery acknowledged, not answered event_id=%s", eid)
            return BoltResponse(status=200, body="")

        return store_before_ack

    def tracked(self, listener: Listener) -> Listener:
        """Tag the listener's answers with its event_id; the event is done only if it returned."""

        @functools.wraps(listener)
        def run(*args: Any, **kwargs: Any) -> None:
            eid = (kwargs.get("body") or {}).get("event_id")
            if not eid:
                listener(*args, **kwargs)
                return
            eid = str(eid)
            if "client" in kwargs:
                kwargs["client"] = TaggedClient(kwargs["client"], eid)
            self._hold(eid)
            try:
                self._run_listener(eid, 1, lambda: listener(*args, **kwargs), outcome="answered")
            finally:
                self._drop(eid)

        return run

    def _run_listener(
        self, eid: str, attempts: int, call: Callable[[], None], *, outcome: str
    ) -> bool:
        """Run one listener; True when it finished. A failure leaves the event for recovery."""
        try:
            call()
        except BriefbotError:
            # A user error: the one error handler tells them how to fix it; a retry would only
            # say the same again.
            self._finish(eid, "user_error")
            raise
        except Exception:
            if not self.recovers:
                self._finish(eid, "failed")
                raise
            # No apology: the event is still pending, and recovery answers it (or finds the
            # answer this attempt posted before it failed).
            log.exception("listener failed, the event is left for recovery event_id=%s", eid)
            record_event_retry()
            self._retry_later(eid, attempts)
            return False
        self._finish(eid, outcome)
        return True

    def _finish(self, eid: str, outcome: str) -> None:
        try:
            self.store.finish_event(eid, outcome=outcome, now=self.clock())
        except Exception:
            # The answer is posted; once the lease lapses recovery finds it by its tag.
            log.warning("could not mark event done event_id=%s", eid, exc_info=True)

    def _retry_later(self, eid: str, attempts: int) -> None:
        self._drop(eid)
        now = self.clock()
        try:
            self.store.retry_event_later(
                eid,
                owner=self.owner,
                at=now + retry_delay(attempts),
                now=now,
            )
        except Exception:  # the database is away: the lease simply runs out
            log.warning("could not schedule a retry event_id=%s", eid, exc_info=True)

    # --- recovery -------------------------------------------------------------------------

    def recover_once(self, deps: Any, client: Any, surfaces: Iterable[EventSurface]) -> int:
        """Take over expired events and answer the ones nobody answered; returns how many."""
        by_name = {s.name: s for s in surfaces if s.kind == "event"}
        taken = self.store.take_over_expired_events(
            owner=self.owner, lease=self.lease, now=self.clock()
        )
        for ev in taken:  # renewed by the heartbeat from now on, queued or running
            self._hold(ev.event_id)

        def recover(ev: InboxEvent) -> int:
            event = _event_of(ev.body)
            try:
                with log_context(event_id=ev.event_id, channel=str(event.get("channel") or "")):
                    return self._recover(ev, event, deps, client, by_name)
            finally:
                self._drop(ev.event_id)

        if len(taken) <= 1:
            return sum(recover(ev) for ev in taken)
        # A dead replica may leave dozens of events: answer them side by side, not in a row,
        # so the last is not kept waiting for all the others.
        with ThreadPoolExecutor(
            max_workers=min(RECOVERY_WORKERS, len(taken)), thread_name_prefix="briefbot-recover"
        ) as pool:
            return sum(pool.map(recover, taken))

    def _recover(
        self,
        ev: InboxEvent,
        event: Mapping[str, Any],
        deps: Any,
        client: Any,
        by_name: Mapping[str, EventSurface],
    ) -> int:
        surface = by_name.get(ev.event_type) or by_name.get(
            f"{ev.event_type}.{event.get('channel_type', '')}"
        )
        if surface is None:
            self._finish(ev.event_id, "no_listener")
            return 0
        answered = self._already_answered(client, ev.event_id, event)
        if answered is None:
            if ev.attempts > MAX_ATTEMPTS:
                # Slack cannot tell us for many minutes: give up without a second answer.
                log.error("event given up: could not check for an earlier answer")
                self._finish(ev.event_id, "gave_up")
                return 0
            self._retry_later(ev.event_id, ev.attempts)
            return 0
        if answered:
            log.info("taken-over event was answered before (found by its tag)")
            self._finish(ev.event_id, "found_answer")
            return 0
        if ev.attempts > MAX_ATTEMPTS:
            log.error("event given up after %d attempts", ev.attempts - 1)
            self._apologise(client, event)
            self._finish(ev.event_id, "gave_up")
            return 0
        log.warning("answering a taken-over event (attempt %d)", ev.attempts)
        tagged = TaggedClient(client, ev.event_id)
        try:
            done = self._run_listener(
                ev.event_id,
                ev.attempts,
                lambda: surface.listener(deps)(event=dict(event), body=ev.body, client=tagged),
                outcome="recovered",
            )
        except BriefbotError as exc:  # no Bolt error handler here: say it like it would
            self._reply(client, event, str(exc))
            return 1
        return 1 if done else 0

    def _apologise(self, client: Any, event: Mapping[str, Any]) -> None:
        from bot.ops.logs import new_reference_id
        from bot.slack.apology import apology_text

        ref = new_reference_id()
        log.error("apologising for an event given up ref=%s", ref)
        self._reply(client, event, apology_text(ref))

    def _reply(self, client: Any, event: Mapping[str, Any], text: str) -> None:
        channel = event.get("channel")
        if not channel or event.get("type") not in ("app_mention", "message"):
            return
        try:
            client.chat_postMessage(channel=channel, thread_ts=_thread_of(event), text=text)
        except Exception:
            log.warning("could not reply to a given-up event", exc_info=True)

    def _already_answered(
        self, client: Any, event_id: str, event: Mapping[str, Any]
    ) -> bool | None:
        """Whether Slack holds an answer tagged with this event; None when it cannot look."""
        if event.get("type") == "app_home_opened":
            return False  # publishing the Home view again is harmless
        channel = event.get("channel")
        if not channel:
            return False
        oldest = event.get("ts")
        try:
            found = find_tagged(
                client,
                str(channel),
                METADATA_EVENT_TYPE,
                {"event_id": event_id},
                thread_ts=_thread_of(event),
                oldest=str(oldest) if oldest else None,
                pages=1,
            )
        except Exception:
            log.warning("could not check for an earlier answer", exc_info=True)
            return None
        return found is not None

    # --- maintenance ----------------------------------------------------------------------

    def prune_once(self) -> int:
        """Delete finished inbox rows (answered events, signed requests already run) older
        than the retention; returns how many."""
        done = self.store.prune_finished_events(self.clock() - self.retention)
        if done:
            log.info("pruned finished events inbox=%d", done)
        return done

    def maintain_once(self, deps: Any, client: Any, surfaces: Iterable[EventSurface]) -> int:
        """One round of the recovery loop: recover, and prune when it is time."""
        handled = self.recover_once(deps, client, surfaces)
        now = self.clock()
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            self.prune_once()
            self._last_prune = now
        return handled

    def start_recovery(
        self, deps: Any, client: Any, surfaces: Iterable[EventSurface]
    ) -> threading.Thread:
        """Run the heartbeat and the recovery loop on daemon threads, until stop()."""
        surfaces = tuple(surfaces)

        def heartbeat() -> None:
            every = max(0.2, self.lease.total_seconds() / 3)
            while not self._stop.wait(every):
                try:
                    self.renew_once()
                except Exception:  # the database may be briefly away; renew next round
                    log.warning("could not renew event leases", exc_info=True)

        def loop() -> None:
            while not self._stop.wait(self.recover_every):
                try:
                    self.maintain_once(deps, client, surfaces)
                except Exception:  # the database may be briefly away; try again next round
                    log.warning("event recovery round failed", exc_info=True)

        for name, target in (("heartbeat", heartbeat), ("recovery", loop)):
            thread = threading.Thread(target=target, name=f"briefbot-event-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self._threads[-1]

    def stop(self) -> None:
        self._stop.set()
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _thread_of(event: Mapping[str, Any]) -> str | None:
    thread = event.get("thread_ts") or (
        event.get("ts") if event.get("type") == "app_mention" else None
    )
    return str(thread) if thread else None
