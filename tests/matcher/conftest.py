"""Fixtures for the matcher tests: the real corpus from content/ (ingested into a tmp data dir)."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.corpus import CorpusIndex
from bot.models import Corpus, Section, Source, Topic, TopicScore

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def _hand_built_corpus() -> Corpus:
    """Stand-in while bot.ingest is not there: crude split of the real reports at '## '."""
    raw = tomllib.loads((CONTENT / "topics.toml").read_text(encoding="utf-8"))
    topics = tuple(
        Topic(
            id=t["id"],
            name=t["name"],
            aliases=tuple(t.get("aliases", ())),
            keywords=tuple(t.get("keywords", ())),
            related=tuple(t.get("related", ())),
        )
        for t in raw["topic"]
    )
    dates = {
        "000": date(2025, 1, 1),
        "001": date(2025, 1, 1),
        "002": date(2025, 1, 1),
        "003": None,
        "004": date(2024, 1, 1),
    }
    sources: list[Source] = []
    sections: list[Section] = []
    for path in sorted((CONTENT / "sources").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        sid = path.stem
        title = text.splitlines()[0].lstrip("# ").strip()
        sources.append(
            Source(source_id=sid, title=title, published=dates[sid[:3]], path=str(path), sha256="x")
        )
        for n, chunk in enumerate(re.split(r"^## ", text, flags=re.M)[1:]):
            head, _, body = chunk.partition("\n")
            heading = re.sub(r"^\d+\.\s*|\*", "", head).strip()
            body = " ".join(body.replace("---", " ").split())
            low = f"{heading} {body[:300]}".casefold()
            tids = [t.id for t in topics if any(a.casefold() in low for a in (t.name, *t.aliases))][
                :2
            ]
            sentences = re.split(r"(?<=[.!?])\s+", body)
            sections.append(
                Section(
                    section_id=f"{sid}#s{n}",
                    source_id=sid,
                    heading=heading,
                    level=2,
                    line=n + 1,
                    text=body,
                    summary=" ".join(sentences[:2]),
                    topics=tuple(TopicScore(topic_id=t, score=90.0) for t in tids),
                )
            )
    return Corpus(
        version="hand-built",
        built_at=datetime.now(UTC),
        topics=topics,
        sources=tuple(sources),
        sections=tuple(sections),
    )


def _real_corpus(tmp: Path) -> Corpus | None:
    try:
        from bot.ingest import load_corpus
    except ImportError:
        return None
    return load_corpus(CONTENT, tmp).corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    real = _real_corpus(tmp_path_factory.mktemp("data"))
    return real if real is not None else _hand_built_corpus()


@pytest.fixture(scope="session")
def index(corpus: Corpus) -> CorpusIndex:
    return CorpusIndex(corpus)
