"""The pure core never imports an edge library nor touches files: checked by default.

Everything under ``bot/`` is core unless it sits in one of the few edge packages listed in
``EDGES``, so a new module (``bot/conversation/``, say) is checked the day it is added, without
anyone remembering to put it on a list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# The edges: they talk to Slack, the database, the scheduler, the terminal, the file system or
# the process. Everything else under bot/ is the pure core. Keep this list short; a module that
# needs an edge library belongs in one of these packages.
EDGES = (
    "slack/",
    "store/",
    "cli/",
    "ingest/",
    "ops/",
    "migrations/",
    "delivery/",  # digest delivery: APScheduler, leases, the Web API sender
    "runtime/",  # settings and the composition root
    "corpus_sync.py",  # keeps a replica's corpus current with the database and content/
    "__main__.py",  # the entry point: it only starts the CLI
)
EDGE_LIBS = {
    "slack_bolt",
    "slack_sdk.web",
    "slack_sdk.socket_mode",
    "sqlalchemy",
    "apscheduler",
    "alembic",
    "typer",
    "waitress",
    "psycopg",
    "sqlite3",
    "pydantic_settings",
    "prometheus_client",
    "subprocess",
    "socket",
    "urllib.request",
    "http.client",
    "requests",
    "httpx",
}
# Calls that read or write files, whatever the object they are called on.
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink"}


def _reads_package_data(func: ast.Attribute) -> bool:
    """``resources.files("tzdata")....read_text()``: data shipped inside an installed package,
    read like an import (zoneinfo does the same); not a file a deployment supplies."""
    node: ast.AST = func.value
    while isinstance(node, (ast.Attribute, ast.Call)):
        if isinstance(node, ast.Call):
            inner = node.func
            if isinstance(inner, ast.Attribute) and inner.attr == "files":
                root = inner.value
                if isinstance(root, ast.Name) and root.id == "resources":
                    return True
                if isinstance(root, ast.Attribute) and root.attr == "resources":
                    return True
            node = inner
        else:
            node = node.value
    return False


def _is_edge(path: Path) -> bool:
    rel = path.relative_to(BOT).as_posix()
    return any(rel == edge or (edge.endswith("/") and rel.startswith(edge)) for edge in EDGES)


def _is_edge_module(name: str) -> bool:
    """``bot.ingest.text`` and the like: the core does not reach into an edge package either."""
    parts = name.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return False
    return any(
        edge.rstrip("/").removesuffix(".py") == parts[1] for edge in EDGES if edge != "__main__.py"
    )


def core_files() -> list[Path]:
    return [p for p in sorted(BOT.rglob("*.py")) if not _is_edge(p)]


def violations(source: str, where: str) -> list[str]:
    """What in one module breaks the core's rules, as ``file:line: what`` lines."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            if any(name == lib or name.startswith(lib + ".") for lib in EDGE_LIBS):
                found.append(f"{where}:{node.lineno}: imports {name}")
            elif _is_edge_module(name):
                found.append(f"{where}:{node.lineno}: imports the edge module {name}")
        if isinstance(node, ast.Call):
            func = node.func
            called = ""
            if isinstance(func, ast.Name):
                called = func.id
            elif isinstance(func, ast.Attribute) and not _reads_package_data(func):
                called = func.attr
            if called in FILE_CALLS:
                found.append(f"{where}:{node.lineno}: calls {called}() (the core opens no files)")
    return found


def test_edges_are_a_short_explicit_list() -> None:
    assert len(EDGES) <= 15
    core = {p.relative_to(BOT).as_posix() for p in core_files()}
    # The modules the layout is about are core without being listed anywhere.
    for name in ("models.py", "briefing.py", "digest.py", "render/layout.py", "sentences.py"):
        assert name in core


@pytest.mark.parametrize("path", core_files(), ids=lambda p: p.relative_to(BOT).as_posix())
def test_core_module_imports_no_edge_library_and_opens_no_file(path: Path) -> None:
    where = path.relative_to(BOT.parent).as_posix()
    assert violations(path.read_text(encoding="utf-8"), where) == []


def test_every_edge_named_is_a_real_module() -> None:
    """A misspelt edge would exempt nothing and hide that the real one is unchecked."""
    for edge in EDGES:
        assert (BOT / edge).is_dir() if edge.endswith("/") else (BOT / edge).is_file(), edge


def test_a_new_module_is_core_unless_it_sits_in_an_edge_package() -> None:
    assert not _is_edge(BOT / "conversation" / "reply.py")
    assert not _is_edge(BOT / "anything_new.py")
    assert _is_edge(BOT / "runtime" / "wiring.py")
    assert _is_edge(BOT / "delivery" / "run.py")


def test_the_check_catches_an_edge_import_and_a_file_read() -> None:
    source = "import sqlalchemy\nfrom pathlib import Path\nPath('x').read_text()\nopen('y')\n"
    assert violations(source, "bot/probe.py") == [
        "bot/probe.py:1: imports sqlalchemy",
        "bot/probe.py:3: calls read_text() (the core opens no files)",
        "bot/probe.py:4: calls open() (the core opens no files)",
    ]


def test_package_data_read_like_an_import_is_allowed() -> None:
    source = "from importlib import resources\nresources.files('tzdata').joinpath('z').read_text()"
    assert violations(source, "bot/probe.py") == []


def test_the_check_catches_the_core_reaching_into_an_edge_package() -> None:
    assert violations("from bot.ingest.text import stem\n", "bot/probe.py") == [
        "bot/probe.py:1: imports the edge module bot.ingest.text"
    ]
    assert violations("from bot.stemming import plural\n", "bot/probe.py") == []
