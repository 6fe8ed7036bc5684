"""Bad content stops ingest with file, line and reason, exit code 2, and keeps the old corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from .conftest import MINI_TOPICS, REPORT_A, REPORT_B

GOOD = {"a.md": REPORT_A, "b.md": REPORT_B}

CASES: list[tuple[str, dict[str, str | bytes], str, str]] = [
    ("empty file", {**GOOD, "c.md": ""}, "c.md", "file is empty"),
    ("whitespace only", {**GOOD, "c.md": "  \n\n"}, "c.md:1", "file is empty"),
    ("binary", {**GOOD, "c.md": b"# T\n\n## S\nabc\x00\x01def"}, "c.md:4", "binary file"),
    ("not utf-8", {**GOOD, "c.md": b"# T\n\n## S\ncaf\xe9 \xff\n"}, "c.md:4", "not UTF-8"),
    ("no headings", {**GOOD, "c.md": "\n\nJust text, no headings.\n"}, "c.md:3", "no headings"),
    (
        "unknown front matter key",
        {**GOOD, "c.md": "---\ntitle: X\nauthor: Me\n---\n# T\n\n## S\nText.\n"},
        "c.md:3",
        "unknown front matter key 'author'",
    ),
    (
        "bad date",
        {**GOOD, "c.md": "---\npublished: 2025-13-45\n---\n# T\n\n## S\nText.\n"},
        "c.md:2",
        "not a date",
    ),
    (
        "invalid yaml",
        {**GOOD, "c.md": "---\ntitle: [unclosed\n---\n# T\n\n## S\nText.\n"},
        "c.md:",
        "invalid front matter",
    ),
    (
        "unclosed front matter",
        {**GOOD, "c.md": "---\ntitle: X\n# T\n\n## S\nText.\n"},
        "c.md:1",
        "front matter is not closed",
    ),
    (
        "duplicate source id",
        {**GOOD, "x/a.md": REPORT_A + "\nmore\n"},
        "a.md",
        "duplicate source id",
    ),
]


def _assert_error(result: Result, where: str, reason: str) -> None:
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert where in message
    assert reason in message
    assert "(" in message and ")" in message  # the fix is part of the message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("reports", "where", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_report_exits_2_naming_file_and_line_and_keeps_previous_corpus(
    make_content: Callable[..., Path],
    run_cli: Callable[..., Result],
    data_dir: Path,
    reports: dict[str, str | bytes],
    where: str,
    reason: str,
) -> None:
    content = make_content(GOOD)
    assert run_cli("ingest", "--content", str(content)).exit_code == 0
    before = (data_dir / "corpus.json").read_bytes()

    content = make_content(reports)
    _assert_error(run_cli("ingest", "--content", str(content)), where, reason)
    assert (data_dir / "corpus.json").read_bytes() == before
    assert not [p for p in data_dir.iterdir() if p.name != "corpus.json"]  # no temp files left


TAXONOMY_CASES = [
    (
        "unknown related topic",
        MINI_TOPICS.replace('related = ["hardware"]', 'related = ["hardwear"]'),
        "topics.toml:6",
        "unknown topic 'hardwear'",
    ),
    (
        "pin to unknown section",
        MINI_TOPICS + 'pins = ["a#no-such-section"]\n',
        "topics.toml:",
        "pins unknown section 'a#no-such-section'",
    ),
    ("invalid toml", MINI_TOPICS + "[[topic]\n", "topics.toml:", "invalid TOML"),
    (
        "duplicate topic id",
        MINI_TOPICS + '\n[[topic]]\nid = "quantum"\nname = "Again"\n',
        "topics.toml:",
        "duplicate topic id 'quantum'",
    ),
    ("unknown key", MINI_TOPICS + 'colour = "red"\n', "topics.toml:", "unknown topic key 'colour'"),
]


@pytest.mark.parametrize(
    ("topics", "where", "reason"),
    [c[1:] for c in TAXONOMY_CASES],
    ids=[c[0] for c in TAXONOMY_CASES],
)
def test_bad_taxonomy_exits_2_naming_the_line(
    make_content: Callable[..., Path],
    run_cli: Callable[..., Result],
    data_dir: Path,
    topics: str,
    where: str,
    reason: str,
) -> None:
    assert run_cli("ingest", "--content", str(make_content(GOOD))).exit_code == 0
    before = (data_dir / "corpus.json").read_bytes()
    result = run_cli("ingest", "--content", str(make_content(GOOD, topics)))
    _assert_error(result, where, reason)
    assert (data_dir / "corpus.json").read_bytes() == before


def test_pin_error_line_points_at_the_pin(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    topics = MINI_TOPICS + 'pins = ["a#no-such-section"]\n'
    line = topics.splitlines().index('pins = ["a#no-such-section"]') + 1
    result = run_cli("ingest", "--content", str(make_content(GOOD, topics)))
    assert f"topics.toml:{line}:" in result.stderr


def test_missing_content_dir_exits_2(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    result = run_cli("ingest", "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "content directory not found" in result.stderr


@pytest.mark.parametrize("command", ["topics", "sources"])
def test_listing_commands_also_exit_2_on_bad_content(
    make_content: Callable[..., Path], run_cli: Callable[..., Result], command: str
) -> None:
    content = make_content({**GOOD, "c.md": ""})
    result = run_cli(command, "--content", str(content))
    assert result.exit_code == 2
    assert "c.md" in result.stderr
