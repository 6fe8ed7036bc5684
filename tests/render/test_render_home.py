"""The App Home view: topics, subscriptions, the Subscribe button, the latest digest."""

from __future__ import annotations

import json

from render_builders import assert_valid_home, buttons, digest, mrkdwn_of

from bot.render import HomeSubscriptionRow, HomeTopicRow, render_home
from bot.render.actions import ACTION_SUBSCRIBE

TOPICS = [
    HomeTopicRow(topic_id="quantum", name="Quantum computing", reports=3, conflicts=2),
    HomeTopicRow(topic_id="neuromorphic", name="Neuromorphic", reports=1, conflicts=0),
]
SUBS = [
    HomeSubscriptionRow(
        channel="C0123ABC", day="mon", time="09:00", tz="Europe/Berlin", topics=("quantum",)
    ),
    HomeSubscriptionRow(channel="general", day="fri", time="16:30", tz="America/New_York"),
]


def test_home_lists_topics_with_coverage_and_disagreements() -> None:
    view = render_home(TOPICS, SUBS, digest())
    assert_valid_home(view)
    text = mrkdwn_of(view["blocks"])
    assert "• *Quantum computing* — 3 reports · ⚠ 2 disagreements" in text
    assert "• *Neuromorphic* — 1 report · ☝️ one report only" in text


def test_home_lists_subscriptions_as_plain_rows() -> None:
    text = mrkdwn_of(render_home(TOPICS, SUBS, None)["blocks"])
    assert "• <#C0123ABC> — Mon 09:00 Europe/Berlin — quantum" in text
    assert "• #general — Fri 16:30 America/New_York — all topics" in text


def test_home_has_a_subscribe_button() -> None:
    button = buttons(render_home(TOPICS, [], None)["blocks"])[ACTION_SUBSCRIBE]
    assert json.loads(button["value"])["topic"] is None


def test_home_summarises_the_latest_digest() -> None:
    text = mrkdwn_of(render_home(TOPICS, SUBS, digest())["blocks"])
    assert (
        "*3 Mar 2025 – 10 Mar 2025* · 2 reports · 2 topics: Regulation, Quantum computing" in text
    )
    assert "⚠ 1 open disagreement" in text


def test_empty_home_is_still_a_valid_view() -> None:
    view = render_home([], [], None)
    assert_valid_home(view)
    text = mrkdwn_of(view["blocks"])
    assert "No topics yet." in text and "No subscriptions yet." in text and "No digest yet." in text


def test_hostile_channel_names_cannot_ping() -> None:
    row = HomeSubscriptionRow(channel="<!channel>", day="mon", time="09:00", tz="UTC")
    text = mrkdwn_of(render_home([], [row], None)["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_thousands_of_rows_stay_within_100_blocks() -> None:
    topics = [
        HomeTopicRow(topic_id=f"t{i}", name=f"Topic {i} " * 20, reports=i, conflicts=i)
        for i in range(2000)
    ]
    subs = [
        HomeSubscriptionRow(
            channel=f"C{i:08d}",
            day="mon",
            time="09:00",
            tz="Europe/Berlin",
            topics=tuple(f"t{j}" for j in range(50)),
        )
        for i in range(2000)
    ]
    view = render_home(topics, subs, digest())
    assert_valid_home(view)
    assert "…and 1800 more" in mrkdwn_of(view["blocks"])


def test_home_shows_open_disagreements_with_their_verdicts_and_the_newest_report() -> None:
    from bot.render.home import HomeDisagreementRow

    view = render_home(
        [HomeTopicRow(topic_id="q", name="Quantum", reports=2, of_reports=5)],
        [],
        None,
        disagreements=[
            HomeDisagreementRow(kind="timeline", summary="When the Act applies", real=2),
            HomeDisagreementRow(kind="numeric", summary="How large fines are"),
        ],
        newest_report="Report X (1 Nov 2025)",
    )
    text = mrkdwn_of(view["blocks"])
    assert "*Quantum* — 2 of 5 reports" in text
    assert "• *different dates:* When the Act applies — _2 real_" in text
    assert "• *different figures:* How large fines are — _no verdict yet_" in text
    assert "Newest report: Report X (1 Nov 2025)" in text
