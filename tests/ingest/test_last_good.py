"""With a refused file, `ask` answers from the last good corpus and says why on stderr."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from bot.ingest import load_corpus, load_or_last_good

from .test_bad_input import CASES as BAD_CASES
from .test_bad_input import GOOD
from .test_hostile_content import CASES as HOSTILE_CASES

QUESTION = "tell me about quantum"
FRESH = (
    "# Compliance Notes (2026)\n\n## Regulation and Compliance\n"
    "Regulators opened the first AI Act compliance audits in 2026, with GDPR teams leading.\n"
)
# (name, reports, where, reason) for every refused-report case both files know.
ALL_CASES = [(n, r, w, why) for n, r, w, why in BAD_CASES] + [
    (n, {**GOOD, "c.md": report}, w, why) for n, report, w, why in HOSTILE_CASES
]


@pytest.mark.parametrize(
    ("reports", "where", "reason"), [c[1:] for c in ALL_CASES], ids=[c[0] for c in ALL_CASES]
)
def test_ask_answers_from_the_last_good_corpus_and_warns_naming_file_line_and_reason(
    make_content: Callable[..., Path],
    run_cli: Callable[..., Result],
    reports: dict[str, str | bytes],
    where: str,
    reason: str,
) -> None:
    good = run_cli("ask", "--json", "--content", str(make_content(GOOD)), QUESTION)
    assert good.exit_code == 0, good.stderr

    result = run_cli("ask", "--json", "--content", str(make_content(reports)), QUESTION)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == good.stdout  # the same answer, from the same (last good) corpus
    (warning,) = result.stderr.strip().splitlines()
    assert warning.startswith("warning: ")
    assert where in warning and reason in warning
    assert "answering from the last good corpus" in warning
    assert "Traceback" not in result.stderr


def test_ask_with_no_good_corpus_ever_exits_2_with_the_problem(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    result = run_cli("ask", "--content", str(make_content({**GOOD, "c.md": ""})), QUESTION)
    assert result.exit_code == 2
    assert "c.md" in result.stderr and "file is empty" in result.stderr


def test_ask_never_answers_from_the_last_good_corpus_of_another_folder(
    make_content: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert run_cli("ask", "--content", str(make_content(GOOD)), QUESTION).exit_code == 0
    other = tmp_path / "other"
    (other / "sources").mkdir(parents=True)
    (other / "sources" / "x.md").write_text("")
    (other / "topics.toml").write_text((make_content(GOOD) / "topics.toml").read_text())
    result = run_cli("ask", "--content", str(other), QUESTION)
    assert result.exit_code == 2
    assert "x.md" in result.stderr


def test_a_fixed_file_is_answered_from_at_once(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    assert run_cli("ask", "--content", str(make_content(GOOD)), QUESTION).exit_code == 0
    assert run_cli("ask", "--content", str(make_content({**GOOD, "c.md": ""})), QUESTION).stderr
    fixed = make_content({**GOOD, "c.md": FRESH})
    result = run_cli("ask", "--json", "--content", str(fixed), "what's new in regulation")
    assert result.exit_code == 0 and result.stderr == ""
    assert '"source_id": "c"' in result.stdout


def test_load_or_last_good_reports_ok_stale_and_broken(
    make_content: Callable[..., Path], data_dir: Path
) -> None:
    broken = load_or_last_good(make_content({**GOOD, "c.md": ""}), data_dir)
    assert broken.status == "broken" and broken.result is None
    assert broken.error is not None and "file is empty" in str(broken.error)

    good = load_or_last_good(make_content(GOOD), data_dir)
    assert good.status == "ok" and good.error is None and good.result is not None

    stale = load_or_last_good(make_content({**GOOD, "c.md": ""}), data_dir)
    assert stale.status == "stale" and stale.result is not None
    assert stale.result.corpus.version == good.result.corpus.version
    # ingest's load_corpus keeps refusing.
    with pytest.raises(Exception, match="file is empty"):
        load_corpus(make_content({**GOOD, "c.md": ""}), data_dir)
