"""The Typer application every command module registers on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.boundary import BriefbotGroup, current_runtime

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex
    from bot.ingest import IngestResult

app = typer.Typer(
    name="briefbot",
    cls=BriefbotGroup,
    help="Answers questions about AI trends from a set of reports, in Slack or the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


runtime = current_runtime  # every command gets its collaborators from this process's Runtime

ContentOption = Annotated[
    Path | None,
    typer.Option("--content", help="Content directory (default: BRIEFBOT_CONTENT_DIR)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def load_ingest(content: Path | None = None, *, force: bool = False) -> IngestResult:
    """The corpus from the content dir (cached in the data dir)."""
    # Imported here so `briefbot --help` and light commands do not pay for them.
    from bot.ingest import load_corpus

    rt = runtime()
    return load_corpus(content or rt.content_dir, rt.settings.data_dir, force=force)


def load_index(content: Path | None = None) -> CorpusIndex:
    from bot.corpus import CorpusIndex

    index = CorpusIndex(load_ingest(content).corpus)
    with_stored_retrieval(index, runtime().settings.data_dir)
    return index


def with_stored_retrieval(index: CorpusIndex, data_dir: Path) -> None:
    """Load this corpus's retrieval index from the data dir, or build and store it there.

    Building needs bm25s (numpy, scipy: most of a second to import); a stored index is plain
    JSON, so `briefbot ask` starts fast. The file name carries the corpus version and a hash of
    the retrieval code, so a change of either builds a new one.
    """
    import hashlib
    import json
    import os
    import tempfile

    import bot.retrieval.index as retrieval_index
    import bot.retrieval.lexicon as retrieval_lexicon
    import bot.retrieval.weights as retrieval_weights
    import bot.stemming as stemming
    from bot.retrieval import RetrievalIndex, retrieval_index_for
    from bot.retrieval.index import install

    code = hashlib.sha256()
    for module in (retrieval_index, retrieval_weights, retrieval_lexicon, stemming):
        code.update(Path(str(module.__file__)).read_bytes())
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
        data_dir.mkdir(parents=True, exist_ok=True)
        for old in data_dir.glob("retrieval-*.json"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".retrieval-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(built.to_data(), out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data dir only costs the next start its build time


def answering_index(content: Path | None = None, *, allow_broken: bool = False) -> CorpusIndex:
    """The index to answer questions from: with a bad file, the last good one, said on stderr.

    With no good corpus at all: exit 2 with the problem (`ask`), or, with `allow_broken`
    (`serve`), an index whose every answer says the content is broken.
    """
    from datetime import UTC, datetime

    from bot.corpus import CorpusIndex
    from bot.ingest import load_or_last_good

    settings = runtime().settings
    load = load_or_last_good(content or settings.content_dir, settings.data_dir)
    if load.error is None and load.result is not None:
        index = CorpusIndex(load.result.corpus)
        with_stored_retrieval(index, settings.data_dir)
        return index
    if load.result is None and load.error is not None and not allow_broken:
        raise load.error
    problem = str(load.error)
    if load.result is not None:
        corpus = load.result.corpus
        built = corpus.built_at.strftime("%Y-%m-%d %H:%M UTC")
        typer.echo(
            f"warning: {problem}; answering from the last good corpus "
            f"({corpus.version[:12]}, built {built})",
            err=True,
        )
        index = CorpusIndex(corpus)
        with_stored_retrieval(index, settings.data_dir)
        return index
    typer.echo(
        f"warning: {problem}; there is no good corpus, so every answer says the content is broken",
        err=True,
    )
    return CorpusIndex.broken(problem, datetime.now(UTC))
