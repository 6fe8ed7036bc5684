"""Digests composed from generated corpora stay within Slack's limits and the week-at-a-glance
limits (top-level message at most 3,000 characters and 25 blocks), every message valid."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_builders import assert_valid_message

from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.models import (
    Corpus,
    DigestSnapshot,
    Flag,
    FlagKind,
    FlagSide,
    Section,
    Source,
    Topic,
    TopicScore,
)
from bot.render import render_digest_messages, render_digest_text
from bot.render.limits import DIGEST_TOP_BLOCKS_MAX, DIGEST_TOP_TEXT_MAX, block_text_length

WORDS = ["models", "quantum", "R&D", "<!channel>", "fines", "7%", "2026", "Loihi 2", "😀", "a > b"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
long_text = st.one_of(sentence, st.integers(1, 60).map(lambda n: "Word " * n * 20))
KINDS: list[FlagKind] = [
    "stance",
    "numeric",
    "timeline",
    "verification",
    "caution",
    "consensus",
    "single_source",
]


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    topics = tuple(
        Topic(id=f"t{n}", name=draw(st.sampled_from(["Quantum", "R&D <rules>", "x" * 200])))
        for n in range(draw(st.integers(1, 12)))
    )
    n_sources = draw(st.integers(1, 8))
    sources = tuple(
        Source(
            source_id=f"s{n}",
            title=draw(st.sampled_from(["Report", "A very long report title " * 8, "R&D <x>"])),
            published=draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2025, 12, 31)))),
            path=f"s{n}.md",
            sha256=f"s{n}",
        )
        for n in range(n_sources)
    )
    sections: list[Section] = []
    for n in range(draw(st.integers(0, 60))):
        source = draw(st.sampled_from(sources))
        mapped = draw(st.lists(st.sampled_from(topics), min_size=1, max_size=3, unique=True))
        sections.append(
            Section(
                section_id=f"{source.source_id}#sec-{n}",
                source_id=source.source_id,
                heading=draw(st.sampled_from(["Heading", "A long heading " * 10])),
                level=2,
                line=n + 1,
                text=draw(long_text),
                summary=draw(long_text),
                topics=tuple(TopicScore(topic_id=t.id, score=80) for t in mapped),
            )
        )
    flags: list[Flag] = []
    for n in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(KINDS))
        sides = (
            draw(st.lists(st.sampled_from(sections), min_size=1, max_size=8)) if sections else []
        )
        flags.append(
            Flag(
                flag_id=f"f{n}",
                topic=draw(st.sampled_from(topics)).id,
                kind=kind,
                summary=draw(long_text),
                sides=tuple(
                    FlagSide(source_id=s.source_id, heading=s.heading, claim=s.text, title="Title")
                    for s in sides
                ),
            )
        )
    return Corpus(
        version="generated",
        built_at=datetime(2026, 1, 1, tzinfo=UTC),
        topics=topics,
        sources=sources,
        sections=tuple(sections),
        flags=tuple(flags),
    )


def _check(messages: list[list[dict[str, Any]]]) -> None:
    top = messages[0]
    assert len(top) <= DIGEST_TOP_BLOCKS_MAX
    assert sum(block_text_length(b) for b in top) <= DIGEST_TOP_TEXT_MAX
    for message in messages:
        assert_valid_message(message)


CORPORA = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@CORPORA
@given(corpora(), st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2025, 12, 31))))
def test_a_first_digest_of_any_corpus_fits_slack(corpus: Corpus, since: date | None) -> None:
    index = CorpusIndex(corpus)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    digest = compose_digest(index, since=start, until=datetime(2026, 1, 1, tzinfo=UTC))
    _check(render_digest_messages(digest))
    assert render_digest_text(digest).strip()


@CORPORA
@given(corpora())
def test_the_week_after_of_any_corpus_fits_slack(corpus: Corpus) -> None:
    index = CorpusIndex(corpus)
    until = datetime(2026, 1, 1, tzinfo=UTC)
    first = compose_digest(index, since=None, until=until - timedelta(days=7))
    # The previous week saw half the reports and half the flags: the rest is new.
    half = DigestSnapshot(
        source_ids=tuple(s.source_id for s in corpus.sources[::2]),
        conflicts=first.snapshot.conflicts[::2],
        agreement=first.snapshot.agreement[::2],
    )
    second = compose_digest(index, since=until - timedelta(days=7), until=until, previous=half)
    _check(render_digest_messages(second))
