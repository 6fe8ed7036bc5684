"""A word the reports hyphenate, typed whole ("finetune"), finds the report's parts."""

from __future__ import annotations

from bot.briefing import retrieval_index_for
from bot.corpus import CorpusIndex
from bot.retrieval.score import query_terms


def test_a_hyphenated_report_word_typed_whole_finds_its_parts(index: CorpusIndex) -> None:
    rindex = retrieval_index_for(index)
    assert {"fine", "tuning"} <= set(query_terms("cheap ways to finetuning a model", rindex))
    assert {"fine", "tune"} <= set(query_terms("how do i finetune a model", rindex))
    assert "zurich" in query_terms("interns in zurich", rindex)
