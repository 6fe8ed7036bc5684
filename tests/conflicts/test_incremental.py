"""Adding one report reuses what the previous derivation found (section contexts, how two
claims relate, memoized per rules object); the flags and topic summaries must be byte-for-byte
those of a derivation from scratch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conflicts import ConflictRules, detect_flags, extract_claims
from bot.conflicts.topic_summary import summarize_topics
from bot.ingest.rules_file import load_rules
from bot.models import Flag, Section, Source, Topic, TopicScore, TopicSummary

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)
TOPICS = (Topic(id="quantum", name="Quantum"), Topic(id="edge", name="Edge"))

_SENTENCES = st.sampled_from(
    [
        "Quantum-enhanced LLMs are a cornerstone of next-gen AI.",
        "Quantum computing for LLMs is still in early stages.",
        "Quantum annealing cuts training costs by up to 40%.",
        "Quantum annealing cuts training costs by 5%.",
        "Quantum annealing has cut training costs by 40% in production.",
        "Tiny models are now embedded in edge devices.",
        "Efforts are underway to run models on edge devices.",
        "Edge devices run tiny models widely today, with 30% lower latency.",
        "The EU AI Act took effect in 2026 for large models.",
        "The EU AI Act (effective 2024) imposes transparency rules.",
        "Loihi 2 requires 500 watts for training a model.",
        "Loihi 2 needs 2,000 watts once cooling is counted.",
    ]
)
_HEADINGS = st.sampled_from(["Quantum Computing", "Edge AI", "Neuromorphic Chips", "Outlook"])
_SPEC = st.lists(
    st.tuples(
        _HEADINGS,
        st.sampled_from(["quantum", "edge"]),
        st.lists(_SENTENCES, min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=4,
)


def _sections(sid: str, spec: list[tuple[str, str, list[str]]]) -> list[Section]:
    out = []
    for n, (heading, topic, body) in enumerate(spec):
        section_id = f"{sid}#s{n}"
        text = " ".join(body)
        out.append(
            Section(
                section_id=section_id,
                source_id=sid,
                heading=heading,
                level=2,
                line=n,
                text=text,
                summary="",
                topics=(TopicScore(topic_id=topic, score=80.0),),
                claims=extract_claims(
                    section_id, sid, text, (topic,), rules=RULES, heading=heading
                ),
            )
        )
    return out


def _source(sid: str) -> Source:
    return Source(source_id=sid, title=f"Report {sid}", path=f"{sid}.md", sha256="0")


def _derive(
    sections: list[Section], sources: list[Source], rules: ConflictRules
) -> tuple[tuple[Flag, ...], tuple[TopicSummary, ...]]:
    flags = detect_flags(sections, sources, TOPICS, rules=rules)
    return flags, summarize_topics(TOPICS, sections, sources, flags)


def _dump(derived: tuple[tuple[Flag, ...], tuple[TopicSummary, ...]]) -> list[str]:
    flags, summaries = derived
    return [f.model_dump_json() for f in flags] + [s.model_dump_json() for s in summaries]


@settings(max_examples=40, deadline=None)
@given(st.lists(_SPEC, min_size=2, max_size=4), _SPEC)
def test_adding_a_report_derives_what_a_fresh_derivation_does(
    reports: list[list[tuple[str, str, list[str]]]], new: list[tuple[str, str, list[str]]]
) -> None:
    # One rules object across both derivations, as in a running bot; a copy with no memo
    # for the derivation from scratch.
    warm = ConflictRules.model_validate(RULES.model_dump())
    cold = ConflictRules.model_validate(RULES.model_dump())
    sections = [s for n, spec in enumerate(reports) for s in _sections(f"r{n}", spec)]
    sources = [_source(f"r{n}") for n in range(len(reports))]
    _derive(sections, sources, warm)
    sections += _sections("new", new)
    sources.append(_source("new"))
    assert _dump(_derive(sections, sources, warm)) == _dump(_derive(sections, sources, cold))
