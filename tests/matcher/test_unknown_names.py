"""A name no report uses is not answered from the words around it ("Is IBM hiring in Zurich?")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.briefing import answer_question, retrieval_index_for
from bot.corpus import CorpusIndex
from bot.models import Intent
from bot.retrieval.names import unknown_names


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Is IBM hiring summer interns in Zurich?", ["Zurich"]),
        ("How do I change my Slack settings?", ["Slack"]),
        ("how old is Taylor Swift", ["Taylor Swift"]),
        ("is Slack down in Zurich", ["Slack", "Zurich"]),
        # Known names, sentence openers, abbreviations, calendar words and title case pass.
        ("what does the EU AI Act fine?", []),
        ("Zurich. Which models lead?", []),
        ("can ppl with no ML background fine tune models", []),
        ("what's new in multimodal since Monday", []),
        ("What Is The Fine For Breaking The Act", []),
    ],
)
def test_names_the_reports_never_use(index: CorpusIndex, question: str, names: list[str]) -> None:
    assert unknown_names(question, retrieval_index_for(index)) == names


def test_a_question_about_an_unknown_name_is_refused(index: CorpusIndex) -> None:
    answer = answer_question("Is IBM hiring summer interns in Zurich?", index)
    assert answer.intent is Intent.UNKNOWN
    assert answer.headline == "The reports don't mention Zurich"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_words_of_the_text(index: CorpusIndex, text: str) -> None:
    for name in unknown_names(text, retrieval_index_for(index)):
        assert all(word in text for word in name.split())
