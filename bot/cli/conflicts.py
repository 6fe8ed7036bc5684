"""CLI commands: conflicts (registered on bot.cli.app)."""

from __future__ import annotations

from bot.cli.app import app  # noqa: F401
