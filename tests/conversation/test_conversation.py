"""Whole conversations through reply(), in-process: digests managed in plain words."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import (
    AnswerReply,
    ChangeReply,
    NoteReply,
    Plan,
    PreviewReply,
    QuestionReply,
    record_verdict,
)
from bot.conversation.context import Context
from tests.conversation.backend import Backend


def _change(bot: Backend, text: str, **kw: object) -> ChangeReply:
    got = bot.say(text, **kw)
    assert isinstance(got, ChangeReply), got
    return got


def _question(bot: Backend, text: str, **kw: object) -> QuestionReply:
    got = bot.say(text, **kw)
    assert isinstance(got, QuestionReply), got
    return got


def _stored(bot: Backend, channel: str = "C0TEAM") -> tuple[str, str, str, tuple[str, ...]] | None:
    sub = bot.store.subscription(channel)
    return (sub.day, sub.time, sub.tz, sub.topics) if sub else None


def test_plain_words_subscribe_the_channel_in_the_askers_time_zone(bot: Backend) -> None:
    bot.zones["U0ALICE"] = "Europe/London"
    got = _change(bot, "send us the digest every friday at 4pm")
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ())
    assert got.before is None and got.after == Plan("fri", "16:00", "Europe/London")
    assert got.announcement == (
        "<@U0ALICE> subscribed this channel to a weekly digest: Fri 16:00 Europe/London, all topics"
    )
    assert "Europe/London is your Slack time zone" in got.text
    assert "“New York time”" in got.text  # the example names another zone than the asker's


def test_without_a_known_zone_the_reply_says_utc_was_used(bot: Backend) -> None:
    got = _change(bot, "digest every monday at 9am")
    assert _stored(bot) == ("mon", "09:00", "UTC", ())
    assert "UTC" in got.text and "London time" in got.text


def test_a_new_schedule_for_a_subscribed_channel_asks_keep_or_replace(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London", topics=("regulation", "quantum"))
    asked = _question(bot, "weekly on Thursdays at 10 London time", user="U0BOB")
    assert [c.label for c in asked.choices] == ["Replace", "Keep"]
    assert "Friday at 16:00" in asked.text and "Thursday at 10:00" in asked.text
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ("regulation", "quantum"))  # untouched

    bot.press(asked.choices[0], user="U0BOB")
    done = bot.pop()
    assert isinstance(done, ChangeReply)
    assert done.announcement == (
        "<@U0BOB> changed this channel's digest: Fri 16:00 Europe/London → Thu 10:00 Europe/London"
    )
    assert _stored(bot) == ("thu", "10:00", "Europe/London", ("regulation", "quantum"))


def test_keep_leaves_the_schedule_and_shows_it(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London")
    asked = _question(bot, "subscribe mon 09:00 UTC")
    bot.press(asked.choices[1])
    kept = bot.pop()
    assert isinstance(kept, NoteReply) and "Friday at 16:00" in kept.text
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ())


def test_the_trends_grammar_is_kept(bot: Backend) -> None:
    _change(bot, "subscribe mon 09:00 Europe/Berlin multimodal, regulation", surface="command")
    assert _stored(bot) == ("mon", "09:00", "Europe/Berlin", ("multimodal", "regulation"))


def test_a_subscribe_changes_only_the_fields_it_names(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London", topics=("quantum",))
    asked = _question(bot, "move our digest to 10am")
    bot.press(asked.choices[0])
    assert isinstance(bot.pop(), ChangeReply)
    assert _stored(bot) == ("fri", "10:00", "Europe/London", ("quantum",))


def test_an_ambiguous_hour_is_asked_back_with_both_readings(bot: Backend) -> None:
    asked = _question(bot, "send the digest every friday at 4")
    assert [c.label for c in asked.choices] == ["Fri 04:00 UTC", "Fri 16:00 UTC"]
    assert _stored(bot) is None
    bot.press(asked.choices[1])
    assert isinstance(bot.pop(), ChangeReply)
    assert _stored(bot) == ("fri", "16:00", "UTC", ())


def test_follow_and_unfollow_add_and_remove_topics_and_are_announced(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London", topics=("multimodal",))
    got = _change(bot, "follow regulation and quantum too")
    assert _stored(bot) == (
        "fri",
        "16:00",
        "Europe/London",
        ("multimodal", "regulation", "quantum"),
    )
    assert got.announcement == (
        "<@U0ALICE> changed this channel's digest topics: multimodal → "
        "multimodal, regulation, quantum"
    )
    _change(bot, "unfollow quantum")
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ("multimodal", "regulation"))
    again = bot.say("unfollow quantum")
    assert isinstance(again, NoteReply) and "does not follow" in again.text


def test_follow_in_an_unsubscribed_channel_offers_to_subscribe(bot: Backend) -> None:
    asked = _question(bot, "follow regulation")
    assert _stored(bot) is None
    bot.press(asked.choices[0])
    assert isinstance(bot.pop(), ChangeReply)
    assert _stored(bot) == ("mon", "09:00", "UTC", ("regulation",))


def test_an_unknown_topic_is_refused_with_a_did_you_mean_and_nothing_changes(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "UTC", topics=("multimodal",))
    got = bot.say("follow regulatoin")
    assert isinstance(got, NoteReply) and got.private
    assert "Did you mean regulation?" in got.text and "Nothing was changed" in got.text
    assert "known topics" not in got.text  # not the whole taxonomy in a chat reply
    assert _stored(bot) == ("fri", "16:00", "UTC", ("multimodal",))


def test_stop_the_weekly_digest_stops_it_in_the_channel_it_is_said_in(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London")
    got = _change(bot, "stop the weekly digest")
    assert _stored(bot) is None and got.after is None
    assert got.announcement.startswith("<@U0ALICE> stopped this channel's digest")
    assert isinstance(bot.say("stop the weekly digest"), NoteReply)


def test_next_digest_and_show_subscription(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London", topics=("quantum",))
    bot.zones["U0ALICE"] = "America/New_York"
    nxt = bot.say("when is our next digest?")
    assert isinstance(nxt, NoteReply)
    # bot.now is Monday 3 Nov 2025 12:00 UTC; London is on GMT then.
    assert "Friday 7 November at 16:00 (Europe/London), in 4 days 4 h" in nxt.text
    assert "Friday 11:00 in your time zone (America/New_York)" in nxt.text
    shown = bot.say("show our subscription")
    assert isinstance(shown, NoteReply) and "Friday at 16:00 (Europe/London), quantum" in shown.text


def test_a_digest_request_outside_a_channel_says_where_digests_go(bot: Backend) -> None:
    for channel, surface in ((None, "console"), ("D0DM", "dm")):
        got = bot.say("send us the digest every friday at 4pm", channel=channel, surface=surface)
        assert isinstance(got, NoteReply) and "Slack channel" in got.text
    assert bot.store.subscriptions() == []


def test_questions_are_answered_with_the_thread_topic_as_context(bot: Backend) -> None:
    first = bot.say("what's new in quantum", thread="T1")
    assert isinstance(first, AnswerReply) and first.answer.topic == "quantum"
    follow_up = bot.say("who says that?", thread="T1")
    assert isinstance(follow_up, AnswerReply) and follow_up.answer.topic == "quantum"


def test_asking_for_the_digest_previews_this_channels_next_one(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "wed", "10:00", "UTC", topics=("quantum",))
    got = bot.say("show me this week's digest")
    assert isinstance(got, PreviewReply)
    assert "Preview of this channel's next digest" in got.note
    assert bot.store.last_delivery("C0TEAM") is None


def test_digest_words_without_a_request_say_how_and_change_nothing(bot: Backend) -> None:
    for text in ("how do I subscribe?", "I'd like to unsubscribe somehow"):
        got = bot.say(text)
        assert isinstance(got, NoteReply) and got.private, text
        assert "send us the digest every friday at 4pm" in got.text
    assert _stored(bot) is None


def test_an_overlong_request_is_refused_briefly(bot: Backend) -> None:
    got = bot.say("subscribe " + "<@U1|" * 8_000)
    assert isinstance(got, NoteReply) and "too long" in got.text and len(got.text) < 300
    assert _stored(bot) is None


def test_a_verdict_is_recorded_for_the_channel_it_was_given_in(bot: Backend) -> None:
    context = Context(surface="button", channel="C0TEAM", user="U0ALICE", now=bot.now)
    got = record_verdict("flag-1", "real", context, bot.ports)
    assert got.kind == "verdict"
    assert [(v.flag_id, v.channel) for v in bot.store.verdicts()] == [("flag-1", "C0TEAM")]
    refused = record_verdict("<!channel>", "real", context, bot.ports)
    assert isinstance(refused, NoteReply) and "<!channel>" not in refused.text


_WORDS = st.sampled_from(
    [
        "send", "us", "the", "digest", "every", "friday", "at", "4pm", "10", "London", "time",
        "follow", "unfollow", "quantum", "regulation", "stop", "weekly", "when", "is", "next",
        "show", "subscription", "subscribe", "mon", "09:00", "Europe/Berlin", "what's", "new",
        "in", "multimodal", "and", "too", "<!channel>", "25:00", "Mars/Base", "?", ",",
    ]
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(_WORDS, max_size=12), noise=st.text(max_size=40))
def test_any_message_gets_a_reply_and_only_a_change_changes_the_store(
    bot: Backend, words: list[str], noise: str
) -> None:
    bot.store.subscribe("C0PROP", "fri", "16:00", "Europe/London", topics=("quantum",))
    before = _stored(bot, "C0PROP")
    got = bot.say(" ".join(words) + " " + noise, channel="C0PROP")
    after = _stored(bot, "C0PROP")
    if not isinstance(got, ChangeReply):
        assert after == before
    else:
        assert got.after == (Plan(*after) if after else None)
        assert got.announcement.startswith("<@U0ALICE> ")
    for text in (getattr(got, "text", ""), getattr(got, "announcement", "")):
        assert "<!channel>" not in text


def test_a_slack_zone_we_do_not_know_falls_back_to_utc_and_says_so(bot: Backend) -> None:
    bot.zones["U0ALICE"] = "Mars/Olympus_Mons"
    got = _change(bot, "send us the digest every friday at 4pm")
    assert _stored(bot) == ("fri", "16:00", "UTC", ())
    assert "UTC" in got.text


# --- buttons under an answer go through the same reply() ----------------------------------


def test_sources_and_more_buttons_answer_about_the_answers_topic(bot: Backend) -> None:
    from bot.models import Intent

    first = bot.say("what's new in quantum", thread="T1")
    assert isinstance(first, AnswerReply) and first.answer.topic == "quantum"
    for asked in (Intent.SOURCES, Intent.TOPIC_BRIEF):
        got = bot.press_under(first, asked, thread="T1")
        assert isinstance(got, AnswerReply), got
        assert (got.answer.intent, got.answer.topic) == (asked, "quantum")


def test_a_next_page_press_stays_on_the_answers_topic(bot: Backend) -> None:
    first = bot.say("what's new in quantum", thread="T2")
    assert isinstance(first, AnswerReply)
    # The thread has moved on to another topic since; the button still belongs to quantum.
    bot.say("what's new in regulation", thread="T2")
    got = bot.press_under(first, None, thread="T2")
    assert isinstance(got, AnswerReply) and got.answer.topic == "quantum"


def test_a_forged_button_topic_is_ignored(bot: Backend) -> None:
    from bot.models import Intent

    bot.push("sources", surface="button", topic="<!channel>", asked=Intent.SOURCES)
    got = bot.pop()
    assert not (isinstance(got, AnswerReply) and got.answer.topic == "<!channel>")


def test_following_a_topic_on_an_every_topic_digest_offers_to_narrow_it(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "fri", "16:00", "Europe/London")
    asked = _question(bot, "follow regulation and quantum too")
    assert "every topic, regulation and quantum included" in asked.text
    assert [c.label for c in asked.choices] == ["Only regulation, quantum", "Keep every topic"]
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ())  # nothing changed yet
    bot.press(asked.choices[1])
    kept = bot.pop()
    assert isinstance(kept, NoteReply) and kept.text.startswith("Kept as it was")
    bot.press(asked.choices[0])
    assert isinstance(bot.pop(), ChangeReply)
    assert _stored(bot) == ("fri", "16:00", "Europe/London", ("regulation", "quantum"))


def test_a_stopped_digest_says_how_to_start_again(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "thu", "10:00", "UTC")
    got = _change(bot, "stop the weekly digest")
    assert "stopped" in got.text and "to start one again" in got.text and "((" not in got.text


def test_a_misspelt_day_is_read_and_confirmed_with_a_button_before_anything_changes(
    bot: Backend,
) -> None:
    asked = _question(bot, "digest every fryday at 9am")
    assert "“fryday” as Friday" in asked.text
    assert bot.store.subscriptions() == []
    bot.press(asked.choices[0])
    assert isinstance(bot.pop(), ChangeReply)
    assert _stored(bot) == ("fri", "09:00", "UTC", ())
    again = _question(bot, "move the digest to wensday")
    assert "Wednesday" in again.text and [c.label for c in again.choices][-1] == "Keep"


def test_stop_alone_asks_before_stopping_the_digest(bot: Backend) -> None:
    bot.store.subscribe("C0TEAM", "mon", "10:00", "UTC")
    asked = _question(bot, "stop")
    assert [c.label for c in asked.choices] == ["Stop the digest", "Keep"]
    assert _stored(bot) is not None
    bot.press(asked.choices[0])
    assert isinstance(bot.pop(), ChangeReply) and _stored(bot) is None
