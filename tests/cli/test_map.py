"""`briefbot map`: the coverage grid of a small content folder, in the terminal and as a PNG."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

TOPICS = """\
[[topic]]
id = "robots"
name = "Robotics"
aliases = ["robots", "robotics"]
keywords = ["humanoid", "actuators"]

[[topic]]
id = "chips"
name = "Chips"
aliases = ["chips", "accelerators"]
keywords = ["gpus", "wafers"]
"""

REPORTS = {
    "robots-2024.md": """\
# Robots Outlook (2024)

## Humanoid robots
Humanoid robots stay in labs. Actuators are expensive.
""",
    "chips-2025.md": """\
# Chips and Robots Outlook (2025)

## Accelerators
New accelerators ship in 2025. GPUs remain scarce.

## Humanoid robots
Humanoid robots enter warehouses in 2025.
""",
}


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "content"
    (root / "sources").mkdir(parents=True)
    (root / "topics.toml").write_text(TOPICS, encoding="utf-8")
    for name, text in REPORTS.items():
        (root / "sources" / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return root


def test_map_prints_a_row_per_topic_and_marks_the_newest_report(content: Path) -> None:
    result = CliRunner().invoke(app, ["map", "--content", str(content)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("│ Robotics") or "Robotics" in line for line in lines)
    assert any("Chips" in line for line in lines)
    assert "R2* = Chips and Robots Outlook (2025) (2025-01-01, newest)" in result.stdout


@pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None,
    reason="matplotlib is missing: pip install -e '.[charts]' to test `map --png`",
)
def test_map_png_writes_an_image_the_size_of_the_grid(content: Path, tmp_path: Path) -> None:
    from matplotlib.image import imread

    png = tmp_path / "out" / "map.png"
    result = CliRunner().invoke(app, ["map", "--content", str(content), "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = imread(str(png)).shape[:2]
    assert width >= 800 and height >= 300


def test_map_png_to_a_path_it_cannot_write_fails_with_the_path(content: Path) -> None:
    if importlib.util.find_spec("matplotlib") is None:
        pytest.skip("matplotlib is missing: pip install -e '.[charts]' to test `map --png`")
    blocker = content / "topics.toml"  # a file where a folder is wanted
    target = blocker / "map.png"
    result = CliRunner().invoke(app, ["map", "--content", str(content), "--png", str(target)])
    assert result.exit_code == 2
    assert str(target) in result.output
