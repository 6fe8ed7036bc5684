"""The duplicate check resumed from an earlier build's sketches finds exactly what a check of
everything finds, and normalizes only the new texts and the few roots they share keys with."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.duplicates import (
    find_duplicate_sections,
    find_duplicate_sources,
)

WORDS = [
    "chips", "quantum", "scaling", "models", "energy", "watts",
    "loihi", "training", "costs", "agents", "data",
]  # fmt: skip


def _text(rng: random.Random, n: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sections(seed: int, reports: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for r in range(reports):
        for k in range(3):
            if out and rng.random() < 0.3:  # a copy, sometimes lightly edited
                text = rng.choice(out)[2]
                if rng.random() < 0.5:
                    text = text.replace("chips", "chip", 1)
            else:
                text = _text(rng)
            out.append((f"r{r:03d}#{k}", f"r{r:03d}", text))
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 12), st.integers(1, 3))
def test_resumed_section_check_equals_a_check_of_everything(
    seed: int, reports: int, added: int
) -> None:
    every = _sections(seed, reports + added)
    old = [s for s in every if int(s[1][1:]) < reports]
    _, carried = find_duplicate_sections(old)
    assert find_duplicate_sections(every, carried)[0] == find_duplicate_sections(every)[0]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 12), st.integers(1, 3))
def test_resumed_report_check_equals_a_check_of_everything(
    seed: int, reports: int, added: int
) -> None:
    bodies: dict[str, str] = {}
    for _, sid, text in _sections(seed, reports + added):
        bodies[sid] = bodies.get(sid, "") + "\n" + text
    old = {sid: b for sid, b in bodies.items() if int(sid[1:]) < reports}
    _, carried = find_duplicate_sources(old)
    assert find_duplicate_sources(bodies, carried)[0] == find_duplicate_sources(bodies)[0]


def test_a_new_report_is_compared_only_with_the_roots_it_shares_keys_with() -> None:
    rng = random.Random(3)
    bodies = {f"r{r:03d}": _text(rng, 200) for r in range(200)}
    _, carried = find_duplicate_sources(bodies)
    loaded: list[str] = []

    class Recording(dict[str, str]):
        def __getitem__(self, key: str) -> str:
            loaded.append(key)
            return super().__getitem__(key)

    grown = Recording({**bodies, "r999": bodies["r042"]})
    found, _ = find_duplicate_sources(grown, carried)
    assert found == {"r999": "r042"}
    # The new report itself and the root it repeats, not the 200 reports again.
    assert loaded == ["r999", "r042"]


def test_a_changed_order_checks_everything_again() -> None:
    rng = random.Random(5)
    bodies = {f"r{r:03d}": _text(rng, 50) for r in range(1, 20)}
    _, carried = find_duplicate_sources(bodies)
    grown = {**bodies, "r000": bodies["r007"]}  # sorts first: r007 now repeats r000
    assert find_duplicate_sources(grown, carried)[0] == find_duplicate_sources(grown)[0]
    assert find_duplicate_sources(grown, carried)[0]["r007"] == "r000"
