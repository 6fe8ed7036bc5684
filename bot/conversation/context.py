"""Pure: who said a message, where, and when: everything a reply depends on besides the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.models import Intent

Surface = Literal["mention", "dm", "command", "console", "ask", "button"]
"""Where the message came from. "button" means the person confirmed a proposal (a Keep /
Replace button, a choice, the subscription modal), so it is acted on without asking back."""

# Public and private channels get digests; DMs, App Home and the console do not.
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,40}", re.ASCII)
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,40}", re.ASCII)


@dataclass(frozen=True)
class Context:
    """The circumstances of one message (the edge builds it; `now` is injected)."""

    surface: Surface
    channel: str | None  # None for the console and `briefbot ask`
    user: str
    now: datetime
    user_tz: str | None = None  # the asker's Slack time zone, when known
    thread_topic: str | None = None  # the topic of the conversation so far (follow-ups)
    # What a pressed button under an answer asks of the thread's topic (Sources, More on this
    # topic), which the words it carries need not say. None when the words say it all.
    asked: Intent | None = None

    @property
    def confirmed(self) -> bool:
        return self.surface == "button"

    @property
    def digest_channel(self) -> str | None:
        """The channel a digest request acts on: this one, if it is a channel at all."""
        if self.channel is not None and _CHANNEL_ID.fullmatch(self.channel):
            return self.channel
        return None

    @property
    def who(self) -> str:
        """The asker as Slack shows them in a message (a user id from Slack, never raw text)."""
        return f"<@{self.user}>" if _USER_ID.fullmatch(self.user) else "Someone"
