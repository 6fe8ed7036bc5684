"""A small hand-written corpus and a recording sender, shared by the digest tests and workers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.delivery import PostRequest
from bot.models import Corpus, Flag, FlagSide, Section, Source, Topic, TopicScore

TOPICS = (
    Topic(id="multimodal", name="Multimodal models", aliases=("multi-modal",)),
    Topic(id="regulation", name="Regulation", aliases=("eu ai act",)),
    Topic(id="quantum", name="Quantum-enhanced LLMs"),
)


def _source(sid: str, published: date | None, **kw: object) -> Source:
    return Source(
        source_id=sid,
        title=f"Report {sid}",
        published=published,
        path=f"{sid}.md",
        sha256=sid,
        **kw,
    )  # type: ignore[arg-type]


def _section(sid: str, slug: str, line: int, topics: dict[str, float], **kw: object) -> Section:
    return Section(
        section_id=f"{sid}#{slug}",
        source_id=sid,
        heading=slug.replace("-", " ").title(),
        level=2,
        line=line,
        text=f"{slug} body text of {sid}.",
        summary=f"{slug} summary from {sid}.",
        topics=tuple(TopicScore(topic_id=t, score=s) for t, s in topics.items()),
        **kw,  # type: ignore[arg-type]
    )


def small_corpus() -> Corpus:
    sources = (
        _source("old", date(2025, 10, 1)),
        _source("mid", date(2025, 10, 20)),
        _source("new", date(2025, 10, 25)),
        _source("copy", date(2025, 10, 25), duplicate_of="new"),
        _source("undated", None),
    )
    sections = (
        _section("old", "vision-models", 3, {"multimodal": 90}),
        _section("old", "eu-ai-act", 9, {"regulation": 95}),
        _section("mid", "omni-models", 3, {"multimodal": 85, "quantum": 40}),
        _section("mid", "qubits", 7, {"quantum": 90}),
        _section("new", "ai-act-delays", 3, {"regulation": 92}),
        _section("new", "video-models", 8, {"multimodal": 80}),
        _section("copy", "video-models", 3, {"multimodal": 80}),
        _section("undated", "audit-rules", 3, {"regulation": 70}),
    )
    flags = (
        Flag(
            flag_id="regulation-timeline-1",
            topic="regulation",
            kind="timeline",
            summary="When the AI Act applies",
            sides=(
                FlagSide(source_id="old", heading="Eu Ai Act", claim="effective 2024"),
                FlagSide(source_id="new", heading="Ai Act Delays", claim="delayed to 2026"),
            ),
        ),
        Flag(
            flag_id="multimodal-consensus-1",
            topic="multimodal",
            kind="consensus",
            summary="All agree models go multimodal",
            sides=(
                FlagSide(source_id="old", heading="Vision Models", claim="vision everywhere"),
                FlagSide(source_id="new", heading="Video Models", claim="video too"),
            ),
        ),
        Flag(
            flag_id="quantum-single-1",
            topic="quantum",
            kind="single_source",
            summary="Only one report on quantum",
            sides=(FlagSide(source_id="mid", heading="Qubits", claim="quantum speeds up"),),
        ),
    )
    return Corpus(
        version="test-1",
        built_at=datetime(2025, 10, 26, tzinfo=UTC),
        topics=TOPICS,
        sources=sources,
        sections=sections,
        flags=flags,
    )


class RecordingSend:
    """A Send that records each post and can fail the first N calls (a fake, not a mock)."""

    def __init__(self, fail_first: int = 0, fail_parts: frozenset[int] = frozenset()) -> None:
        self.posts: list[PostRequest] = []
        self.fail_first = fail_first
        self.fail_parts = fail_parts
        self.calls = 0

    def __call__(self, request: PostRequest) -> str:
        self.calls += 1
        if self.calls <= self.fail_first or request.part in self.fail_parts:
            raise ConnectionError(f"refused (call {self.calls})")
        self.posts.append(request)
        return f"{1000 + len(self.posts)}.000100"


def no_sleep(_: float) -> None:
    return None


class ManualClock:
    """A clock that moves only when told: `advance`, or `sleep` (what run_due calls to wait)."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by

    def sleep(self, seconds: float) -> None:
        self.advance(timedelta(seconds=seconds))


def long_corpus(topics: int = 120) -> Corpus:
    """One report touching many topics: its digest needs more than one Slack message."""
    tps = tuple(Topic(id=f"t{i:02d}", name=f"Topic {i:02d}") for i in range(topics))
    sections = tuple(
        _section("big", f"part-{i:02d}", 3 + i, {f"t{i:02d}": 90.0}) for i in range(topics)
    )
    return Corpus(
        version="long-1",
        built_at=datetime(2025, 10, 26, tzinfo=UTC),
        topics=tps,
        sources=(_source("big", date(2025, 10, 25)),),
        sections=sections,
    )
