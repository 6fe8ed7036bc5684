"""The Typer application every command module registers on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.boundary import BriefbotGroup, current_runtime

if TYPE_CHECKING:
    from bot.corpus import CorpusIndex

app = typer.Typer(
    name="briefbot",
    cls=BriefbotGroup,
    help="Answers questions about AI trends from a set of reports, in Slack or the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


runtime = current_runtime  # every command gets its collaborators from this process's Runtime

ContentOption = Annotated[
    Path | None,
    typer.Option("--content", help="Content directory (default: BRIEFBOT_CONTENT_DIR)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def answering_index(content: Path | None = None, *, allow_broken: bool = False) -> CorpusIndex:
    """The Runtime's index to answer from; a warning (a refused file) goes to stderr."""
    found = runtime().answering_index(content, allow_broken=allow_broken)
    if found.warning is not None:
        typer.echo(f"warning: {found.warning}", err=True)
    return found.index
