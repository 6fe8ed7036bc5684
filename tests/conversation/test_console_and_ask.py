"""The console and `briefbot ask` say each line to the same conversation as Slack."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli.serve import run_console
from tests.conversation.backend import Backend

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_answers_follows_the_topic_and_says_where_digests_go(bot: Backend) -> None:
    lines = io.StringIO(
        "what's new in quantum\nwho says that?\nsend us the digest every friday at 4pm\n"
    )
    out = io.StringIO()
    assert run_console(bot.index, lines, out) == 3
    text = out.getvalue()
    assert text.count("Report mid") >= 2  # the follow-up stayed on quantum
    assert "Digests go to a Slack channel" in text and "briefbot subscribe" in text


def test_the_console_previews_a_digest(bot: Backend) -> None:
    out = io.StringIO()
    run_console(bot.index, io.StringIO("show me this week's digest\n"), out)
    assert "Preview of a digest" in out.getvalue()


def test_ask_json_gives_an_answer_shape_or_a_reply_kind(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BRIEFBOT_DATA_DIR": str(tmp_path),
        "BRIEFBOT_CONTENT_DIR": str(ROOT / "content"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input="what's new in multimodal\nstop the weekly digest\n",
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["intent"] == "whats_new"
    assert second["kind"] == "note" and "Slack channel" in second["text"]


def _console(bot: Backend, text: str) -> str:
    from bot.conversation import NoteReply

    got = bot.say(text, channel=None, surface="console")
    assert isinstance(got, NoteReply), got
    return got.text


def test_the_console_names_the_command_that_does_what_was_asked(bot: Backend) -> None:
    sub = "`briefbot subscribe CHANNEL_ID"
    cases = {
        "stop the weekly digest": "`briefbot unsubscribe CHANNEL_ID`",
        "when is our next digest?": "`briefbot subscriptions`",
        "show our subscription": "`briefbot subscriptions`",
        "follow regulation and quantum too": f"{sub} --topics regulation,quantum`",
        "send us the digest every friday at 4pm": f"{sub} --day fri --time 16:00`",
        "weekly on Thursdays at 10 London time": f"{sub} --day thu --time 10:00 --tz Europe/London",
        "subscribe wed 08:30 UTC multimodal": f"{sub} --day wed --time 08:30 --tz UTC --topics mu",
    }  # fmt: skip
    for said, command in cases.items():
        text = _console(bot, said)
        assert command in text and f"“@briefbot {said}”" in text, (said, text)
        if "subscribe CHANNEL_ID" not in command:
            assert "--day" not in text
    unfollow = _console(bot, "unfollow quantum")
    assert "briefbot subscriptions" in unfollow and "without quantum" in unfollow
    assert "--day" not in _console(bot, "follow regulation")
    assert bot.store.subscriptions() == []


def test_the_console_gives_both_readings_of_an_ambiguous_hour(bot: Backend) -> None:
    text = _console(bot, "digest every monday at 4")
    assert "--day mon --time 04:00" in text and "--day mon --time 16:00" in text


def test_the_console_refuses_an_unknown_topic_instead_of_printing_a_command(bot: Backend) -> None:
    text = _console(bot, "follow astrology")
    assert "astrology" in text and "briefbot subscribe" not in text


def test_a_digest_request_in_a_dm_says_where_to_say_it_not_which_command(bot: Backend) -> None:
    from bot.conversation import NoteReply

    got = bot.say("stop the weekly digest", channel="D0DM", surface="dm")
    assert isinstance(got, NoteReply) and "“@briefbot stop the weekly digest”" in got.text
    assert "briefbot unsubscribe" not in got.text


def test_the_console_says_how_to_go_back_to_every_topic(bot: Backend) -> None:
    assert '--day fri --topics ""`' in _console(bot, "digest every friday on all topics")
