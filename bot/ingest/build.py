"""Build the compiled corpus from content/ and cache it in the data dir (atomic, versioned)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import ContentError
from bot.ingest.reader import ContentFile, ContentFiles, content_version, decode, read_content
from bot.models import Corpus, Section, Source, Topic, TopicScore

if TYPE_CHECKING:
    from bot.ingest.markdown import ParsedReport

# Parsing and scoring modules (ftfy, markdown-it, yaml, rapidfuzz) are imported inside the
# build: reusing a cached corpus must stay fast for `briefbot ask`'s cold start.

# Bump when the compiled corpus would differ for the same content (parsing, mapping, models).
SCHEMA_VERSION = "ingest-1"
CORPUS_FILE = "corpus.json"

_BOT = Path(__file__).resolve().parents[1]
# Code whose behaviour shapes the compiled corpus: a change to it invalidates the cache.
_CODE_FILES = ("models.py", "claims.py", "conflicts.py")


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
    corpus: Corpus


def _code_fingerprint() -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    paths = sorted((_BOT / "ingest").glob("*.py")) + [_BOT / name for name in _CODE_FILES]
    for path in paths:
        with contextlib.suppress(OSError):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{SCHEMA_VERSION}:{h.hexdigest()[:16]}"


def rows_of(corpus: Corpus) -> list[MappingRow]:
    return [MappingRow(s.section_id, s.heading, s.topics) for s in corpus.sections]


# --- building -------------------------------------------------------------------------------


@dataclass
class _Report:
    file: ContentFile
    source_id: str
    lines: list[str]
    parsed: ParsedReport
    title: str
    published: Any
    publisher: str | None
    url: str | None
    inferred: list[str]


def _source_id(file: ContentFile) -> str:
    return Path(file.rel).stem


def _read_report(file: ContentFile, warnings: list[str]) -> _Report:
    from bot.ingest.markdown import parse_report
    from bot.ingest.metadata import infer_published, read_front_matter, readable_title

    path = file.display
    lines = decode(file)
    fm = read_front_matter(path, lines)
    body_lines = [""] * fm.end_line + lines[fm.end_line :]
    parsed = parse_report(body_lines)
    if parsed.heading_count == 0:
        first = next((i + 1 for i, line in enumerate(body_lines) if line.strip()), 1)
        raise ContentError(
            path,
            first,
            "no headings",
            "start the report with '# Title' and begin each section with a '## Heading' line",
        )
    if not any(b for sec in parsed.sections for b in sec.blocks):
        line = parsed.sections[0].line if parsed.sections else 1
        raise ContentError(
            path, line, "no section has any text", "write each section's text under its heading"
        )
    inferred: list[str] = []
    if fm.title:
        title = fm.title
    else:
        title = readable_title(parsed.title or _source_id(file))
        inferred.append(f"title inferred from the first heading (line {parsed.title_line or 1})")
    published = fm.published
    if published is None:
        guess = infer_published(parsed.title, parsed.title_line, body_lines, fm.end_line)
        published = guess.published
        inferred.extend(guess.notes)
        if published is None:
            warnings.append(
                f"{path}: no date found (no year in the title, no 'as of YEAR'); "
                "add front matter 'published: YYYY-MM-DD'"
            )
    return _Report(
        file, _source_id(file), lines, parsed, title, published, fm.publisher, fm.url, inferred
    )


def _build(files: ContentFiles, version: str) -> IngestResult:
    from bot.claims import extract_claims
    from bot.conflicts import detect_flags_with_warnings
    from bot.ingest.duplicates import duplicate_sections, duplicate_sources
    from bot.ingest.mapping import choose_topics, prepare_terms, score_section
    from bot.ingest.rules_file import load_curation, load_rules
    from bot.ingest.summary import summarize
    from bot.ingest.taxonomy import check_pins, load_topics
    from bot.ingest.text import slugify

    warnings: list[str] = []
    topics, topic_warnings = load_topics(files.topics)
    warnings.extend(topic_warnings)

    first_by_id: dict[str, ContentFile] = {}
    for file in files.reports:
        key = _source_id(file).casefold()
        if key in first_by_id:
            raise ContentError(
                file.display,
                None,
                f"duplicate source id '{_source_id(file)}' (also {first_by_id[key].display})",
                "rename one of the files: the file name is the report's id",
            )
        first_by_id[key] = file
    reports = sorted((_read_report(f, warnings) for f in files.reports), key=lambda r: r.source_id)

    # Sections with ids, text and summaries (before topics and duplicates).
    drafts: list[dict[str, Any]] = []
    for report in reports:
        used: set[str] = set()
        secs = report.parsed.sections
        for n, raw in enumerate(secs):
            text = "\n".join(b.text for b in raw.blocks)
            if not text:
                has_children = n + 1 < len(secs) and secs[n + 1].level > raw.level
                if not has_children:
                    warnings.append(
                        f"{report.file.display}:{raw.line}: section "
                        f"'{raw.heading}' has no text; skipped"
                    )
                continue
            slug = slugify(raw.heading) or f"section-{n + 1}"
            unique, k = slug, 2
            while unique in used:
                unique, k = f"{slug}-{k}", k + 1
            used.add(unique)
            strong = tuple(s for b in raw.blocks for s in b.strong)
            drafts.append(
                {
                    "section_id": f"{report.source_id}#{unique}",
                    "source_id": report.source_id,
                    "heading": raw.heading,
                    "parents": raw.parents,
                    "level": raw.level,
                    "line": raw.line,
                    "text": text,
                    "summary": summarize(text, strong),
                }
            )

    section_ids = {d["section_id"] for d in drafts}
    check_pins(files.topics, topics, section_ids)
    pins: dict[str, list[str]] = {}
    for topic in topics:
        for pin in topic.pins:
            pins.setdefault(pin, []).append(topic.id)

    dup_sources = duplicate_sources(
        {
            r.source_id: "\n".join(d["text"] for d in drafts if d["source_id"] == r.source_id)
            for r in reports
        }
    )
    dup_sections = duplicate_sections(
        [(d["section_id"], d["source_id"], d["text"]) for d in drafts]
    )
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
        details = score_section(d["heading"], d["parents"], d["text"], terms)
        chosen = choose_topics(details, pins.get(d["section_id"], ()))
        if not chosen:
            warnings.append(
                f"unmapped section {d['section_id']} ('{d['heading']}'): no topic "
                "scored above the floor; it stays searchable by its text"
            )
        topic_ids = tuple(t.topic_id for t in chosen)
        claims = extract_claims(d["section_id"], d["source_id"], d["text"], topic_ids, rules=rules)
        sections.append(
            Section(
                section_id=d["section_id"],
                source_id=d["source_id"],
                heading=d["heading"],
                level=d["level"],
                line=d["line"],
                text=d["text"],
                summary=d["summary"],
                topics=chosen,
                claims=tuple(claims),
                duplicate_of=dup_sections.get(d["section_id"]),
            )
        )

    sources = [
        Source(
            source_id=r.source_id,
            title=r.title,
            published=r.published,
            publisher=r.publisher,
            url=r.url,
            path=r.file.rel,
            sha256=r.file.sha256,
            inferred=tuple(r.inferred),
            duplicate_of=dup_sources.get(r.source_id),
        )
        for r in reports
    ]
    flags, flag_warnings = detect_flags_with_warnings(
        sections, sources, topics, rules=rules, curation=curation
    )
    warnings.extend(flag_warnings)
    corpus = Corpus(
        version=version,
        built_at=datetime.now(UTC),
        topics=topics,
        sources=tuple(sources),
        sections=tuple(sections),
        flags=tuple(flags),
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
        schema_version=SCHEMA_VERSION, warnings=tuple(result.warnings), corpus=result.corpus
    )
    _write_atomically(cache, compiled.model_dump_json().encode())
    return result


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


def load_topics_only(content_dir: Path) -> tuple[Topic, ...]:
    """Just the taxonomy (for tools that need topic names without building the corpus)."""
    from bot.ingest.taxonomy import load_topics

    files = read_content(Path(content_dir))
    return load_topics(files.topics)[0]
