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
    assert text.index("*Quantum computing*") < text.index("*Regulation*")
    quantum = text[text.index("*Quantum computing*") : text.index("*Regulation*")]
    assert quantum.index("Hybrid models") < quantum.index("hardware remains scarce")
    assert (
        "*§ Quantum-Enhanced LLMs* — _Transformative Advances in LLMs_ (2025)\n"
        "• Hybrid models cut training cost by up to 40%."
    ) in quantum


def test_digest_points_from_one_section_share_one_source_line() -> None:
    item = DigestItem(
        topic="q",
        topic_name="Q",
        points=(point("First."), point("Second."), point("Old.", OLD)),
    )
    blocks = render_digest_messages(digest(items=(item,), conflicts=()))[1]
    assert section_points(blocks) == [
        ("First.", "*§ Quantum-Enhanced LLMs* — _Transformative Advances in LLMs_ (2025)"),
        ("Second.", "*§ Quantum-Enhanced LLMs* — _Transformative Advances in LLMs_ (2025)"),
        ("Old.", "*§ Quantum Computing Integration* — _Advancements and Challenges_ (2023)"),
    ]
    assert mrkdwn_of(blocks).count("_Transformative Advances in LLMs_") == 1
    text = render_digest_text(digest(items=(item,), conflicts=()), escape=False)
    assert text.endswith(
        "Q\n"
        "§ Quantum-Enhanced LLMs — Transformative Advances in LLMs (2025)\n"
        "  • First.\n"
        "  • Second.\n"
        "§ Quantum Computing Integration — Advancements and Challenges (2023)\n"
        "  • Old."
    )


def test_consensus_and_single_source_markers() -> None:
    text = _thread(digest())
    assert "*Quantum computing*   ✅ consensus" in text
    assert "*Regulation*   ☝️ single source" in text


def test_a_new_disagreement_gets_its_own_reply_with_both_quotes_and_verdict_buttons() -> None:
    d = digest()
    d = d.model_copy(update={"new_conflicts": d.conflicts})
    messages = render_digest_messages(d)
    assert "*New disagreements*" in mrkdwn_of(messages[0])
    reply = messages[-1]
    text = mrkdwn_of(reply)
    assert "_Transformative Advances in LLMs_, § Quantum-Enhanced LLMs: “positioning" in text
    assert "_Advancements and Challenges_, § Quantum Computing Integration: “Research" in text
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
    assert "*✅ Where the reports agree*" in _thread(digest(consensus=(consensus_flag(),)))


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
        assert f"— _{report}" in source


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
    assert "⚠ Sources disagree" in text
    raw = render_digest_text(digest(items=(item,)), escape=False)
    assert "<!here> look" in raw


def test_empty_digest_text_mentions_open_conflicts() -> None:
    text = render_digest_text(digest(items=()))
    assert "Nothing new" in text and "⚠ Still open" in text
