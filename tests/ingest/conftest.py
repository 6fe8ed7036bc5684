"""Fixtures for ingest tests: small content dirs written per test, tmp data dirs, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
SEED_CONTENT = ROOT / "content"

MINI_TOPICS = """\
[[topic]]
id = "quantum"
name = "Quantum computing"
aliases = ["quantum", "quantum-enhanced llms"]
keywords = ["qubits", "quantum annealing"]
related = ["hardware"]

[[topic]]
id = "hardware"
name = "Hardware and chips"
aliases = ["hardware", "chips", "accelerators"]
keywords = ["gpus", "memory"]
related = ["quantum"]

[[topic]]
id = "regulation"
name = "Regulation"
aliases = ["regulation", "regs", "ai act"]
keywords = ["gdpr", "compliance", "fines of up to"]
"""

REPORT_A = """\
# Report: Quantum and Chips (2025)

## 1. **Quantum-Enhanced LLMs**
Quantum annealing cuts training cost by up to 40%. IBM and Rigetti invest heavily.

## 2. Hardware Advances
New accelerators with high-bandwidth memory ship in 2025. GPUs remain scarce.
"""

REPORT_B = """\
# Regulation Outlook

As of 2024, rules are tightening.

## The EU AI Act
The AI Act imposes fines of up to 7% of global revenue. GDPR set the precedent.
"""


def write_content(
    root: Path,
    reports: dict[str, str | bytes],
    topics: str | bytes = MINI_TOPICS,
) -> Path:
    """A content dir with the given reports (file name -> text) and taxonomy."""
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "sources").mkdir(parents=True)
    for name, text in reports.items():
        path = content / "sources" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (content / "topics.toml").write_bytes(topics if isinstance(topics, bytes) else topics.encode())
    return content


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[..., Path]:
    def make(
        reports: dict[str, str | bytes] | None = None, topics: str | bytes = MINI_TOPICS
    ) -> Path:
        return write_content(
            tmp_path,
            reports if reports is not None else {"a.md": REPORT_A, "b.md": REPORT_B},
            topics,
        )

    return make


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content dir."""
    dest = tmp_path / "seed-content"
    shutil.copytree(SEED_CONTENT, dest)
    return dest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run_cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `briefbot ARGS` in-process with BRIEFBOT_DATA_DIR set to the test's data dir."""
    from bot.cli import app

    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(data_dir))
    for name in ("DATABASE_URL", "BRIEFBOT_CONTENT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(data_dir.parent)  # no stray .env from the repository

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return run
