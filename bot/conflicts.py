"""Pure: compare the claims of different reports per topic and flag conflicts and agreement."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Flag, Section, Source, Topic


def detect_flags(
    sections: Sequence[Section], sources: Sequence[Source], topics: Sequence[Topic]
) -> tuple[Flag, ...]:
    # Placeholder until the conflicts work (issue 3) lands: no flags yet.
    return ()
