"""Edge: the settings, read once per process, and the Runtime that wires everything from them."""

from __future__ import annotations

from bot.runtime.runtime import Runtime, slack_deps
from bot.runtime.settings import Settings, load_settings

__all__ = ["Runtime", "Settings", "load_settings", "slack_deps"]
