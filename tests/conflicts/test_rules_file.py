"""rules.toml and curation.toml: loading, errors with file and line, curator verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conflicts import DEFAULT_RULES, NO_CURATION
from bot.errors import ContentError
from bot.ingest import build_corpus, load_corpus
from bot.ingest.rules_file import load_curation, load_rules

from .conftest import SEED_CONTENT


def test_the_shipped_rules_load_and_define_the_lexicons() -> None:
    rules = load_rules(SEED_CONTENT)
    assert "cornerstone" in rules.mature and "early stage*" in rules.early
    assert rules.units["watts"] == ("watts", 1.0)
    assert rules.measures["cost"] and rules.unit_measures["params"] == "size"
    assert {h.name for h in rules.subjects} >= {"quantum computing", "explainability"}
    assert rules.consensus_min_sources == 3


def test_missing_files_give_the_defaults(tmp_path: Path) -> None:
    assert load_rules(tmp_path) is DEFAULT_RULES
    assert load_curation(tmp_path).dismiss == NO_CURATION.dismiss == ()


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('[stance]\nmature = ["a"\n', 2, "invalid TOML"),
        ("[thresholds]\nnumeric_tolerance = 0.2\nconsensus_min_sources = 1\n", 3, "consensus"),
        ("[thresholds]\n\nnumeric_tolrance = 0.2\n", 3, "unknown key"),
        ("[colours]\nred = 1\n", 1, "unknown table"),
        (
            '[[subjects.hint]]\nname = "a"\npatterns = ["a"]\n\n[[subjects.hint]]\nname = "b"\n',
            5,
            "patterns",
        ),
    ],
)
def test_bad_rules_name_file_and_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    (tmp_path / "rules.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_rules(tmp_path)
    assert err.value.path.endswith("rules.toml")
    assert err.value.line == line
    assert reason in err.value.reason


def test_bad_curation_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "curation.toml").write_text(
        '[[dismiss]]\nflag_id = "abc"\n\n[[dismiss]]\nnote = "no id"\n', encoding="utf-8"
    )
    with pytest.raises(ContentError) as err:
        load_curation(tmp_path)
    assert err.value.line == 4 and "flag_id" in err.value.reason


def _flag_ids(content: Path, kind: str, topic: str) -> list[str]:
    flags = build_corpus(content).corpus.flags
    return [f.flag_id for f in flags if f.kind == kind and f.topic == topic]


def test_a_dismissed_flag_never_comes_back_after_reingest(
    content_copy: Path, tmp_path: Path
) -> None:
    (quantum,) = _flag_ids(content_copy, "stance", "quantum")
    (content_copy / "curation.toml").write_text(
        f'[[dismiss]]\nflag_id = "{quantum}"\nnote = "checked: not a disagreement"\n',
        encoding="utf-8",
    )
    data = tmp_path / "data"
    first = load_corpus(content_copy, data)
    assert quantum not in {f.flag_id for f in first.corpus.flags}
    # Re-ingest after an unrelated content change: still gone.
    report = content_copy / "sources" / "002_92b233025464dd30.md"
    report.write_text(report.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = load_corpus(content_copy, data)
    assert again.rebuilt
    assert quantum not in {f.flag_id for f in again.corpus.flags}
    assert load_corpus(content_copy, data, force=True).corpus.flags == again.corpus.flags


HARDWARE = (
    "Continued progress in hardware will be critical for sustaining the growth and "
    "advancement of LLMs."
)
DRONES = (
    "Adoption is growing in energy-restricted applications: autonomous drones, "
    "disaster response bots, and wearable health monitors."
)


def test_confirmed_flags_are_marked_and_curated_ones_added(content_copy: Path) -> None:
    (edge,) = _flag_ids(content_copy, "stance", "edge")
    (content_copy / "curation.toml").write_text(
        f"""
[[confirm]]
flag_id = "{edge}"

[[add]]
topic = "hardware"
kind = "stance"
summary = "Hardware: 001 says progress is critical; 000 says neuromorphic chips already ship."
[[add.sides]]
source_id = "001_de7cd17c8301cb13"
claim = "{HARDWARE}"
[[add.sides]]
source_id = "000_f8847632cb21589d"
claim = "{DRONES}"
""",
        encoding="utf-8",
    )
    flags = build_corpus(content_copy).corpus.flags
    assert next(f for f in flags if f.flag_id == edge).status == "confirmed"
    added = [f for f in flags if f.status == "curated"]
    assert len(added) == 1 and added[0].topic == "hardware"
    assert added[0].sides[0].heading == "Hardware Advancements and LLM Scaling"


def test_an_added_flag_must_quote_the_report(content_copy: Path) -> None:
    (content_copy / "curation.toml").write_text(
        '[[add]]\ntopic = "quantum"\nkind = "stance"\nsummary = "x"\n'
        '[[add.sides]]\nsource_id = "001_de7cd17c8301cb13"\nclaim = "Words no report says."\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        build_corpus(content_copy)
    assert err.value.line == 1 and "claim not found" in err.value.reason


def test_rules_files_are_part_of_the_corpus_version(content_copy: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    before = load_corpus(content_copy, data).corpus.version
    rules = content_copy / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = load_corpus(content_copy, data)
    assert after.rebuilt and after.corpus.version != before
    cur = content_copy / "curation.toml"
    cur.write_text(cur.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_corpus(content_copy, data).corpus.version != after.corpus.version


def test_a_stricter_threshold_in_the_rules_changes_the_flags(content_copy: Path) -> None:
    rules = content_copy / "rules.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "consensus_min_sources = 3", "consensus_min_sources = 5"
        ),
        encoding="utf-8",
    )
    flags = build_corpus(content_copy).corpus.flags
    assert all(len(f.sides) >= 5 for f in flags if f.kind == "consensus")


def test_a_duplicate_report_does_not_fake_agreement(content_copy: Path) -> None:
    src = content_copy / "sources"
    (src / "005_copy.md").write_text(
        (src / "000_f8847632cb21589d.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    flags = build_corpus(content_copy).corpus.flags
    assert not any("005_copy" in {s.source_id for s in f.sides} for f in flags)
    assert any(f.kind == "single_source" and f.topic == "neuromorphic" for f in flags)
