"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="briefbot",
    help="Answers questions about AI trends from a set of reports, in Slack or the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
