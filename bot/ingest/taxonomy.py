"""Read and check the taxonomy (content/topics.toml) into Topic models."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable

from bot.errors import ContentError
from bot.ingest.reader import ContentFile
from bot.ingest.text import strip_controls
from bot.models import Topic

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("id", "name", "aliases", "keywords", "related", "pins")


def _find_line(text_lines: list[str], needle: str, start: int = 0) -> int | None:
    for i in range(start, len(text_lines)):
        if needle in text_lines[i]:
            return i + 1
    return None


def load_topics(file: ContentFile) -> tuple[tuple[Topic, ...], list[str]]:
    """The topics in file order; raises ContentError naming the line of any problem."""
    path = file.display
    try:
        text = file.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(path, None, "taxonomy is not UTF-8 text", "re-save as UTF-8") from None
    lines = text.splitlines()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ContentError(
            path,
            int(m.group(1)) if m else None,
            f"invalid TOML: {exc}",
            "check quotes, commas and brackets on that line",
        ) from None
    extra = sorted(set(data) - {"topic"})
    if extra:
        raise ContentError(
            path,
            _find_line(lines, extra[0]),
            f"unknown table '{extra[0]}'",
            "the taxonomy holds [[topic]] tables only",
        )
    entries = data.get("topic")
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, None, "no topics defined", "add [[topic]] tables with id and name")

    # Line of each [[topic]] header, so errors can point at the right table.
    headers = [i + 1 for i, line in enumerate(lines) if line.strip().startswith("[[topic]]")]
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    warnings: list[str] = []
    for n, entry in enumerate(entries):
        at = headers[n] if n < len(headers) else None
        if not isinstance(entry, dict):
            raise ContentError(path, at, "a topic must be a table", "use [[topic]]")
        for key in entry:
            if key not in _KEYS:
                raise ContentError(
                    path,
                    _find_line(lines, key, (at or 1) - 1) or at,
                    f"unknown topic key '{key}'",
                    "allowed: " + ", ".join(_KEYS),
                )
        tid = entry.get("id")
        if not isinstance(tid, str) or not _ID.match(tid):
            raise ContentError(
                path,
                at,
                f"topic id {tid!r} is missing or not snake_case",
                'write id = "short_snake_case"',
            )
        if tid in seen:
            raise ContentError(
                path,
                at,
                f"duplicate topic id '{tid}' (first at line {seen[tid]})",
                "give each topic its own id",
            )
        seen[tid] = at or 0
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ContentError(path, at, f"topic '{tid}' has no name", 'write name = "..."')
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("aliases", "keywords", "related", "pins"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ContentError(
                    path,
                    _find_line(lines, key, (at or 1) - 1) or at,
                    f"topic '{tid}': {key} must be a list of strings",
                    f'write {key} = ["...", "..."]',
                )
            clean = (strip_controls(v).strip() for v in value)
            lists[key] = tuple(dict.fromkeys(v for v in clean if v))
        # Names reach Slack and the terminal like report text: no escapes or bidi overrides.
        topics.append(Topic(id=tid, name=strip_controls(name).strip() or tid, **lists))

    known = set(seen)
    for n, topic in enumerate(topics):
        start = (headers[n] if n < len(headers) else 1) - 1
        for ref in topic.related:
            if ref not in known:
                raise ContentError(
                    path,
                    _find_line(lines, f'"{ref}"', start) or start + 1,
                    f"topic '{topic.id}' is related to unknown topic '{ref}'",
                    "use an id defined in this file"
                    + _closest(ref, known, prefix="; did you mean "),
                )
            if ref == topic.id:
                warnings.append(f"{path}: topic '{topic.id}' lists itself as related")
    return tuple(topics), warnings


def check_pins(file: ContentFile, topics: Iterable[Topic], section_ids: set[str]) -> None:
    """Every pinned section id must exist (pins are checked once the reports are parsed)."""
    lines = file.data.decode("utf-8-sig", errors="replace").splitlines()
    for topic in topics:
        for pin in topic.pins:
            if pin not in section_ids:
                at = _find_line(lines, f'"{pin}"') or _find_line(lines, pin)
                raise ContentError(
                    file.display,
                    at,
                    f"topic '{topic.id}' pins unknown section '{pin}'",
                    "use a section id as printed by `briefbot ingest` (source_id#slug)"
                    + _closest(pin, section_ids, prefix="; did you mean "),
                )


def _closest(value: str, options: Iterable[str], prefix: str = "did you mean ") -> str:
    from rapidfuzz import process

    best = process.extractOne(value, list(options))
    return f"{prefix}'{best[0]}'?" if best and best[1] >= 60 else ""
