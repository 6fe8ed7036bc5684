"""CLI `briefbot ingest`, `topics`, `sources`: build the corpus and show what it holds."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.app import ContentOption, JsonOption, app, load_ingest, runtime
from bot.dates import format_published

if TYPE_CHECKING:
    from rich.console import Console

    from bot.ingest import IngestResult
    from bot.models import Corpus


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

    result = load_ingest(content, force=force)
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
    _publish_if_shared(corpus, console)
    console.print(
        f"{len(corpus.sources)} reports, {len(corpus.sections)} sections, "
        f"{len(names)} topics, {len(corpus.flags)} flags; corpus {corpus.version[:12]} {state}",
        highlight=False,
    )


def topic_rows(result: IngestResult) -> list[dict[str, Any]]:
    from bot.corpus import CorpusIndex

    index = CorpusIndex(result.corpus)
    summaries = {s.topic: s for s in result.corpus.summaries}
    rows: list[dict[str, Any]] = []
    for topic in result.corpus.topics:
        reports = index.reports_covering(topic.id)
        rows.append(
            {
                "id": topic.id,
                "name": topic.name,
                "sections": len(index.sections_for(topic.id)),
                "reports": len(reports),
                "report_ids": list(reports),
                "single_source": len(reports) == 1,
                "conflicts": len(index.conflicts_for(topic.id)),
                # The normalized topic summary (agreed, disputed, single-source, dates).
                "summary": summaries[topic.id].model_dump(mode="json")
                if topic.id in summaries
                else None,
            }
        )
    return rows


@app.command()
def topics(json_out: JsonOption = False, content: ContentOption = None) -> None:
    """List the topics: sections, reports covering each, single-source, conflicts."""
    rows = topic_rows(load_ingest(content))
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


def source_rows(result: IngestResult) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for sec in result.corpus.sections:
        counts[sec.source_id] = counts.get(sec.source_id, 0) + 1
    return [
        {
            "source_id": s.source_id,
            "title": s.title,
            "published": s.published.isoformat() if s.published else None,
            "published_precision": s.published_precision,
            "published_as_written": format_published(s.published, s.published_precision),
            "publisher": s.publisher,
            "url": s.url,
            "sections": counts.get(s.source_id, 0),
            "inferred": list(s.inferred),
            "duplicate_of": s.duplicate_of,
        }
        for s in result.corpus.sources
    ]


@app.command()
def sources(json_out: JsonOption = False, content: ContentOption = None) -> None:
    """List the reports: id, title, date, number of sections, what was inferred."""
    rows = source_rows(load_ingest(content))
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


def _publish_if_shared(corpus: Corpus, console: Console) -> None:
    """Scale (issue 6): with DATABASE_URL set, replicas on it reload this corpus, no restart."""
    from bot.corpus_sync import StoreCorpusSource

    rt = runtime()
    if rt.settings.database_url:
        # A bad or unreachable DATABASE_URL is a SettingsError: one line, exit 2.
        StoreCorpusSource(rt.store).publish(corpus)
        console.print(f"published corpus {corpus.version[:12]} to the shared database")
