"""Digest -> channel message plus thread continuations, and its plain text."""

from __future__ import annotations

from datetime import date

from render_builders import (
    NEW,
    OLD,
    assert_valid_message,
    consensus_flag,
    digest,
    mrkdwn_of,
    point,
    section_points,
)

from bot.models import Digest, DigestItem
from bot.render import render_digest_messages, render_digest_text
from bot.render.limits import block_text_length


def _thread(d: Digest) -> str:
    return "\n".join(mrkdwn_of(m) for m in render_digest_messages(d)[1:])


def test_header_gives_the_period_and_points_to_the_thread() -> None:
    first = render_digest_messages(digest())[0]
    assert first[0]["type"] == "header"
    assert first[0]["text"]["text"] == "AI trends digest · 3 Mar 2025 – 10 Mar 2025"
    assert "in the thread" in mrkdwn_of(first)


def test_items_are_grouped_by_topic_newest_first_with_sources_in_the_thread() -> None:
    text = _thread(digest())
    # Quantum has a 2025 point, regulation only 2023: quantum comes first.
    assert text.index("*Quantum computing") < text.index("*Regulation")
    quantum = text[text.index("*Quantum computing") : text.index("*Regulation")]
    assert quantum.index("Hybrid models") < quantum.index("hardware remains scarce")
    # The answers' evidence lines: each point with its short source (title, date, heading).
    assert (
        "• Hybrid models cut training cost by up to 40%. "
        "(Transformative Advances in LLMs, 1 Jan 2025, § Quantum-Enhanced LLMs)"
    ) in quantum


def test_digest_points_from_one_section_share_one_source_line() -> None:
    item = DigestItem(
        topic="q",
        topic_name="Q",
        points=(point("First."), point("Second."), point("Old.", OLD)),
    )
    blocks = render_digest_messages(digest(items=(item,), conflicts=()))[1]
    new = "Transformative Advances in LLMs, 1 Jan 2025, § Quantum-Enhanced LLMs"
    old = "Advancements and Challenges, 1 Jun 2023, § Quantum Computing Integration"
    assert section_points(blocks) == [("First.", new), ("Second.", new), ("Old.", old)]
    assert mrkdwn_of(blocks).count("Transformative Advances in LLMs") == 1
    text = render_digest_text(digest(items=(item,), conflicts=()), escape=False)
    assert text.endswith(f"Q\n• First.\n• Second. ({new})\n• Old. ({old})")


def test_consensus_and_single_source_markers() -> None:
    text = _thread(digest())
    assert "*Quantum computing · ✅ agreement*" in text
    assert "*Regulation · ☝️ one report only*" in text


def test_a_new_disagreement_gets_its_own_reply_with_both_quotes_and_verdict_buttons() -> None:
    d = digest()
    d = d.model_copy(update={"new_conflicts": d.conflicts})
    messages = render_digest_messages(d)
    top = mrkdwn_of(messages[0])
    assert "*New disagreements*" in top
    # One plain line that leads with the point; the quotes are behind the button.
    assert "⚠ *Different assessments:* The Transformative Advances report calls" in top
    assert "positioning" not in top
    (quote_button,) = [b["accessory"] for b in messages[0] if "accessory" in b]
    assert quote_button["text"]["text"] == "Show both quotes"
    reply = messages[-1]
    text = mrkdwn_of(reply)
    assert "> _000_new_, § Quantum-Enhanced LLMs:\n> “positioning" in text
    assert "> _001_old_, § Quantum Computing Integration:\n> “Research" in text
    (buttons,) = [b for b in reply if b["type"] == "actions"]
    assert [e["text"]["text"] for e in buttons["elements"]] == [
        "Real disagreement",
        "Not a disagreement",
        "Needs a curator",
    ]
    for message in messages:
        assert_valid_message(message)


def test_older_disagreements_are_one_line_in_the_top_level() -> None:
    d = digest().model_copy(update={"older_conflicts": 4})
    top = mrkdwn_of(render_digest_messages(d)[0])
    assert "4 older disagreements are still open: see briefbot's Home tab" in top
    assert "positioning" not in top


def test_consensus_flags_get_their_own_section() -> None:
    thread = _thread(digest(consensus=(consensus_flag(),)))
    assert "*Where the reports agree*\n• Three reports agree that quantum hardware" in thread


def test_nothing_new_is_a_two_line_note() -> None:
    messages = render_digest_messages(digest(items=(), report_count=0))
    assert len(messages) == 1
    text = mrkdwn_of(messages[0])
    assert "nothing new in the reports since 3 Mar 2025." in text
    assert "1 disagreement is still open" in text
    assert len(text.strip().splitlines()) == 2
    assert_valid_message(messages[0])


def test_nothing_new_and_no_conflicts_is_still_a_message() -> None:
    messages = render_digest_messages(digest(items=(), conflicts=(), report_count=0))
    assert "No open disagreements between the reports." in mrkdwn_of(messages[0])
    assert_valid_message(messages[0])


def test_a_long_digest_continues_in_the_thread_and_keeps_the_top_level_short() -> None:
    items = tuple(
        DigestItem(
            topic=f"t{i}",
            topic_name=f"Topic {i}",
            points=tuple(
                point(f"Point {i}.{j} " + "text " * 100, NEW if j % 2 else OLD) for j in range(8)
            ),
        )
        for i in range(120)
    )
    messages = render_digest_messages(digest(items=items))
    assert len(messages) > 2
    top = messages[0]
    assert len(top) <= 25 and sum(block_text_length(b) for b in top) <= 3000
    for index, message in enumerate(messages[1:], start=1):
        assert_valid_message(message)
        assert message[0]["elements"][0]["text"].endswith(f"({index}/{len(messages) - 1})")
    everything = "\n".join(mrkdwn_of(m) for m in messages)
    for i in range(120):
        assert everything.count(f"*Topic {i}*") == 1
    found = [pair for message in messages for pair in section_points(message)]
    assert len(found) == 120 * 8
    for text, source in found:
        report = "Transformative" if int(text.split()[1].split(".")[1]) % 2 else "Advancements"
        assert source.startswith(report)


def test_undated_points_sort_last() -> None:
    undated = NEW.model_copy(update={"published": None})
    item = DigestItem(
        topic="q",
        topic_name="Q",
        points=(
            point("undated fact", undated),
            point("dated fact", NEW.model_copy(update={"published": date(2024, 1, 1)})),
        ),
    )
    text = _thread(digest(items=(item,)))
    assert text.index("dated fact") < text.index("undated fact")


def test_digest_text_has_everything_and_is_escaped() -> None:
    item = DigestItem(topic="q", topic_name="Q & A", points=(point("<!here> look", OLD),))
    text = render_digest_text(digest(items=(item,)))
    assert text.startswith("AI trends digest · 3 Mar 2025 – 10 Mar 2025 · 2 reports")
    assert "Q &amp; A" in text and "&lt;!here&gt; look" in text and "<" not in text
    assert "── in the thread ──" in text
    raw = render_digest_text(digest(items=(item,)), escape=False)
    assert "<!here> look" in raw


def test_empty_digest_text_mentions_open_conflicts() -> None:
    text = render_digest_text(digest(items=()))
    assert "Nothing new in the reports since 3 Mar 2025." in text
    assert "1 disagreement is still open" in text


def test_the_terminal_preview_shows_what_slack_shows_from_the_one_layout() -> None:
    d = digest()
    d = d.model_copy(update={"new_conflicts": d.conflicts})
    text = render_digest_text(d, escape=False)
    slack = "\n".join(mrkdwn_of(m) for m in render_digest_messages(d))
    for line in (
        "⚠ Different assessments: The Transformative Advances report calls",
        "• Hybrid models cut training cost by up to 40%.",
        "What changed since your last digest",
    ):
        assert line in text
        assert line.replace("⚠ Different assessments:", "⚠ *Different assessments:*") in slack
    # The quotes come with the disagreement's own reply, after the line.
    assert text.index("“positioning") > text.index("⚠ Different assessments")


def test_a_period_that_starts_at_a_year_only_report_date_is_written_by_its_year() -> None:
    from datetime import UTC, datetime

    from bot.render.layout import period_label

    d = Digest(
        period_start=datetime(2025, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 12, 2, tzinfo=UTC),
        report_count=3,
        period_start_precision="year",
    )
    assert period_label(d) == "2025 – 2 Dec 2026"
    assert period_label(d.model_copy(update={"period_start_precision": "day"})) == (
        "1 Jan 2025 – 2 Dec 2026"
    )
