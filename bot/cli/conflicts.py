"""CLI `briefbot conflicts`: where the reports disagree, agree, or rest on one source."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.app import ContentOption, app, load_ingest
from bot.models import CONFLICT_KINDS, kind_words

_KINDS = (*CONFLICT_KINDS, "consensus", "single_source")


@app.command()
def conflicts(
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON list of flags.")] = False,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Only this topic (id or name).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only this kind: " + ", ".join(_KINDS) + ", or 'conflict'."),
    ] = None,
    content: ContentOption = None,
) -> None:
    """List conflicts (stance, numeric, timeline), consensus and single-source flags."""
    from bot.errors import InputError

    corpus = load_ingest(content).corpus
    flags = list(corpus.flags)
    if topic is not None:
        wanted = topic.strip().lower()
        ids = {t.id for t in corpus.topics if wanted in (t.id, t.name.lower())}
        if not ids:
            known = ", ".join(t.id for t in corpus.topics)
            raise InputError(f"unknown topic {topic!r}; topics are: {known}")
        flags = [f for f in flags if f.topic in ids]
    if kind is not None:
        if kind not in (*_KINDS, "conflict"):
            raise InputError(f"unknown kind {kind!r}; use one of {', '.join(_KINDS)}, conflict")
        keep = CONFLICT_KINDS if kind == "conflict" else (kind,)
        flags = [f for f in flags if f.kind in keep]

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
    counts = {k: sum(f.kind == k for f in flags) for k in _KINDS}
    console.print(
        ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        + " (curate in content/curation.toml)",
        highlight=False,
    )
