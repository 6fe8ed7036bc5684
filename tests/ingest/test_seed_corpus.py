"""The five seed reports: every section maps to sensible topics, with clean text and summaries."""

from __future__ import annotations

from datetime import date

import pytest

from bot.corpus import CorpusIndex
from bot.ingest import IngestResult, build_corpus
from bot.ingest.text import split_sentences
from bot.models import Section

from .conftest import SEED_CONTENT


@pytest.fixture(scope="module")
def seed() -> IngestResult:
    return build_corpus(SEED_CONTENT)


def _section(seed: IngestResult, source_prefix: str, heading_start: str) -> Section:
    for s in seed.corpus.sections:
        if s.source_id.startswith(source_prefix) and s.heading.startswith(heading_start):
            return s
    raise AssertionError(f"no section {source_prefix} {heading_start!r}")


# (report, heading start, primary topic, other topics that must be among its topics)
EXPECTED = [
    ("000", "Quantum-Enhanced LLMs", "quantum", ()),
    ("000", "Ultra-Efficient Tiny Models", "efficiency", ("edge",)),
    ("000", "Ethical AI Regulations", "regulation", ()),
    ("000", "Multimodal Supermodels", "multimodal", ()),
    ("000", "AutoGPT 3.x Ecosystem", "agents", ("work",)),
    ("000", "Neuromorphic LLMs", "neuromorphic", ("energy",)),
    ("000", "Synthetic Data Revolution", "synthetic_data", ("privacy",)),
    ("000", "AI-Driven Scientific Discovery", "science_health", ()),
    ("000", "Anti-Censorship Sandboxes", "censorship", ()),
    ("000", "Human-AI Hybrid Economies", "work", ("code_generation",)),
    ("001", "The Rise of Multimodal LLMs", "multimodal", ()),
    ("001", "Emergent Abilities and Alignment", None, ("alignment", "scaling")),
    ("001", "Personalized LLMs and Federated", "personalization", ()),
    ("001", "Explainable AI (XAI)", "explainability", ()),
    ("001", "Advancements in LLM-Based Code", "code_generation", ("safety",)),
    ("001", "The Promise and Challenges of Quantum", "quantum", ()),
    ("001", "Ethical Considerations and Bias", "ethics", ()),
    ("001", "Data Efficiency in LLM Training", "data_efficiency", ()),
    ("001", "Hardware Advancements and LLM Scaling", "hardware", ("scaling",)),
    ("001", "LLMs in Healthcare", "science_health", ()),
    ("002", "Advancements in Adaptability", "multimodal", ()),
    ("002", "Improved Efficiency", "efficiency", ()),
    ("002", "Foundation Models Evolution", "fine_tuning", ()),
    ("002", "Regulatory Advances", "regulation", ()),
    ("002", "Increased Personalization", "personalization", ()),
    ("002", "Collaboration and Interoperability", "interoperability", ()),
    ("002", "Cross-Cultural Understanding", "multilingual", ()),
    ("002", "Focus on Ethical AI", "ethics", ()),
    ("002", "Real-Time Interaction", "real_time", ()),
    ("002", "Community-Driven Development", "open_source", ()),
    ("003", "Advancements in Model Architecture", "architectures", ()),
    ("003", "Multi-Modal Capabilities", "multimodal", ()),
    ("003", "Foundation Models", "fine_tuning", ()),
    ("003", "Ethical and Responsible AI", "ethics", ()),
    ("003", "Energy Efficiency", "energy", ()),
    ("003", "Regulatory Developments", "regulation", ()),
    ("003", "Real-time Applications", "real_time", ()),
    ("003", "Improved Accessibility", "accessibility", ()),
    ("003", "Collaboration and Open-Source", "open_source", ()),
    ("003", "Continued Research and Scalability", "scaling", ()),
    ("004", "Transformer Evolution", "architectures", ()),
    ("004", "Scaling Laws Reassessed", "scaling", ()),
    ("004", "Fine-tuning Techniques", "fine_tuning", ()),
    ("004", "Multimodal Models", "multimodal", ()),
    ("004", "Ethical AI Frameworks", "ethics", ()),
    ("004", "Real-time Adaptation", "real_time", ()),
    ("004", "Robustness and Safety", "safety", ()),
    ("004", "Energy Efficiency", "energy", ()),
    ("004", "Explainability", "explainability", ()),
    ("004", "Decentralized AI Models", "edge", ("privacy",)),
]


def test_five_reports_fifty_sections(seed: IngestResult) -> None:
    assert [s.source_id[:3] for s in seed.corpus.sources] == ["000", "001", "002", "003", "004"]
    assert len(seed.corpus.sections) == 50 == len(EXPECTED)
    assert len(seed.rows) == 50


@pytest.mark.parametrize(
    ("report", "heading", "primary", "others"),
    EXPECTED,
    ids=[f"{e[0]}-{e[1][:24]}" for e in EXPECTED],
)
def test_seed_section_maps_to_its_topics(
    seed: IngestResult, report: str, heading: str, primary: str | None, others: tuple[str, ...]
) -> None:
    section = _section(seed, report, heading)
    ids = [t.topic_id for t in section.topics]
    assert ids, f"{section.section_id} is unmapped"
    if primary:
        assert ids[0] == primary, ids
    for topic in others:
        assert topic in ids, ids
    assert all(t.score >= 35 for t in section.topics)


def test_no_regulation_from_the_word_laws_in_scaling_laws(seed: IngestResult) -> None:
    section = _section(seed, "004", "Scaling Laws Reassessed")
    assert [t.topic_id for t in section.topics] == ["scaling"]


def test_curator_pin_is_marked_and_wins(seed: IngestResult) -> None:
    section = _section(seed, "002", "Advancements in Adaptability")
    assert section.topics[0].topic_id == "multimodal"
    assert section.topics[0].pinned


def test_every_topic_is_covered_by_some_section(seed: IngestResult) -> None:
    index = CorpusIndex(seed.corpus)
    uncovered = [t.id for t in seed.corpus.topics if not index.sections_for(t.id)]
    assert uncovered == []
    assert len(seed.corpus.topics) >= 25


def test_mojibake_and_odd_whitespace_are_gone(seed: IngestResult) -> None:
    emergent = _section(seed, "001", "Emergent Abilities")
    assert "emergent abilities – capabilities" in emergent.text
    for s in seed.corpus.sections:
        assert "â€" not in s.text and "\u00a0" not in s.text and "  " not in s.text
        assert "**" not in s.text and "**" not in s.heading


def test_dates_are_inferred_and_explained(seed: IngestResult) -> None:
    sources = {s.source_id[:3]: s for s in seed.corpus.sources}
    assert sources["000"].published == date(2025, 1, 1)
    assert "'as of 2025' (line 4)" in " ".join(sources["000"].inferred)
    assert sources["001"].published == date(2025, 1, 1)
    assert sources["002"].published == date(2025, 1, 1)
    assert "'The year 2025 has seen'" in " ".join(sources["002"].inferred)
    assert sources["003"].published is None
    assert any("003_" in w and "no date" in w for w in seed.warnings)
    assert sources["004"].published == date(2024, 1, 1)
    assert (
        sources["000"].title == "Transformative Advances in Large Language Models and AI Ecosystems"
    )


def test_summaries_are_two_or_three_verbatim_sentences(seed: IngestResult) -> None:
    for s in seed.corpus.sections:
        sentences = split_sentences(s.summary)
        assert 2 <= len(sentences) <= 3, s.section_id
        for sentence in sentences:
            assert sentence in s.text, (s.section_id, sentence)
        # The lead claim opens the summary.
        assert s.summary.startswith(
            next(x for x in split_sentences(s.text) if len(x.split()) >= 4 and not x.endswith(":"))
        )


def test_summaries_pick_concrete_facts(seed: IngestResult) -> None:
    quantum = _section(seed, "000", "Quantum-Enhanced LLMs")
    assert "up to 40%" in quantum.summary
    neuro = _section(seed, "000", "Neuromorphic LLMs")
    assert "500 watts versus 5,000 watts" in neuro.summary
    science = _section(seed, "000", "AI-Driven Scientific Discovery")
    assert "AlphaFold 3.5" in science.summary


def test_closing_remarks_stay_out_of_the_last_sections(seed: IngestResult) -> None:
    assert "This report synthesizes" not in _section(seed, "000", "Human-AI Hybrid").text
    assert "In conclusion" not in _section(seed, "002", "Community-Driven").text
    assert "This detailed report" not in _section(seed, "003", "Continued Research").text
    assert "These advancements collectively" not in _section(seed, "004", "Decentralized").text


def test_bullets_are_sentences_of_the_body(seed: IngestResult) -> None:
    tiny = _section(seed, "000", "Ultra-Efficient Tiny Models")
    assert "Destructive pruning, removing redundant neurons without accuracy loss." in tiny.text


def test_section_lines_point_at_the_heading_in_the_file(seed: IngestResult) -> None:
    for s in seed.corpus.sections:
        src = next(x for x in seed.corpus.sources if x.source_id == s.source_id)
        line = (SEED_CONTENT / src.path).read_text(encoding="utf-8").splitlines()[s.line - 1]
        assert line.startswith("#"), (s.section_id, line)


def test_section_ids_are_stable_slugs(seed: IngestResult) -> None:
    ids = [s.section_id for s in seed.corpus.sections]
    assert len(set(ids)) == len(ids)
    assert "000_f8847632cb21589d#quantum-enhanced-llms-redefining-computational-frontiers" in ids
    assert "004_cf5f65d9d4e013ed#fine-tuning-techniques" in ids
