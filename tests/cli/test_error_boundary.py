"""The CLI's one error boundary: a user error is `error: …`, exit 2; a bug is a logged
reference id, `internal error (ref …)`, exit 1. Through the real CLI, in-process and as a
process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
REF = re.compile(r"internal error \(ref ([0-9a-f]{8})\)")


def briefbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRIEFBOT_", "DATABASE_URL"))
    }
    base.update(BRIEFBOT_CONTENT_DIR=str(ROOT / "content"), PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=base,
        cwd=tmp_path,  # no stray .env
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def data_dir_is_a_file(tmp_path: Path) -> Path:
    """A BRIEFBOT_DATA_DIR that is a file: nothing a command expects, so an unexpected error."""
    path = tmp_path / "not-a-dir"
    path.write_text("x", encoding="utf-8")
    return path


def test_a_user_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = briefbot(["subscribe", "#ai-trends"], tmp_path, BRIEFBOT_DATA_DIR=str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: '#ai-trends' looks like a channel name")
    assert "Traceback" not in done.stderr


def test_an_unexpected_error_is_a_logged_reference_and_exit_1(
    tmp_path: Path, data_dir_is_a_file: Path
) -> None:
    done = briefbot(["subscriptions"], tmp_path, BRIEFBOT_DATA_DIR=str(data_dir_is_a_file))
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    found = REF.search(last)
    assert found and last.startswith("internal error (ref "), done.stderr
    ref = found.group(1)
    # The log line carries the same ref and the traceback, so an operator finds the cause.
    log_line = next(ln for ln in done.stderr.splitlines() if "ERROR bot.cli" in ln)
    assert f"ref={ref}" in log_line and "internal error in `briefbot subscriptions`" in log_line
    assert "Traceback" in done.stderr and "FileExistsError" in done.stderr


def test_the_log_format_setting_shapes_the_internal_error_line(
    tmp_path: Path, data_dir_is_a_file: Path
) -> None:
    import json

    done = briefbot(
        ["subscriptions"],
        tmp_path,
        BRIEFBOT_DATA_DIR=str(data_dir_is_a_file),
        BRIEFBOT_LOG_FORMAT="json",
    )
    assert done.returncode == 1
    records = [json.loads(ln) for ln in done.stderr.splitlines() if ln.startswith("{")]
    (record,) = records
    ref = REF.search(done.stderr.strip().splitlines()[-1])
    assert ref and record["ref"] == ref.group(1) and "FileExistsError" in record["exc"]


def test_in_process_both_shapes_go_through_the_same_boundary(
    tmp_path: Path, data_dir_is_a_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BRIEFBOT_CONTENT_DIR", str(ROOT / "content"))
    user = CliRunner().invoke(app, ["conflicts", "--kind", "nonsense"])
    assert user.exit_code == 2 and user.stderr.startswith("error: unknown kind 'nonsense'")
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(data_dir_is_a_file))
    bug = CliRunner().invoke(app, ["verdicts"])
    assert bug.exit_code == 1 and REF.search(bug.stderr), bug.stderr
    assert bug.exception is None or isinstance(bug.exception, SystemExit)


def test_a_bad_setting_is_a_user_error_only_for_commands_that_need_settings(
    tmp_path: Path,
) -> None:
    bad = {"BRIEFBOT_DATA_DIR": str(tmp_path), "PORT": "not-a-port"}
    done = briefbot(["subscriptions"], tmp_path, **bad)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: setting PORT is invalid") and "not-a-port" not in line
    manifest = briefbot(["manifest"], tmp_path, **bad)
    assert manifest.returncode == 0 and "display_information" in manifest.stdout


def test_usage_errors_stay_typers_own(tmp_path: Path) -> None:
    done = briefbot(["subscribe"], tmp_path, BRIEFBOT_DATA_DIR=str(tmp_path))
    assert done.returncode == 2 and "Missing argument" in done.stderr


def test_the_boundary_never_hides_an_exit_code() -> None:
    import typer

    from bot.cli.boundary import run_guarded

    class Ctx:
        invoked_subcommand = "x"

    def leave() -> None:
        raise typer.Exit(3)

    with pytest.raises(typer.Exit) as done:
        run_guarded(Ctx(), leave)  # type: ignore[arg-type]
    assert done.value.exit_code == 3


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path: Path) -> None:
    """`briefbot sources --json | head -1`: the pipe closes early; no traceback, no ref."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRIEFBOT_"))}
    base |= {
        "BRIEFBOT_CONTENT_DIR": str(ROOT / "content"),
        "BRIEFBOT_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "sources", "--json"],
        env=base,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first answer is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "internal error" not in err and "Traceback" not in err and "Exception" not in err
