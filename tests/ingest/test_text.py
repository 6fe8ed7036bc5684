"""Text repair (mojibake, odd whitespace) and sentence splitting."""

from __future__ import annotations

from bot.ingest.text import repair_line, repair_text, slugify, split_sentences, tokens


def test_mojibake_dash_is_repaired() -> None:
    assert repair_line("emergent abilities â€“ capabilities") == "emergent abilities – capabilities"


def test_mojibake_quotes_are_repaired_and_curly_quotes_kept() -> None:
    assert repair_line("Metaâ€™s SAIGE-3") == "Meta’s SAIGE-3"
    assert repair_line("“AI Copilot Engineers”") == "“AI Copilot Engineers”"


def test_odd_whitespace_is_normalized_and_line_count_kept() -> None:
    lines = repair_text("a\u00a0b  \r\nzero\u200bwidth\r\n\tc\u2028d")
    assert lines == ["a b", "zerowidth", " c d"]


def test_sentences_do_not_break_on_abbreviations_or_decimals() -> None:
    text = (
        "Models (e.g. Gemini Pro 2.0) lead. The U.S. Labor Department counts 12M roles. "
        "AutoGPT 3.x grows, i.e. fast. Costs fell to $1.3B. Next one!"
    )
    assert split_sentences(text) == [
        "Models (e.g. Gemini Pro 2.0) lead.",
        "The U.S. Labor Department counts 12M roles.",
        "AutoGPT 3.x grows, i.e. fast.",
        "Costs fell to $1.3B.",
        "Next one!",
    ]


def test_each_line_is_split_on_its_own() -> None:
    assert split_sentences("Lead-in:\nItem one.\nItem two") == ["Lead-in:", "Item one.", "Item two"]


def test_tokens_fold_plurals_and_hyphens() -> None:
    assert tokens("Multi-Modal LLMs’ biases") == ["multi", "modal", "llm", "bias"]
    assert tokens("bias") == tokens("biases")


def test_slug() -> None:
    assert slugify("The EU’s AI Act & Global Compliance") == "the-eus-ai-act-global-compliance"
    assert len(slugify("word " * 40)) <= 60
