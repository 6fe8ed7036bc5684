"""The `conflicts` listing for a terminal: each flag, its sides and the counts, as rich markup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.markup import escape

from bot.listings import flag_counts
from bot.models import CONFLICT_KINDS, Flag, kind_words

# One-cell glyphs: a terminal table of flags keeps its columns (emoji are two cells wide).
MARKS = {**dict.fromkeys(CONFLICT_KINDS, "⚠"), "consensus": "✓", "single_source": "①"}


def flag_list_lines(flags: Sequence[Flag], names: Mapping[str, str]) -> list[str]:
    """Rich-markup lines: per flag its topic, kind, status and id, summary, and each side;
    then how many of each kind ("No flags." when there are none)."""
    if not flags:
        return ["No flags."]
    lines: list[str] = []
    for f in flags:
        status = "" if f.status == "detected" else f" [{f.status}]"
        lines.append(
            f"{MARKS.get(f.kind, '•')} [bold]{escape(names.get(f.topic, f.topic))}[/bold]"
            f" · {kind_words(f.kind)}{escape(status)} · [dim]{f.flag_id}[/dim]"
        )
        lines.append(f"  {escape(f.summary)}")
        lines.extend(
            f"    [dim]{escape(s.source_id)} › {escape(s.heading)}:[/dim] {escape(s.claim)}"
            for s in f.sides
        )
    counts = ", ".join(f"{n} {k}" for k, n in flag_counts(list(flags)).items())
    lines.append(f"{counts} (curate in content/curation.toml)")
    return lines
