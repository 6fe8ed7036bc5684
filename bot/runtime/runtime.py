"""The composition root: built once per process from Settings, it wires every collaborator.

Each collaborator is made on first use and kept, so a command pays only for what it touches
(`briefbot subscribe` never builds a Slack client, `serve` builds everything once). Edges get
plain values from here, never the whole Settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from bot.errors import SettingsError
from bot.runtime import settings as settings_module
from bot.runtime.settings import Settings, secret_text

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.corpus import CorpusIndex
    from bot.corpus_sync import ContentWatcher, CorpusProvider
    from bot.delivery import DeliveryPolicy, Send
    from bot.ingest import IngestResult
    from bot.models import Corpus
    from bot.runtime.corpus_cache import AnsweringIndex
    from bot.slack.deps import SlackDeps
    from bot.slack.event_inbox import EventInbox
    from bot.store import Store

logger = logging.getLogger(__name__)

ServeMode = Literal["console", "socket", "http"]


def slack_deps(
    settings: Settings, corpus: Callable[[], CorpusIndex], store: Store, **tuning: Any
) -> SlackDeps:
    """What the Slack edge needs, as plain values taken from Settings (tuning: max_retries, ...)."""
    from bot.slack.deps import SlackDeps

    signing = secret_text(settings.slack_signing_secret)
    return SlackDeps(
        corpus=corpus,
        store=store,
        bot_token=secret_text(settings.slack_bot_token),
        signing_secret=signing or None,
        api_url=settings.slack_api_url,
        **tuning,
    )


class Runtime:
    """One per process: reads the settings once and builds each collaborator once, on demand.

    The settings are read on first use; a bad one is a SettingsError at every use, so a
    command that needs no settings (`manifest`) still runs with a bad environment.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        load: Callable[[], Settings] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._load = load
        self._settings_error: Exception | None = None
        self._clock = clock
        self._bolt: App | None = None

    @classmethod
    def from_environment(cls) -> Runtime:
        """Settings from the environment and .env (read on first use, once)."""
        # Looked up through the module so a test can count the reads.
        return cls(load=lambda: settings_module.load_settings())

    # --- settings -------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            if self._settings_error is not None:
                raise self._settings_error
            try:
                self._settings = (self._load or settings_module.load_settings)()
            except Exception as exc:
                self._settings_error = exc
                raise
        return self._settings

    @property
    def log_format(self) -> str:
        """The log format to configure at the entry point; text while the settings are bad
        (the command that needs them says what is wrong)."""
        try:
            return self.settings.log_format
        except Exception:
            return "text"

    @property
    def content_dir(self) -> Path:
        return Path(self.settings.content_dir)

    @property
    def data_dir(self) -> Path:
        """The data dir, created on first use."""
        path = Path(self.settings.data_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def has_slack(self) -> bool:
        return self.settings.has_slack

    def serve_mode(self, *, http: bool) -> ServeMode:
        """How `serve` runs (`http`: --http was given), or a SettingsError naming the one
        setting that is missing."""
        settings = self.settings
        bot_token = secret_text(settings.slack_bot_token)
        if http:
            if not bot_token:
                raise SettingsError(
                    "setting SLACK_BOT_TOKEN is missing: HTTP mode needs the bot token"
                )
            if not secret_text(settings.slack_signing_secret):
                raise SettingsError(
                    "setting SLACK_SIGNING_SECRET is missing: HTTP mode needs it to verify requests"
                )
            return "http"
        if secret_text(settings.slack_app_token):
            if not bot_token:
                raise SettingsError(
                    "setting SLACK_BOT_TOKEN is missing: Socket Mode needs the bot token too"
                )
            return "socket"
        if bot_token:
            raise SettingsError(
                "setting SLACK_APP_TOKEN is missing: set it for Socket Mode, or run `serve --http`"
            )
        return "console"

    @cached_property
    def delivery_policy(self) -> DeliveryPolicy:
        from bot.delivery.policy import DeliveryPolicy

        return DeliveryPolicy(
            every=timedelta(seconds=self.settings.scheduler_interval_seconds),
            lease=timedelta(seconds=self.settings.digest_lease_seconds),
        )

    def close(self) -> None:
        """Release what was built (the database connections); the process may go on."""
        store = self.__dict__.pop("store", None)
        if store is not None:
            store.close()

    # --- the store --------------------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        """The one Store of this process, migrated (a bad DATABASE_URL: SettingsError)."""
        from bot.store import Store

        self.data_dir  # noqa: B018  (the SQLite default lives there)
        store = Store(self.settings.effective_database_url)
        store.migrate()
        return store

    # --- the corpus a command answers from ----------------------------------------------------

    def ingest(self, content: Path | None = None, *, force: bool = False) -> IngestResult:
        """The corpus of content/ (or `content`), reused from the data dir when unchanged; a bad
        file is its ContentError."""
        from bot.ingest import load_corpus

        return load_corpus(content or self.content_dir, self.data_dir, force=force)

    def publish_corpus(self, corpus: Corpus) -> bool:
        """Scale (issue 6): with DATABASE_URL set, put this corpus in the shared database so the
        replicas on it reload it without a restart. False: no shared database to publish to.

        A bad or unreachable DATABASE_URL is a SettingsError."""
        if not self.settings.database_url:
            return False
        from bot.corpus_sync import StoreCorpusSource

        StoreCorpusSource(self.store).publish(corpus)
        return True

    def corpus_index(self, content: Path | None = None) -> CorpusIndex:
        """The corpus indexed for questions and digests, its retrieval index from the data dir."""
        from bot.corpus import CorpusIndex
        from bot.runtime.corpus_cache import indexed

        return indexed(CorpusIndex(self.ingest(content).corpus), self.data_dir)

    def answering_index(
        self, content: Path | None = None, *, allow_broken: bool = False
    ) -> AnsweringIndex:
        """The index to answer from: with a refused file the last good corpus and a warning;
        with none at all the ContentError, or (`allow_broken`) an index that says so."""
        from bot.runtime.corpus_cache import answering_index

        return answering_index(
            content or self.content_dir, self.data_dir, allow_broken=allow_broken
        )

    # --- the corpus a server answers from ------------------------------------------------------

    @cached_property
    def _served_corpus(self) -> tuple[CorpusProvider, ContentWatcher]:
        from bot.corpus_sync import (
            ContentWatcher,
            CorpusProvider,
            StoreCorpusSource,
            starting_index,
        )
        from bot.ingest import load_or_last_good
        from bot.ingest.reader import content_fingerprint

        content_dir, data_dir = self.content_dir, self.data_dir
        fingerprint = content_fingerprint(content_dir)
        load = load_or_last_good(content_dir, data_dir)
        # Scale (issue 6): answer from the corpus version shared through the database, and
        # publish this one if the cluster has never seen it.
        shared = StoreCorpusSource(self.store)
        provider = CorpusProvider(starting_index(load, shared, self._clock), shared)
        watcher = ContentWatcher(
            provider,
            content_dir,
            data_dir,
            shared,
            problem=str(load.error) if load.error is not None else None,
            fingerprint=fingerprint,
        )
        return provider, watcher

    @property
    def corpus(self) -> CorpusProvider:
        """The corpus a server answers from: shared through the database, swapped in when
        another replica publishes a new version.

        A refused file never stops a replica: it answers from the last good corpus, or says
        its content is broken, and picks up a fixed file without a restart (content_watcher).
        """
        return self._served_corpus[0]

    @property
    def content_watcher(self) -> ContentWatcher:
        """Rebuilds `corpus` when content/ changes (started by the server)."""
        return self._served_corpus[1]

    def load_stored_retrieval(self) -> None:
        """Install the served corpus's retrieval index from the data dir (built and stored once
        per corpus version), so a server's first question does not pay for building it."""
        from bot.runtime.corpus_cache import with_stored_retrieval

        with_stored_retrieval(self.corpus(), self.data_dir)

    # --- Slack ----------------------------------------------------------------------------

    @cached_property
    def slack_deps(self) -> SlackDeps:
        return slack_deps(self.settings, self.corpus, self.store)

    @cached_property
    def event_inbox(self) -> EventInbox:
        from bot.slack.event_inbox import EventInbox

        return EventInbox.with_lease(
            self.store,
            timedelta(seconds=self.settings.event_lease_seconds),
            retention=timedelta(hours=self.settings.event_retention_hours),
        )

    @cached_property
    def slack_app(self) -> App:
        """The Bolt app with the event inbox (checks the token against SLACK_API_URL)."""
        from bot.slack.app import build_app

        self._bolt = build_app(self.slack_deps, inbox=self.event_inbox)
        return self._bolt

    @cached_property
    def slack_client(self) -> WebClient:
        """The Web API client: the Bolt app's when there is one, else a checked new one."""
        if self._bolt is not None:
            return self._bolt.client
        from bot.slack.app import build_client, check_slack

        client = build_client(
            secret_text(self.settings.slack_bot_token), self.settings.slack_api_url
        )
        check_slack(client)
        return client

    # --- digests ----------------------------------------------------------------------------

    @cached_property
    def digest_sender(self) -> Send:
        """Posts digests through the Web API client."""
        from bot.delivery import web_api_send

        # WebClient's keyword-only chat_postMessage does not match delivery's **kwargs Protocol.
        return web_api_send(cast(Any, self.slack_client))

    def digest_scheduler(self) -> BackgroundScheduler:
        """The scheduler inside serve; the database decides which replica sends."""
        from bot.delivery.scheduler import build_scheduler

        policy = self.delivery_policy
        return build_scheduler(
            self.store, self.corpus, self.digest_sender, every=policy.every, lease=policy.lease
        )
