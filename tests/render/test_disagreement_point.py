"""A disagreement line says what each side says in a few quoted words, and stays short."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.conflicts import detect_flags, extract_claims
from bot.ingest.rules_file import load_rules
from bot.models import (
    DISAGREEMENT_POINT_AIM,
    DISAGREEMENT_POINT_MAX,
    Section,
    Source,
    Topic,
    TopicScore,
    disagreement_point,
)

SEED_CONTENT = Path(__file__).resolve().parents[2] / "content"

SAYS = {
    "r0": "Quantum-enhanced training is now a mature, widely deployed technique in production "
    "language models.",
    "r1": "Quantum-enhanced training remains in early stages, with substantial hurdles before "
    "production language models can use it.",
}


def _stance_flag_summary() -> str:
    rules = load_rules(SEED_CONTENT)
    sources = [
        Source(source_id=s, title=f"Report {s} on quantum methods", path=f"{s}.md", sha256="0")
        for s in SAYS
    ]
    sections = []
    for sid, text in SAYS.items():
        section_id = f"{sid}#quantum"
        sections.append(
            Section(
                section_id=section_id,
                source_id=sid,
                heading="Quantum computing",
                level=2,
                line=1,
                text=text,
                summary="",
                topics=(TopicScore(topic_id="quantum", score=80.0),),
                claims=extract_claims(
                    section_id, sid, text, ("quantum",), rules=rules, heading="Quantum computing"
                ),
            )
        )
    topics = (Topic(id="quantum", name="Quantum computing"),)
    (flag,) = [
        f for f in detect_flags(sections, sources, topics, rules=rules) if f.kind == "stance"
    ]
    return flag.summary


def test_a_detected_disagreement_reads_as_what_each_report_says() -> None:
    line = disagreement_point(_stance_flag_summary())
    assert "presents it as" not in line and "it as early" not in line
    assert line.count("says “") == 2
    assert "early stages" in line  # the words that carry the second side's position
    assert len(line) <= DISAGREEMENT_POINT_AIM


def test_long_quotes_are_cut_to_the_words_around_their_middle() -> None:
    long = " ".join(f"w{n}" for n in range(40))
    summary = (
        "Regulation: the 2025 'Alpha…' report presents it as achieved "
        f"(\"{long} fines of up to 7% {long}\"); the 2024 'Beta…' report says validation, "
        f'limits or open problems remain ("{long} enforcement remains uncertain {long}").'
    )
    line = disagreement_point(summary)
    assert len(line) <= DISAGREEMENT_POINT_AIM
    assert "'Alpha…' (2025) says “…" in line and "'Beta…' (2024) says “…" in line
    assert "7%" in line and "uncertain" in line


def test_others_in_the_disagreement_become_a_count_when_they_do_not_fit() -> None:
    summary = (
        "Robustness: the 2025 'Alpha…' report presents it as working or established "
        "(\"robust to adversarial attacks in deployed systems\"); the 2024 'Beta…' report as "
        'early, limited, unsolved or not so ("robustness remains a paramount open concern"). '
        "Also: the undated 'Gamma Report on Safety…' report (caution); the 2023 'Delta "
        "Review of Robustness…' report (early or limited)."
    )
    line = disagreement_point(summary)
    assert line.endswith("Also: 2 more reports.")
    again = summary.replace("(early or limited).", "(early or limited); and 3 more.")
    assert disagreement_point(again).endswith("Also: 5 more reports.")
    assert "“robust to adversarial attacks in deployed systems”" in line
    assert len(line) <= DISAGREEMENT_POINT_AIM


def test_a_short_summary_without_quotes_is_kept_as_written() -> None:
    summary = "Loihi 2, power: the 2024 'Alpha…' report says 500 watts; the 2025 'Beta…' says 2 kW."
    assert disagreement_point(summary) == (
        "Loihi 2, power: 'Alpha…' (2024) says 500 watts; the 2025 'Beta…' says 2 kW."
    )
    assert disagreement_point("When the AI Act applies") == "When the AI Act applies"


_WORD = st.text(alphabet="abcdefghij%$0123456789-", min_size=1, max_size=14)
_QUOTE = st.lists(_WORD, min_size=1, max_size=40).map(" ".join)
_NAME = st.text(alphabet="ABCDEFGH abcdefgh", min_size=1, max_size=40).map(str.strip)


@given(
    subject=st.text(alphabet="ABCDE abcde", min_size=1, max_size=40).map(str.strip),
    names=st.tuples(_NAME, _NAME),
    quotes=st.tuples(_QUOTE, _QUOTE),
    kind=st.sampled_from(["stance", "caution", "verification"]),
)
def test_the_line_keeps_each_quote_in_order_and_within_the_bound(
    subject: str, names: tuple[str, str], quotes: tuple[str, str], kind: str
) -> None:
    a, b = (f"the 2025 '{n or 'X'}…' report" for n in names)
    first, second = {
        "stance": (
            "presents it as working or established",
            "as early, limited, unsolved or not so",
        ),
        "caution": ("presents it as achieved", "says validation, limits or open problems remain"),
        "verification": ("gives 40%", "says it is unverified or not reproduced"),
    }[kind]
    summary = f'{subject}: {a} {first} ("{quotes[0]}"); {b} {second} ("{quotes[1]}").'
    line = disagreement_point(summary)
    assert len(line) <= DISAGREEMENT_POINT_MAX
    kept = re.findall(r"“([^”]*)”", line)
    if len(kept) == 2:
        for got, original in zip(kept, quotes, strict=True):
            words = got.strip("…").split()
            assert words, line
            # A run of the original's words, never a word cut in half.
            assert f" {' '.join(words)} " in f" {original} ", (got, original)
        # Cut only as far as needed: a quote longer than three words is cut only over the aim.
        shortened = zip(kept, quotes, strict=True)
        if any(len(got.strip("…").split()) < len(q.split()) for got, q in shortened):
            assert len(line) > DISAGREEMENT_POINT_AIM - 40


@given(st.text(max_size=2000))
def test_any_summary_gives_a_bounded_line(summary: str) -> None:
    line = disagreement_point(summary)
    assert len(line) <= DISAGREEMENT_POINT_MAX
    assert line == line.strip()


def test_a_cut_quote_never_ends_on_a_dangling_word() -> None:
    summary = (
        "Hiring: the 2025 'Labour market review' report says “the share of firms that use AI in "
        "screening has grown to the point of becoming the norm for the largest of employers”; "
        "the 2024 'Recruiting survey' report says “only a handful of pilots in large firms”."
    )
    line = disagreement_point(summary, aim=120)
    for quote in re.findall(r"“([^”]*)”", line):
        last = quote.rstrip("…").split()[-1].lower()
        assert last not in {"the", "of", "to", "for", "that", "in"}, line


def test_a_quote_around_a_phrase_runs_on_to_a_word_of_substance() -> None:
    from bot.conflicts.summary import snippet

    text = "Work is underway to build models that can be trained on a phone, the lab says."
    at = text.index("underway")
    # Five words after the phrase end on "that": the quote runs on to "trained".
    assert snippet(text, at, at + len("underway"), words=4) == (
        "Work is underway to build models that can be trained"
    )
