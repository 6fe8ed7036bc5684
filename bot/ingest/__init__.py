"""Ingest: the only reader of content files; builds and caches the compiled Corpus."""

from __future__ import annotations

from bot.ingest.build import (
    CORPUS_FILE,
    SCHEMA_VERSION,
    ContentLoad,
    ContentStatus,
    IngestResult,
    MappingRow,
    build_corpus,
    last_good,
    load_corpus,
    load_or_last_good,
)

__all__ = [
    "CORPUS_FILE",
    "SCHEMA_VERSION",
    "ContentLoad",
    "ContentStatus",
    "IngestResult",
    "MappingRow",
    "build_corpus",
    "last_good",
    "load_corpus",
    "load_or_last_good",
]
