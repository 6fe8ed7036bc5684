"""The composition root: settings read once per process, each collaborator built once, and
every command getting what it needs from the Runtime."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bot.runtime.settings as settings_module
from bot.runtime import Runtime, Settings, load_settings, slack_deps

ROOT = Path(__file__).resolve().parents[2]
BOT_TOKEN = "xoxb-1-2-runtimetoken"


@pytest.fixture(scope="module")
def corpus_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus-cache")


@pytest.fixture
def cli_env(tmp_path: Path, corpus_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(corpus_cache))
    monkeypatch.setenv("BRIEFBOT_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every load_settings call (the hook: the Runtime looks it up on its module)."""
    calls: list[int] = []
    real: Callable[..., Settings] = settings_module.load_settings

    def counting(**overrides: object) -> Settings:
        calls.append(1)
        return real(**overrides)

    monkeypatch.setattr(settings_module, "load_settings", counting)
    return calls


COMMANDS = [
    ["subscribe", "C0RUNTIME1", "--time", "9:00"],
    ["unsubscribe", "C0RUNTIME1"],
    ["subscriptions", "--json"],
    ["verdicts"],
    ["feedback"],
    ["run-due", "--at", "2025-10-27T09:05+01:00"],
    ["digest", "--topics", "quantum"],
    ["ask", "what's new in multimodal"],
    ["ingest"],  # with DATABASE_URL set it also publishes the corpus to the database
    ["topics", "--json"],
    ["sources", "--json"],
    ["conflicts", "--json"],
    ["map"],
    ["serve"],  # no tokens: the console, reading the questions from stdin
    ["doctor"],
    ["manifest"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_each_command_reads_the_settings_once(
    cli_env: Path, reads: list[int], args: list[str]
) -> None:
    from bot.cli import app

    result = CliRunner().invoke(app, args, input="what's new in quantum\n")
    # doctor fails its Slack checks here (no tokens); everything else succeeds.
    assert result.exit_code in ((0, 1) if args[0] == "doctor" else (0,)), result.output
    assert len(reads) == 1
    if args[0] == "ingest":  # through the Runtime's one store, no second factory
        assert "published corpus" in result.output


def test_one_process_reads_the_settings_once(tmp_path: Path) -> None:
    """The console script itself, counted from inside the process."""
    script = (
        "import sys, atexit\n"
        "import bot.runtime.settings as s\n"
        "real, n = s.load_settings, []\n"
        "def counting(**kw):\n"
        "    n.append(1)\n"
        "    return real(**kw)\n"
        "s.load_settings = counting\n"
        "atexit.register(lambda: print('settings reads:', len(n), file=sys.stderr))\n"
        "from bot.__main__ import main\n"
        "sys.argv = ['briefbot', 'subscribe', 'C0RUNTIME2', '--day', 'fri']\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRIEFBOT_"))}
    env |= {
        "BRIEFBOT_DATA_DIR": str(tmp_path),
        "BRIEFBOT_CONTENT_DIR": str(ROOT / "content"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "C0RUNTIME2: every fri at 09:00 (UTC)" in done.stdout
    assert "settings reads: 1" in done.stderr


def test_a_command_runs_on_the_runtime_it_is_given(cli_env: Path, reads: list[int]) -> None:
    from bot.cli import app

    given = load_settings(DATABASE_URL=f"sqlite:///{cli_env / 'given.sqlite3'}")
    reads.clear()
    runtime = Runtime(given)
    result = CliRunner().invoke(app, ["subscribe", "C0GIVEN123"], obj=runtime)
    assert result.exit_code == 0, result.output
    assert reads == []  # nothing read from the environment
    assert [s.channel for s in runtime.store.subscriptions()] == ["C0GIVEN123"]
    runtime.store.close()


def test_collaborators_are_built_once(cli_env: Path) -> None:
    runtime = Runtime.from_environment()
    assert runtime.store is runtime.store
    assert runtime.settings is runtime.settings
    assert runtime.delivery_policy.lease.total_seconds() == runtime.settings.digest_lease_seconds
    runtime.store.close()


def test_a_bad_setting_is_the_same_error_at_every_use(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, reads: list[int]
) -> None:
    from bot.errors import SettingsError

    monkeypatch.setenv("PORT", "0")
    runtime = Runtime.from_environment()
    assert runtime.log_format == "text"  # the entry point still configures logging
    for _ in range(2):
        with pytest.raises(SettingsError, match="PORT"):
            runtime.settings  # noqa: B018
    assert len(reads) == 1


def test_the_slack_edge_gets_plain_values_not_settings(tmp_path: Path) -> None:
    from bot.corpus import CorpusIndex
    from bot.store import Store

    settings = load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET="sekrit",
        SLACK_API_URL="http://127.0.0.1:9/api",
        BRIEFBOT_DATA_DIR=tmp_path,
    )
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    index = CorpusIndex.broken("test", datetime.now(UTC))
    deps = slack_deps(settings, lambda: index, store, max_retries=1)
    assert (deps.bot_token, deps.signing_secret, deps.api_url, deps.max_retries) == (
        BOT_TOKEN,
        "sekrit",
        "http://127.0.0.1:9/api/",
        1,
    )
    assert not hasattr(deps, "settings")
    assert BOT_TOKEN not in repr(deps) and "sekrit" not in repr(deps)
    store.close()
