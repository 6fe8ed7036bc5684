"""The pure core never imports an edge library nor opens files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = [
    "models",
    "corpus",
    "conflicts",
    "matcher",
    "briefing",
    "digest",
    "schedule",
    "render",
    "coverage",
    "conversation",
]
EDGE_LIBS = {
    "slack_bolt",
    "slack_sdk.web",
    "sqlalchemy",
    "apscheduler",
    "alembic",
    "typer",
    "waitress",
}
BOT = Path(__file__).resolve().parents[1] / "bot"


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        if (BOT / f"{name}.py").exists():
            files.append(BOT / f"{name}.py")
        if (BOT / name).is_dir():
            files.extend(sorted((BOT / name).glob("*.py")))
    return files


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.name)
def test_core_module_imports_no_edge_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not any(name == lib or name.startswith(lib + ".") for lib in EDGE_LIBS), (
                f"{path.name} imports {name}"
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{path.name} opens a file"
