"""The subscription commands of /trends (and the Subscribe button): parse, validate, store."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InputError
from bot.render import escape_mrkdwn
from bot.schedule import parse_day, parse_schedule, split_topics
from bot.slack.deps import SlackDeps

logger = logging.getLogger(__name__)

FALLBACK_TZ = "UTC"
# A day, a time, a zone and every topic of the taxonomy fit in far less; a longer argument is
# refused before it is parsed, so its text is neither fuzzy-matched nor echoed back at length.
SUBSCRIBE_ARGS_MAX = 1_000

_TIME = re.compile(r"\d{1,2}(:\d{2})?(am|pm)?|\d{1,2}(am|pm)", re.IGNORECASE)


def _is_day(word: str) -> bool:
    try:
        parse_day(word)
    except InputError:
        return False
    return True


@dataclass(frozen=True)
class SubscriptionRequest:
    """What the user typed after `/trends subscribe`, split into its parts (not yet valid)."""

    day: str | None = None
    time: str | None = None
    tz: str | None = None
    topics: tuple[str, ...] = ()


def split_subscribe_args(text: str) -> SubscriptionRequest:
    """`mon 09:00 Europe/Berlin multimodal, regulation` -> its parts; each part is optional.

    A time has digits, a zone has a slash (or is UTC), a day is a weekday word; the rest,
    split at commas (or spaces), are topics. bot.schedule validates each part.
    """
    day = time = tz = None
    rest: list[str] = []
    for word in text.replace(",", " , ").split():
        low = word.lower()
        if time is None and _TIME.fullmatch(word):
            time = word
        elif tz is None and ("/" in word or low in ("utc", "gmt")):
            tz = word
        elif day is None and not rest and _is_day(word):
            day = word
        else:
            rest.append(word)
    topics = tuple(split_topics(" ".join(w for w in rest)))
    return SubscriptionRequest(day=day, time=time, tz=tz, topics=topics)


def user_tz(client: WebClient, user: str) -> str:
    """The user's IANA time zone from users.info (UTC when Slack does not say)."""
    try:
        response = client.users_info(user=user)
    except SlackApiError as exc:
        logger.warning("users.info failed (%s); using %s", exc.response.get("error"), FALLBACK_TZ)
        return FALLBACK_TZ
    return str((response.get("user") or {}).get("tz") or FALLBACK_TZ)


def subscribe_channel(
    deps: SlackDeps,
    client: WebClient,
    channel: str,
    user: str,
    text: str,
    *,
    topics: tuple[str, ...] = (),
) -> tuple[str, bool]:
    """Subscribe a channel; returns (mrkdwn reply, stored?). Bad input stores nothing."""
    if len(text) > SUBSCRIBE_ARGS_MAX:
        return (
            f"That is too long for a subscription ({len(text):,} characters; at most "
            f"{SUBSCRIBE_ARGS_MAX:,}). Try `/trends subscribe mon 09:00 Europe/Berlin`.",
            False,
        )
    request = split_subscribe_args(text)
    try:
        valid = parse_schedule(
            day=request.day,
            time=request.time,
            tz=request.tz or user_tz(client, user),
            topics=request.topics or topics,
            taxonomy=deps.corpus().topics,
        )
    except InputError as exc:
        return escape_mrkdwn(str(exc)), False
    sub = deps.store.subscribe(
        channel, valid.day, valid.time, valid.tz, topics=valid.topics, user=user
    )
    what = ", ".join(sub.topics) if sub.topics else "all topics"
    logger.info("subscribed channel=%s day=%s time=%s tz=%s", channel, sub.day, sub.time, sub.tz)
    return (
        f"<@{user}> subscribed <#{channel}> to a weekly digest: every "
        f"{escape_mrkdwn(sub.day.capitalize())} at {escape_mrkdwn(sub.time)} "
        f"({escape_mrkdwn(sub.tz)}), {escape_mrkdwn(what)}.",
        True,
    )


def unsubscribe_channel(deps: SlackDeps, channel: str, user: str) -> tuple[str, bool]:
    if deps.store.unsubscribe(channel):
        logger.info("unsubscribed channel=%s", channel)
        return f"<@{user}> stopped the weekly digest of <#{channel}>.", True
    return f"<#{channel}> has no digest subscription.", False


def describe_subscriptions(deps: SlackDeps, channel: str) -> str:
    sub = deps.store.subscription(channel)
    if sub is None:
        return f"<#{channel}> gets no digest. Try `/trends subscribe mon 09:00 Europe/Berlin`."
    what = ", ".join(sub.topics) if sub.topics else "all topics"
    return (
        f"<#{channel}> gets a digest every {escape_mrkdwn(sub.day.capitalize())} at "
        f"{escape_mrkdwn(sub.time)} ({escape_mrkdwn(sub.tz)}): {escape_mrkdwn(what)}."
    )
