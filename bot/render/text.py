"""Answer -> plain text (Slack fallback and JSON ``text``) and the rich terminal view."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from bot.models import Answer, Disagreement, Evidence, Lead, Note
from bot.render.layout import Layout, Page, layout_answer, part_lines
from bot.render.mrkdwn import escape_mrkdwn, one_line


def page_lines(page: Page) -> list[str]:
    """One page's parts as plain lines, a blank line between parts."""
    lines: list[str] = []
    for part in page.parts:
        if lines:
            lines.append("")
        lines.extend(part_lines(part))
    return lines


def _layout_lines(layout: Layout, suggestions: tuple[str, ...]) -> list[str]:
    lines = [layout.headline]
    for index, page in enumerate(layout.pages):
        body = page_lines(page)
        if not body:
            continue
        lines.append("")
        if index:
            lines.append(f"More ({index + 1} of {len(layout.pages)})")
        lines.extend(body)
    if suggestions:
        lines.append("")
        lines.append("Did you mean: " + ", ".join(one_line(s) for s in suggestions) + "?")
    return lines


def first_message_text(answer: Answer) -> str:
    """The rendered text of the first message only (what the 1,500-character limit counts)."""
    layout = layout_answer(answer)
    return "\n".join([layout.headline, "", *page_lines(layout.first)]).strip()


def render_text(answer: Answer, *, escape: bool = True) -> str:
    """All of the answer as text, page after page in the one layout's order.

    It is Slack's fallback ``text`` (mrkdwn), so by default ``&``, ``<``, ``>`` are escaped and
    nothing from a user or a report can ping ``@channel``; ``escape=False`` gives raw text.
    """
    text = "\n".join(_layout_lines(layout_answer(answer), answer.suggestions)).strip()
    return escape_mrkdwn(text) if escape else text


_STYLE = {"lead": "", "disagreement": "yellow", "note": "dim"}


def print_answer(answer: Answer, console: Console) -> None:
    """Print the answer in the terminal: bold headline, the lead, evidence under its label,
    yellow disagreement lines; the same layout as Slack.

    Report and user text go in as ``rich.text.Text`` pieces, never as markup, so a ``[bold]``
    or ``:emoji:`` inside a report is shown literally.
    """
    layout = layout_answer(answer)
    console.print(Text(layout.headline, style="bold"))
    for index, page in enumerate(layout.pages):
        if index:
            console.print()
            console.print(Text(f"More ({index + 1} of {len(layout.pages)})", style="dim"))
        for part in page.parts:
            console.print()
            lines = part_lines(part)
            labelled = isinstance(part, Evidence) and bool(one_line(part.label))
            labelled = labelled or part.kind in ("agreement", "single_source")
            for n, line in enumerate(lines):
                if n == 0 and labelled:
                    console.print(Text(line, style="bold underline"))
                elif isinstance(part, Lead):
                    console.print(Text(line, style="bold"))
                elif isinstance(part, (Disagreement, Note)):
                    console.print(Text(line, style=_STYLE[part.kind]))
                else:
                    console.print(Text(line))
    if answer.suggestions:
        console.print()
        ask = Text("Did you mean: ")
        ask.append(", ".join(one_line(s) for s in answer.suggestions), style="bold")
        ask.append("?")
        console.print(ask)
