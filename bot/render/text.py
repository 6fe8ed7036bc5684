"""Answer -> plain text (Slack fallback and JSON ``text``) and the rich terminal view."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from bot.models import Answer
from bot.render.flags import flag_plain, is_disagreement, split_flags
from bot.render.mrkdwn import escape_mrkdwn, one_line, source_titles
from bot.render.points import (
    SourceRun,
    bullet_plain,
    points_plain,
    source_parts_plain,
    source_runs,
)


def _plain_lines(answer: Answer) -> list[str]:
    lines = [one_line(answer.headline)]
    for label, points in answer.groups:
        if one_line(label):
            lines.append("")
            lines.append(one_line(label))
        lines.extend(points_plain(points))
    disagreements, others = split_flags(answer.conflicts)
    titles = source_titles(answer)
    if disagreements:
        lines.append("")
        lines.append("⚠ Sources disagree")
        for flag in disagreements:
            lines.extend(flag_plain(flag, titles))
    if others:
        lines.append("")
        for flag in others:
            lines.extend(flag_plain(flag, titles))
    if answer.suggestions:
        lines.append("")
        lines.append("Did you mean: " + ", ".join(one_line(s) for s in answer.suggestions) + "?")
    notes = [n for n in answer.notes if n.strip()]
    if notes:
        lines.append("")
        lines.extend(notes)
    return lines


def render_text(answer: Answer, *, escape: bool = True) -> str:
    """All of the answer as text: headline, every point under its source line, ⚠ lines, notes.

    It is Slack's fallback ``text`` (mrkdwn), so by default ``&``, ``<``, ``>`` are escaped and
    nothing from a user or a report can ping ``@channel``; ``escape=False`` gives raw text.
    """
    text = "\n".join(_plain_lines(answer)).strip()
    return escape_mrkdwn(text) if escape else text


def _print_source_line(run: SourceRun, console: Console) -> None:
    """``  § Heading`` in bold, then ``— Title (2025) · age`` dim, as in the plain text."""
    heading, rest = source_parts_plain(run)
    line = Text("  ")
    line.append(heading, style="bold")
    line.append(rest, style="dim")
    console.print(line)


def print_answer(answer: Answer, console: Console) -> None:
    """Print the answer in the terminal: bold headline, source lines (bold heading, dim report)
    with their points as bullets under them, yellow ⚠ lines.

    Report and user text go in as ``rich.text.Text`` pieces, never as markup, so a ``[bold]``
    or ``:emoji:`` inside a report is shown literally.
    """
    console.print(Text(one_line(answer.headline), style="bold"))
    for label, points in answer.groups:
        if one_line(label):
            console.print()
            console.print(Text(one_line(label), style="bold underline"))
        for run in source_runs(points):
            _print_source_line(run, console)
            for point in run.points:
                console.print(Text("    " + bullet_plain(point)))
    titles = source_titles(answer)
    disagreements, others = split_flags(answer.conflicts)
    for flags in (disagreements, others):
        if not flags:
            continue
        console.print()
        if flags is disagreements:
            console.print(Text("⚠ Sources disagree", style="bold yellow"))
        for flag in flags:
            first, *sides = flag_plain(flag, titles)
            console.print(Text(first, style="yellow" if is_disagreement(flag) else "green"))
            for side in sides:
                console.print(Text(side, style="dim"))
    if answer.suggestions:
        console.print()
        line = Text("Did you mean: ")
        line.append(", ".join(one_line(s) for s in answer.suggestions), style="bold")
        line.append("?")
        console.print(line)
    notes = [n for n in answer.notes if n.strip()]
    if notes:
        console.print()
        for note in notes:
            console.print(Text(note))
