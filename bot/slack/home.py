"""App Home: gather topics, this user's channels' subscriptions and the latest digest; publish."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coverage import CoverageGrid, coverage_grid
from bot.dates import format_published
from bot.models import Corpus, Digest
from bot.render.home import HomeDisagreementRow, HomeSubscriptionRow, HomeTopicRow, render_home
from bot.slack.deps import SlackDeps

logger = logging.getLogger(__name__)

_CHANNEL_PAGES = 5  # users.conversations pages (200 each) read per Home open


_grids: dict[str, CoverageGrid] = {}  # by corpus version: computed once, not per Home open


def _coverage(corpus: Corpus) -> CoverageGrid:
    grid = _grids.get(corpus.version)
    if grid is None:
        grid = coverage_grid(corpus)
        _grids.clear()  # only the current version is ever asked for again
        _grids[corpus.version] = grid
    return grid


def user_channels(client: WebClient, user: str) -> list[str]:
    """Channels both this user and the bot are in (what the bot token can see of the user)."""
    channels: list[str] = []
    cursor: str | None = None
    for _ in range(_CHANNEL_PAGES):
        response = client.users_conversations(
            user=user,
            types="public_channel,private_channel",
            exclude_archived=True,
            limit=200,
            cursor=cursor,
        )
        channels.extend(str(c["id"]) for c in response.get("channels") or [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return channels


def home_view(deps: SlackDeps, client: WebClient, user: str) -> dict[str, object]:
    index = deps.corpus()
    total = sum(1 for s in index.corpus.sources if not s.duplicate_of)
    topics = [
        HomeTopicRow(
            topic_id=topic.id,
            name=topic.name,
            reports=len(index.reports_covering(topic.id)),
            conflicts=len(index.conflicts_for(topic.id)),
            of_reports=total,
        )
        for topic in index.corpus.topics
    ]
    try:
        channels = user_channels(client, user)
    except SlackApiError as exc:  # missing scope or Slack trouble: show the rest of Home
        logger.warning("users.conversations failed: %s", exc.response.get("error"))
        channels = []
    subscriptions = {s.channel: s for s in deps.store.subscriptions_for_channels(channels)}
    for s in deps.store.subscriptions():
        if s.created_by == user:
            subscriptions.setdefault(s.channel, s)
    rows = [
        HomeSubscriptionRow(channel=s.channel, day=s.day, time=s.time, tz=s.tz, topics=s.topics)
        for s in sorted(subscriptions.values(), key=lambda s: s.channel)
    ]
    latest = deps.store.latest_digest(sorted(subscriptions) or None)
    digest: Digest | None = None
    if latest is not None:
        try:
            digest = Digest.model_validate_json(latest.digest_json)
        except ValidationError:
            logger.warning("latest digest of %s is not readable; Home shows none", latest.channel)
    counts: dict[str, dict[str, int]] = {}
    for (flag_id, _channel), verdict in deps.store.current_verdicts().items():
        counts.setdefault(flag_id, {}).setdefault(verdict.verdict, 0)
        counts[flag_id][verdict.verdict] += 1
    disagreements = [
        HomeDisagreementRow(kind=f.kind, summary=f.summary, **counts.get(f.flag_id, {}))
        for f in index.all_conflicts()
    ]
    dated = [s for s in index.corpus.sources if s.published and not s.duplicate_of]
    newest = max(dated, key=lambda s: index.ordinal(s.source_id), default=None)
    newest_line = (
        f"{newest.title} ({format_published(newest.published, newest.published_precision)})"
        if newest
        else ""
    )
    return render_home(
        topics,
        rows,
        digest,
        coverage=_coverage(index.corpus),
        disagreements=disagreements,
        newest_report=newest_line,
    )


def publish_home(deps: SlackDeps, client: WebClient, user: str) -> None:
    client.views_publish(user_id=user, view=home_view(deps, client, user))
