"""Build the compiled corpus from content/ and cache it in the data dir (atomic, versioned)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import ContentError
from bot.ingest.reader import ContentFile, ContentFiles, content_version, read_content
from bot.models import Corpus, Section, Source, TopicScore

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.ingest.duplicates import Carried
    from bot.ingest.reports import Draft

# Parsing and scoring modules (ftfy, markdown-it, yaml, rapidfuzz) are imported inside the
# build: reusing a cached corpus must stay fast for `briefbot ask`'s cold start.

# Bump when the compiled corpus would differ for the same content (parsing, mapping, models).
SCHEMA_VERSION = "ingest-1"
CORPUS_FILE = "corpus.json"

_BOT = Path(__file__).resolve().parents[1]
# Code whose behaviour shapes the compiled corpus: a change to it invalidates the cache.
# Core modules ingest builds with: a change to one rebuilds the compiled corpus.
_CODE_FILES = ("models.py", "stemming.py", "sentences.py", "coverage.py", "dates.py")
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


class _CarriedCheck(BaseModel):
    """A duplicate check as cached: bot.ingest.duplicates.Carried in JSON-friendly form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keys: tuple[str, ...]
    found: dict[str, str]
    roots: tuple[tuple[str, str, int, tuple[int, ...]], ...]


class _CompiledCorpus(BaseModel):
    """What corpus.json holds: the corpus and the warnings its build produced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str
    warnings: tuple[str, ...] = ()
    # The content folder it was built from: a fallback never answers from another folder's.
    content_dir: str = ""
    corpus: Corpus
    # section_id -> hash of everything its topics and claims depend on (its heading, parents,
    # text, the taxonomy, rules and code): a rebuild reuses the sections whose hash is unchanged.
    section_keys: dict[str, str] = {}
    # source_id -> the warnings reading and drafting that report gave, and the basis (taxonomy,
    # rules, code) they were read with: a rebuild takes an unchanged report's source and
    # sections from here instead of parsing it again.
    report_warnings: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    basis: str = ""
    # The duplicate checks of reports and of sections as they ended (keys seen, repeats found,
    # the roots' sketches): a build that only adds reports after these resumes from them.
    duplicate_reports: _CarriedCheck | None = None
    duplicate_sections: _CarriedCheck | None = None


@dataclass(frozen=True)
class _Keys:
    """What a build leaves for the next one to reuse (see _CompiledCorpus)."""

    sections: dict[str, str]
    reports: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    basis: str
    duplicate_reports: _CarriedCheck | None = None
    duplicate_sections: _CarriedCheck | None = None


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


def _section_basis(files: ContentFiles) -> str:
    """Hash of what mapping and claims read besides the section: taxonomy, rules, code."""
    h = hashlib.sha256(_code_fingerprint().encode())
    reports = {f.rel for f in files.reports}
    for f in files.all_files:  # every file but the reports and the curator's verdicts
        if f.rel not in reports and not f.rel.endswith("curation.toml"):
            h.update(b"\0" + f.rel.encode() + b"\0" + hashlib.sha256(f.data).digest())
    return h.hexdigest()


def _section_key(basis: str, d: Draft) -> str:
    h = hashlib.sha256(basis.encode())
    for part in (d.section_id, d.source_id, d.heading, *d.parents, "\0", d.text):
        h.update(b"\0" + part.encode())
    return h.hexdigest()


def _reusable_reports(
    files: ContentFiles, basis: str, previous: _CompiledCorpus | None
) -> dict[str, tuple[Source, list[Section]]]:
    """source_id -> its source and sections in ``previous``, for every report file unchanged
    since (same path and bytes, read with the same taxonomy, rules and code)."""
    from bot.ingest.reports import source_id_of

    if previous is None or previous.basis != basis:
        return {}
    old_sources = {s.source_id: s for s in previous.corpus.sources}
    old_sections: dict[str, list[Section]] = {}
    for sec in previous.corpus.sections:
        old_sections.setdefault(sec.source_id, []).append(sec)
    out: dict[str, tuple[Source, list[Section]]] = {}
    for f in files.reports:
        sid = source_id_of(f)
        src = old_sources.get(sid)
        secs = old_sections.get(sid, [])
        if (
            src is not None
            and src.path == f.rel
            and src.sha256 == f.sha256
            and sid in previous.report_warnings
            and all(sec.section_id in previous.section_keys for sec in secs)
        ):
            out[sid] = (src, secs)
    return out


def _build(
    files: ContentFiles, version: str, previous: _CompiledCorpus | None = None
) -> tuple[IngestResult, _Keys]:
    """The corpus and what the next build may reuse; reports unchanged since ``previous`` are
    not parsed again, and sections whose key is in it keep their topics and claims (adding one
    report parses, maps and reads only that report)."""
    from bot.conflicts import detect_flags_with_warnings, extract_claims
    from bot.ingest.duplicates import find_duplicate_sections, find_duplicate_sources
    from bot.ingest.mapping import choose_topics, prepare_terms, score_section
    from bot.ingest.reports import Draft, draft_sections, read_report, source_id_of
    from bot.ingest.rules_file import load_curation, load_retrieval_words, load_rules
    from bot.ingest.taxonomy import check_pins, load_topics
    from bot.ingest.zone_words import load_zone_words

    warnings: list[str] = []
    topics, topic_warnings = load_topics(files.topics)
    warnings.extend(topic_warnings)
    _check_source_ids(files)
    basis = _section_basis(files)
    kept = _reusable_reports(files, basis, previous)
    old_warnings = previous.report_warnings if previous is not None else {}
    read_warnings: dict[str, tuple[str, ...]] = {}
    fresh = []
    for f in files.reports:
        sid = source_id_of(f)
        if sid in kept:
            read_warnings[sid] = old_warnings[sid][0]
        else:
            said: list[str] = []
            fresh.append(read_report(f, said))
            read_warnings[sid] = tuple(said)
        warnings.extend(read_warnings[sid])
    reports = {r.source_id: r for r in fresh}
    drafts: list[Draft] = []
    draft_warnings: dict[str, tuple[str, ...]] = {}
    old_keys: dict[str, str] = {}
    for sid in sorted([*reports, *kept]):
        if sid in kept:
            draft_warnings[sid] = old_warnings[sid][1]
            for sec in kept[sid][1]:
                # Its key is known, so its parents (only hashed into the key) are not needed.
                drafts.append(
                    Draft(
                        sec.section_id,
                        sid,
                        sec.heading,
                        (),
                        sec.level,
                        sec.line,
                        sec.text,
                        sec.summary,
                    )
                )
                old_keys[sec.section_id] = previous.section_keys[sec.section_id]  # type: ignore[union-attr]
        else:
            said = []
            drafts.extend(draft_sections(reports[sid], said))
            draft_warnings[sid] = tuple(said)
        warnings.extend(draft_warnings[sid])

    check_pins(files.topics, topics, {d.section_id for d in drafts})
    pins: dict[str, list[str]] = {}
    for topic in topics:
        for pin in topic.pins:
            pins.setdefault(pin, []).append(topic.id)

    texts: dict[str, list[str]] = {sid: [] for sid in sorted([*reports, *kept])}
    for d in drafts:  # one pass, not one scan of every draft per report
        texts[d.source_id].append(d.text)
    # Resumed from the last build when it saw only reports still here unchanged, and the new
    # ones sort after them: only the new reports are normalized and compared.
    kept_sections = {sec.section_id for sid in kept for sec in kept[sid][1]}
    old_reports = _carried(previous.duplicate_reports if previous else None, kept.__contains__)
    old_sections = _carried(
        previous.duplicate_sections if previous else None, kept_sections.__contains__
    )
    dup_sources, seen_reports = find_duplicate_sources(
        {sid: "\n".join(parts) for sid, parts in texts.items()}, old_reports
    )
    dup_sections, seen_sections = find_duplicate_sections(
        [(d.section_id, d.source_id, d.text) for d in drafts], old_sections
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
    reusable: dict[str, Section] = {}
    if previous is not None:
        old = {s.section_id: s for s in previous.corpus.sections}
        reusable = {key: old[sid] for sid, key in previous.section_keys.items() if sid in old}
    keys: dict[str, str] = {}
    sections: list[Section] = []
    for d in drafts:
        key = keys[d.section_id] = old_keys.get(d.section_id) or _section_key(basis, d)
        cached = reusable.get(key)
        if cached is not None:
            chosen, claims = cached.topics, cached.claims
        else:
            details = score_section(d.heading, d.parents, d.text, terms)
            chosen = choose_topics(details, pins.get(d.section_id, ()))
            topic_ids = tuple(t.topic_id for t in chosen)
            claims = extract_claims(
                d.section_id, d.source_id, d.text, topic_ids, rules=rules, heading=d.heading
            )
        if not chosen:
            warnings.append(
                f"unmapped section {d.section_id} ('{d.heading}'): no topic scored above the "
                "floor; it stays searchable by its text"
            )
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
                claims=claims,
                duplicate_of=dup_sections.get(d.section_id),
            )
        )

    sources: list[Source] = []
    for sid in sorted([*reports, *kept]):
        r = reports.get(sid)
        if r is None:
            sources.append(kept[sid][0].model_copy(update={"duplicate_of": dup_sources.get(sid)}))
            continue
        sources.append(
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
        )
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
        zone_words=load_zone_words(files.root),
    )
    result = IngestResult(corpus=corpus, rows=rows_of(corpus), warnings=warnings, rebuilt=True)
    said_by = {sid: (read_warnings[sid], draft_warnings[sid]) for sid in draft_warnings}
    return result, _Keys(keys, said_by, basis, _to_cache(seen_reports), _to_cache(seen_sections))


def _carried(check: _CarriedCheck | None, unchanged: Callable[[str], bool]) -> Carried | None:
    """The cached duplicate check, when every text it saw is still here unchanged."""
    from bot.ingest.duplicates import Carried, Sketch

    if check is None or not all(unchanged(k) for k in check.keys):
        return None
    return Carried(check.keys, check.found, tuple(Sketch(*root) for root in check.roots))


def _to_cache(carried: Carried) -> _CarriedCheck:
    return _CarriedCheck(
        keys=carried.keys,
        found=dict(carried.found),
        roots=tuple((r.key, r.group, r.digest, r.sketch) for r in carried.roots),
    )


def build_corpus(content_dir: Path) -> IngestResult:
    """Build the corpus in memory from content_dir (no cache); ContentError on bad input."""
    files = read_content(Path(content_dir))
    return _build(files, content_version(files, _code_fingerprint()))[0]


def content_version_of(content_dir: Path) -> str:
    """The version load_corpus would give content_dir now: its bytes hashed, nothing built.

    Lets a replica see that another one already built and published this content."""
    return content_version(read_content(Path(content_dir)), _code_fingerprint())


def load_corpus(content_dir: Path, data_dir: Path, *, force: bool = False) -> IngestResult:
    """The compiled corpus: reused from data_dir when no content file changed, else rebuilt.

    The rebuilt corpus replaces the old one atomically; on a ContentError the old one stays.
    """
    files = read_content(Path(content_dir))
    version = content_version(files, _code_fingerprint())
    cache = Path(data_dir) / CORPUS_FILE
    cached = _read_cache(cache)
    if not force and cached is not None and cached.corpus.version == version:
        return IngestResult(
            cached.corpus, rows_of(cached.corpus), list(cached.warnings), rebuilt=False
        )
    same_folder = cached is not None and cached.content_dir in ("", _folder_key(content_dir))
    result, keys = _build(files, version, cached if same_folder and not force else None)
    compiled = _CompiledCorpus(
        schema_version=SCHEMA_VERSION,
        warnings=tuple(result.warnings),
        content_dir=_folder_key(content_dir),
        corpus=result.corpus,
        section_keys=keys.sections,
        report_warnings=keys.reports,
        basis=keys.basis,
        duplicate_reports=keys.duplicate_reports,
        duplicate_sections=keys.duplicate_sections,
    )
    write_atomically(cache, compiled.model_dump_json().encode())
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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` at once (a reader sees the old file or the new, never half)."""
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
