"""detect_flags on generated sections: never crashes, sides quote their sections, ids are stable."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conflicts import detect_flags, extract_claims
from bot.ingest.rules_file import load_rules
from bot.models import Section, Source, Topic, TopicScore

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)
TOPICS = (Topic(id="quantum", name="Quantum"), Topic(id="edge", name="Edge"))

_SENTENCES = st.sampled_from(
    [
        "Quantum-enhanced LLMs are a cornerstone of next-gen AI.",
        "Quantum computing for LLMs is still in early stages.",
        "Quantum annealing cuts training costs by up to 40%.",
        "Quantum annealing cuts training costs by 5%.",
        "Tiny models are now embedded in edge devices.",
        "Efforts are underway to run models on edge devices.",
        "The EU AI Act took effect in 2026 for large models.",
        "The EU AI Act (effective 2024) imposes transparency rules.",
        "Loihi 2 requires 500 watts for training a model.",
        "Nothing much is said in this particular sentence.",
    ]
)


def _section(sid: str, n: int, body: str, topic: str) -> Section:
    section_id = f"{sid}#s{n}"
    topics = (TopicScore(topic_id=topic, score=80.0),)
    return Section(
        section_id=section_id,
        source_id=sid,
        heading=f"Section {n}",
        level=2,
        line=n,
        text=body,
        summary="",
        topics=topics,
        claims=extract_claims(section_id, sid, body, (topic,), rules=RULES),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.sampled_from(["quantum", "edge"]),
            st.lists(st.one_of(_SENTENCES, st.text(max_size=40)), min_size=1, max_size=5),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_detection_never_crashes_and_quotes_its_sections(
    spec: list[tuple[int, str, list[str]]],
) -> None:
    sources = [
        Source(source_id=f"r{i}", title=f"Report number {i}", path=f"r{i}.md", sha256="0")
        for i in range(4)
    ]
    sections = [_section(f"r{i}", n, " ".join(body), t) for n, (i, t, body) in enumerate(spec)]
    flags = detect_flags(sections, sources, TOPICS, rules=RULES)
    texts = {(s.source_id, s.heading): s.text for s in sections}
    for f in flags:
        assert f.sides and f.summary
        for side in f.sides:
            body = re.sub(r"\*\*|__|`", "", texts[(side.source_id, side.heading)])
            assert side.claim in body
        if f.kind in ("stance", "numeric", "timeline"):
            # One flag per kind and subject: the lead pair's two reports first, then the
            # other reports of the same disagreement.
            assert f.sides[0].source_id != f.sides[1].source_id
            assert len(f.sides) <= 2 * RULES.max_sides
    assert detect_flags(sections, sources, TOPICS, rules=RULES) == flags
