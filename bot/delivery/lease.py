"""Keeping a run's digest claims alive while it sends, on a clock the caller gives."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bot.store import Store

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=15)
Clock = Callable[[], datetime]


class LeaseKeeper:
    """Renews a run's claims: right before each post (`confirm`) and every lease/3 meanwhile.

    Without it a digest that takes longer than the lease to post (five parts a second apart,
    429 waits) would be taken over by another replica while still being sent. Claim times come
    from `clock` (the run's clock), so tests drive time by hand instead of sleeping.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        lease: timedelta,
        token: str,
        delivery_ids: Iterable[int],
    ) -> None:
        self._store = store
        self._clock = clock
        self._lease = lease
        self._token = token
        self._lost: set[int] = set()
        self._held = set(delivery_ids)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Renew in a background thread every lease/3 until stop() (covers a long post)."""
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

    def held(self) -> set[int]:
        with self._lock:
            return set(self._held)

    def confirm(self, delivery_id: int) -> bool:
        """Renew this claim now, right before a post: True while it is still ours.

        The background renewal alone leaves a window: a run stalled (a loaded machine, a slow
        database) past its lease could post a part that the run which took over has already
        looked for and not found. Renewing just before each post means a takeover needs the
        post itself to outlast the lease. A database that cannot answer counts as "not ours":
        the claim stays and another run resumes it from the recorded progress.
        """
        at = self._clock()
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

    def renew_once(self) -> set[int]:
        """Renew every claim still held; returns those that are still ours."""
        at = self._clock()
        with self._lock:
            for did in sorted(self._held):
                try:
                    if not self._store.renew_delivery(did, token=self._token, now=at):
                        log.warning("digest claim taken over by another run delivery=%d", did)
                        self._held.discard(did)
                        self._lost.add(did)
                except Exception:  # the database may be briefly away; next round
                    log.warning("could not renew digest claim delivery=%d", did, exc_info=True)
            return set(self._held)

    def _loop(self) -> None:
        every = max(0.2, self._lease.total_seconds() / 3)
        while not self._stop.wait(every):
            self.renew_once()
