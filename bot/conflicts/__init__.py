"""Pure: where the reports disagree, agree, or rest on one source, by rules anyone can read."""

from __future__ import annotations

from bot.conflicts.claims import (
    Reading,
    StanceHit,
    extract_claims,
    read_quantities,
    read_sentence,
    read_stance,
    read_subjects,
    read_years,
    split_sentences,
)
from bot.conflicts.curation import (
    NO_CURATION,
    CuratedFlag,
    CuratedSide,
    Curation,
    CurationEntry,
    apply_curation,
)
from bot.conflicts.flags import detect_flags, detect_flags_with_warnings
from bot.conflicts.items import shared_subjects
from bot.conflicts.lexicon import Lexicon, phrase_regex
from bot.conflicts.rules import (
    DEFAULT_RULES,
    CompiledRules,
    ConflictRules,
    ScopedStance,
    SubjectHint,
)
from bot.conflicts.summary import flag_id, short_titles
from bot.models import CONFLICT_KINDS

__all__ = [
    "CONFLICT_KINDS",
    "DEFAULT_RULES",
    "NO_CURATION",
    "CompiledRules",
    "ConflictRules",
    "CuratedFlag",
    "CuratedSide",
    "Curation",
    "CurationEntry",
    "Lexicon",
    "Reading",
    "ScopedStance",
    "StanceHit",
    "SubjectHint",
    "apply_curation",
    "detect_flags",
    "detect_flags_with_warnings",
    "extract_claims",
    "flag_id",
    "phrase_regex",
    "read_quantities",
    "read_sentence",
    "read_stance",
    "read_subjects",
    "read_years",
    "shared_subjects",
    "short_titles",
    "split_sentences",
]
