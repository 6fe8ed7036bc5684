"""Pure: a Slack channel id as a person types it, checked before anything is stored."""

from __future__ import annotations

import re

from bot.errors import InputError

# Slack conversation ids: C (public channel), G (private channel or group DM) or D (DM), then
# upper-case letters and digits; 9 to 11 characters today, and Slack has lengthened them before.
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{8,14}", re.ASCII)

HOW_TO_FIND_THE_ID = (
    "in Slack, open the channel, click its name at the top and find the Channel ID at the "
    "bottom of the About tab; or right-click the channel in the sidebar, choose Copy link, "
    "and take the last part of the link (C… for a channel, G… for an older private one)"
)


def parse_channel_id(value: str) -> str:
    """`C0123ABCD` -> itself; a channel name or anything else -> InputError saying what to use."""
    text = value.strip()
    if _CHANNEL_ID.fullmatch(text):
        return text
    if text.startswith("#") or (text and not text[0].isupper()) or "-" in text:
        name = text if text.startswith("#") else f"#{text}"
        raise InputError(
            f"{value!r} looks like a channel name; give the channel's id (e.g. C0123ABCD) "
            f"instead of {name}: {HOW_TO_FIND_THE_ID}"
        )
    raise InputError(
        f"{value!r} is not a Slack channel id: an id is C, G or D followed by capital "
        f"letters and digits, e.g. C0123ABCD. To find it, {HOW_TO_FIND_THE_ID}"
    )
