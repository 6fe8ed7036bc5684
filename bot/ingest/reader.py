"""Read the content directory: report files, the taxonomy, and their bytes for the version hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ContentError
from bot.ingest.limits import MAX_FILE_BYTES, MAX_REPORTS, mib
from bot.ingest.text import repair_text, strip_controls

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
        return display_path(self.path)

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


def display_path(path: Path) -> str:
    """A path as messages show it: control characters in a file name shown as escapes."""
    text = str(path)
    if strip_controls(text) == text:
        return text
    return "".join(c if strip_controls(c) == c else f"\\x{ord(c):02x}" for c in text)


def _refuse_symlink_out(path: Path, real_root: Path) -> None:
    """A link whose target is outside content/ is refused before anything reads it."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise ContentError(
            display_path(path), None, "symlink loop", "remove the link or point it at a file"
        ) from None
    if not target.is_relative_to(real_root):
        raise ContentError(
            display_path(path),
            None,
            "symlink leaves content/ (its target is outside the content folder)",
            "copy the file into the content folder instead of linking to it, or remove the link",
        )


def _read_limited(path: Path) -> bytes:
    """The file's bytes; one over MAX_FILE_BYTES is refused before it is read."""
    size = path.stat().st_size
    if size <= MAX_FILE_BYTES:
        with path.open("rb") as fh:
            # Read one byte past the limit: a file that grew since stat() is caught too.
            data = fh.read(MAX_FILE_BYTES + 1)
        size = len(data)
    if size > MAX_FILE_BYTES:
        raise ContentError(
            display_path(path),
            None,
            f"file is too large ({mib(size)}; the limit is {mib(MAX_FILE_BYTES)} per file)",
            "split the report into several smaller files",
        )
    return data


def _check_report_name(file: ContentFile) -> None:
    if strip_controls(file.rel) != file.rel:
        raise ContentError(
            file.display,
            None,
            "file name holds control characters",
            "rename the file with letters, digits, '-', '_' and '.' only",
        )


def read_content(content_dir: Path) -> ContentFiles:
    """Read every content file's bytes; a missing directory or taxonomy is a ContentError.

    Symlinks may point anywhere inside the content folder (a Kubernetes ConfigMap mounts its
    files as links into a hidden `..data` folder); one leaving it is refused, unread.
    """
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError(
            str(root),
            None,
            "content directory not found",
            "pass --content DIR or set "
            "BRIEFBOT_CONTENT_DIR to the folder holding sources/ and topics.toml",
        )
    real_root = root.resolve()
    files: list[ContentFile] = []
    for path in sorted(root.rglob("*")):
        if not _visible(path, root):
            continue
        if path.is_symlink():
            _refuse_symlink_out(path, real_root)
        # Only regular files: a FIFO or device would block or never end.
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            files.append(ContentFile(path, rel, _read_limited(path)))
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
    if len(reports) > MAX_REPORTS:
        raise ContentError(
            str(root / SOURCES_DIR),
            None,
            f"too many reports ({len(reports)}; the limit is {MAX_REPORTS})",
            "keep the reports the bot should answer from; archive the rest outside content/",
        )
    for report in reports:
        _check_report_name(report)
    return ContentFiles(root=root, reports=reports, topics=topics, all_files=tuple(files))


def decode(file: ContentFile) -> list[str]:
    """The file's repaired lines; empty, binary or non-UTF-8 files are ContentErrors."""
    data = file.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(
            file.display,
            1,
            "file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8",
            "re-save the file as UTF-8",
        )
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


def content_fingerprint(content_dir: Path) -> str:
    """A cheap stand-in for content_version: names, sizes, inodes and mtimes, no bytes read.

    Checked every few seconds by `serve`; only when it changes is the content read again.
    Links are followed (a ConfigMap update swaps the target, not the link).
    """
    root = Path(content_dir)
    h = hashlib.sha256()
    try:
        paths = sorted(root.rglob("*"))
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    for path in paths:
        if not _visible(path, root):
            continue
        try:
            st = path.stat()
            stamp = f"{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{path.is_symlink()}"
        except (OSError, RuntimeError) as exc:
            stamp = f"error:{type(exc).__name__}"
        h.update(path.relative_to(root).as_posix().encode(errors="replace") + b"\0")
        h.update(stamp.encode() + b"\0")
    return h.hexdigest()


def content_version(files: ContentFiles, schema: str) -> str:
    """sha256 over every content file (path and bytes) and the ingest schema version."""
    h = hashlib.sha256(schema.encode())
    for f in files.all_files:
        h.update(b"\0" + f.rel.encode() + b"\0" + hashlib.sha256(f.data).digest())
    return h.hexdigest()
