"""The bot in HTTP mode on loopback, driven by signed requests, answering into the stand-in."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_harness import (
    BOT_TOKEN,
    BotHarness,
    blocks_text,
    new_ts,
    sign,
    start_bot,
)
from slack_standin import RecordedCall, SlackStandIn

from bot.models import Corpus, Section, Source, Topic, TopicScore
from bot.render.actions import (
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_MORE,
    ACTION_NEXT_PAGE,
    ACTION_SHOW_QUOTES,
    ACTION_SOURCES,
    ACTION_SUBSCRIBE,
    ACTION_VERDICT_NOT,
    button_value,
)


def _in(channel: str, thread: str | None = None) -> object:
    def where(call: RecordedCall) -> bool:
        return call.args.get("channel") == channel and (
            thread is None or call.args.get("thread_ts") == thread
        )

    return where


def _posts(slack: SlackStandIn, channel: str) -> list[RecordedCall]:
    return [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == channel]


# --- the Events API -------------------------------------------------------------------------


def test_url_verification_echoes_the_challenge(bot: BotHarness) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    reply = bot.post(body, "application/json")
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_mention_is_answered_in_the_thread_of_the_mention(bot: BotHarness) -> None:
    ts = new_ts()
    reply = bot.mention("what's new in multimodal", channel="C0MENTION", ts=ts)
    assert reply.status == 200 and reply.seconds < 3
    (call,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0MENTION"))  # type: ignore[arg-type]
    assert call.args["thread_ts"] == ts
    assert "Multimodal models" in blocks_text(call)
    assert call.args["text"], "a plain-text fallback goes with the blocks"
    assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert bot.store.thread_topic("C0MENTION", ts) == "multimodal"


def test_follow_up_in_the_thread_uses_the_thread_topic(bot: BotHarness) -> None:
    ts = new_ts()
    bot.mention("what's new in quantum", channel="C0FOLLOW", ts=ts)
    bot.slack.wait_for("chat.postMessage", 1, where=_in("C0FOLLOW"))  # type: ignore[arg-type]
    bot.mention("any conflicts?", channel="C0FOLLOW", ts=new_ts(), thread_ts=ts)
    calls = bot.slack.wait_for("chat.postMessage", 2, where=_in("C0FOLLOW", ts))  # type: ignore[arg-type]
    follow_up = blocks_text(calls[1])
    assert "Quantum" in follow_up
    assert "disagree" in follow_up.lower()


def test_direct_message_is_answered_and_bot_messages_are_ignored(bot: BotHarness) -> None:
    event = {
        "type": "message",
        "channel": "D0ALICE",
        "user": "U0ALICE",
        "text": "conflicts quantum",
        "ts": new_ts(),
        "channel_type": "im",
    }
    assert bot.event(event).status == 200
    (call,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("D0ALICE"))  # type: ignore[arg-type]
    assert "thread_ts" not in call.args
    assert "disagree" in blocks_text(call).lower()
    # Another bot's message and an edit in the same DM get no answer.
    bot.event({**event, "ts": new_ts(), "bot_id": "B0OTHER", "subtype": "bot_message"})
    bot.event({**event, "ts": new_ts(), "subtype": "message_changed"})
    time.sleep(0.5)
    assert len(_posts(bot.slack, "D0ALICE")) == 1


def test_a_retried_event_is_answered_once(bot: BotHarness) -> None:
    ts = new_ts()
    for retry in (None, 1, 2, 3):
        reply = bot.mention(
            "what's new in regulation",
            channel="C0RETRY",
            ts=ts,
            event_id="EvRETRY0001",
            retry=retry,
        )
        assert reply.status == 200
    bot.slack.wait_for("chat.postMessage", 1, where=_in("C0RETRY"))  # type: ignore[arg-type]
    time.sleep(0.5)
    assert len(_posts(bot.slack, "C0RETRY")) == 1


def test_a_retry_after_a_restart_is_not_answered_again(
    slack: SlackStandIn, corpus: Corpus, tmp_path: Path
) -> None:
    first = start_bot(slack, tmp_path, corpus)
    ts = new_ts()
    first.mention("topics", channel="C0RESTART", ts=ts, event_id="EvRESTART01")
    slack.wait_for("chat.postMessage", 1, where=_in("C0RESTART"))  # type: ignore[arg-type]
    first.server.stop()
    # A new process on the same database (or a second replica) gets Slack's retry.
    second = start_bot(slack, tmp_path, corpus)
    try:
        second.mention("topics", channel="C0RESTART", ts=ts, event_id="EvRESTART01", retry=1)
        time.sleep(0.5)
        assert len(_posts(slack, "C0RESTART")) == 1
    finally:
        second.server.stop()


# --- signatures -----------------------------------------------------------------------------


def test_forged_and_stale_signatures_get_401_and_do_nothing(bot: BotHarness) -> None:
    before = len(bot.slack.calls)
    body = bot.event_body(
        {
            "type": "app_mention",
            "user": "U0EVE",
            "text": "<@U0BRIEFBOT> topics",
            "ts": new_ts(),
            "channel": "C0FORGED",
        }
    )
    now = int(time.time())
    forged = bot.post(body, "application/json", signature=sign(body, now, secret="not-the-secret"))
    tampered = bot.post(body + b" ", "application/json", signature=sign(body, now))
    stale_ts = now - 5 * 60 - 10
    stale = bot.post(body, "application/json", timestamp=stale_ts, signature=sign(body, stale_ts))
    unsigned = bot.post(body, "application/json", signature="v0=")
    assert [forged.status, tampered.status, stale.status, unsigned.status] == [401] * 4
    time.sleep(0.5)
    assert len(bot.slack.calls) == before
    stored = bot.store.accept_event(
        json.loads(body)["event_id"], "app_mention", {}, owner="test", lease=timedelta(seconds=1)
    )
    assert stored, "a refused request reached the event inbox"


# --- Web API trouble ------------------------------------------------------------------------


def test_rate_limited_post_waits_for_retry_after_then_succeeds(bot: BotHarness) -> None:
    bot.slack.fail_next("chat.postMessage", 1, status=429, retry_after=1)
    reply = bot.mention("what's new in multimodal", channel="C0RATE")
    assert reply.status == 200 and reply.seconds < 3
    (ok,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0RATE"), timeout=15)  # type: ignore[arg-type]
    refused = [
        c
        for c in bot.slack.calls_to("chat.postMessage", ok_only=False)
        if c.status == 429 and c.args.get("channel") == "C0RATE"
    ]
    assert len(refused) == 1
    assert ok.at - refused[0].at >= 1.0, "Retry-After: 1 was honoured"
    assert len(_posts(bot.slack, "C0RATE")) == 1


def test_server_error_is_retried_with_backoff_then_succeeds(bot: BotHarness) -> None:
    bot.slack.fail_next("chat.postMessage", 2, status=503)
    bot.mention("what's new in multimodal", channel="C0FIVEXX")
    bot.slack.wait_for("chat.postMessage", 1, where=_in("C0FIVEXX"), timeout=15)  # type: ignore[arg-type]
    failed = [
        c
        for c in bot.slack.calls_to("chat.postMessage", ok_only=False)
        if c.status == 503 and c.args.get("channel") == "C0FIVEXX"
    ]
    assert len(failed) == 2
    assert len(_posts(bot.slack, "C0FIVEXX")) == 1


def test_an_exception_in_a_handler_becomes_an_apology_with_a_reference(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    # Slack refuses the answer outright (not retryable): the listener raises SlackApiError.
    bot.slack.fail_next("chat.postMessage", 1, status=200, error="invalid_blocks")
    ts = new_ts()
    with caplog.at_level("ERROR", logger="bot.slack.apology"):
        bot.mention("what's new in multimodal", channel="C0BROKEN", ts=ts)
        (apology,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0BROKEN"))  # type: ignore[arg-type]
    assert apology.args["thread_ts"] == ts
    text = apology.args["text"]
    assert text.startswith("Sorry")
    ref = text.split("`")[1]
    assert len(ref) == 8
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
    # The bot is still answering.
    bot.mention("topics", channel="C0BROKEN", ts=new_ts())
    bot.slack.wait_for("chat.postMessage", 2, where=_in("C0BROKEN"))  # type: ignore[arg-type]


def test_tokens_never_appear_in_logs(bot: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        bot.mention("what's new in multimodal", channel="C0LOGS")
        bot.slack.wait_for("chat.postMessage", 1, where=_in("C0LOGS"))  # type: ignore[arg-type]
        time.sleep(0.2)
    from bot.ops.logs import TextFormatter

    formatter = TextFormatter()
    assert caplog.records
    assert not [r for r in caplog.records if BOT_TOKEN in formatter.format(r)]


# --- load -----------------------------------------------------------------------------------


def test_100_concurrent_mentions_are_acked_within_3s_and_answered_once_each(
    bot: BotHarness,
) -> None:
    threads = [new_ts() for _ in range(100)]

    def send(ts: str) -> float:
        reply = bot.mention("what's new in multimodal", channel="C0LOAD", ts=ts)
        assert reply.status == 200
        return reply.seconds

    with ThreadPoolExecutor(max_workers=100) as pool:
        latencies = list(pool.map(send, threads))
    assert max(latencies) < 3.0, f"slowest ack {max(latencies):.2f}s"
    bot.slack.wait_for("chat.postMessage", 100, where=_in("C0LOAD"), timeout=60)  # type: ignore[arg-type]
    time.sleep(0.3)
    answered = [c.args["thread_ts"] for c in _posts(bot.slack, "C0LOAD")]
    assert sorted(answered) == sorted(threads)


# --- slash command --------------------------------------------------------------------------


def test_slash_command_question_is_answered_in_the_channel(bot: BotHarness) -> None:
    reply = bot.command("what's new in multimodal", channel="C0SLASH")
    assert reply.status == 200 and reply.seconds < 3
    (call,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0SLASH"))  # type: ignore[arg-type]
    assert "Multimodal models" in blocks_text(call)


def test_slash_command_help_and_topics_answer_only_the_asker(bot: BotHarness) -> None:
    before = len(bot.slack.calls_to("response_url"))
    bot.command("help", channel="C0HELP")
    bot.command("topics", channel="C0HELP")
    calls = bot.slack.wait_for("response_url", before + 2)[before:]
    assert {c.args["response_type"] for c in calls} == {"ephemeral"}
    texts = " ".join(json.dumps(c.args) for c in calls)
    assert "/trends subscribe" in texts
    assert "Quantum-enhanced LLMs" in texts
    assert not _posts(bot.slack, "C0HELP")


def test_slash_command_in_a_channel_without_the_bot_falls_back_to_the_response_url(
    bot: BotHarness,
) -> None:
    bot.slack.fail_next("chat.postMessage", 1, status=200, error="not_in_channel")
    before = len(bot.slack.calls_to("response_url"))
    bot.command("conflicts quantum", channel="C0NOTIN")
    (call,) = bot.slack.wait_for("response_url", before + 1)[before:]
    assert call.args["response_type"] == "in_channel"
    assert "disagree" in json.dumps(call.args).lower()


def test_subscribe_defaults_to_monday_9_in_the_users_time_zone(bot: BotHarness) -> None:
    bot.slack.set_user("U0NYC", tz="America/New_York")
    before = len(bot.slack.calls_to("response_url"))
    bot.command("subscribe", channel="C0SUBDEF", user="U0NYC")
    (call,) = bot.slack.wait_for("response_url", before + 1)[before:]
    assert call.args["response_type"] == "in_channel"
    sub = bot.store.subscription("C0SUBDEF")
    assert sub is not None
    assert (sub.day, sub.time, sub.tz, sub.topics) == ("mon", "09:00", "America/New_York", ())
    assert any(c.args.get("user") == "U0NYC" for c in bot.slack.calls_to("users.info"))


def test_mention_subscribes_and_unsubscribes_the_channel_and_announces_it(
    bot: BotHarness,
) -> None:
    """`@briefbot subscribe …` acts on the channel: the detail in the thread, one line in the
    channel. (What the words mean is tested in-process, in tests/conversation/.)"""
    bot.mention("subscribe tue 08:15 Europe/Paris quantum", channel="C0SUBMENTION")
    posts = bot.slack.wait_for("chat.postMessage", 2, where=_in("C0SUBMENTION"), timeout=15)  # type: ignore[arg-type]
    detail, announcement = posts
    assert "Europe/Paris" in detail.args["text"] and detail.args.get("thread_ts")
    assert not announcement.args.get("thread_ts")
    assert announcement.args["text"] == (
        "<@U0ALICE> subscribed this channel to a weekly digest: Tue 08:15 Europe/Paris, quantum"
    )
    sub = bot.store.subscription("C0SUBMENTION")
    assert sub is not None
    assert (sub.day, sub.time, sub.tz, sub.topics) == ("tue", "08:15", "Europe/Paris", ("quantum",))
    bot.mention("stop the weekly digest", channel="C0SUBMENTION")
    bot.slack.wait_for("chat.postMessage", 4, where=_in("C0SUBMENTION"), timeout=15)  # type: ignore[arg-type]
    assert bot.store.subscription("C0SUBMENTION") is None


def test_a_new_schedule_asks_back_and_replace_acts_through_the_button(bot: BotHarness) -> None:
    bot.store.subscribe("C0REPLACE", "fri", "16:00", "Europe/London", topics=("quantum",))
    bot.mention("weekly on thursdays at 10", channel="C0REPLACE", user="U0BOB")
    (asked,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0REPLACE"), timeout=15)  # type: ignore[arg-type]
    blocks = asked.json_arg("blocks")
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Replace", "Keep"]
    sub = bot.store.subscription("C0REPLACE")
    assert sub is not None and (sub.day, sub.time) == ("fri", "16:00")  # nothing changed yet

    message = {"type": "message", "ts": asked.args.get("ts", new_ts()), "text": "question"}
    bot.press(
        buttons[0]["action_id"],
        buttons[0]["value"],
        channel="C0REPLACE",
        user="U0BOB",
        message={**message, "thread_ts": asked.args["thread_ts"]},
    )
    bot.slack.wait_for("response_url", 1, where=lambda c: "replace_original" in c.args, timeout=15)
    (announced,) = bot.slack.wait_for(
        "chat.postMessage",
        2,
        where=_in("C0REPLACE"),
        timeout=15,  # type: ignore[arg-type]
    )[1:]
    assert announced.args["text"] == (
        "<@U0BOB> changed this channel's digest: Fri 16:00 Europe/London → Thu 10:00 Europe/London"
    )
    sub = bot.store.subscription("C0REPLACE")
    assert sub is not None and (sub.day, sub.time, sub.topics) == ("thu", "10:00", ("quantum",))


def test_mention_asking_for_the_digest_previews_it_in_the_thread(bot: BotHarness) -> None:
    bot.store.subscribe("C0PREVIEW", "wed", "10:00", "UTC", topics=("quantum",))
    bot.mention("show me this week's digest", channel="C0PREVIEW")
    (preview,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0PREVIEW"), timeout=15)  # type: ignore[arg-type]
    assert "Preview of this channel's next digest" in preview.args["text"]
    assert preview.args.get("thread_ts")
    text = blocks_text(preview)
    assert "Quantum" in text and "Multimodal" not in text  # the channel's topics only
    assert bot.store.last_delivery("C0PREVIEW") is None  # a preview records nothing


def test_subscribe_with_day_time_zone_and_topics(bot: BotHarness) -> None:
    before = len(bot.slack.calls_to("response_url"))
    bot.command("subscribe fri 17:30 Europe/Berlin multimodal, regulation", channel="C0SUBALL")
    bot.slack.wait_for("response_url", before + 1)
    sub = bot.store.subscription("C0SUBALL")
    assert sub is not None
    assert (sub.day, sub.time, sub.tz, sub.topics) == (
        "fri",
        "17:30",
        "Europe/Berlin",
        ("multimodal", "regulation"),
    )
    bot.command("subscriptions", channel="C0SUBALL")
    (listed,) = bot.slack.wait_for("response_url", before + 2)[before + 1 :]
    assert "Europe/Berlin" in listed.args["text"]
    bot.command("unsubscribe", channel="C0SUBALL")
    bot.slack.wait_for("response_url", before + 3)
    assert bot.store.subscription("C0SUBALL") is None


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ("subscribe mon 25:00 Europe/Berlin", "time"),
        ("subscribe mon 09:00 Mars/Olympus_Mons", "time zone"),
        ("subscribe mon 09:00 UTC multimodel", "multimodal"),
    ],
)
def test_invalid_subscription_is_refused_and_nothing_is_stored(
    bot: BotHarness, args: str, complaint: str
) -> None:
    before = len(bot.slack.calls_to("response_url"))
    bot.command(args, channel="C0SUBBAD")
    (call,) = bot.slack.wait_for("response_url", before + 1)[before:]
    assert call.args["response_type"] == "ephemeral"
    assert complaint in call.args["text"]
    assert bot.store.subscription("C0SUBBAD") is None


def test_user_text_echoed_back_cannot_ping_everyone(bot: BotHarness) -> None:
    before = len(bot.slack.calls_to("response_url"))
    bot.command("subscribe mon 09:00 UTC <!channel> @here &lt;!here&gt;", channel="C0ESCAPE")
    (call,) = bot.slack.wait_for("response_url", before + 1)[before:]
    text = call.args["text"]
    assert "<!channel>" not in text and "<!here>" not in text and "@here" not in text


# --- App Home -------------------------------------------------------------------------------


def test_app_home_publishes_topics_subscriptions_and_digest(bot: BotHarness) -> None:
    bot.slack.set_user("U0HOME", channels=("C0HOMECH",))
    bot.store.subscribe("C0HOMECH", "wed", "08:15", "Asia/Tokyo", topics=("quantum",), user="U0X")
    event = {
        "type": "app_home_opened",
        "user": "U0HOME",
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": new_ts(),
    }
    assert bot.event(event).status == 200
    (call,) = bot.slack.wait_for(
        "views.publish", 1, where=lambda c: c.args.get("user_id") == "U0HOME"
    )
    view = call.json_arg("view")
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert "Quantum-enhanced LLMs" in text and "disagreement" in text
    assert "C0HOMECH" in text and "Asia/Tokyo" in text
    # The Messages tab needs no view.
    bot.event({**event, "tab": "messages", "event_ts": new_ts()})
    time.sleep(0.3)
    assert (
        len([c for c in bot.slack.calls_to("views.publish") if c.args.get("user_id") == "U0HOME"])
        == 1
    )


# --- buttons --------------------------------------------------------------------------------


def test_sources_and_more_buttons_answer_in_the_thread(bot: BotHarness) -> None:
    value = button_value(topic="quantum", question="what's new in quantum")
    msg_ts = new_ts()
    message = {"type": "message", "ts": msg_ts, "text": "an answer"}
    for action in (ACTION_SOURCES, ACTION_MORE):
        reply = bot.press(action, value, channel="C0BUTTON", message=message)
        assert reply.status == 200 and reply.seconds < 3
    calls = bot.slack.wait_for("chat.postMessage", 2, where=_in("C0BUTTON", msg_ts))  # type: ignore[arg-type]
    texts = [blocks_text(c) for c in calls]
    index = bot.deps.corpus()
    titles = {index.sources[s].title for s in index.reports_covering("quantum")}
    assert any(title in t for t in texts for title in titles)
    assert all("Quantum" in t for t in texts)


def _corpus_with_a_long_topic(corpus: Corpus, reports: int = 60) -> Corpus:
    """The corpus plus a topic that many reports cover: its brief needs two pages."""
    topic = Topic(id="zz_long", name="Long topic", aliases=("longtopic",), keywords=())
    sources = tuple(
        Source(
            source_id=f"s{i:02d}",
            title=f"Scaling Note {i}",
            published=date(2024, 1, 1 + i % 28),
            path=f"content/sources/s{i:02d}.md",
            sha256=f"{i:064d}",
        )
        for i in range(reports)
    )

    def text(i: int) -> str:
        # Long, unlike sentences (no two reports "agree"), so the brief needs a second message.
        return " ".join(
            f"Lab{i} finding{j} " + " ".join(f"w{i}x{j}x{k}" for k in range(120)) + "."
            for j in range(3)
        )

    sections = tuple(
        Section(
            section_id=f"s{i:02d}#long",
            source_id=f"s{i:02d}",
            heading="Long",
            level=2,
            line=3,
            text=text(i),
            summary=text(i),
            topics=(TopicScore(topic_id="zz_long", score=95.0),),
        )
        for i in range(reports)
    )
    return corpus.model_copy(
        update={
            "version": corpus.version + "-long",
            "topics": (*corpus.topics, topic),
            "sources": (*corpus.sources, *sources),
            "sections": (*corpus.sections, *sections),
        }
    )


def test_next_page_button_posts_the_requested_page(
    slack: SlackStandIn, corpus: Corpus, tmp_path: Path
) -> None:
    long = start_bot(slack, tmp_path, _corpus_with_a_long_topic(corpus))
    try:
        ts = new_ts()
        long.mention("tell me about longtopic", channel="C0PAGE", ts=ts)
        (first,) = slack.wait_for("chat.postMessage", 1, where=_in("C0PAGE"))  # type: ignore[arg-type]
        blocks = first.json_arg("blocks")
        assert len(blocks) <= 50
        buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
        (next_button,) = [e for e in buttons if e["action_id"] == ACTION_NEXT_PAGE]
        long.press(
            ACTION_NEXT_PAGE,
            next_button["value"],
            channel="C0PAGE",
            message={"type": "message", "ts": "1.000001", "thread_ts": ts, "text": "x"},
        )
        calls = slack.wait_for("chat.postMessage", 2, where=_in("C0PAGE", ts))  # type: ignore[arg-type]
        second = calls[1].json_arg("blocks")
        assert "Page 2 of" in json.dumps(second)
        assert blocks_text(first) != blocks_text(calls[1])
    finally:
        long.server.stop()


def _modal_values(
    channel: str, day: str, time: str, zone: str, topics: list[str]
) -> dict[str, Any]:
    return {
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}},
        "day": {"day": {"type": "static_select", "selected_option": {"value": day}}},
        "time": {"time": {"type": "timepicker", "selected_time": time}},
        "zone": {"zone": {"type": "plain_text_input", "value": zone}},
        "topics": {
            "topics": {
                "type": "multi_static_select",
                "selected_options": [{"value": t} for t in topics],
            }
        },
    }


def test_subscribe_button_opens_a_modal_prefilled_and_stores_nothing(bot: BotHarness) -> None:
    bot.slack.set_user("U0BTN", tz="Europe/Paris")
    value = button_value(topic="regulation", question="regulation")
    bot.press(ACTION_SUBSCRIBE, value, channel="C0SUBBTN", user="U0BTN")
    (opened,) = bot.slack.wait_for(
        "views.open", 1, where=lambda c: "C0SUBBTN" in json.dumps(c.args)
    )
    view = opened.json_arg("view")
    text = json.dumps(view)
    assert view["type"] == "modal" and '"initial_conversation": "C0SUBBTN"' in text
    assert '"initial_value": "Europe/Paris"' in text and '"initial_time": "09:00"' in text
    assert '"value": "regulation"' in json.dumps(
        [b for b in view["blocks"] if b.get("block_id") == "topics"]
    )
    assert bot.store.subscription("C0SUBBTN") is None  # nothing is stored on the click


def test_the_modal_shows_the_current_schedule_and_its_save_changes_and_announces(
    bot: BotHarness,
) -> None:
    from bot.render.subscription_modal import CALLBACK_SUBSCRIBE

    bot.store.subscribe(
        "C0MODAL", "fri", "16:00", "Europe/London", topics=("regulation", "quantum")
    )
    bot.press(ACTION_SUBSCRIBE, button_value(topic="quantum"), channel="C0MODAL", user="U0MOD")
    (opened,) = bot.slack.wait_for("views.open", 1, where=lambda c: "C0MODAL" in json.dumps(c.args))
    text = json.dumps(opened.json_arg("view"))
    assert '"initial_time": "16:00"' in text and '"initial_value": "Europe/London"' in text
    sub = bot.store.subscription("C0MODAL")
    assert sub is not None and sub.topics == ("regulation", "quantum")  # not overwritten

    refused = bot.submit_view(
        CALLBACK_SUBSCRIBE, _modal_values("C0MODAL", "thu", "10:00", "Mars/Base", []), user="U0MOD"
    )
    assert refused.status == 200 and refused.json()["response_action"] == "errors"
    assert "zone" in refused.json()["errors"]
    saved = bot.submit_view(
        CALLBACK_SUBSCRIBE,
        _modal_values("C0MODAL", "thu", "10:00", "Europe/London", ["regulation", "quantum"]),
        user="U0MOD",
    )
    assert saved.status == 200
    (announced,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0MODAL"))  # type: ignore[arg-type]
    assert announced.args["text"] == (
        "<@U0MOD> changed this channel's digest: Fri 16:00 Europe/London → Thu 10:00 Europe/London"
    )
    sub = bot.store.subscription("C0MODAL")
    assert sub is not None and (sub.day, sub.time, sub.topics) == (
        "thu",
        "10:00",
        ("regulation", "quantum"),
    )


def test_subscribe_button_in_app_home_opens_the_modal_with_a_channel_picker(
    bot: BotHarness,
) -> None:
    bot.press(
        ACTION_SUBSCRIBE, button_value(topic=None, source="home"), channel=None, user="U0HOMEBTN"
    )
    (opened,) = bot.slack.wait_for(
        "views.open",
        1,
        where=lambda c: (
            "Weekly digest" in json.dumps(c.args)
            and "initial_conversation" not in json.dumps(c.args)
        ),
    )
    assert "conversations_select" in json.dumps(opened.json_arg("view"))


def test_feedback_is_stored_with_question_topic_and_answer(bot: BotHarness) -> None:
    value = button_value(topic="quantum", question="conflicts quantum", intent="conflicts")
    message = {"type": "message", "ts": new_ts(), "text": "Where the reports disagree on quantum"}
    bot.press(ACTION_FEEDBACK_UP, value, channel="C0FEED", user="U0FAN", message=message)
    bot.press(ACTION_FEEDBACK_DOWN, value, channel="C0FEED", user="U0CRITIC", message=message)
    bot.slack.wait_for("chat.postEphemeral", 2, where=_in("C0FEED"))  # type: ignore[arg-type]
    rows = [r for r in bot.store.list_feedback() if r.channel == "C0FEED"]
    assert sorted((r.user, r.vote) for r in rows) == [("U0CRITIC", -1), ("U0FAN", 1)]
    assert {(r.question, r.topic, r.answer_text) for r in rows} == {
        ("conflicts quantum", "quantum", "Where the reports disagree on quantum")
    }


def test_verdict_button_is_stored_for_the_pressed_channel_and_shown_in_the_thread(
    bot: BotHarness,
) -> None:
    # The value names another channel: ignored, the verdict is the pressed channel's.
    value = button_value(topic="quantum", flag="f00d", channel="C0ELSEWHERE")
    ts = new_ts()
    message = {"type": "message", "ts": ts, "thread_ts": "1700000000.000100", "text": "⚠"}
    bot.press(ACTION_VERDICT_NOT, value, channel="C0VERDICT", user="U0JUDGE", message=message)
    (call,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0VERDICT"))  # type: ignore[arg-type]
    assert call.args["text"] == "Marked not a disagreement by <@U0JUDGE>"
    assert call.args["thread_ts"] == "1700000000.000100"
    (verdict,) = bot.store.verdicts("C0VERDICT")
    assert (verdict.flag_id, verdict.verdict, verdict.user) == (
        "f00d",
        "not_disagreement",
        "U0JUDGE",
    )
    assert bot.store.verdicts("C0ELSEWHERE") == []
    assert bot.store.dismissed_flags("C0VERDICT") == frozenset({"f00d"})


def test_show_both_quotes_posts_every_side_in_the_thread_and_a_gone_flag_is_told_privately(
    bot: BotHarness,
) -> None:
    flag = next(f for f in bot.deps.corpus().corpus.flags if len(f.sides) >= 2)
    message = {"type": "message", "ts": new_ts(), "thread_ts": "1700000000.000200", "text": "⚠"}
    value = button_value(topic=flag.topic, flag=flag.flag_id)
    bot.press(ACTION_SHOW_QUOTES, value, channel="C0QUOTES", user="U0READER", message=message)
    (call,) = bot.slack.wait_for("chat.postMessage", 1, where=_in("C0QUOTES"))  # type: ignore[arg-type]
    assert call.args["thread_ts"] == "1700000000.000200"
    assert call.args["text"].startswith("⚠ *") and call.args["text"].count("> _") >= 2
    gone = button_value(topic=None, flag="no-such-flag")
    bot.press(ACTION_SHOW_QUOTES, gone, channel="C0QUOTES", user="U0READER", message=message)
    (told,) = bot.slack.wait_for("chat.postEphemeral", 1, where=_in("C0QUOTES"))  # type: ignore[arg-type]
    assert told.args["user"] == "U0READER" and "no longer in the reports" in told.args["text"]


# --- operator endpoints ---------------------------------------------------------------------


def test_healthz_reports_the_corpus_version_and_metrics_are_exposed(bot: BotHarness) -> None:
    health = bot.get("/healthz")
    version = bot.deps.corpus().version
    assert health.status == 200 and health.json() == {"ok": True, "corpus_version": version}
    metrics = bot.get("/metrics")
    assert metrics.status == 200 and b"briefbot_questions_answered" in metrics.body
    assert bot.get("/nope").status == 404
