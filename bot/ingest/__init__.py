"""Ingest: the only reader of content files; builds and caches the compiled Corpus."""

from __future__ import annotations

from bot.ingest.build import (
    CORPUS_FILE,
    SCHEMA_VERSION,
    IngestResult,
    MappingRow,
    build_corpus,
    load_corpus,
)

__all__ = [
    "CORPUS_FILE",
    "SCHEMA_VERSION",
    "IngestResult",
    "MappingRow",
    "build_corpus",
    "load_corpus",
]
