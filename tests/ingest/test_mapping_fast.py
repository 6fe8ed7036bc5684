"""Topic mapping through the fast index gives exactly the scores of the plain reference."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest import build_corpus
from bot.ingest.mapping import TopicTerms, prepare_terms, score_section
from tests.ingest import mapping_reference as reference

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def test_the_seed_mapping_table_is_unchanged_by_the_fast_index() -> None:
    corpus = build_corpus(CONTENT).corpus
    rows = [
        [s.section_id, [[t.topic_id, t.score, t.pinned] for t in s.topics]] for s in corpus.sections
    ]
    expected = json.loads((Path(__file__).parent / "seed_mapping.json").read_text("utf-8"))
    assert rows == expected


def _terms() -> tuple[TopicTerms, ...]:
    return prepare_terms(build_corpus(CONTENT).corpus.topics)


TERMS = _terms()
WORDS = sorted(
    {w for tt in TERMS for t in tt.terms for w in t.words}
    | {"the", "of", "and", "new", "models", "2025", "40%"}
)
_text = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(_text, st.lists(_text, max_size=2), _text)
def test_fast_scores_equal_the_reference_on_taxonomy_words(
    heading: str, parents: list[str], body: str
) -> None:
    fast = score_section(heading, parents, body, TERMS)
    slow = reference.score_section(heading, parents, body, TERMS)
    assert [(d.topic_id, d.score, d.heading, d.body_points) for d in fast] == [
        (d.topic_id, d.score, d.heading, d.body_points) for d in slow
    ]
