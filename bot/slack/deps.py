"""What the Slack edge needs from the rest of the bot: a corpus provider, a store and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.corpus import CorpusIndex
from bot.store import Store

CorpusProvider = Callable[[], CorpusIndex]
"""Returns the index to answer from now; a new corpus version can be swapped in between calls
(bot.corpus_sync.CorpusProvider is one)."""


@dataclass(frozen=True)
class SlackDeps:
    """Everything build_app wires together (the composition root passes it in)."""

    corpus: CorpusProvider
    store: Store
    settings: Settings
    # Retries per Web API call for 429 (after Retry-After), 5xx and dropped connections.
    max_retries: int = 3
    # Threads that run listeners after the ack; bounded so a burst queues instead of piling up.
    listener_threads: int = 16
