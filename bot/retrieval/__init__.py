"""Pure: rank every section and sentence of the corpus against a question (BM25 + taxonomy)."""

from __future__ import annotations

from bot.retrieval.index import RetrievalIndex, retrieval_index_for
from bot.retrieval.score import Hit, Ranking, rank

__all__ = ["Hit", "Ranking", "RetrievalIndex", "rank", "retrieval_index_for"]
