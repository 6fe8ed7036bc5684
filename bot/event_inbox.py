"""Edge: no acknowledged Slack event is lost when a replica dies, and none is answered twice.

Ack-first (Bolt's `process_before_response=False`) means Slack stops retrying an event as soon
as a replica said 200, even if that replica is killed before it answers. So each event is
written to the database *before* the ack (a Bolt middleware), leased to the replica that took
it, and marked done once its listener returned. Every replica runs a small recovery loop that
takes over events whose lease ran out (their replica died) and runs the same listener again.
A retry of a stored event is acknowledged without answering.

Exactly once, even for the event a replica was posting when it died: answers carry Slack
message metadata naming their event_id, and before re-answering a taken-over event the loop
looks in its thread (conversations.replies) for an answer with that tag.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from slack_bolt import BoltResponse

from bot.observability import log_context, record_event_deduplicated
from bot.store import Store
from bot.store import event_inbox as rows

log = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "briefbot_answer"
DEFAULT_LEASE = timedelta(seconds=120)  # far longer than any answer, 429 waits included
DEFAULT_RECOVER_EVERY = 2.0
MAX_ATTEMPTS = 5  # a poison event is given up after this many workers tried it

Listener = Callable[..., None]


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
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"event_id": event_id}}


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


class _AlreadyClaimed:
    """The store as a taken-over listener sees it: the inbox lease is this event's claim."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def claim_event(self, event_id: str) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _event_of(body: Mapping[str, Any]) -> Mapping[str, Any]:
    event = body.get("event")
    return event if isinstance(event, Mapping) else {}


class EventInbox:
    """The durable inbox: a Bolt middleware, a listener wrapper, and the recovery loop."""

    def __init__(
        self,
        store: Store,
        *,
        lease: timedelta = DEFAULT_LEASE,
        owner: str | None = None,
        recover_every: float = DEFAULT_RECOVER_EVERY,
    ) -> None:
        self.store = store
        self.lease = lease
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.recover_every = recover_every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def with_lease(cls, store: Store, lease: timedelta = DEFAULT_LEASE) -> EventInbox:
        """An inbox whose recovery loop looks twice per lease (at most every 2 s)."""
        return cls(
            store, lease=lease, recover_every=min(DEFAULT_RECOVER_EVERY, lease.total_seconds() / 2)
        )

    # --- the request path ---------------------------------------------------------------

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
            # A database error here propagates: Slack gets a 500, keeps the event, retries.
            if rows.accept_event(
                self.store, str(eid), event_type, body, owner=self.owner, lease=self.lease
            ):
                return next()
            # Stored already: a Slack retry, maybe at another replica. The holder answers it.
            record_event_deduplicated()
            log.info("duplicate delivery acknowledged, not answered event_id=%s", eid)
            return BoltResponse(status=200, body="")

        return store_before_ack

    def tracked(self, listener: Listener) -> Listener:
        """Tag the listener's answers with its event_id and mark the event done afterwards."""

        @functools.wraps(listener)
        def run(*args: Any, **kwargs: Any) -> None:
            eid = (kwargs.get("body") or {}).get("event_id")
            if not eid:
                listener(*args, **kwargs)
                return
            if "client" in kwargs:
                kwargs["client"] = TaggedClient(kwargs["client"], str(eid))
            try:
                listener(*args, **kwargs)
            finally:
                rows.finish_event(self.store, str(eid))

        return run

    # --- recovery -----------------------------------------------------------------------

    def recover_once(self, deps: Any, client: Any, surfaces: Iterable[EventSurface]) -> int:
        """Take over expired events and answer the ones nobody answered; returns how many."""
        by_name = {s.name: s for s in surfaces if s.kind == "event"}
        claimed_deps = dataclasses.replace(deps, store=_AlreadyClaimed(deps.store))
        handled = 0
        for ev in rows.take_over_expired(self.store, owner=self.owner, lease=self.lease):
            event = _event_of(ev.body)
            with log_context(event_id=ev.event_id, channel=str(event.get("channel") or "")):
                handled += self._recover(ev, event, claimed_deps, client, by_name)
        return handled

    def _recover(
        self,
        ev: rows.InboxEvent,
        event: Mapping[str, Any],
        deps: Any,
        client: Any,
        by_name: Mapping[str, EventSurface],
    ) -> int:
        if ev.attempts > MAX_ATTEMPTS:
            log.error("event given up after %d attempts", ev.attempts - 1)
            rows.finish_event(self.store, ev.event_id, outcome="gave_up")
            return 0
        surface = by_name.get(ev.event_type) or by_name.get(
            f"{ev.event_type}.{event.get('channel_type', '')}"
        )
        if surface is None:
            rows.finish_event(self.store, ev.event_id, outcome="no_listener")
            return 0
        if self._already_answered(client, ev.event_id, event):
            log.info("taken-over event was answered before its replica died")
            rows.finish_event(self.store, ev.event_id, outcome="found_answer")
            return 0
        log.warning("answering an event whose replica died (attempt %d)", ev.attempts)
        try:
            surface.listener(deps)(
                event=dict(event), body=ev.body, client=TaggedClient(client, ev.event_id)
            )
        except Exception:  # one bad event must not stop the loop; it is logged with its id
            log.exception("recovered event failed")
        finally:
            rows.finish_event(self.store, ev.event_id, outcome="recovered")
        return 1

    def _already_answered(self, client: Any, event_id: str, event: Mapping[str, Any]) -> bool:
        if event.get("type") == "app_home_opened":
            return False  # publishing the Home view again is harmless
        channel = event.get("channel")
        if not channel:
            return False
        thread = event.get("thread_ts") or (
            event.get("ts") if event.get("type") == "app_mention" else None
        )
        try:
            if thread:
                found = client.conversations_replies(
                    channel=channel, ts=thread, include_all_metadata=True, limit=200
                )
            else:
                found = client.conversations_history(
                    channel=channel, oldest=event.get("ts"), include_all_metadata=True, limit=200
                )
        except Exception:
            # Cannot look: answer again rather than risk an unanswered question.
            log.warning("could not check for an earlier answer", exc_info=True)
            return False
        for message in found.get("messages", []) or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if (
                meta.get("event_type") == METADATA_EVENT_TYPE
                and payload.get("event_id") == event_id
            ):
                return True
        return False

    def start_recovery(
        self, deps: Any, client: Any, surfaces: Iterable[EventSurface]
    ) -> threading.Thread:
        """Run recover_once every few seconds on a daemon thread, until stop()."""
        surfaces = tuple(surfaces)

        def loop() -> None:
            last_prune = datetime.now(UTC)
            while not self._stop.wait(self.recover_every):
                try:
                    self.recover_once(deps, client, surfaces)
                    now = datetime.now(UTC)
                    if now - last_prune > timedelta(hours=1):
                        rows.prune_done(self.store, now - timedelta(days=1))
                        last_prune = now
                except Exception:  # the database may be briefly away; try again next round
                    log.warning("event recovery round failed", exc_info=True)

        self._thread = threading.Thread(target=loop, name="briefbot-event-recovery", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
