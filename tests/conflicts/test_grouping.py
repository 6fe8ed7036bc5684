"""One disagreement flag per kind, subject and concept, and curator verdicts on its pairs."""

from __future__ import annotations

from bot.conflicts import NO_CURATION, CurationEntry, detect_flags, extract_claims
from bot.conflicts.curation import Curation
from bot.ingest.rules_file import load_rules
from bot.models import Flag, Section, Source, Topic, TopicScore

from .conftest import SEED_CONTENT

RULES = load_rules(SEED_CONTENT)
TOPICS = (Topic(id="neuromorphic", name="Neuromorphic"),)
SAYS = {
    "r0": "Training a neuromorphic LLM on Loihi 2 requires 500 watts.",
    "r1": "Training a neuromorphic LLM on Loihi 2 requires 2,000 watts.",
    "r2": "Training a neuromorphic LLM on Loihi 2 requires 9,000 watts.",
}
SOURCES = [
    Source(source_id=sid, title=f"Report {sid}", path=f"{sid}.md", sha256="0") for sid in SAYS
]


def _sections() -> list[Section]:
    out = []
    for sid, text in SAYS.items():
        section_id = f"{sid}#chips"
        out.append(
            Section(
                section_id=section_id,
                source_id=sid,
                heading="Neuromorphic chips",
                level=2,
                line=1,
                text=text,
                summary="",
                topics=(TopicScore(topic_id="neuromorphic", score=80.0),),
                claims=extract_claims(
                    section_id, sid, text, ("neuromorphic",), rules=RULES, heading="Chips"
                ),
            )
        )
    return out


def _numeric(curation: Curation = NO_CURATION) -> list[Flag]:
    flags = detect_flags(_sections(), SOURCES, TOPICS, rules=RULES, curation=curation)
    return [f for f in flags if f.kind == "numeric"]


def test_three_reports_with_three_figures_make_one_flag() -> None:
    (flag,) = _numeric()
    assert {s.source_id for s in flag.sides} == set(SAYS)
    assert flag.sides[0].source_id != flag.sides[1].source_id
    assert "Also:" in flag.summary
    for figure in ("500 watts", "2,000 watts", "9,000 watts"):
        assert figure in flag.summary


def test_a_dismissed_pair_leaves_its_group_and_the_rest_stands() -> None:
    (flag,) = _numeric()
    lead = {flag.sides[0].claim, flag.sides[1].claim}
    curation = Curation(dismiss=(CurationEntry(flag_id=flag.flag_id, note="false alarm"),))
    rest = _numeric(curation)
    assert rest and all(f.flag_id != flag.flag_id for f in rest)
    assert all({s.claim for s in f.sides[:2]} != lead for f in rest)


def test_a_verdict_on_any_pair_of_a_group_applies_to_its_flag() -> None:
    (flag,) = _numeric()
    # Dismiss the lead pair: the next pair leads, with its own id; confirming that id then
    # confirms the group, whichever pair leads it.
    curation = Curation(dismiss=(CurationEntry(flag_id=flag.flag_id, note="x"),))
    second = _numeric(curation)[0].flag_id
    (confirmed,) = _numeric(Curation(confirm=(CurationEntry(flag_id=second, note="checked"),)))
    assert confirmed.flag_id == flag.flag_id and confirmed.status == "confirmed"
