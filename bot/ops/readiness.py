"""Edge: what GET /readyz reports: ready while the database answers and a corpus is loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex
    from bot.store import Store


def readiness(store: Store, corpus: Callable[[], CorpusIndex]) -> Callable[[], dict[str, Any]]:
    """The /readyz check: a report with `ok`, never an exception (the probe must get an answer)."""

    def ready() -> dict[str, Any]:
        report: dict[str, Any] = {"ok": True, "database": "ok"}
        try:
            store.ping()
        except Exception as exc:  # reported, never raised: the probe must get an answer
            report.update(ok=False, database=f"unreachable ({type(exc).__name__})")
        try:
            index = corpus()
            report.update(corpus_version=index.version, sources=len(index.sources))
        except Exception as exc:
            report.update(ok=False, corpus=f"not loaded ({type(exc).__name__})")
        return report

    return ready
