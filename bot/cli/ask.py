"""CLI `briefbot ask`: answer one question, or one per stdin line (JSON Lines with --json)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import app

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex


def _load_index(content: Path | None) -> CorpusIndex:
    # Imported here so `briefbot --help` and the other commands do not pay for them.
    from bot.config import load_settings
    from bot.corpus import CorpusIndex
    from bot.ingest import load_corpus

    settings = load_settings()
    result = load_corpus(content or settings.content_dir, settings.data_dir)
    return CorpusIndex(result.corpus)


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help="The question; '-' reads one question per line from stdin.")
    ],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON (one object per line for '-').")
    ] = False,
    content: Annotated[
        Path | None,
        typer.Option("--content", help="Content directory (default: BRIEFBOT_CONTENT_DIR)."),
    ] = None,
) -> None:
    """Answer a question about AI trends from the reports, with sources."""
    from bot.errors import BriefbotError

    try:
        index = _load_index(content)
    except BriefbotError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    import json

    from rich.console import Console

    from bot.briefing import answer_question
    from bot.render import answer_to_json, print_answer

    console = Console()
    questions = (line.rstrip("\r\n") for line in sys.stdin) if question == "-" else iter([question])
    # Lines read from stdin are one conversation: a follow-up ("who says that?") stays on the
    # topic of the question before it, as it would in a Slack thread.
    context: str | None = None
    first = True
    for text in questions:
        answer = answer_question(text, index, context_topic=context)
        context = answer.topic or context
        if json_out:
            sys.stdout.write(json.dumps(answer_to_json(answer), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            if not first:
                console.print()
            print_answer(answer, console)
        first = False
