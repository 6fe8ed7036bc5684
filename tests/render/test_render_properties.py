"""Property tests: no Answer, Digest or Home input crashes a renderer or breaks Slack's rules."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_builders import (
    assert_valid_home,
    assert_valid_message,
    grouped,
    mrkdwn_of,
    texts,
)
from rich.console import Console

from bot.models import (
    Answer,
    Citation,
    Digest,
    DigestItem,
    Disagreement,
    Evidence,
    Flag,
    FlagSide,
    Intent,
    Lead,
    Note,
    Point,
    SingleSource,
)
from bot.render import (
    HomeSubscriptionRow,
    HomeTopicRow,
    answer_to_json,
    print_answer,
    render_blocks,
    render_digest_messages,
    render_digest_text,
    render_home,
    render_pages,
    render_text,
)

HOSTILE = [
    "<!channel>",
    "<!here|here>",
    "<!everyone>",
    "@channel",
    "@here",
    "<@U123ABC>",
    "<#C123|general>",
    "<https://evil.example|click me>",
    "&lt;!channel&gt;",
    "R&D",
    "a > b < c",
    "[bold red]markup[/bold red]",
    ":smile:",
    "*bold* _it_ ~strike~ `code`",
    "👩‍👩‍👧‍👦🇩🇪😀",
    "\n\n\n",
    "   ",
    "",
    "\t\r\x0b",
]

pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))
small_text = st.lists(pieces, max_size=6).map(" ".join)
huge_text = st.builds(
    lambda s, n: (s + " ") * n,
    st.sampled_from(["word", "<!channel>", "R&D", "😀", "x" * 50]),
    st.integers(500, 4000),
)
any_text = st.one_of(small_text, small_text, small_text, huge_text)
dates = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))

citations = st.builds(
    Citation, source_id=small_text, heading=any_text, published=dates, title=small_text
)
points = st.builds(
    Point, text=any_text, citation=citations, age_note=st.one_of(st.none(), small_text)
)
sides = st.builds(FlagSide, source_id=small_text, heading=small_text, claim=any_text)
flags = st.builds(
    Flag,
    flag_id=small_text,
    topic=small_text,
    kind=st.sampled_from(["stance", "numeric", "timeline", "consensus", "single_source"]),
    summary=any_text,
    sides=st.lists(sides, max_size=4).map(tuple),
    status=st.sampled_from(["detected", "confirmed", "curated"]),
)
evidence = st.builds(Evidence, label=small_text, points=st.lists(points, max_size=8).map(tuple))
disagreements = st.builds(Disagreement, flag=flags, line=any_text)
leads = st.builds(Lead, text=any_text)
notes = st.builds(Note, text=any_text)
singles = st.builds(SingleSource, items=st.lists(points, max_size=4).map(tuple))
parts = st.lists(st.one_of(leads, evidence, disagreements, notes, singles), max_size=7).map(tuple)
answers = st.builds(
    Answer,
    intent=st.sampled_from(list(Intent)),
    topic=st.one_of(st.none(), small_text),
    topic_name=st.one_of(st.none(), small_text),
    confidence=st.floats(0.0, 1.0),
    question=any_text,
    headline=any_text,
    parts=parts,
    conflicts=st.lists(flags, max_size=4).map(tuple),
    suggestions=st.lists(small_text, max_size=5).map(tuple),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
digest_items = st.builds(
    DigestItem,
    topic=small_text,
    topic_name=small_text,
    points=st.lists(points, max_size=6).map(tuple),
    markers=st.lists(st.sampled_from(["consensus", "single_source"]), max_size=2).map(tuple),
)
digests = st.builds(
    lambda start, days, count, items, conflicts, consensus, single: Digest(
        period_start=start,
        period_end=start + timedelta(days=days),
        report_count=count,
        items=items,
        conflicts=conflicts,
        consensus=consensus,
        single_source=single,
    ),
    moments,
    st.integers(0, 60),
    st.integers(0, 50),
    st.lists(digest_items, max_size=12).map(tuple),
    st.lists(flags, max_size=4).map(tuple),
    st.lists(flags, max_size=2).map(tuple),
    st.lists(flags, max_size=2).map(tuple),
)

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_no_ping(blocks: list[dict[str, Any]]) -> None:
    """Answers and digests have no markup of their own with ``<``: any ``<`` came from input."""
    for kind, text in texts(blocks):
        if kind == "mrkdwn":
            assert "<" not in text and ">" not in text, text[:200]
            for word in ("@channel", "@here", "@everyone"):
                assert word not in text.lower()
        else:
            assert "<!" not in text and "<@" not in text


@PROPERTY
@given(answers)
def test_any_answer_renders_to_valid_pages(answer: Answer) -> None:
    pages = render_pages(answer)
    assert pages and render_blocks(answer) == pages[0]
    for page in pages:
        assert_valid_message(page)
        assert_no_ping(page)


@PROPERTY
@given(answers)
def test_any_answer_renders_to_text_terminal_and_json(answer: Answer) -> None:
    text = render_text(answer)
    assert "<" not in text and ">" not in text
    data = answer_to_json(answer)
    assert json.loads(json.dumps(data)) == data
    assert 0.0 <= data["confidence"] <= 1.0
    print_answer(answer, Console(file=io.StringIO(), width=100))


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäé😀", min_size=1, max_size=30)


@PROPERTY
@given(st.lists(st.lists(words, min_size=1, max_size=700), min_size=1, max_size=6), st.data())
def test_no_word_is_cut_mid_word(texts_as_words: list[list[str]], data: st.DataObject) -> None:
    # Tag each word so that each is unique; a cut word would then be missing whole.
    tagged = [[f"{w}{i}q{j}" for j, w in enumerate(ws)] for i, ws in enumerate(texts_as_words)]
    pts = tuple(Point(text=" ".join(ws), citation=data.draw(citations)) for ws in tagged)
    pages = render_pages(
        Answer(
            intent=Intent.TOPIC_BRIEF,
            headline="h",
            parts=grouped(
                ("", pts),
            ),
        )
    )
    tokens = "\n".join(mrkdwn_of(p) for p in pages).split()
    whole = {w for ws in tagged for w in ws}
    for token in tokens:
        core = token.rstrip("…")
        # A shortened point ends after a whole word, with an ellipsis; no word is half shown.
        if token.endswith("…") and core:
            assert core in whole, token
    # Every point shows at least its first word.
    for ws in tagged:
        assert ws[0] in tokens or f"{ws[0]}…" in tokens


@PROPERTY
@given(digests)
def test_any_digest_renders_to_valid_messages(digest: Digest) -> None:
    messages = render_digest_messages(digest)
    assert messages
    for message in messages:
        assert_valid_message(message)
        assert_no_ping(message)
    text = render_digest_text(digest)
    assert text.strip() and "<" not in text


topic_rows = st.builds(
    HomeTopicRow,
    topic_id=small_text,
    name=any_text,
    reports=st.integers(0, 99),
    conflicts=st.integers(0, 99),
)
subscription_rows = st.builds(
    HomeSubscriptionRow,
    channel=st.one_of(st.from_regex(r"C[A-Z0-9]{8}", fullmatch=True), small_text),
    day=small_text,
    time=small_text,
    tz=small_text,
    topics=st.lists(small_text, max_size=5).map(tuple),
)


@PROPERTY
@given(
    st.lists(topic_rows, max_size=60),
    st.lists(subscription_rows, max_size=30),
    st.one_of(st.none(), digests),
)
def test_any_home_is_a_valid_view(
    topics: list[HomeTopicRow], subscriptions: list[HomeSubscriptionRow], digest: Digest | None
) -> None:
    view = render_home(topics, subscriptions, digest)
    assert_valid_home(view)
    for kind, text in texts(view["blocks"]):
        assert "<!" not in text and "<@" not in text
        if kind == "mrkdwn":
            # Only our own channel links use "<": <#C…>.
            assert text.replace("<#", "").count("<") == 0
