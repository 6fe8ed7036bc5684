"""The `conflicts` listing: every flag with its status, sides and counts, markup-safe."""

from __future__ import annotations

import io

from rich.console import Console

from bot.models import Flag, FlagSide
from bot.render.flag_list import flag_list_lines

SIDE = FlagSide(source_id="r[1]", heading="Quantum [draft]", claim="Qubits doubled [sic].")


def _shown(lines: list[str]) -> str:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    for line in lines:
        console.print(line, highlight=False)
    return out.getvalue()


def test_a_confirmed_flag_shows_its_status_and_text_in_brackets_survives() -> None:
    flag = Flag(
        flag_id="f-q1",
        topic="quantum",
        kind="stance",
        summary="They disagree [strongly].",
        sides=(SIDE,),
        status="confirmed",
    )
    shown = _shown(flag_list_lines([flag], {"quantum": "Quantum computing"}))
    # The status was once printed as markup, so rich swallowed "[confirmed]".
    assert "Quantum computing · " in shown and "[confirmed] · f-q1" in shown
    assert "They disagree [strongly]." in shown
    assert "r[1] › Quantum [draft]: Qubits doubled [sic]." in shown
    assert shown.rstrip().endswith("1 stance (curate in content/curation.toml)")


def test_no_flags_says_so() -> None:
    assert flag_list_lines([], {}) == ["No flags."]
