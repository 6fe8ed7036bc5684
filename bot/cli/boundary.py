"""The CLI's one error boundary, and the entry point every command runs through.

A BriefbotError (something the user can fix) is one line `error: …` on stderr, exit 2.
Anything else is a bug: logged with a reference id and its traceback, and the user sees
`internal error (ref …)`, exit 1. No command has an error shape of its own.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from bot.errors import BriefbotError
from bot.ops.logs import configure_logging, log_context, new_reference_id

if TYPE_CHECKING:
    # Typer vendors Click; its group's invoke is typed with the vendored Context.
    from typer._click.core import Context

    from bot.runtime import Runtime

logger = logging.getLogger("bot.cli")

USER_ERROR_EXIT = 2
INTERNAL_ERROR_EXIT = 1


_runtime: ContextVar[Runtime | None] = ContextVar("briefbot_runtime", default=None)


def current_runtime() -> Runtime:
    """The Runtime of the command running now (made by BriefbotGroup before it started)."""
    found = _runtime.get()
    if found is None:
        raise RuntimeError("no Runtime: run commands through the briefbot group (bot.cli.app)")
    return found


def run_guarded(ctx: Context, invoke: Callable[[], Any]) -> Any:
    """Run `invoke()` (the command) and turn what it raises into the CLI's two error shapes."""
    try:
        return invoke()
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise  # typer.Exit(n) and usage errors: Typer already knows how to show them
    except BriefbotError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(USER_ERROR_EXIT) from None
    except BrokenPipeError:
        # `briefbot topics | head`: the reader is gone, which is no bug. Point stdout at
        # devnull so the flush at exit does not fail again (the Python docs' recipe).
        _silence_stdout()
        raise typer.Exit(INTERNAL_ERROR_EXIT) from None
    except Exception:
        ref = new_reference_id()
        with log_context(ref=ref):
            logger.exception("internal error in `briefbot %s`", ctx.invoked_subcommand or "")
        typer.echo(
            f"internal error (ref {ref}): this is a bug; the log line with this ref has the "
            "details",
            err=True,
        )
        raise typer.Exit(INTERNAL_ERROR_EXIT) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's buffer): nothing to do
        pass


class BriefbotGroup(TyperGroup):
    """The `briefbot` group: builds the process's Runtime, configures logging once, and runs
    every command inside the error boundary."""

    def invoke(self, ctx: Context) -> Any:
        # Imported here: `briefbot --help` never reaches invoke and need not load pydantic.
        from bot.runtime import Runtime

        owned = not isinstance(ctx.obj, Runtime)  # a test may pass its own (CliRunner obj=)
        if owned:
            ctx.obj = Runtime.from_environment()
        runtime: Runtime = ctx.obj
        # WARNING and up for commands (their output is what they print); a server raises its
        # level to INFO, since its log is its output.
        configure_logging(runtime.log_format, level=logging.WARNING)
        token = _runtime.set(runtime)
        try:
            return run_guarded(ctx, lambda: super(BriefbotGroup, self).invoke(ctx))
        finally:
            _runtime.reset(token)
            if owned:
                runtime.close()
