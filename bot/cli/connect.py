"""CLI `briefbot manifest`, `doctor`, `map`: connect Slack, check the setup, see the coverage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import ContentOption, app, runtime
from bot.errors import InputError


@app.command()
def manifest(
    socket: Annotated[
        bool, typer.Option("--socket", help="Socket Mode (the default; no public URL).")
    ] = False,
    http: Annotated[bool, typer.Option("--http", help="HTTP mode (needs --url).")] = False,
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Public https URL of `serve --http`, e.g. https://bot.example.com."
        ),
    ] = None,
) -> None:
    """Print the Slack app manifest (paste it into "Create New App -> From an app manifest")."""
    from bot.errors import InputError
    from bot.slack.manifest import manifest_yaml

    if socket and http:
        raise InputError("choose one of --socket and --http")
    if url is not None and not http:
        raise InputError("--url is for HTTP mode: add --http (Socket Mode needs no URL)")
    sys.stdout.write(manifest_yaml("http" if http else "socket", url))


@app.command()
def doctor() -> None:
    """Check every setting Slack needs (tokens, scopes, channels, database, content, zones)."""
    from bot.errors import BriefbotError
    from bot.ops.doctor import run_doctor

    try:
        settings = runtime().settings
    except BriefbotError as exc:  # a check that failed, reported as the doctor reports them all
        print(f"✗ settings: {exc}")
        raise typer.Exit(exc.exit_code) from None
    report = run_doctor(settings)
    for check in report.checks:
        print(check.line())
    print(report.summary())
    raise typer.Exit(report.exit_code)


@app.command("map")
def coverage_map(
    content: ContentOption = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", help="Also draw the grid as a PNG (needs the charts extra)."),
    ] = None,
) -> None:
    """The topics × reports grid: who covers what, where they agree, disagree, or stand alone."""
    from rich.console import Console

    from bot.coverage import coverage_grid
    from bot.render.coverage import coverage_table

    grid = coverage_grid(runtime().ingest(content).corpus)
    Console(soft_wrap=not sys.stdout.isatty()).print(coverage_table(grid))
    if png is not None:
        from bot.render.coverage_png import coverage_png_bytes

        data = coverage_png_bytes(grid)
        try:
            png.parent.mkdir(parents=True, exist_ok=True)
            png.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{png}: cannot write the PNG ({exc.strerror or exc})") from None
        print(f"wrote {png}")
