"""Single-source striking claims are sentences that say something by themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import build_corpus
from bot.models import Flag
from tests.small_content import QUANTUM_AND_REGULATION

# Two reports cover quantum; only the first gives figures. Its most "checkable" sentence (a named
# system, a version, a figure) only opens a list: it must not stand for the section.
FIRST = """\
# Quantum Field Notes (2025)

## Quantum Progress
The QubitMesh 3.2 platform, rated at 40 kW, runs 1,000 qubits in production, leveraging:

- cryogenic control boards
- error mitigation in software

Quantum annealing cut training costs by 12% in 2025 pilots at three labs.
"""
SECOND = """\
# Quantum Outlook (2025)

## Quantum Outlook
Quantum computing for language models is still mostly a research topic.
"""


@pytest.fixture(scope="module")
def flags(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flag, ...]:
    content = tmp_path_factory.mktemp("lone")
    (content / "sources").mkdir()
    (content / "sources" / "first.md").write_text(FIRST, encoding="utf-8")
    (content / "sources" / "second.md").write_text(SECOND, encoding="utf-8")
    (content / "topics.toml").write_text(QUANTUM_AND_REGULATION, encoding="utf-8")
    return build_corpus(Path(content)).corpus.flags


def test_a_sentence_that_opens_a_list_is_no_single_source_claim(flags: tuple[Flag, ...]) -> None:
    lone = [f for f in flags if f.kind == "single_source" and f.topic == "quantum"]
    claims = [side.claim for f in lone for side in f.sides]
    assert claims, "the section's figures rest on one report"
    assert not any(c.rstrip().endswith(":") for c in claims), claims
    assert any("12%" in c for c in claims), claims
