"""Pure: a team's verdict on one disagreement of a digest, recorded through the verdict port."""

from __future__ import annotations

import re

from bot.conversation.context import Context
from bot.conversation.ports import Ports
from bot.conversation.replies import NoteReply, Reply, VerdictReply

_FLAG_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}", re.ASCII)
_WORDS = {
    "real": "Marked a real disagreement",
    "not_disagreement": "Marked not a disagreement",
    "needs_curator": "Sent to a curator",
}


def record_verdict(flag_id: str, verdict: str, context: Context, ports: Ports) -> Reply:
    """Store the verdict for the channel it was given in; a flag id is checked, never echoed."""
    channel = context.digest_channel
    if channel is None or not _FLAG_ID.fullmatch(flag_id) or verdict not in _WORDS:
        return NoteReply(
            "Verdicts are given on a digest's disagreement in a channel.", private=True
        )
    if ports.verdicts is None:
        return NoteReply("Verdicts cannot be recorded here.", private=True)
    ports.verdicts.add_verdict(flag_id=flag_id, channel=channel, verdict=verdict, user=context.user)
    return VerdictReply(line=f"{_WORDS[verdict]} by {context.who}")
