"""CLI `briefbot ingest`, `topics`, `sources`: build the corpus and show what it holds."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.app import ContentOption, JsonOption, app, runtime
from bot.dates import format_published


@app.command()
def ingest(
    content: ContentOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if nothing changed.")
    ] = False,
) -> None:
    """Read the reports and taxonomy, map sections to topics, and save the compiled corpus."""
    from rich.console import Console
    from rich.table import Table

    result = runtime().ingest(content, force=force)
    corpus = result.corpus
    console = Console()
    names = {t.id: t.name for t in corpus.topics}

    table = Table(title="Sections → topics", show_lines=False)
    table.add_column("section", overflow="fold")
    table.add_column("heading", overflow="fold")
    table.add_column("topics (score)", overflow="fold")
    for row in result.rows:
        cells = ", ".join(
            f"{t.topic_id} ({t.score:.0f}{', pinned' if t.pinned else ''})" for t in row.topics
        )
        table.add_row(row.section_id, row.heading, cells or "[yellow]unmapped[/yellow]")
    console.print(table)

    for src in corpus.sources:
        date = format_published(src.published, src.published_precision)
        line = f"[bold]{src.source_id}[/bold]  {src.title}  ({date})"
        if src.duplicate_of:
            line += f"  [yellow]duplicate of {src.duplicate_of}[/yellow]"
        console.print(line, highlight=False)
        for note in src.inferred:
            console.print(f"    inferred: {note}", highlight=False)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    state = "rebuilt" if result.rebuilt else "unchanged (cached corpus reused)"
    if runtime().publish_corpus(corpus):
        console.print(f"published corpus {corpus.version[:12]} to the shared database")
    console.print(
        f"{len(corpus.sources)} reports, {len(corpus.sections)} sections, "
        f"{len(names)} topics, {len(corpus.flags)} flags; corpus {corpus.version[:12]} {state}",
        highlight=False,
    )


@app.command()
def topics(json_out: JsonOption = False, content: ContentOption = None) -> None:
    """List the topics: sections, reports covering each, single-source, conflicts."""
    from bot.listings import topic_rows

    rows = topic_rows(runtime().ingest(content).corpus)
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Topics")
    for col in ("id", "name", "sections", "reports", "single source", "conflicts"):
        table.add_column(col, justify="right" if col in ("sections", "reports") else "left")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            str(r["sections"]),
            str(r["reports"]),
            "yes" if r["single_source"] else "no",
            str(r["conflicts"]),
        )
    Console().print(table)


@app.command()
def sources(json_out: JsonOption = False, content: ContentOption = None) -> None:
    """List the reports: id, title, date, number of sections, what was inferred."""
    from bot.listings import source_rows

    rows = source_rows(runtime().ingest(content).corpus)
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Reports")
    for col in ("source_id", "title", "published", "sections", "notes"):
        table.add_column(col, overflow="fold")
    for r in rows:
        notes = list(r["inferred"])
        if r["duplicate_of"]:
            notes.append(f"duplicate of {r['duplicate_of']}")
        table.add_row(
            r["source_id"],
            r["title"],
            r["published_as_written"],
            str(r["sections"]),
            "; ".join(notes),
        )
    Console().print(table)
