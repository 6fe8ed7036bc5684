"""A command's corpus: the compiled corpus and its retrieval index, cached in the data dir."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex


@dataclass(frozen=True)
class AnsweringIndex:
    """The index to answer from, and a warning to show when it is not today's content/."""

    index: CorpusIndex
    warning: str | None = None


def indexed(corpus_index: CorpusIndex, data_dir: Path) -> CorpusIndex:
    """The index with its retrieval index installed (from the data dir, or built and stored)."""
    with_stored_retrieval(corpus_index, data_dir)
    return corpus_index


def with_stored_retrieval(index: CorpusIndex, data_dir: Path) -> None:
    """Load this corpus's retrieval index from the data dir, or build and store it there.

    Building needs bm25s (numpy, scipy: most of a second to import); a stored index is plain
    JSON, so `briefbot ask` starts fast. The file name carries the corpus version and a hash of
    the retrieval code, so a change of either builds a new one.
    """
    import bot.retrieval
    import bot.stemming
    from bot.ingest.build import write_atomically
    from bot.retrieval import RetrievalIndex, retrieval_index_for
    from bot.retrieval.index import install

    # Every module of the retrieval package (a new one, such as the character n-grams, counts
    # without being listed here) and the stemmer it uses.
    package = Path(str(bot.retrieval.__file__)).parent
    code = hashlib.sha256()
    for source in [*sorted(package.glob("*.py")), Path(str(bot.stemming.__file__))]:
        code.update(source.name.encode() + b"\0" + source.read_bytes())
    key = hashlib.sha256(f"{index.version}:{code.hexdigest()}".encode()).hexdigest()[:24]
    path = data_dir / f"retrieval-{key}.json"
    try:
        stored = RetrievalIndex.from_data(json.loads(path.read_text(encoding="utf-8")))
        if stored is not None and install(index, stored):
            return
    except (OSError, ValueError, TypeError, KeyError):
        pass  # missing or unreadable: build it below
    built = retrieval_index_for(index)
    try:
        for old in data_dir.glob("retrieval-*.json"):
            old.unlink(missing_ok=True)
        write_atomically(path, json.dumps(built.to_data(), separators=(",", ":")).encode())
    except OSError:
        pass  # a read-only data dir only costs the next start its build time


def answering_index(content_dir: Path, data_dir: Path, *, allow_broken: bool) -> AnsweringIndex:
    """The index to answer questions from: with a bad file, the last good one and a warning.

    With no good corpus at all: the ContentError (`ask`), or, with `allow_broken` (`serve`),
    an index whose every answer says the content is broken.
    """
    from bot.corpus import CorpusIndex
    from bot.ingest import load_or_last_good

    load = load_or_last_good(content_dir, data_dir)
    if load.result is None and load.error is not None and not allow_broken:
        raise load.error
    if load.result is not None:
        corpus = load.result.corpus
        index = indexed(CorpusIndex(corpus), data_dir)
        if load.error is None:
            return AnsweringIndex(index)
        built = corpus.built_at.strftime("%Y-%m-%d %H:%M UTC")
        return AnsweringIndex(
            index,
            f"{load.error}; answering from the last good corpus "
            f"({corpus.version[:12]}, built {built})",
        )
    problem = str(load.error)
    return AnsweringIndex(
        CorpusIndex.broken(problem, datetime.now(UTC)),
        f"{problem}; there is no good corpus, so every answer says the content is broken",
    )
