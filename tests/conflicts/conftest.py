"""Fixtures for conflicts tests: seed corpus (real ingest), labels, content copies."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.ingest import IngestResult, build_corpus

ROOT = Path(__file__).resolve().parents[2]
SEED_CONTENT = ROOT / "content"
LABELS = Path(__file__).with_name("labels.toml")


@pytest.fixture(scope="session")
def seed_result() -> IngestResult:
    return build_corpus(SEED_CONTENT)


@pytest.fixture(scope="session")
def labels() -> dict[str, Any]:
    return tomllib.loads(LABELS.read_text(encoding="utf-8"))


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ (reports, taxonomy, rules, curation)."""
    target = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, target)
    return target
