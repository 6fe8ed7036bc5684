"""Escaping for mrkdwn, shortening and splitting at word boundaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render import escape_mrkdwn
from bot.render.mrkdwn import shorten, split_text


def test_escape_turns_slack_control_characters_into_entities() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"


def test_escaped_broadcast_cannot_ping() -> None:
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil|click>"):
        escaped = escape_mrkdwn(ping)
        assert "<" not in escaped and ">" not in escaped


def test_ampersand_is_escaped_first_so_entities_are_not_doubled_wrongly() -> None:
    # A user typing "&lt;!channel&gt;" must not turn into a real "<!channel>".
    assert escape_mrkdwn("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"


def test_bare_broadcast_words_are_defused_but_stay_readable() -> None:
    escaped = escape_mrkdwn("hey @channel and @Here")
    assert "@channel" not in escaped and "@Here" not in escaped
    assert escaped.replace("\u2060", "") == "hey @channel and @Here"


def test_shorten_cuts_at_a_word_boundary() -> None:
    text = "quantum enhanced models are a cornerstone of next generation AI"
    short = shorten(text, 30)
    assert len(short) <= 30 and short.endswith("…")
    assert text.startswith(short[:-1])
    assert text[len(short) - 1] == " "


def test_shorten_leaves_short_text_alone() -> None:
    assert shorten("short", 10) == "short"


def test_split_prefers_line_boundaries() -> None:
    lines = [f"line {i} " + "word " * 10 for i in range(100)]
    chunks = split_text("\n".join(lines), 300)
    assert all(len(c) <= 300 for c in chunks)
    assert [line.strip() for c in chunks for line in c.split("\n")] == [
        line.strip() for line in lines
    ]


def test_split_never_cuts_inside_an_entity() -> None:
    text = "x" * 2996 + "&amp;" + "y" * 10
    chunks = split_text(text, 3000)
    assert "".join(chunks) == text
    assert all(c.count("&") == c.count("&amp;") for c in chunks)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé😀", min_size=1, max_size=40)


@given(st.lists(st.lists(words, min_size=1, max_size=80), min_size=1, max_size=30))
def test_split_keeps_every_word_whole(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(line) for line in lines)
    chunks = split_text(text, 200)
    assert all(0 < len(c) <= 200 for c in chunks)
    assert [w for c in chunks for w in c.split()] == text.split()


@given(st.text(max_size=500), st.integers(min_value=1, max_value=200))
def test_shorten_fits_any_width(text: str, width: int) -> None:
    assert len(shorten(text, width)) <= width
