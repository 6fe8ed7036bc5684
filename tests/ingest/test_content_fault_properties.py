"""Property: any bytes as a report are a ContentError at worst, and never take `ask` down."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.errors import ContentError
from bot.ingest import build_corpus, load_corpus, load_or_last_good

from .conftest import MINI_TOPICS, REPORT_A, REPORT_B, write_content

FRAGMENTS = [
    b"# Title (2025)\n",
    b"## Section\n",
    b"### Deeper\n",
    b"Qubits and GPUs remain scarce. ",
    b"\n\n",
    b"---\n",
    b"title: x\n",
    b"published: 2025-13-45\n",
    b"a: &a [1, *a]\n",
    b"t: !!python/object/apply:os.system ['true']\n",
    b"[" * 50,
    b"\x1b[2J\x1b]0;x\x07",
    b"\xe2\x80\xae",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xc3\x28",
    b"\r",
    b"| a | b |\n|---|---|\n| 1 | 2 |\n",
    b"```\n# not a heading\n```\n",
    b"- item\n",
    b"> quote\n",
    b"<div>\n",
    b"**bold**",
]
REPORTS = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
GOOD: dict[str, str | bytes] = {"a.md": REPORT_A, "b.md": REPORT_B}


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="briefbot-props-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=REPORTS)
def test_any_bytes_as_a_report_build_or_raise_a_content_error(workdir: Path, report: bytes) -> None:
    content = write_content(workdir / "build", {**GOOD, "fuzz.md": report}, MINI_TOPICS)
    try:
        corpus = build_corpus(content).corpus
    except ContentError as exc:
        assert exc.path and exc.reason
        assert "\x1b" not in str(exc)
        return
    assert corpus.model_dump_json()  # what was built is storable
    assert all("\x1b" not in s.text and "\u202e" not in s.text for s in corpus.sections)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=REPORTS)
def test_any_bytes_as_a_report_never_take_ask_down_when_a_good_corpus_exists(
    workdir: Path, report: bytes
) -> None:
    from bot.cli import app

    data = workdir / "data"
    good = write_content(workdir / "ask", GOOD, MINI_TOPICS)
    load_corpus(good, data)
    content = write_content(workdir / "ask", {**GOOD, "fuzz.md": report}, MINI_TOPICS)
    assert load_or_last_good(content, data).result is not None
    result = CliRunner().invoke(
        app,
        ["ask", "--json", "--content", str(content), "tell me about quantum"],
        env={"BRIEFBOT_DATA_DIR": str(data), "DATABASE_URL": "", "BRIEFBOT_CONTENT_DIR": ""},
    )
    assert result.exit_code == 0, result.output
    assert '"intent"' in result.stdout
    assert "Traceback" not in result.stderr
