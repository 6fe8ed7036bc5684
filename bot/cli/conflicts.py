"""CLI `briefbot conflicts`: where the reports disagree, agree, or rest on one source."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.app import ContentOption, app, runtime
from bot.listings import ANY_CONFLICT, FLAG_KINDS, flag_counts, select_flags
from bot.models import CONFLICT_KINDS, kind_words


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
    from rich.markup import escape

    console = Console()
    names = {t.id: t.name for t in corpus.topics}
    marks = {**dict.fromkeys(CONFLICT_KINDS, "⚠"), "consensus": "✓", "single_source": "①"}
    if not flags:
        console.print("No flags.")
        return
    for f in flags:
        status = "" if f.status == "detected" else f" [{f.status}]"
        console.print(
            f"{marks[f.kind]} [bold]{escape(names.get(f.topic, f.topic))}[/bold]"
            f" · {kind_words(f.kind)}"
            f"{status} · [dim]{f.flag_id}[/dim]",
            highlight=False,
        )
        console.print(f"  {escape(f.summary)}", highlight=False)
        for s in f.sides:
            console.print(
                f"    [dim]{escape(s.source_id)} › {escape(s.heading)}:[/dim] {escape(s.claim)}",
                highlight=False,
            )
    console.print(
        ", ".join(f"{n} {k}" for k, n in flag_counts(flags).items())
        + " (curate in content/curation.toml)",
        highlight=False,
    )
