"""Build the compiled corpus from content/ and cache it in the data dir (atomic, versioned)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import ContentError
from bot.ingest.reader import ContentFile, ContentFiles, content_version, read_content
from bot.models import Corpus, Section, Source, TopicScore

# Parsing and scoring modules (ftfy, markdown-it, yaml, rapidfuzz) are imported inside the
# build: reusing a cached corpus must stay fast for `briefbot ask`'s cold start.

# Bump when the compiled corpus would differ for the same content (parsing, mapping, models).
SCHEMA_VERSION = "ingest-1"
CORPUS_FILE = "corpus.json"

_BOT = Path(__file__).resolve().parents[1]
# Code whose behaviour shapes the compiled corpus: a change to it invalidates the cache.
_CODE_FILES = ("models.py",)
_CODE_PACKAGES = ("ingest", "conflicts")


class MappingRow(NamedTuple):
    section_id: str
    heading: str
    topics: tuple[TopicScore, ...]


@dataclass
class IngestResult:
    corpus: Corpus
    rows: list[MappingRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rebuilt: bool = True


class _CompiledCorpus(BaseModel):
    """What corpus.json holds: the corpus and the warnings its build produced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str
    warnings: tuple[str, ...] = ()
    # The content folder it was built from: a fallback never answers from another folder's.
    content_dir: str = ""
    corpus: Corpus


def _code_fingerprint() -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    paths = [p for pkg in _CODE_PACKAGES for p in sorted((_BOT / pkg).glob("*.py"))]
    paths += [_BOT / name for name in _CODE_FILES]
    for path in paths:
        with contextlib.suppress(OSError):
            h.update(path.relative_to(_BOT).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{SCHEMA_VERSION}:{h.hexdigest()[:16]}"


def rows_of(corpus: Corpus) -> list[MappingRow]:
    return [MappingRow(s.section_id, s.heading, s.topics) for s in corpus.sections]


# --- building -------------------------------------------------------------------------------


def _check_source_ids(files: ContentFiles) -> None:
    from bot.ingest.reports import source_id_of

    first_by_id: dict[str, ContentFile] = {}
    for file in files.reports:
        key = source_id_of(file).casefold()
        if key in first_by_id:
            raise ContentError(
                file.display,
                None,
                f"duplicate source id '{source_id_of(file)}' (also {first_by_id[key].display})",
                "rename one of the files: the file name is the report's id",
            )
        first_by_id[key] = file


def _build(files: ContentFiles, version: str) -> IngestResult:
    from bot.conflicts import detect_flags_with_warnings, extract_claims
    from bot.ingest.duplicates import duplicate_sections, duplicate_sources
    from bot.ingest.mapping import choose_topics, prepare_terms, score_section
    from bot.ingest.reports import draft_sections, read_report
    from bot.ingest.rules_file import load_curation, load_retrieval_words, load_rules
    from bot.ingest.taxonomy import check_pins, load_topics

    warnings: list[str] = []
    topics, topic_warnings = load_topics(files.topics)
    warnings.extend(topic_warnings)
    _check_source_ids(files)
    reports = sorted((read_report(f, warnings) for f in files.reports), key=lambda r: r.source_id)
    drafts = [d for r in reports for d in draft_sections(r, warnings)]

    check_pins(files.topics, topics, {d.section_id for d in drafts})
    pins: dict[str, list[str]] = {}
    for topic in topics:
        for pin in topic.pins:
            pins.setdefault(pin, []).append(topic.id)

    dup_sources = duplicate_sources(
        {
            r.source_id: "\n".join(d.text for d in drafts if d.source_id == r.source_id)
            for r in reports
        }
    )
    dup_sections = duplicate_sections([(d.section_id, d.source_id, d.text) for d in drafts])
    for sid, original in dup_sources.items():
        warnings.append(f"report {sid} repeats report {original}; counted once")
    for sec_id, original in dup_sections.items():
        if sec_id.split("#")[0] not in dup_sources:
            warnings.append(f"section {sec_id} repeats {original}; counted once")

    # Lexicons, thresholds and curator verdicts for claims and flags (content/rules.toml,
    # content/curation.toml; built-in defaults when absent).
    rules = load_rules(files.root)
    curation = load_curation(files.root)

    terms = prepare_terms(topics)
    sections: list[Section] = []
    for d in drafts:
        details = score_section(d.heading, d.parents, d.text, terms)
        chosen = choose_topics(details, pins.get(d.section_id, ()))
        if not chosen:
            warnings.append(
                f"unmapped section {d.section_id} ('{d.heading}'): no topic scored above the "
                "floor; it stays searchable by its text"
            )
        topic_ids = tuple(t.topic_id for t in chosen)
        sections.append(
            Section(
                section_id=d.section_id,
                source_id=d.source_id,
                heading=d.heading,
                level=d.level,
                line=d.line,
                text=d.text,
                summary=d.summary,
                topics=chosen,
                claims=extract_claims(
                    d.section_id, d.source_id, d.text, topic_ids, rules=rules, heading=d.heading
                ),
                duplicate_of=dup_sections.get(d.section_id),
            )
        )

    sources = [
        Source(
            source_id=r.source_id,
            title=r.title,
            published=r.published,
            published_precision=r.published_precision,
            publisher=r.publisher,
            url=r.url,
            path=r.file.rel,
            sha256=r.file.sha256,
            inferred=r.inferred,
            duplicate_of=dup_sources.get(r.source_id),
        )
        for r in reports
    ]
    flags, flag_warnings = detect_flags_with_warnings(
        sections, sources, topics, rules=rules, curation=curation
    )
    warnings.extend(flag_warnings)
    from bot.conflicts.topic_summary import summarize_topics

    corpus = Corpus(
        version=version,
        built_at=datetime.now(UTC),
        topics=topics,
        sources=tuple(sources),
        sections=tuple(sections),
        flags=tuple(flags),
        summaries=summarize_topics(topics, sections, sources, flags),
        retrieval_words=load_retrieval_words(files.root),
    )
    return IngestResult(corpus=corpus, rows=rows_of(corpus), warnings=warnings, rebuilt=True)


def build_corpus(content_dir: Path) -> IngestResult:
    """Build the corpus in memory from content_dir (no cache); ContentError on bad input."""
    files = read_content(Path(content_dir))
    return _build(files, content_version(files, _code_fingerprint()))


def load_corpus(content_dir: Path, data_dir: Path, *, force: bool = False) -> IngestResult:
    """The compiled corpus: reused from data_dir when no content file changed, else rebuilt.

    The rebuilt corpus replaces the old one atomically; on a ContentError the old one stays.
    """
    files = read_content(Path(content_dir))
    version = content_version(files, _code_fingerprint())
    cache = Path(data_dir) / CORPUS_FILE
    if not force:
        cached = _read_cache(cache)
        if cached is not None and cached.corpus.version == version:
            return IngestResult(
                cached.corpus, rows_of(cached.corpus), list(cached.warnings), rebuilt=False
            )
    result = _build(files, version)
    compiled = _CompiledCorpus(
        schema_version=SCHEMA_VERSION,
        warnings=tuple(result.warnings),
        content_dir=_folder_key(content_dir),
        corpus=result.corpus,
    )
    _write_atomically(cache, compiled.model_dump_json().encode())
    return result


ContentStatus = Literal["ok", "stale", "broken"]


@dataclass(frozen=True)
class ContentLoad:
    """What to answer from, and why content/ as it is now was refused (None: it was not).

    `result` is the fresh build when `error` is None, else the last good one (the corpus the
    last successful build cached), or None when there never was one.
    """

    result: IngestResult | None
    error: ContentError | None = None

    @property
    def status(self) -> ContentStatus:
        if self.error is None:
            return "ok"
        return "stale" if self.result is not None else "broken"


def load_or_last_good(content_dir: Path, data_dir: Path) -> ContentLoad:
    """The corpus of content_dir, or on a ContentError the last good corpus built from it.

    For everything that answers questions (ask, serve): a bad file degrades the answers to
    the last good content instead of stopping the bot. `ingest` keeps using load_corpus,
    which refuses.
    """
    try:
        return ContentLoad(load_corpus(content_dir, data_dir))
    except ContentError as exc:
        return ContentLoad(last_good(content_dir, data_dir), exc)


def last_good(content_dir: Path, data_dir: Path) -> IngestResult | None:
    """The corpus the last successful build of content_dir cached, if any."""
    cached = _read_cache(Path(data_dir) / CORPUS_FILE)
    if cached is None or cached.content_dir not in ("", _folder_key(content_dir)):
        return None
    return IngestResult(cached.corpus, rows_of(cached.corpus), list(cached.warnings), False)


def _folder_key(content_dir: Path) -> str:
    try:
        return str(Path(content_dir).resolve())
    except (OSError, RuntimeError):
        return str(content_dir)


def _read_cache(path: Path) -> _CompiledCorpus | None:
    try:
        return _CompiledCorpus.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
