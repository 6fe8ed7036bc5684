"""Text -> words: Slack markup stripped, casefolded, shorthand expanded, plurals stemmed."""

from __future__ import annotations

import html
import re
import unicodedata

from bot.matcher.vocabulary import NORMALIZED_LIMIT, RAW_LIMIT, SHORTHAND
from bot.stemming import plural

_SLACK_LABELLED = re.compile(r"<([@!#]?)([^<>|]{0,300})\|([^<>]{0,300})>")
_SLACK_BARE = re.compile(r"<[^<>]{0,300}>")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']{1,60}:", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _labelled(m: re.Match[str]) -> str:
    sigil, label = m.group(1), m.group(3)
    # <@U123|alice> and <!subteam^S1|@team> are pings: drop them; channels and links keep labels.
    return " " if sigil in ("@", "!") else f" {label} "


def strip_markup(text: str) -> str:
    """Slack markup, emoji and entities removed; case and punctuation kept (for arguments)."""
    text = text[:RAW_LIMIT]
    text = _SLACK_LABELLED.sub(_labelled, text)
    text = _SLACK_BARE.sub(" ", text)
    text = html.unescape(text)
    text = _EMOJI_CODE.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Cs", "Co", "Cn") or ch == "\u200d" else ch
        for ch in text
    )
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Markup-free, casefolded words with chat shorthand expanded, capped in length."""
    text = strip_markup(text).translate(_APOSTROPHES).casefold()
    # "what's" -> "what is", "who's" -> "who is"; other apostrophes just go.
    text = re.sub(r"\b(what|who|where|how|there|that|it)'s\b", r"\1 is", text)
    words: list[str] = []
    for word in _WORD.findall(text.replace("'", "")):
        words.extend(SHORTHAND.get(word, word).split())
        if len(words) > NORMALIZED_LIMIT // 2:
            break
    return " ".join(words)[:NORMALIZED_LIMIT].strip()


# Plural-insensitive matching ("agents" = "agent"): the one folding of bot/stemming.py.
stem = plural


def alias_key(words: list[str] | tuple[str, ...]) -> str:
    # Spaces and hyphens do not matter: "multi-modal", "multi modal" and "multimodal" are one key.
    return "".join(stem(w) for w in words)


def normalize_for_index(text: str) -> list[str]:
    """Section text as the words the text fallback looks up (casefolded, no markup work)."""
    return [stem(w) for w in _WORD.findall(text.translate(_APOSTROPHES).casefold())]
