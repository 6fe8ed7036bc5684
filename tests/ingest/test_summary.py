"""A section's summary: the lead plus the most concrete sentences, prose before list items."""

from __future__ import annotations

from bot.ingest.summary import summarize

TEXT = "\n".join(
    [
        "The Orion Act (effective 2026) sets transparency duties for large models. Key duties:",
        "**Dataset registers** listing sources for IP review (EU, UK).",
        "**Public audits** by accredited labs such as TÜV and DEKRA.",
        "Breaches cost up to 4% of global revenue, and 12 regulators have signed on.",
    ]
)
ITEMS = [
    "**Dataset registers** listing sources for IP review (EU, UK).",
    "**Public audits** by accredited labs such as TÜV and DEKRA.",
]


def test_a_concrete_sentence_of_the_prose_goes_before_a_list_item() -> None:
    summary = summarize(TEXT, items=ITEMS)
    assert summary.startswith("The Orion Act")
    assert "Breaches cost up to 4%" in summary
    # Without the item marks the items' names and acronyms would win.
    assert "Dataset registers" in summarize(TEXT) or "Public audits" in summarize(TEXT)


def test_items_are_taken_when_the_prose_has_nothing_concrete() -> None:
    text = "\n".join([*TEXT.split("\n")[:3]])
    summary = summarize(text, items=ITEMS)
    assert "Dataset registers" in summary or "Public audits" in summary
