"""Read content/conversation.toml: the place words people use for a time zone ("London time")."""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import ContentError, InputError
from bot.ingest.rules_file import _line_of, _read_toml
from bot.schedule import parse_tz

CONVERSATION_FILE = "conversation.toml"
_PLACE = re.compile(r"[a-z][a-z.'-]*( [a-z][a-z.'-]*){0,2}")


def load_zone_words(content_dir: Path) -> tuple[tuple[str, str], ...]:
    """(place, IANA zone) pairs; empty when the file is missing (zone names still work)."""
    path = Path(content_dir) / CONVERSATION_FILE
    if not path.is_file():
        return ()
    data, text = _read_toml(path)
    unknown = set(data) - {"zones"}
    if unknown:
        key = sorted(unknown)[0]
        raise ContentError(str(path), _line_of(text, key), f"unknown table {key!r}", "use [zones]")
    zones = data.get("zones", {})
    if not isinstance(zones, dict):
        raise ContentError(
            str(path),
            _line_of(text, "zones"),
            "[zones] must be a table",
            'london = "Europe/London"',
        )
    pairs: list[tuple[str, str]] = []
    for place, zone in zones.items():
        line = _line_of(text, place)
        if not isinstance(place, str) or not _PLACE.fullmatch(place):
            raise ContentError(
                str(path),
                line,
                f"[zones] {place!r} is not a lower-case place of one to three words",
                'write it as people say it, lower case: "new york" = "America/New_York"',
            )
        if not isinstance(zone, str):
            raise ContentError(
                str(path), line, f"[zones] {place}: the zone must be a string", '"Europe/London"'
            )
        try:
            pairs.append((place, parse_tz(zone)))
        except InputError as exc:
            raise ContentError(
                str(path), line, f"[zones] {place}: {exc}", "use an IANA zone name"
            ) from None
    return tuple(pairs)
