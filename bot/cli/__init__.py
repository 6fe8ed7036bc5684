"""The `briefbot` command line: a thin shell over the library; one module per command group."""

from __future__ import annotations

from bot.cli import ask, conflicts, connect, content, digests, serve  # noqa: F401  (registers commands)
from bot.cli.app import app

__all__ = ["app"]
