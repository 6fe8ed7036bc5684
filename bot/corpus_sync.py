"""Edge: keeps each replica's CorpusIndex current with the shared corpus version and content/."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.corpus import CorpusIndex
from bot.errors import BriefbotError
from bot.models import Corpus
from bot.ops.metrics import record_content_state, record_corpus_version
from bot.retrieval import retrieval_index_for

if TYPE_CHECKING:
    from bot.ingest.build import ContentLoad
    from bot.store import Store

log = logging.getLogger(__name__)

DEFAULT_CHECK_EVERY = 5.0  # seconds between looks at the shared version; one tiny query
REBUILD_LEASE_NAME = "content-rebuild"
# Longer than the slowest rebuild measured (10,000 sections: 110 s wall under load); a
# replica that dies mid-rebuild holds the others off this long at most.
REBUILD_LEASE = timedelta(minutes=10)


class CorpusSource(Protocol):
    """Where the shared corpus lives (the database, for replicas)."""

    def current_version(self) -> str | None:
        """The version every replica should answer from, or None when none was published."""
        ...

    def fetch(self, version: str) -> Corpus | None:
        """The compiled corpus of that version, or None when it is not stored."""
        ...

    def publish(self, corpus: Corpus) -> None:
        """Store the corpus and make its version the current one, for every replica."""
        ...

    def knows(self, version: str) -> bool:
        """Whether that version was ever published (current or not)."""
        ...


@runtime_checkable
class RebuildLease(Protocol):
    """A lease only one replica holds at a time, so one rebuilds changed content (the
    database, for replicas); the others adopt the version it publishes."""

    def acquire_rebuild(self, owner: str, ttl: timedelta) -> bool:
        """Take the rebuild lease for `ttl`; False while another owner holds it."""
        ...

    def release_rebuild(self, owner: str) -> None:
        """Give the lease up after the rebuild (published or refused)."""
        ...


class CorpusProvider:
    """Hands out the CorpusIndex to answer from and swaps in a newly published one.

    Readers take one reference per request (`index = provider.current()`), so a swap never
    changes the corpus under a request that is half-way through: they see the old index or the
    new one, never a mix. The check costs one query at most every `check_every` seconds, made
    by whichever request thread comes first while the others carry on with the current index.
    """

    def __init__(
        self,
        initial: Corpus | CorpusIndex,
        source: CorpusSource | None = None,
        *,
        check_every: float = DEFAULT_CHECK_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._index = initial if isinstance(initial, CorpusIndex) else CorpusIndex(initial)
        self._source = source
        self._check_every = check_every
        self._clock = clock
        self._last_check = clock()
        self._checking = threading.Lock()
        record_corpus_version(self._index.version)

    @property
    def version(self) -> str:
        return self._index.version

    def current(self) -> CorpusIndex:
        """The index to answer from; checks the shared version when the last check is stale."""
        stale = self._clock() - self._last_check >= self._check_every
        # Only one thread checks; the rest answer from what they have rather than wait.
        if self._source is not None and stale and self._checking.acquire(blocking=False):
            try:
                self._refresh()
            finally:
                self._checking.release()
        return self._index

    # The Slack edge takes any `Callable[[], CorpusIndex]` (bot.slack.deps.CorpusProvider).
    __call__ = current

    def refresh(self) -> bool:
        """Check now (ignoring the interval); True when a new version was swapped in."""
        with self._checking:
            return self._refresh()

    def _refresh(self) -> bool:
        self._last_check = self._clock()
        if self._source is None:
            return False
        try:
            version = self._source.current_version()
            if version is None or version == self._index.version:
                return False
            corpus = self._source.fetch(version)
        except Exception:
            # A database hiccup must not take answers down: keep the corpus we have.
            log.warning(
                "could not check the shared corpus version; keeping %s",
                self._index.version,
                exc_info=True,
            )
            return False
        if corpus is None:
            log.warning(
                "corpus version %s is published but not stored; keeping %s",
                version,
                self._index.version,
            )
            return False
        self.swap(corpus)
        return True

    def swap(self, corpus: Corpus) -> None:
        """Build the new index fully, then replace the reference in one assignment."""
        previous = self._index.version
        fresh = CorpusIndex(corpus)
        retrieval_index_for(fresh)  # built here, off the path of the next question
        self._index = fresh
        record_corpus_version(fresh.version, previous=previous)
        log.info(
            "corpus reloaded: %s -> %s (%d reports)", previous, fresh.version, len(corpus.sources)
        )


def adopt_or_publish(local: Corpus, source: CorpusSource) -> Corpus:
    """Decide at start-up which corpus a replica answers from, and share it if it is news.

    A version the cluster has never seen is news (a new image, new content on a mounted
    volume): publish it so every replica switches. A version it has seen before is history
    (an old replica restarting): answer from the current shared one instead, so a restart can
    never roll the others back. Roll back on purpose with `publish` from the CLI.
    """
    if not source.knows(local.version):
        source.publish(local)
        log.info("published corpus %s (%d reports)", local.version, len(local.sources))
        return local
    current = source.current_version()
    if current is None or current == local.version:
        if current is None:
            source.publish(local)
        return local
    shared = source.fetch(current)
    if shared is None:
        log.warning(
            "shared corpus %s is not stored; answering from local %s", current, local.version
        )
        return local
    log.info("answering from shared corpus %s (local build is %s)", current, local.version)
    return shared


class StoreCorpusSource:
    """The shared corpus in the database: the version in corpus_state, the JSON in corpus_blobs."""

    def __init__(self, store: Store) -> None:
        from bot.store import corpus_blobs

        self.store = store
        self._blobs = corpus_blobs

    def current_version(self) -> str | None:
        return self.store.current_corpus_version()

    def fetch(self, version: str) -> Corpus | None:
        raw = self._blobs.load_corpus_blob(self.store, version)
        return Corpus.model_validate_json(raw) if raw is not None else None

    def knows(self, version: str) -> bool:
        return self._blobs.has_corpus_blob(self.store, version)

    def publish(self, corpus: Corpus) -> None:
        # The blob first, then the version: a replica that sees the version finds the blob.
        self._blobs.save_corpus_blob(
            self.store, corpus.version, corpus.model_dump_json(), corpus.built_at
        )
        self.store.publish_corpus_version(corpus.version)

    def acquire_rebuild(self, owner: str, ttl: timedelta) -> bool:
        return self.store.acquire_lease(REBUILD_LEASE_NAME, owner=owner, ttl=ttl)

    def release_rebuild(self, owner: str) -> None:
        self.store.release_lease(REBUILD_LEASE_NAME, owner=owner)


class ContentWatcher:
    """Rebuilds the corpus when content/ changes; a refused change keeps the last good corpus.

    One log line and one metric change per change of state (a new problem, a fixed one),
    never one per request or per check. `health()` tells /healthz whether the answers come
    from the content as it is on disk ("ok"), from the last good corpus ("stale"), or from
    nothing ("broken").

    Replicas sharing a database (a source that is also a RebuildLease) rebuild one at a time:
    a replica that sees changed content first hashes its bytes (cheap, nothing built); if that
    version is published already it adopts it, else it rebuilds only while holding the lease.
    One that finds the lease taken builds nothing and looks again at its next check, by which
    time the holder has usually published the version it adopts.
    """

    def __init__(
        self,
        provider: CorpusProvider,
        content_dir: Path,
        data_dir: Path,
        source: CorpusSource | None = None,
        *,
        problem: str | None = None,
        fingerprint: str | None = None,
        owner: str | None = None,
        rebuild_lease: timedelta = REBUILD_LEASE,
    ) -> None:
        """`problem` is what the start-up load refused; `fingerprint` the content_fingerprint
        taken before that load (so a change during start-up is not missed)."""
        from bot.ingest.reader import content_fingerprint

        self._provider = provider
        self._content_dir = Path(content_dir)
        self._data_dir = Path(data_dir)
        self._source = source
        self._owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._rebuild_lease = rebuild_lease
        self._fingerprint = fingerprint or content_fingerprint(self._content_dir)
        self._problem: str | None = None
        self._waiting_for: str | None = None  # the version another replica is rebuilding
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._set_problem(problem)

    @property
    def problem(self) -> str | None:
        """Why the content on disk is refused ("file:line: reason (fix)"), or None."""
        return self._problem

    def status(self) -> str:
        if self._problem is None:
            return "ok"
        return "broken" if self._provider.current().problem is not None else "stale"

    def health(self) -> dict[str, str]:
        """The content part of /healthz: "content" and, unless ok, "content_error"."""
        status = self.status()
        if status == "ok" or self._problem is None:
            return {"content": status}
        return {"content": status, "content_error": self._problem}

    def check(self) -> bool:
        """Look at content/ now; rebuild when it changed. True when the corpus was swapped."""
        from bot.ingest.reader import content_fingerprint

        fingerprint = content_fingerprint(self._content_dir)
        if fingerprint == self._fingerprint:
            return False
        lease = self._source if isinstance(self._source, RebuildLease) else None
        if lease is None:
            self._fingerprint = fingerprint
            return self._rebuild()
        return self._rebuild_or_adopt(fingerprint, lease)

    def _rebuild_or_adopt(self, fingerprint: str, lease: RebuildLease) -> bool:
        from bot.ingest.build import content_version_of

        try:
            version = content_version_of(self._content_dir)
        except BriefbotError as exc:  # refused while reading: nothing to build or share
            self._fingerprint = fingerprint
            self._set_problem(str(exc))
            return False
        except Exception:  # let the rebuild report it as it always did
            self._fingerprint = fingerprint
            return self._rebuild()
        if version == self._provider.version:
            self._fingerprint = fingerprint
            self._set_problem(None)
            return False
        if self._adopt(version):
            self._fingerprint = fingerprint
            return True
        try:
            ours = lease.acquire_rebuild(self._owner, self._rebuild_lease)
        except Exception:
            # The database is away: rebuild here rather than answer from old content.
            log.warning("could not take the rebuild lease; rebuilding here", exc_info=True)
            self._fingerprint = fingerprint
            return self._rebuild()
        if not ours:
            if self._waiting_for != version:  # one line per change, not one per check
                self._waiting_for = version
                log.info("content changed; another replica is rebuilding it, waiting for it")
            return False  # fingerprint kept: the next check adopts what it publishes
        self._fingerprint = fingerprint
        try:
            # The holder before us may have published this very version just now.
            return self._adopt(version) or self._rebuild()
        finally:
            try:
                lease.release_rebuild(self._owner)
            except Exception:  # it expires by itself
                log.warning("could not release the rebuild lease", exc_info=True)

    def _adopt(self, version: str) -> bool:
        """Answer from `version` if a replica already published it: True when swapped in."""
        assert self._source is not None
        try:
            if not self._source.knows(version):
                return False
            current = self._source.current_version()
            corpus = self._source.fetch(current) if current is not None else None
        except Exception:
            log.warning("could not read the shared corpus", exc_info=True)
            return False
        if corpus is None:
            return False
        if corpus.version != self._provider.version:
            self._provider.swap(corpus)
        self._set_problem(None)
        log.info("content changed; adopted corpus %s published by another replica", corpus.version)
        return True

    def _rebuild(self) -> bool:
        from bot.ingest.build import load_corpus

        try:
            result = load_corpus(self._content_dir, self._data_dir)
        except BriefbotError as exc:
            self._set_problem(str(exc))
            return False
        except Exception as exc:  # a bug on hostile input must not stop the bot either
            log.exception("reading the content failed")
            self._set_problem(
                f"{self._content_dir}: could not read the content ({type(exc).__name__}; "
                "see the log)"
            )
            return False
        corpus = result.corpus
        if self._source is not None:
            try:
                corpus = adopt_or_publish(corpus, self._source)
            except Exception:
                log.warning(
                    "could not share the rebuilt corpus; answering from it here", exc_info=True
                )
        swapped = corpus.version != self._provider.version
        if swapped:
            self._provider.swap(corpus)
        self._set_problem(None)
        return swapped

    def _set_problem(self, problem: str | None) -> None:
        if problem == self._problem:
            return
        self._problem = problem
        record_content_state(problem, new=problem is not None)
        if problem is None:
            log.info("content accepted: answering from corpus %s", self._provider.version)
        elif self._provider.current().problem is not None:
            log.error(
                "content refused: %s; there is no good corpus, so every answer says the "
                "content is broken until it is fixed",
                problem,
            )
        else:
            log.warning(
                "content refused: %s; answering from the last good corpus %s",
                problem,
                self._provider.version,
            )

    def start(self, every: float = DEFAULT_CHECK_EVERY) -> ContentWatcher:
        """Check in a background thread every `every` seconds until stop()."""

        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    self.check()
                except Exception:  # the one catch-all of this thread: log, look again later
                    log.exception("content check failed")

        self._thread = threading.Thread(target=loop, name="briefbot-content", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def starting_index(
    load: ContentLoad, source: CorpusSource | None, now: Callable[[], datetime]
) -> CorpusIndex:
    """What a replica answers from at start-up, whatever state content/ is in.

    Good content: the fresh build, shared or adopted as before. Refused content: the corpus
    the cluster shares, else this replica's last good build (neither is published: a
    restart with a bad file must not roll the others back), else a broken index whose every
    answer says why.
    """
    if load.error is None and load.result is not None:
        fresh = load.result.corpus
        return CorpusIndex(adopt_or_publish(fresh, source) if source is not None else fresh)
    shared: Corpus | None = None
    if source is not None:
        try:
            version = source.current_version()
            shared = source.fetch(version) if version is not None else None
        except Exception:
            log.warning("could not read the shared corpus", exc_info=True)
    if shared is not None:
        return CorpusIndex(shared)
    if load.result is not None:
        return CorpusIndex(load.result.corpus)
    return CorpusIndex.broken(str(load.error), now())
