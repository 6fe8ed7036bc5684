"""`briefbot conflicts` and `briefbot topics --json` over the seed content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

from .conftest import SEED_CONTENT


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_conflicts_json_lists_flags_with_sides(runner: CliRunner) -> None:
    res = runner.invoke(app, ["conflicts", "--json", "--content", str(SEED_CONTENT)])
    assert res.exit_code == 0, res.output
    flags = json.loads(res.stdout)
    assert flags
    for f in flags:
        assert set(f) == {"flag_id", "topic", "kind", "status", "summary", "sides"}
        for side in f["sides"]:
            assert set(side) == {"source_id", "heading", "claim"}


def test_conflicts_topic_filter_accepts_id_or_name(runner: CliRunner) -> None:
    args = ["conflicts", "--json", "--content", str(SEED_CONTENT), "--kind", "conflict"]
    by_id = json.loads(runner.invoke(app, [*args, "--topic", "quantum"]).stdout)
    by_name = json.loads(runner.invoke(app, [*args, "--topic", "Quantum-enhanced LLMs"]).stdout)
    assert by_id == by_name
    assert [f["kind"] for f in by_id] == ["stance"]


def test_conflicts_text_output_shows_summary_and_ids(runner: CliRunner) -> None:
    res = runner.invoke(app, ["conflicts", "--content", str(SEED_CONTENT), "--topic", "edge"])
    assert res.exit_code == 0
    assert "⚠" in res.stdout and "now embedded" in res.stdout


def test_unknown_topic_is_a_user_error(runner: CliRunner) -> None:
    res = runner.invoke(app, ["conflicts", "--content", str(SEED_CONTENT), "--topic", "nope"])
    assert res.exit_code == 2
    assert "unknown topic" in res.stderr


def test_topics_json_says_coverage_and_single_source(runner: CliRunner) -> None:
    res = runner.invoke(app, ["topics", "--json", "--content", str(SEED_CONTENT)])
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert rows["neuromorphic"]["reports"] == 1 and rows["neuromorphic"]["single_source"] is True
    assert rows["multimodal"]["reports"] == 5 and rows["multimodal"]["single_source"] is False
    assert rows["quantum"]["conflicts"] >= 1
