"""Limits on what content/ may hold, in one place; each stops hostile or runaway input early."""

from __future__ import annotations

# Bytes in one content file (a report, topics.toml, rules.toml, curation.toml). The largest
# real report is ~60 KiB; 2 MiB leaves room for long reports while keeping one file's parse,
# repair and duplicate check well under a second. Checked before the file is read.
MAX_FILE_BYTES = 2 * 1024 * 1024

# Reports in content/sources. Each adds sections to every answer's candidates and to the
# digest; past this the corpus is a search engine's job, not a briefing bot's.
MAX_REPORTS = 1_000

# Sections in one report. A real report has tens; 500 is a book. 100,000 one-line headings
# are refused before topic mapping, claims and the duplicate check ever see them.
MAX_SECTIONS_PER_REPORT = 500

# Front matter: a handful of `key: value` lines. Nesting, anchors and aliases have no use
# there; refusing them keeps "billion laughs" alias bombs and deep nesting (RecursionError
# in PyYAML's composer) out, and `!!python/...` tags are never constructed (safe loader).
MAX_FRONT_MATTER_LINES = 100
MAX_FRONT_MATTER_CHARS = 16 * 1024  # PyYAML's scanner is quadratic in flow nesting
MAX_FRONT_MATTER_DEPTH = 3
MAX_FRONT_MATTER_NODES = 200

# Lexicon phrases in rules.toml. Each `~` gap is an optional run of up to three words; gaps
# next to each other or many gaps in one phrase make the regex backtrack exponentially on
# text that almost matches. Two separated gaps in at most eight words stay linear.
MAX_PHRASE_WORDS = 8
MAX_PHRASE_GAPS = 2


def mib(n_bytes: int) -> str:
    """A byte count as the message shows it ("2.0 MiB")."""
    return f"{n_bytes / (1024 * 1024):.1f} MiB"
