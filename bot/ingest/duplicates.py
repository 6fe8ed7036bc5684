"""Find reports and sections that repeat earlier ones, so agreement is not counted twice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from bot.ingest.text import fold, normalize_ws

# rapidfuzz ratio (0-100) over normalized text at which two texts are the same text.
DUPLICATE_RATIO = 95.0
# Sections shorter than this (characters) are too short to call duplicates.
MIN_SECTION_CHARS = 40


def normalized(text: str) -> str:
    return normalize_ws("".join(c if c.isalnum() else " " for c in fold(text)))


def duplicate_sources(bodies: Mapping[str, str]) -> dict[str, str]:
    """source_id -> earlier source_id it repeats (by source_id order; roots only)."""
    order = sorted(bodies)
    norm = {sid: normalized(bodies[sid]) for sid in order}
    found: dict[str, str] = {}
    for n, sid in enumerate(order):
        for earlier in order[:n]:
            if earlier in found:
                continue
            a, b = norm[earlier], norm[sid]
            if a == b or (
                min(len(a), len(b)) >= 0.9 * max(len(a), len(b))
                and fuzz.ratio(a, b, score_cutoff=DUPLICATE_RATIO)
            ):
                found[sid] = earlier
                break
    return found


def duplicate_sections(
    sections: Sequence[tuple[str, str, str]],
) -> dict[str, str]:
    """section_id -> section_id of an earlier report it repeats.

    ``sections`` holds (section_id, source_id, text) in source order. Only sections of
    other reports count: a report may legitimately repeat itself.
    """
    found: dict[str, str] = {}
    seen_ids: list[str] = []
    seen_text: list[str] = []
    seen_source: list[str] = []
    for section_id, source_id, text in sections:
        norm = normalized(text)
        if len(norm) >= MIN_SECTION_CHARS and seen_text:
            for _, score, idx in process.extract(
                norm, seen_text, scorer=fuzz.ratio, score_cutoff=DUPLICATE_RATIO, limit=5
            ):
                if seen_source[idx] != source_id and score >= DUPLICATE_RATIO:
                    found[section_id] = seen_ids[idx]
                    break
        if section_id not in found:
            seen_ids.append(section_id)
            seen_text.append(norm)
            seen_source.append(source_id)
    return found
