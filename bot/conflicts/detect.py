"""Pure: what a detected flag is before it becomes a Flag, and when two values agree."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conflicts.items import Item
from bot.conflicts.summary import flag_id
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
    # For a disagreement grouped from several claim pairs: the claims of each pair, the lead
    # pair first. The flag's id is the lead pair's; a verdict on any pair's id applies to it.
    # Every claim is disputed (none is single-source); no two reports of a pair share an
    # agreement flag. Empty: the items are the one pair.
    pairs: tuple[tuple[Item, Item], ...] = ()

    @property
    def claim_ids(self) -> tuple[str, ...]:
        items = [i for p in self.pairs for i in p] or self.items
        return tuple(dict.fromkeys(i.claim.claim_id for i in items))

    @property
    def source_pairs(self) -> tuple[frozenset[str], ...]:
        pairs = self.pairs or ((self.items[0], self.items[-1]),)
        return tuple(
            dict.fromkeys(frozenset((a.source.source_id, b.source.source_id)) for a, b in pairs)
        )

    def pair_ids(self) -> tuple[str, ...]:
        """The id of each pair in the flag, the lead pair's first (the flag's own id)."""
        claims = [[i.claim.claim_id for i in p] for p in self.pairs]
        claims = claims or [[i.claim.claim_id for i in self.items]]
        return tuple(flag_id(self.topic, self.kind, c) for c in claims)


def values_agree(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(a - b) / max(abs(a), abs(b)) <= tolerance
