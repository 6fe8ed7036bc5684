"""Text repair and splitting for ingest: mojibake, whitespace, sentences, tokens and slugs."""

from __future__ import annotations

import re
import unicodedata

# The one sentence splitter lives in bot/sentences.py (ingest, matcher and answers share it).
from bot.sentences import split_sentences as split_sentences
from bot.stemming import plural

# Characters that are whitespace to a reader but not to Markdown (or that split a line
# where the author did not mean to).
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\u0085\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_WS = re.compile(r"\s+")
# Terminal escape sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \\", and the
# two-byte ESC forms), then any C0 control but tab, C1 control or DEL left over, and the bidi
# embedding/override/isolate marks that can reorder how a line displays. None of them is
# text; all of them can repaint a terminal or disguise a line in Slack. Every class here is
# disjoint from the next, so the pattern cannot backtrack: linear in the line's length.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, "clear screen" (ESC [ 2 J)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles, hyperlinks
    r"|\x1b[ -/]*[0-~]"  # two-byte and nF escapes (ESC c resets the terminal)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Text without terminal escapes, control characters (but tab) or bidi overrides."""
    if text.isprintable():  # the common case: nothing to strip, no regex run
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def repair_line(line: str) -> str:
    """One line, repaired: mojibake ("â€“" -> "–"), controls, odd spaces, zero-width, trailing."""
    fixed = _ftfy_fix(line) if _needs_ftfy(line) else line
    fixed = strip_controls(fixed)
    fixed = _ZERO_WIDTH.sub("", fixed)
    fixed = _ODD_SPACES.sub(" ", fixed)
    return fixed.rstrip()


def _ftfy_fix(line: str) -> str:
    import ftfy  # slow to import; only non-ASCII lines need it

    config = ftfy.TextFixerConfig(
        # Keep the report's typography (curly quotes, dashes): summaries quote it verbatim.
        uncurl_quotes=False,
        # Line structure is handled here, so line numbers stay those of the file.
        fix_line_breaks=False,
        explain=False,
    )
    return ftfy.fix_text(line, config=config)


def _needs_ftfy(line: str) -> bool:
    # ftfy is the slow part of ingest; pure ASCII lines never need it.
    return not line.isascii()


def repair_text(text: str) -> list[str]:
    """Split into lines (any newline convention) and repair each; line i is line i+1 of the file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [repair_line(line) for line in text.split("\n")]


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


# --- tokens for matching --------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:[.&/][a-z0-9]+)*")


# The one plural folding (bot/stemming.py), the same rule for terms and text everywhere.
stem = plural


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: accents dropped, apostrophes removed, dashes become spaces."""
    if not text.isascii():  # ASCII has nothing to decompose (most report text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "").replace("'", "")
    return text


def tokens(text: str) -> list[str]:
    """Stemmed word tokens of a text ("Multi-Modal LLMs" -> ["multi", "modal", "llm"])."""
    return [stem(t) for t in _TOKEN.findall(fold(text))]


def slugify(text: str, *, limit: int = 60) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")
