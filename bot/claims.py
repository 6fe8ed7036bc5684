"""Pure: pick the checkable sentences of a section and read their quantities, years and stance."""

from __future__ import annotations

from bot.models import Claim


def extract_claims(
    section_id: str, source_id: str, text: str, topic_ids: tuple[str, ...]
) -> tuple[Claim, ...]:
    # Placeholder until the conflicts work (issue 3) lands: no claims yet.
    return ()
