"""Read the content directory: report files, the taxonomy, and their bytes for the version hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ContentError
from bot.ingest.text import repair_text

SOURCES_DIR = "sources"
TOPICS_FILE = "topics.toml"
REPORT_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class ContentFile:
    path: Path
    rel: str  # path relative to the content directory, with "/" separators
    data: bytes

    @property
    def display(self) -> str:
        return str(self.path)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class ContentFiles:
    root: Path
    reports: tuple[ContentFile, ...]
    topics: ContentFile
    # Every file that shapes the corpus (reports, taxonomy, rules, curation), sorted by rel.
    all_files: tuple[ContentFile, ...]


def _visible(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return not any(p.startswith((".", "_")) or p.endswith("~") for p in rel.parts)


def read_content(content_dir: Path) -> ContentFiles:
    """Read every content file's bytes; a missing directory or taxonomy is a ContentError."""
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError(
            str(root),
            None,
            "content directory not found",
            "pass --content DIR or set "
            "BRIEFBOT_CONTENT_DIR to the folder holding sources/ and topics.toml",
        )
    files: list[ContentFile] = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and _visible(path, root):
            rel = path.relative_to(root).as_posix()
            files.append(ContentFile(path, rel, path.read_bytes()))
    reports = tuple(
        f
        for f in files
        if f.rel.startswith(SOURCES_DIR + "/") and f.path.suffix.lower() in REPORT_SUFFIXES
    )
    topics = next((f for f in files if f.rel == TOPICS_FILE), None)
    if topics is None:
        raise ContentError(
            str(root / TOPICS_FILE),
            None,
            "taxonomy file not found",
            "create topics.toml with one [[topic]] table per topic",
        )
    if not reports:
        raise ContentError(
            str(root / SOURCES_DIR),
            None,
            "no reports found",
            "put the reports as Markdown files (*.md) in sources/",
        )
    return ContentFiles(root=root, reports=reports, topics=topics, all_files=tuple(files))


def decode(file: ContentFile) -> list[str]:
    """The file's repaired lines; empty, binary or non-UTF-8 files are ContentErrors."""
    data = file.data
    if not data.strip():
        raise ContentError(
            file.display,
            1 if data else None,
            "file is empty",
            "add the report text or remove the file",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ContentError(
            file.display,
            data.count(b"\n", 0, nul) + 1,
            "binary file (contains NUL bytes)",
            "save the report as UTF-8 Markdown text",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            file.display,
            data.count(b"\n", 0, exc.start) + 1,
            f"not UTF-8 text (undecodable byte 0x{data[exc.start]:02x})",
            "re-save the file as UTF-8",
        ) from None
    controls = [c for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f\v"]
    if len(controls) > 8:
        raise ContentError(
            file.display,
            1,
            "binary file (control characters)",
            "save the report as UTF-8 Markdown text",
        )
    return repair_text(text)


def content_version(files: ContentFiles, schema: str) -> str:
    """sha256 over every content file (path and bytes) and the ingest schema version."""
    h = hashlib.sha256(schema.encode())
    for f in files.all_files:
        h.update(b"\0" + f.rel.encode() + b"\0" + hashlib.sha256(f.data).digest())
    return h.hexdigest()
