"""Fixtures: the same store tests run against SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.store.databases import db_url, store  # noqa: E402, F401  (fixtures)
