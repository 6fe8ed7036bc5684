"""content/retrieval.toml: the retrieval's word lists, read by ingest, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ContentError
from bot.ingest.rules_file import load_retrieval_words
from bot.retrieval.lexicon import (
    DOMAIN_WORDS,
    FOCUS_UNITS,
    OFF_DOMAIN_SUBJECTS,
    OFF_DOMAIN_WORDS,
    focus_units,
    is_off_domain,
    names_the_field,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "retrieval.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_file_holds_the_same_lists_as_the_built_in_defaults() -> None:
    words = load_retrieval_words(CONTENT)
    assert words is not None
    assert set(words.off_domain) == OFF_DOMAIN_WORDS
    assert set(words.off_domain_subjects) == OFF_DOMAIN_SUBJECTS
    assert set(words.domain) == DOMAIN_WORDS
    assert focus_units(words) == focus_units(None)
    assert set(dict(words.focus_units)) == set(FOCUS_UNITS)


def test_a_missing_file_means_the_built_in_lists(tmp_path: Path) -> None:
    assert load_retrieval_words(tmp_path) is None
    assert is_off_domain(["bitcoin"]) and names_the_field(["chatbot"])


def test_a_curator_word_refuses_and_opens_questions(tmp_path: Path) -> None:
    words = load_retrieval_words(
        _write(
            tmp_path,
            '[off_domain]\nwords = ["Horse"]\n[domain]\nwords = ["robotaxi"]\n'
            '[focus_units]\nrange = ["km"]\n',
        )
    )
    assert words is not None
    assert is_off_domain(["horse"], words) and not is_off_domain(["bitcoin"], words)
    assert names_the_field(["robotaxi"], words) and not names_the_field(["chatbot"], words)
    assert focus_units(words) == {"range": ["km"]}


def test_an_off_domain_subject_is_refused_only_without_a_word_of_the_field(
    tmp_path: Path,
) -> None:
    words = load_retrieval_words(
        _write(
            tmp_path,
            '[off_domain_subjects]\nwords = ["kotlin"]\n[domain]\nwords = ["llm"]\n',
        )
    )
    assert words is not None
    assert is_off_domain(["fix", "my", "kotlin", "build"], words)
    assert not is_off_domain(["can", "an", "llm", "write", "kotlin"], words)


def test_a_phrase_is_refused_with_its_line_and_how_to_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, '[off_domain]\nwords = [\n  "stock",\n  "share price",\n]\n')
    with pytest.raises(ContentError) as err:
        load_retrieval_words(path)
    text = str(err.value)
    assert "retrieval.toml" in text and ":4" in text and "one word per entry" in text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[offdomain]\nwords = []\n", "unknown table"),
        ('[domain]\nwords = "ai"\n', "list of strings"),
        ('[domain]\nterms = ["ai"]\n', "one key, words"),
        ("[focus_units]\nenergy = []\n", "must list unit names"),
        ("[domain\n", "invalid TOML"),
    ],
)
def test_a_bad_shape_is_a_content_error(tmp_path: Path, body: str, says: str) -> None:
    with pytest.raises(ContentError, match=says):
        load_retrieval_words(_write(tmp_path, body))


def test_answer_kinds_are_read_as_question_phrases_and_sentence_words(tmp_path: Path) -> None:
    words = load_retrieval_words(
        _write(
            tmp_path,
            '[answer_kinds.evaluation]\nasks = ["Any  Good", "worth it"]\n'
            'answers = ["limited", "Excels"]\n',
        )
    )
    assert words is not None
    assert words.answer_kinds == (("evaluation", ("any good", "worth it"), ("limited", "excels")),)
    shipped = load_retrieval_words(CONTENT)
    assert shipped is not None and {"evaluation", "benefit"} <= {
        k for k, *_ in shipped.answer_kinds
    }


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[answer_kinds.judge]\nasks = ["any good"]\n', "two keys"),
        ('[answer_kinds.judge]\nasks = []\nanswers = ["limited"]\n', "two keys"),
        ('[answer_kinds.judge]\nasks = ["any good?"]\nanswers = ["limited"]\n', "plain words"),
        ('[answer_kinds.judge]\nasks = ["any good"]\nanswers = []\n', "answers is empty"),
        ('[answer_kinds.judge]\nasks = ["any good"]\nanswers = ["not good"]\n', "one word"),
    ],
)
def test_a_bad_answer_kind_says_what_is_wrong(tmp_path: Path, body: str, says: str) -> None:
    with pytest.raises(ContentError, match=says):
        load_retrieval_words(_write(tmp_path, body))


@given(st.lists(st.text(max_size=12), max_size=6))
def test_any_word_list_either_loads_or_says_what_is_wrong(words: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        items = ", ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in words)
        path = _write(Path(tmp), f"[off_domain]\nwords = [{items}]\n")
        try:
            loaded = load_retrieval_words(path)
        except ContentError as exc:
            assert "retrieval.toml" in str(exc)
        else:
            assert loaded is not None
            assert all(" " not in w and w == w.casefold() for w in loaded.off_domain)


# --- content/conversation.toml: place words for time zones -----------------------------------


def test_zone_words_are_read_and_a_bad_zone_names_the_line(tmp_path: Path) -> None:
    from bot.ingest.zone_words import load_zone_words

    assert load_zone_words(tmp_path) == ()
    (tmp_path / "conversation.toml").write_text(
        '[zones]\nlondon = "Europe/London"\n"new york" = "america/new_york"\n', encoding="utf-8"
    )
    assert load_zone_words(tmp_path) == (
        ("london", "Europe/London"),
        ("new york", "America/New_York"),
    )
    (tmp_path / "conversation.toml").write_text(
        '[zones]\nlondon = "Europe/London"\nmars = "Mars/Olympus"\n', encoding="utf-8"
    )
    with pytest.raises(ContentError) as err:
        load_zone_words(tmp_path)
    assert err.value.line == 3 and "Mars/Olympus" in str(err.value)


def test_the_shipped_zone_words_reach_the_corpus() -> None:
    from bot.ingest.zone_words import load_zone_words

    content = Path(__file__).resolve().parents[2] / "content"
    assert dict(load_zone_words(content))["london"] == "Europe/London"


def test_the_everyday_words_file_is_read_with_comments_skipped(tmp_path: Path) -> None:
    (tmp_path / "everyday_words.txt").write_text("# a comment\nmanager\n\nHype\n", encoding="utf-8")
    words = load_retrieval_words(tmp_path)
    assert words is not None and words.everyday == ("manager", "hype")
    # No retrieval.toml beside it: the built-in lists still refuse and open questions.
    assert is_off_domain(["bitcoin"], words) and names_the_field(["chatbot"], words)
    assert focus_units(words) == focus_units(None)


def test_the_shipped_everyday_words_are_ordinary_english() -> None:
    words = load_retrieval_words(CONTENT)
    assert words is not None and {"manager", "cheaper", "hype"} <= set(words.everyday)
    assert "neuromorphic" not in words.everyday


def test_a_bad_everyday_word_names_its_line_and_how_to_fix(tmp_path: Path) -> None:
    (tmp_path / "everyday_words.txt").write_text("manager\nshare price\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_retrieval_words(tmp_path)
    text = str(err.value)
    assert "everyday_words.txt" in text and ":2" in text and "one word a line" in text


@given(st.text(max_size=200))
def test_any_everyday_file_is_read_or_refused_clearly(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "everyday_words.txt").write_text(text, encoding="utf-8", errors="replace")
        try:
            words = load_retrieval_words(Path(tmp))
        except ContentError as err:
            assert "everyday_words.txt" in str(err)
        else:
            assert words is None or all(w.isalpha() for w in words.everyday)


def test_synonym_groups_are_read_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    words = load_retrieval_words(
        _write(tmp_path, '[synonyms]\ngroups = [["Catch", "drawback"], ["cheap", "cheaper"]]\n')
    )
    assert words is not None and words.synonyms == (("catch", "drawback"), ("cheap", "cheaper"))
    for body, says in [
        ('[synonyms]\ngroups = ["catch"]\n', "list of word lists"),
        ('[synonyms]\ngroups = [["catch"]]\n', "at least two words"),
        ('[synonyms]\ngroups = [["big deal", "catch"]]\n', "one word per entry"),
    ]:
        with pytest.raises(ContentError, match=says):
            load_retrieval_words(_write(tmp_path, body))


@pytest.mark.parametrize(("groups", "first"), [("", "funding"), ('"catch", "drawback"', "hurdles")])
def test_a_synonym_finds_the_section_that_uses_the_other_word(
    tmp_path: Path, groups: str, first: str
) -> None:
    from bot.corpus import CorpusIndex
    from bot.ingest import build_corpus
    from bot.matcher import match_question
    from bot.retrieval import rank, retrieval_index_for
    from tests.small_content import QUANTUM_AND_REGULATION

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "notes.md").write_text(
        "# Field Notes (2025)\n\n## Qubit Hurdles\nThe main drawback is the decoherence of "
        "qubits over time in long runs of the machine.\n\n## Qubit Funding\nQubits attract "
        "funding, and qubits make the news.\n",
        encoding="utf-8",
    )
    (tmp_path / "topics.toml").write_text(QUANTUM_AND_REGULATION, encoding="utf-8")
    _write(tmp_path, f"[synonyms]\ngroups = [[{groups}]]\n" if groups else "")
    index = CorpusIndex(build_corpus(tmp_path).corpus)
    question = "what is the catch with qubits"
    ranking = rank(question, match_question(question, index), retrieval_index_for(index))
    assert ranking.sections[0][0].endswith(f"#qubit-{first}")


def test_every_focus_unit_is_a_unit_the_claims_read() -> None:
    # A focus unit the claim reader never produces never matches: durations are read as
    # "seconds", so a "how long" question asking for "years" got no unit bonus at all.
    from bot.ingest.rules_file import load_rules

    rules = load_rules(CONTENT)
    readable = {canonical for canonical, _ in rules.units.values()} | {"%", "count", "x"}
    words = load_retrieval_words(CONTENT)
    assert words is not None
    unread = {word: units for word, units in words.focus_units if set(units) - readable}
    assert unread == {}
