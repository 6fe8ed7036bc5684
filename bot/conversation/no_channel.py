"""Pure: a digest request where there is no Slack channel (the console, `briefbot ask`, a DM):
what to say in a channel, or which command to run, fitted to what was asked. Nothing changes."""

from __future__ import annotations

from bot.conversation.context import Context
from bot.conversation.replies import NoteReply
from bot.conversation.requests import DigestRequest
from bot.conversation.subscriptions import EXAMPLE, refusal, resolve_topics
from bot.corpus import CorpusIndex
from bot.errors import InputError
from bot.schedule import parse_day, parse_time, parse_tz

# The request is echoed as the words to say in a channel; a longer one is shown as the example.
_ECHO_MAX = 120
_CLI_SURFACES = ("console", "ask")


def elsewhere(request: DigestRequest, context: Context, index: CorpusIndex, said: str) -> NoteReply:
    """Where a digest request works instead: the channel, and on the command line the
    `briefbot` command that does what was asked, with exactly the parts that were said."""
    words = " ".join(said.split())
    words = words if 0 < len(words) <= _ECHO_MAX else EXAMPLE
    in_slack = f"say “@briefbot {words}” in the channel that gets it"
    if context.surface not in _CLI_SURFACES:
        return NoteReply(f"Digests go to a Slack channel: {in_slack}. Nothing was changed.", True)
    try:
        command = _command(request, index)
    except InputError as exc:
        return refusal(exc)
    return NoteReply(
        f"Digests go to a Slack channel: {in_slack}, or run {command}. Nothing was changed.",
        private=True,
    )


def _command(request: DigestRequest, index: CorpusIndex) -> str:
    if request.action == "unsubscribe":
        return "`briefbot unsubscribe CHANNEL_ID`"
    if request.action in ("show", "next"):
        return "`briefbot subscriptions` (every channel's schedule and its next digest)"
    topics = resolve_topics(request.topics, index.topics) if request.topics else ()
    named = ", ".join(topics)
    if request.action == "unfollow":
        return (
            "`briefbot subscriptions` to see the channel's topics, then "
            f"`briefbot subscribe CHANNEL_ID --topics …` naming them without {named}"
        )
    zone = _zone_flag(request, index)
    # `--topics ""` is the CLI's "all topics again" (an absent flag keeps the current ones).
    listed = (
        f" --topics {','.join(topics)}"
        if topics
        else (' --topics ""' if request.all_topics else "")
    )
    commands = [
        f"`briefbot subscribe CHANNEL_ID{d}{t}{zone}{listed}`" for d, t in _readings(request)
    ]
    said = " or ".join(commands) + (", whichever you meant" if len(commands) > 1 else "")
    if request.action == "follow":
        return f"{said} with the channel's other topics added (`briefbot subscriptions` shows them)"
    if not request.schedule_given and not listed:
        return said + " (`briefbot subscribe --help` lists --day, --time, --tz, --topics)"
    return said


def _zone_flag(request: DigestRequest, index: CorpusIndex) -> str:
    """The --tz flag of a request, a place word ("London time") read as its zone."""
    if not request.tz:
        return ""
    zone = dict(index.corpus.zone_words).get(request.tz.strip().lower(), request.tz)
    return f" --tz {parse_tz(zone)}"


def _readings(request: DigestRequest) -> list[tuple[str, str]]:
    """The --day and --time flags of each reading of a request (several when ambiguous)."""
    days = request.days or ((request.day,) if request.day else ())
    times = request.times or ((request.time,) if request.time else ())
    day_flags = [f" --day {parse_day(d)}" for d in days] or [""]
    time_flags = [f" --time {parse_time(t)}" for t in times] or [""]
    return [(d, t) for d in day_flags for t in time_flags][:4]
