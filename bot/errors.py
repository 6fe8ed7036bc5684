"""The one family of errors a user can cause; everything else is a bug."""

from __future__ import annotations


class BriefbotError(Exception):
    """An error the user can fix; its message says how."""

    exit_code = 2


class ContentError(BriefbotError):
    """Bad input in content/: names the file, the line and what to do about it."""

    def __init__(self, path: str, line: int | None, reason: str, fix: str = "") -> None:
        self.path = path
        self.line = line
        self.reason = reason
        self.fix = fix
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}" + (f" ({fix})" if fix else ""))


class SettingsError(BriefbotError):
    """A missing or malformed setting; the message names it."""


class InputError(BriefbotError):
    """A bad argument from a user (day, time, zone, topic, ...)."""
