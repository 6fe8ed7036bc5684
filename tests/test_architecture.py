"""The pure core never imports an edge library nor opens files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# The edges: everything else under bot/ is core, so a new module is checked by default.
EDGES = {
    "__main__",  # the entry point
    "cli",
    "corpus_sync",  # keeps a replica's corpus current with the database and content/
    "delivery",  # digest delivery: APScheduler, leases, the Web API sender
    "ingest",  # the one reader of content/ files
    "migrations",
    "ops",  # metrics and logs
    "runtime",  # settings and the composition root
    "slack",
    "store",
}
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
    return [
        path
        for path in sorted(BOT.rglob("*.py"))
        if path.relative_to(BOT).parts[0].removesuffix(".py") not in EDGES
    ]


def test_every_edge_named_is_a_real_module() -> None:
    """A misspelt edge would exempt nothing and hide that the real one is unchecked."""
    for name in EDGES:
        assert (BOT / f"{name}.py").exists() or (BOT / name).is_dir(), name


def test_the_core_holds_the_pure_modules() -> None:
    names = {p.relative_to(BOT).parts[0].removesuffix(".py") for p in _core_files()}
    assert {"models", "corpus", "matcher", "briefing", "render", "conversation"} <= names
    assert not names & EDGES


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(BOT)))
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
