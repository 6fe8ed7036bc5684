"""Pure: what a detected flag is before it becomes a Flag, and when two values agree."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conflicts.items import Item
from bot.models import FlagKind


@dataclass
class Found:
    topic: str
    kind: FlagKind
    items: tuple[Item, ...]
    summary: str
    strength: float  # to choose the topic a conflict is filed under
    subjects: tuple[str, ...] = ()
    # For an agreement: the point itself, without who says it (the summary names the reports).
    point: str = ""


def values_agree(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(a - b) / max(abs(a), abs(b)) <= tolerance
