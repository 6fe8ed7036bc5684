"""The console and `briefbot ask` say each line to the same conversation as Slack."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli.serve import run_console
from tests.conversation.backend import Backend

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_answers_follows_the_topic_and_says_where_digests_go(bot: Backend) -> None:
    lines = io.StringIO(
        "what's new in quantum\nwho says that?\nsend us the digest every friday at 4pm\n"
    )
    out = io.StringIO()
    assert run_console(bot.index, lines, out) == 3
    text = out.getvalue()
    assert text.count("Report mid") >= 2  # the follow-up stayed on quantum
    assert "Digests go to a Slack channel" in text and "briefbot subscribe" in text


def test_the_console_previews_a_digest(bot: Backend) -> None:
    out = io.StringIO()
    run_console(bot.index, io.StringIO("show me this week's digest\n"), out)
    assert "Preview of a digest" in out.getvalue()


def test_ask_json_gives_an_answer_shape_or_a_reply_kind(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BRIEFBOT_DATA_DIR": str(tmp_path),
        "BRIEFBOT_CONTENT_DIR": str(ROOT / "content"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input="what's new in multimodal\nstop the weekly digest\n",
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["intent"] == "whats_new"
    assert second["kind"] == "note" and "Slack channel" in second["text"]
