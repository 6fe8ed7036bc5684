"""CLI `briefbot conflicts`: where the reports disagree, agree, or rest on one source."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.app import ContentOption, app, runtime
from bot.listings import ANY_CONFLICT, FLAG_KINDS, select_flags


@app.command()
def conflicts(
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON list of flags.")] = False,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Only this topic (id or name).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help=f"Only this kind: {', '.join(FLAG_KINDS)}, or '{ANY_CONFLICT}'."
        ),
    ] = None,
    content: ContentOption = None,
) -> None:
    """List conflicts (stance, numeric, timeline), consensus and single-source flags."""
    corpus = runtime().ingest(content).corpus
    flags = select_flags(corpus, topic=topic, kind=kind)

    if json_out:
        from bot.render import flag_to_json

        typer.echo(json.dumps([flag_to_json(f) for f in flags], ensure_ascii=False, indent=2))
        return

    from rich.console import Console

    from bot.render.flag_list import flag_list_lines

    console = Console()
    names = {t.id: t.name for t in corpus.topics}
    for line in flag_list_lines(flags, names):
        console.print(line, highlight=False)
