"""Text shaping shared by the renderers: mrkdwn escaping, shortening and splitting at word
boundaries, and the report titles an answer cites."""

from __future__ import annotations

import re

# A word joiner keeps "@channel" readable while stopping Slack (with link_names) from pinging.
_WORD_JOINER = "\u2060"
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
ELLIPSIS = "…"


def escape_mrkdwn(s: str) -> str:
    """Escape text for Slack mrkdwn: ``&``, ``<``, ``>`` become entities, so no user or report
    text can form ``<!channel>``, ``<@U…>`` or a link; literal ``@here``-style words are
    defused as well."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), s)


def neutralize_plain(s: str) -> str:
    """Make text safe for a ``plain_text`` object (Slack does not parse mrkdwn there, but we
    still never emit ``<!…`` or a bare ``@channel`` from user text)."""
    s = s.replace("<!", "<" + _WORD_JOINER + "!").replace("<@", "<" + _WORD_JOINER + "@")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), s)


def one_line(s: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return _SPACES.sub(" ", s).strip()


def shorten(s: str, width: int, placeholder: str = ELLIPSIS) -> str:
    """Shorten to at most ``width`` characters at a word boundary, ending with ``placeholder``.

    Only a single word longer than ``width`` is cut inside (there is no boundary to use).
    """
    if len(s) <= width:
        return s
    room = width - len(placeholder)
    if room <= 0:
        return placeholder[:width]
    head = s[: room + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        return s[:room] + placeholder
    return s[:cut].rstrip(" ,;:-—") + placeholder


def _hard_cut(word: str, limit: int) -> list[str]:
    """Cut an over-long token into pieces, never inside an ``&amp;``-style entity."""
    pieces: list[str] = []
    while len(word) > limit:
        cut = limit
        amp = word.rfind("&", max(0, cut - 6), cut)
        if amp > 0 and ";" in word[amp : amp + 6] and word.find(";", amp) >= cut:
            cut = amp
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def _pack(parts: list[str], limit: int, sep: str) -> list[str]:
    """Join parts with ``sep`` greedily into chunks of at most ``limit`` characters."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        if not current:
            current = part
        elif len(current) + len(sep) + len(part) <= limit:
            current += sep + part
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _split_line(line: str, limit: int) -> list[str]:
    """Split one line at spaces into pieces of at most ``limit`` characters."""
    words: list[str] = []
    for word in line.split(" "):
        words.extend(_hard_cut(word, limit) if len(word) > limit else [word])
    return _pack(words, limit, " ")


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most ``limit`` characters, at line boundaries where it can
    and at word boundaries inside a too-long line (never mid-word, unless one word alone is
    longer than ``limit``). Empty lines between chunks are dropped; no chunk is blank."""
    parts = [
        part
        for line in text.split("\n")
        for part in (_split_line(line, limit) if len(line) > limit else [line])
    ]
    chunks = _pack(parts, limit, "\n")
    return [c for c in (c.strip("\n") for c in chunks) if c.strip()]


def escaped_within(text: str, width: int) -> str:
    """Escaped for mrkdwn and at most ``width`` characters once escaped (entities make text
    longer, so the raw text is shortened, at a word boundary, until its escaped form fits)."""
    raw, cut = one_line(text), width
    while len(shown := escape_mrkdwn(shorten(raw, cut))) > width:
        cut -= len(shown) - width
    return shown
