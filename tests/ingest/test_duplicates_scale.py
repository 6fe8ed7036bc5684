"""The blocked duplicate check finds the repeats the pairwise one did, on big inputs too."""

from __future__ import annotations

import random
import string

from hypothesis import given
from hypothesis import strategies as st

from bot.ingest.duplicates import RATIO_MAX_CHARS, duplicate_sections, duplicate_sources, normalized
from bot.ingest.text import fold, normalize_ws


def _words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(n)]


def _text(rng: random.Random, vocabulary: list[str], words: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words)) + "."


def _edit(rng: random.Random, text: str, edits: int) -> str:
    words = text.split()
    for _ in range(edits):
        words.insert(rng.randrange(len(words)), "very")
    return " ".join(words)


def test_every_lightly_edited_copy_among_thousands_of_sections_is_found() -> None:
    rng = random.Random(5)
    vocabulary = _words(rng, 3_000)
    sections = [
        (f"r{i // 50}#s{i}", f"r{i // 50}", _text(rng, vocabulary, 80)) for i in range(3_000)
    ]
    planted: dict[str, str] = {}
    for n in range(150):
        sid, _, text = sections[rng.randrange(0, 2_000)]
        copy_id = f"copy{n}#s"
        planted[copy_id] = sid
        sections.append((copy_id, f"copy{n}", _edit(rng, text, 2)))
    found = duplicate_sections(sections)
    assert {k: v for k, v in found.items() if k.startswith("copy")} == planted
    assert not [k for k in found if not k.startswith("copy")]


def test_boilerplate_shared_by_every_section_does_not_make_them_duplicates() -> None:
    rng = random.Random(9)
    vocabulary = _words(rng, 2_000)
    boiler = "this section summarises the findings of the report in plain words"
    sections = [
        (f"r{i}#s", f"r{i}", f"{boiler} {_text(rng, vocabulary, 40)}") for i in range(2_000)
    ]
    assert duplicate_sections(sections) == {}


def test_long_reports_are_compared_by_shared_shingles() -> None:
    rng = random.Random(3)
    vocabulary = _words(rng, 5_000)
    body = _text(rng, vocabulary, RATIO_MAX_CHARS // 5)
    assert len(body) > RATIO_MAX_CHARS
    other = _text(rng, vocabulary, RATIO_MAX_CHARS // 5)
    bodies = {"a": body, "b": _edit(rng, body, 20), "c": other}
    assert duplicate_sources(bodies) == {"b": "a"}


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_fast_path_normalizes_like_the_general_one(text: str) -> None:
    assert normalized(text) == normalize_ws("".join(c if c.isalnum() else " " for c in fold(text)))
