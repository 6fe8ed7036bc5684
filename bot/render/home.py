"""The App Home tab: topics with coverage and disagreements, subscriptions, the latest digest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.coverage import CoverageGrid
from bot.models import Digest
from bot.render import kit
from bot.render.actions import ACTION_SUBSCRIBE, button_value
from bot.render.coverage import coverage_home_blocks
from bot.render.digest import period_label
from bot.render.flags import KIND_WORDS
from bot.render.kit import Block
from bot.render.limits import HOME_BLOCKS_MAX, check_blocks
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten

_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")
NAME_MAX = 80
LIST_MAX = 200  # rows shown per list; the rest are counted


class HomeTopicRow(BaseModel):
    """One topic of the taxonomy as the Home tab lists it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic_id: str
    name: str
    reports: int = 0  # how many reports cover it
    conflicts: int = 0  # open disagreement flags
    of_reports: int = 0  # how many reports there are (0: not shown)


class HomeDisagreementRow(BaseModel):
    """An open disagreement and the verdicts the team gave it (counted over channels)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    summary: str
    real: int = 0
    not_disagreement: int = 0
    needs_curator: int = 0


class HomeSubscriptionRow(BaseModel):
    """One digest subscription of a channel the user is in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str  # channel id (C…) or a name
    day: str  # "mon"
    time: str  # "09:00"
    tz: str  # IANA zone
    topics: tuple[str, ...] = ()  # topic ids or names; empty means all topics


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _channel(channel: str) -> str:
    if _CHANNEL_ID.fullmatch(channel):
        return f"<#{channel}>"
    return "#" + escape_mrkdwn(shorten(one_line(channel).lstrip("#"), NAME_MAX))


def _topic_line(row: HomeTopicRow) -> str:
    name = escape_mrkdwn(shorten(one_line(row.name or row.topic_id), NAME_MAX))
    parts = [
        f"{row.reports} of {_plural(row.of_reports, 'report')}"
        if row.of_reports
        else _plural(row.reports, "report")
    ]
    if row.reports == 1:
        parts.append(f"☝️ {KIND_WORDS['single_source']}")
    if row.conflicts:
        parts.append(f"⚠ {_plural(row.conflicts, 'disagreement')}")
    return f"• *{name}* — " + " · ".join(parts)


def _subscription_line(row: HomeSubscriptionRow) -> str:
    topics = ", ".join(one_line(t) for t in row.topics) or "all topics"
    when = f"{one_line(row.day).capitalize()} {one_line(row.time)} {one_line(row.tz)}"
    return (
        f"• {_channel(row.channel)} — {escape_mrkdwn(shorten(when, NAME_MAX))} — "
        + escape_mrkdwn(shorten(topics, 300))
    )


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_MAX:
        return lines
    return [*lines[:LIST_MAX], f"…and {len(lines) - LIST_MAX} more"]


def _digest_summary(digest: Digest | None) -> str:
    if digest is None:
        return "No digest yet. Subscribe a channel to get one every week."
    parts = [f"*{escape_mrkdwn(period_label(digest))}*", _plural(digest.report_count, "report")]
    if digest.is_empty:
        parts.append("nothing new")
    else:
        names = [one_line(i.topic_name or i.topic) for i in digest.items]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        parts.append(f"{_plural(len(names), 'topic')}: {escape_mrkdwn(shorten(shown, 600))}")
    if digest.conflicts:
        parts.append(f"⚠ {_plural(len(digest.conflicts), 'open disagreement')}")
    return " · ".join(parts)


DISAGREEMENTS_SHOWN = 15


def _disagreement_line(row: HomeDisagreementRow) -> str:
    kind = KIND_WORDS.get(row.kind, row.kind)
    said = [
        f"{n} {word}"
        for n, word in (
            (row.real, "real"),
            (row.not_disagreement, "not a disagreement"),
            (row.needs_curator, "needs a curator"),
        )
        if n
    ]
    verdicts = " · ".join(said) if said else "no verdict yet"
    summary = escape_mrkdwn(shorten(one_line(row.summary), 200))
    return f"• *{kind}:* {summary} — _{verdicts}_"


def _disagreement_blocks(rows: Sequence[HomeDisagreementRow]) -> list[Block]:
    if not rows:
        return kit.sections("No open disagreements between the reports.")
    lines = [_disagreement_line(r) for r in rows[:DISAGREEMENTS_SHOWN]]
    if len(rows) > DISAGREEMENTS_SHOWN:
        lines.append(f"…and {len(rows) - DISAGREEMENTS_SHOWN} more (`briefbot conflicts`)")
    given = sum(r.real + r.not_disagreement + r.needs_curator for r in rows)
    lines.append(f"_{_plural(given, 'verdict')} given with the buttons under a digest._")
    return kit.sections("\n".join(lines))


def render_home(
    topics_rows: Sequence[HomeTopicRow],
    subscriptions_rows: Sequence[HomeSubscriptionRow],
    latest_digest: Digest | None,
    coverage: CoverageGrid | None = None,
    disagreements: Sequence[HomeDisagreementRow] = (),
    newest_report: str = "",
) -> dict[str, Any]:
    """The Home tab view ``{"type": "home", "blocks": [...]}`` (at most 100 blocks)."""
    blocks: list[Block] = [
        kit.header("briefbot · AI trends from the reports"),
        *kit.sections(
            "Ask me in a channel (mention *@briefbot*), in a DM, or with `/trends`: "
            "_what's new in multimodal_, _conflicts quantum_, _topics_, _help_."
        ),
        kit.divider(),
        kit.header("Topics"),
    ]
    topic_lines = _capped([_topic_line(r) for r in topics_rows]) or ["No topics yet."]
    blocks.extend(kit.sections("\n".join(topic_lines)))
    if newest_report:
        blocks.append(kit.context(f"Newest report: {escape_mrkdwn(one_line(newest_report))}"))
    blocks.extend([kit.divider(), kit.header("Open disagreements")])
    blocks.extend(_disagreement_blocks(disagreements))
    if coverage is not None and coverage.topics and coverage.reports:
        blocks.extend([kit.divider(), kit.header("Coverage map"), *coverage_home_blocks(coverage)])
    blocks.extend([kit.divider(), kit.header("Your channels' digests")])
    sub_lines = _capped([_subscription_line(r) for r in subscriptions_rows]) or [
        "No subscriptions yet. Use the button or `/trends subscribe mon 09:00 Europe/Berlin`."
    ]
    blocks.extend(kit.sections("\n".join(sub_lines)))
    blocks.append(
        kit.actions(
            [
                kit.button(
                    "Subscribe a channel",
                    ACTION_SUBSCRIBE,
                    button_value(topic=None, question="", source="home"),
                    style="primary",
                )
            ]
        )
    )
    blocks.extend([kit.divider(), kit.header("Latest digest")])
    blocks.extend(kit.sections(_digest_summary(latest_digest)))
    check_blocks(blocks, HOME_BLOCKS_MAX, text_limit=None)
    return {"type": "home", "blocks": blocks}
