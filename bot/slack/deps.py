"""What the Slack edge needs from the rest of the bot: a corpus provider, a store, and the
plain values it connects with (the composition root, bot.runtime, takes them from Settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.corpus import CorpusIndex
from bot.runtime.settings import DEFAULT_SLACK_API_URL
from bot.store import Store

CorpusProvider = Callable[[], CorpusIndex]
"""Returns the index to answer from now; a new corpus version can be swapped in between calls
(bot.corpus_sync.CorpusProvider is one)."""


@dataclass(frozen=True)
class SlackDeps:
    """Everything build_app wires together (the composition root passes it in)."""

    corpus: CorpusProvider
    store: Store
    bot_token: str
    # None in Socket Mode (no request signatures to check); HTTP mode always has one.
    signing_secret: str | None = None
    api_url: str = DEFAULT_SLACK_API_URL
    # Retries per Web API call for 429 (after Retry-After), 5xx and dropped connections.
    max_retries: int = 3
    # Threads that run listeners after the ack; bounded so a burst queues instead of piling up.
    listener_threads: int = 16

    def __repr__(self) -> str:  # the token and secret never reach a log line or a traceback
        return f"SlackDeps(api_url={self.api_url!r}, max_retries={self.max_retries})"
