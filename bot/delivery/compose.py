"""Composing and rendering the digests of one run, each distinct one once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.models import Digest, DigestSnapshot
from bot.store import Delivery, Store

log = logging.getLogger(__name__)

FALLBACK_TEXT_MAX = 3900  # Slack truncates long fallback text; notifications show far less
Block = dict[str, Any]


@dataclass
class Composer:
    """Composes and renders each distinct (since, topics) digest once per run."""

    index: CorpusIndex
    until: datetime
    ingested_at: dict[str, datetime]
    _cache: dict[tuple[datetime | None, tuple[str, ...], str, frozenset[str]], Digest] = field(
        default_factory=dict
    )
    _rendered: dict[str, tuple[list[list[Block]], str]] = field(default_factory=dict)
    _new_reports: dict[str, bool] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _png: tuple[bytes | None] | None = None  # drawn at most once per run
    _png_lock: threading.Lock = field(default_factory=threading.Lock)

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

    def has_new_reports(self, digest_json: str) -> bool:
        """Whether the digest covers a report new to its channel (it then attaches the PNG)."""
        with self._lock:
            if digest_json not in self._new_reports:
                digest = Digest.model_validate_json(digest_json)
                self._new_reports[digest_json] = bool(digest.new_reports)
            return self._new_reports[digest_json]

    def coverage_png(self) -> bytes | None:
        """The corpus's coverage grid as a PNG, drawn once per run; None without the charts
        extra (said once in the log) or when drawing fails (logged)."""
        with self._png_lock:
            if self._png is None:
                self._png = (_draw_coverage_png(self.index),)
            return self._png[0]


def _draw_coverage_png(index: CorpusIndex) -> bytes | None:
    try:
        import matplotlib  # noqa: F401  (the optional charts extra)
    except ImportError:
        log.info("digest coverage PNG skipped: the charts extra (matplotlib) is not installed")
        return None
    try:
        from bot.coverage import coverage_grid
        from bot.render.coverage_png import coverage_png_bytes

        return coverage_png_bytes(coverage_grid(index.corpus))
    except Exception:  # a drawing bug must not stop a digest
        log.exception("digest coverage PNG could not be drawn")
        return None


def _snapshot(raw: str | None) -> DigestSnapshot | None:
    """The stored snapshot, or None (first digest, or one sent before snapshots existed)."""
    if not raw:
        return None
    try:
        return DigestSnapshot.model_validate_json(raw)
    except ValueError:
        log.warning("digest snapshot unreadable; the digest is composed as a first one")
        return None


def previous_snapshot(store: Store, last: Mapping[str, Delivery], channel: str) -> str | None:
    """The snapshot JSON of the channel's last sent digest (None before its first)."""
    return store.digest_snapshot(last[channel].id) if channel in last else None


def fallback_text(text: str) -> str:
    """The notification text of a digest head, cut to what Slack keeps."""
    return text if len(text) <= FALLBACK_TEXT_MAX else text[: FALLBACK_TEXT_MAX - 1] + "…"
