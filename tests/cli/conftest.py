"""Fixtures for the CLI tests: the Web API stand-in and databases on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from slack_harness import _calls_match_the_spec, slack  # noqa: E402, F401  (fixtures)

from tests.store.databases import db_url  # noqa: E402, F401  (fixtures)
