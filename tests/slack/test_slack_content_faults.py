"""`serve` with a refused content file: starts anyway, answers, says so on /healthz and in logs."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serve_process import BRIEFBOT, ServeProcess, clean_env, slack_env
from slack_harness import blocks_text
from slack_standin import SlackStandIn

TOPICS = """\
[[topic]]
id = "quantum"
name = "Quantum computing"
aliases = ["quantum"]
keywords = ["qubits"]
"""
GOOD = (
    "# Quantum Notes (2025)\n\n## Quantum Outlook\n"
    "Qubits are still noisy, and error correction is years away.\n"
)

MORE = (
    "# Qubit Digest (2026)\n\n## Quantum Hardware\n"
    "Qubits doubled in count in 2026 while noise fell.\n"
)


def _content(root: Path, **reports: str | bytes) -> Path:
    content = root / "content"
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "topics.toml").write_text(TOPICS)
    for name, text in reports.items():
        path = content / "sources" / f"{name}.md"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return content


def _env(tmp_path: Path, content: Path, slack: SlackStandIn) -> dict[str, str]:
    return slack_env(
        tmp_path,
        slack,
        BRIEFBOT_CONTENT_DIR=str(content),
        BRIEFBOT_CONTENT_CHECK_SECONDS="0.2",
    )


@pytest.fixture
def serve(tmp_path: Path, slack: SlackStandIn) -> Iterator[Callable[[Path], ServeProcess]]:
    started: list[ServeProcess] = []

    def start(content: Path, *, shipped_check: bool = False) -> ServeProcess:
        env = _env(tmp_path, content, slack)
        if shipped_check:
            del env["BRIEFBOT_CONTENT_CHECK_SECONDS"]
        started.append(ServeProcess(env, tmp_path))
        return started[-1]

    yield start
    for served in started:
        served.kill()


def _ingest(tmp_path: Path, content: Path, slack: SlackStandIn) -> None:
    done = subprocess.run(
        [*BRIEFBOT, "ingest"],
        cwd=tmp_path,
        env=_env(tmp_path, content, slack) | {"DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_serve_http_with_a_bad_file_answers_from_the_last_good_corpus_and_logs_each_change(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], ServeProcess]
) -> None:
    content = _content(tmp_path, a=GOOD)
    _ingest(tmp_path, content, slack)
    (content / "sources" / "b.md").write_bytes(b"")
    served = serve(content)

    health = served.wait_health(lambda h: "content" in h)
    assert health["ok"] is True and health["content"] == "stale"
    assert "b.md" in health["content_error"] and "file is empty" in health["content_error"]
    served.mention("tell me about quantum", "C0STALE")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0STALE", timeout=30
    )
    assert "noisy" in blocks_text(call)
    status, metrics = served.get("/metrics")
    assert status == 200 and b"briefbot_content_rejected 1.0" in metrics

    # While serving, b.md is fixed and c.md breaks: one more line; then c.md is fixed too.
    (content / "sources" / "b.md").write_text(MORE)
    (content / "sources" / "c.md").write_text("just text\n")
    served.wait_health(lambda h: "c.md:1: no headings" in h.get("content_error", ""))
    for _ in range(10):
        served.health()
    (content / "sources" / "c.md").unlink()
    served.wait_health(lambda h: h["content"] == "ok")
    served.mention("what's new in quantum", "C0FRESH")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0FRESH", timeout=30
    )
    assert "doubled" in blocks_text(call)
    _, metrics = served.get("/metrics")
    assert b"briefbot_content_rejected 0.0" in metrics

    err = served.stop()
    refused = [line for line in err.splitlines() if "content refused" in line]
    assert len(refused) == 2, err
    assert "b.md" in refused[0] and "last good corpus" in refused[0]
    assert len([line for line in err.splitlines() if "content accepted" in line]) == 1


def test_serve_http_with_no_good_corpus_starts_and_says_its_content_is_broken(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], ServeProcess]
) -> None:
    content = _content(tmp_path, a=GOOD, b=b"\xff\xfe#\x00 \x00T\x00")
    served = serve(content)
    health = served.wait_health(lambda h: "content" in h)
    assert health["content"] == "broken" and "UTF-16" in health["content_error"]
    served.mention("what's new in quantum", "C0BROKEN")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0BROKEN", timeout=30
    )
    assert "My content is broken" in blocks_text(call) + str(call.args.get("text"))
    assert "b.md:1" in blocks_text(call) + str(call.args.get("text"))
    # Fixed while running: answers come back without a restart.
    (content / "sources" / "b.md").unlink()
    served.wait_health(lambda h: h["content"] == "ok")
    served.stop()


def test_serve_console_with_no_good_corpus_answers_that_content_is_broken(tmp_path: Path) -> None:
    content = _content(
        tmp_path, a="---\ntitle: !!python/object/apply:os.system ['true']\n---\n# T\n"
    )
    env = clean_env(tmp_path, BRIEFBOT_CONTENT_DIR=str(content))
    done = subprocess.run(
        [*BRIEFBOT, "serve"],
        input="what's new in quantum\nhelp\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("My content is broken") == 2
    assert "a.md:2: front matter uses a YAML tag" in done.stdout
    assert "a.md:2" in done.stderr and "Traceback" not in done.stderr


def test_a_report_added_to_a_running_serve_http_is_answered_within_10_s_by_default(
    tmp_path: Path, slack: SlackStandIn, serve: Callable[[Path], ServeProcess]
) -> None:
    content = _content(tmp_path, a=GOOD)
    _ingest(tmp_path, content, slack)
    served = serve(content, shipped_check=True)  # the shipped content check interval
    served.wait_health(lambda h: h.get("content") == "ok")

    (content / "sources" / "b.md").write_text(MORE)
    added = time.monotonic()
    version = served.health()["corpus_version"]
    served.wait_health(lambda h: h["corpus_version"] != version, timeout=10)
    served.mention("what's new in quantum", "C0ADDED")
    (call,) = slack.wait_for(
        "chat.postMessage", 1, where=lambda c: c.args.get("channel") == "C0ADDED", timeout=10
    )
    assert "doubled" in blocks_text(call)
    assert time.monotonic() - added <= 10.0
    served.stop()
