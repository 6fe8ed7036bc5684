"""`briefbot topics` and `briefbot sources` list what the corpus holds (table or JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result


def test_sources_json_lists_reports_with_dates_and_inferences(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    result = run_cli("sources", "--json", "--content", str(make_content()))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["source_id"], r["published"], r["sections"]) for r in rows] == [
        ("a", "2025-01-01", 2),
        ("b", "2024-01-01", 1),
    ]
    assert rows[0]["title"] == "Quantum and Chips (2025)"
    assert any("as of 2024" in note.lower() for note in rows[1]["inferred"])


def test_topics_json_counts_sections_reports_and_single_source(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    result = run_cli("topics", "--json", "--content", str(make_content()))
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"quantum", "hardware", "regulation"}
    assert rows["regulation"]["reports"] == 1
    assert rows["regulation"]["single_source"] is True
    assert rows["quantum"]["name"] == "Quantum computing"
    assert {"id", "name", "sections", "reports", "single_source", "conflicts"} <= set(
        rows["quantum"]
    )


def test_ingest_prints_mapping_table_inferences_and_warnings(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    content = make_content(
        {
            "a.md": "# Report: Chips (2025)\n\n## Hardware Advances\nGPUs and memory.\n\n"
            "## Gardening Tips\nTomatoes like sun.\n",
        }
    )
    result = run_cli("ingest", "--content", str(content))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "a#hardware-advances" in out and "hardware" in out
    assert "unmapped" in out
    assert "published 2025 inferred from the title year" in out
    assert "warning" in out and "a#gardening-tips" in out


def test_seed_topics_table_runs(run_cli: Callable[..., Result], seed_copy: Path) -> None:
    result = run_cli("topics", "--content", str(seed_copy))
    assert result.exit_code == 0, result.output
    assert "multimodal" in result.stdout


def test_content_dir_comes_from_settings(
    make_content: Callable[..., Path],
    run_cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFBOT_CONTENT_DIR", str(make_content()))
    result = run_cli("sources", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2
