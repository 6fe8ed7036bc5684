"""`briefbot ask` end to end in a real subprocess: one question, JSON Lines from stdin, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("ask-data")
    return {
        **os.environ,
        "BRIEFBOT_DATA_DIR": str(data),
        "BRIEFBOT_CONTENT_DIR": str(ROOT / "content"),
    }


def _ask(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_ask_prints_a_sourced_answer(env: dict[str, str]) -> None:
    done = _ask(env, "what's new in multimodal")
    assert done.returncode == 0, done.stderr
    assert "Multimodal" in done.stdout
    assert "§" in done.stdout or "—" in done.stdout


def test_ask_json_lines_from_stdin_in_order(env: dict[str, str]) -> None:
    questions = ["what's new in multimodal", "and who says that?", "order a pizza", "", "quantm"]
    done = _ask(env, "--json", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["intent"] for r in rows] == ["whats_new", "sources", "unknown", "help", "topic_brief"]
    # Each line is answered on its own: the follow-up does not inherit "multimodal".
    assert [r["topic"] for r in rows] == ["multimodal", None, None, None, "quantum"]
    first = rows[0]
    assert set(first) >= {
        "intent",
        "topic",
        "confidence",
        "citations",
        "conflicts",
        "text",
        "blocks",
    }
    assert first["citations"] and set(first["citations"][0]) >= {
        "source_id",
        "heading",
        "published",
    }
    assert 0.0 <= first["confidence"] <= 1.0


def test_ask_thread_keeps_the_topic_across_lines_and_the_default_does_not(
    env: dict[str, str],
) -> None:
    lines = "sources for neuromorphic\nwhere do reports disagree?\n"
    alone = [json.loads(x) for x in _ask(env, "--json", "-", stdin=lines).stdout.splitlines()]
    threaded = _ask(env, "--json", "--thread", "-", stdin=lines)
    assert threaded.returncode == 0, threaded.stderr
    kept = [json.loads(x) for x in threaded.stdout.splitlines()]
    assert [r["intent"] for r in alone] == [r["intent"] for r in kept] == ["sources", "conflicts"]
    assert [r["topic"] for r in alone] == ["neuromorphic", None]
    assert [r["topic"] for r in kept] == ["neuromorphic", "neuromorphic"]


def test_ask_with_a_missing_content_dir_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    done = _ask(env, "--content", str(tmp_path / "nope"), "quantum")
    assert done.returncode == 2
    assert "error:" in done.stderr and "Traceback" not in done.stderr


def test_ask_does_not_import_slack_or_the_database(env: dict[str, str]) -> None:
    code = (
        "import sys\n"
        "from bot.__main__ import main\n"
        "sys.argv = ['briefbot', 'ask', '--json', 'quantum']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "edges = ('slack_bolt', 'sqlalchemy', 'apscheduler', 'alembic')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in edges]\n"
        "print('IMPORTED', bad, file=sys.stderr)\n"
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert "IMPORTED []" in done.stderr, done.stderr
