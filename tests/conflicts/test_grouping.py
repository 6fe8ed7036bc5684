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


def _sections(
    says: dict[str, str] = SAYS,
    topic: str = "neuromorphic",
    heading: str = "Neuromorphic chips",
    claims_heading: str = "Chips",
) -> list[Section]:
    out = []
    for sid, text in says.items():
        section_id = f"{sid}#chips"
        out.append(
            Section(
                section_id=section_id,
                source_id=sid,
                heading=heading,
                level=2,
                line=1,
                text=text,
                summary="",
                topics=(TopicScore(topic_id=topic, score=80.0),),
                claims=extract_claims(
                    section_id, sid, text, (topic,), rules=RULES, heading=claims_heading
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


def test_a_consensus_holds_only_reports_that_agree_with_its_statement() -> None:
    # Agreement is not transitive: on a path r0 - r1 - r2 - r3 of agreeing claims, r3 does not
    # say what r1 says. The flag states one claim (the one most others agree with directly)
    # and lists only the reports that agree with that claim itself.
    from collections import defaultdict

    from bot.conflicts.items import claim_items
    from bot.conflicts.normal import content_words
    from bot.conflicts.pairs import Pair, _around_one_statement, _centrality

    says = {**SAYS, "r3": "Training a neuromorphic LLM on Loihi 2 requires 12,000 watts."}
    sources = {
        sid: Source(source_id=sid, title=f"Report {sid}", path=f"{sid}.md", sha256="0")
        for sid in says
    }
    sections = _sections(says)
    items = claim_items(sections, sources, RULES)
    r0, r1, r2, r3 = (next(i for i in items if i.source.source_id == sid) for sid in says)
    path = [Pair("agree", x, y, ("loihi 2",)) for x, y in ((r0, r1), (r1, r2), (r2, r3))]
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in path:
        votes[p.a.source.source_id][p.a.claim.claim_id] += 1
        votes[p.b.source.source_id][p.b.claim.claim_id] += 1
    by_id = {i.claim.claim_id: i for i in items}
    words = {cid: content_words(i.claim.text) for cid, i in by_id.items()}
    anaphora = frozenset(RULES.anaphora)
    centrality = {cid: _centrality(i, words=words, anaphora=anaphora) for cid, i in by_id.items()}
    picked = _around_one_statement(path, set(says), votes, by_id, centrality)
    ids = [i.source.source_id for i in picked]
    assert len(ids) == 3 and ids[0] in ("r1", "r2")
    hub = picked[0]
    neighbours = {(p.a if p.b is hub else p.b).source.source_id for p in path if hub in (p.a, p.b)}
    assert set(ids[1:]) == neighbours  # the report at the far end is left out


def _consensus(says: dict[str, str], heading: str = "Multimodal models") -> Flag:
    sources = [
        Source(source_id=sid, title=f"Report {sid}", path=f"{sid}.md", sha256="0") for sid in says
    ]
    topics = (Topic(id="multimodal", name="Multimodal"),)
    sections = _sections(says, "multimodal", heading, heading)
    flags = detect_flags(sections, sources, topics, rules=RULES, curation=NO_CURATION)
    (flag,) = [f for f in flags if f.kind == "consensus"]
    return flag


def test_a_consensus_states_no_year_the_other_reports_do_not_give() -> None:
    # The statement is credited to every report of the flag: "2025 marks a shift …" under a
    # 2024 report's name says something that report never said.
    flag = _consensus(
        {
            "r0": "2025 marks a significant shift towards multimodal models that process text, "
            "images and audio.",
            "r1": "Multimodal models now process text, images and audio in one architecture.",
            "r2": "Multimodal models can now process text, images and audio together.",
        }
    )
    assert "2025" not in (flag.point or "")
    assert len(flag.sides) == 3


def test_a_consensus_statement_names_its_subject_itself() -> None:
    # Shown without its heading, a statement that has the subject only from the heading
    # ("These systems …") says less than one that names it.
    says = {
        "r0": "Newer tools read text, images and audio at once in one architecture.",
        "r1": "Multimodal models now read text, images and audio in one architecture.",
        "r2": "Multimodal systems read text, images and audio at once.",
    }
    flag = _consensus(says, heading="Multimodal models")
    assert (flag.point or "").lower().startswith("multimodal models")


def test_a_stance_quote_near_the_start_of_its_sentence_keeps_the_subject() -> None:
    from bot.conflicts.pairs import _quote

    text = (
        "The push for greater explainability in AI LLMs has resulted in the development of new "
        "frameworks that clarify how models arrive at their decisions."
    )
    at = text.index("has resulted")
    assert _quote(text, at, len("has resulted")).startswith("The push for greater explainability")
    # Past a clause break, the quote stays inside the clause of the phrase.
    later = "Critics disagree, but the push has resulted in new frameworks for audits."
    at = later.index("has resulted")
    assert _quote(later, at, len("has resulted")).startswith("but the push")
