"""docs/conflicts.md names every flag kind and rules table, and its seed quotes are real."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.models import CONFLICT_KINDS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "conflicts.md"
SOURCES = ROOT / "content" / "sources"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _seed(number: str) -> str:
    (path,) = SOURCES.glob(f"{number}_*.md")
    return _flat(path.read_text(encoding="utf-8"))


def _tables(toml_text: str) -> set[str]:
    """The tables a TOML file declares with a header line ([x] or [[x]])."""
    return set(re.findall(r"^\[\[?([\w.]+)\]\]?", toml_text, flags=re.M))


def test_every_flag_kind_is_explained() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for kind in (*CONFLICT_KINDS, "consensus", "single_source"):
        assert f"**{kind.replace('_', '-')}**" in doc or f"`{kind}`" in doc, kind
    for part in ("numeric tolerance", "Normalization", "Grouping", "Curation"):
        assert part.lower() in doc.lower(), part


def test_every_rules_table_is_mentioned() -> None:
    doc = DOC.read_text(encoding="utf-8")
    tables = _tables((ROOT / "content" / "rules.toml").read_text(encoding="utf-8"))
    assert {"thresholds", "stance", "claims", "subjects.hint"} <= tables
    for table in sorted(tables):
        assert f"[{table}]" in doc or f"[[{table}]]" in doc, table


def test_quotes_attributed_to_a_seed_report_are_in_that_report() -> None:
    doc = _flat(DOC.read_text(encoding="utf-8"))
    quotes = re.findall(r"\b(\d{3})'s \"([^\"]+)\"", doc)
    assert len(quotes) >= 6
    for number, quote in quotes:
        assert quote in _seed(number), (number, quote)


def test_the_worked_curation_example_quotes_real_claims() -> None:
    doc = DOC.read_text(encoding="utf-8")
    block = doc.split("```toml", 1)[1].split("```", 1)[0]
    data = tomllib.loads(block)
    sides = [s for add in data["add"] for s in add["sides"]]
    assert data["dismiss"] and sides
    for side in sides:
        assert _flat(side["claim"]) in _seed(side["source_id"][:3]), side


def test_the_content_files_point_at_the_doc() -> None:
    for name in ("rules.toml", "curation.toml"):
        head = (ROOT / "content" / name).read_text(encoding="utf-8").splitlines()[0]
        assert "docs/conflicts.md" in head, name
