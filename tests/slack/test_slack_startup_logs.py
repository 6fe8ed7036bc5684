"""Start-up: one log line per component and no library noise; a refused token stops it."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_process import ServeProcess, slack_env
from slack_harness import BOT_TOKEN, bot_settings
from slack_standin import SlackStandIn

from bot.corpus import CorpusIndex
from bot.corpus_sync import CorpusProvider
from bot.errors import SettingsError
from bot.models import Corpus
from bot.runtime import slack_deps
from bot.slack.app import build_app
from bot.store import Store


def test_serve_logs_mode_database_corpus_and_address_once_each_and_nothing_else(
    tmp_path: Path, slack: SlackStandIn, corpus: Corpus, corpus_dir: Path
) -> None:
    # The tokens in the environment, as in a container: what made Bolt warn "`token` will be
    # unused". The session's compiled corpus: no rebuild.
    served = ServeProcess(slack_env(tmp_path, slack, BRIEFBOT_DATA_DIR=str(corpus_dir)), tmp_path)
    port = served.port
    try:
        served.wait_health()
        stderr = served.stop(timeout=15)
    finally:
        served.kill()
    lines = stderr.strip().splitlines()
    messages = [line.split(": ", 1)[1] if ": " in line else line for line in lines]
    for component in ("mode: ", "database: ", "corpus: ", "listening: "):
        assert sum(m.startswith(component) for m in messages) == 1, (component, lines)
    assert f"listening: http://127.0.0.1:{port}/slack/events" in messages
    assert any(m.startswith(f"corpus: {corpus.version[:12]} (") for m in messages), lines
    assert not [line for line in lines if "alembic" in line or "apscheduler" in line], lines
    assert "will be unused" not in stderr
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line], lines
    assert BOT_TOKEN not in stderr


def test_a_refused_bot_token_stops_start_up_naming_the_setting(
    tmp_path: Path, slack: SlackStandIn, corpus: Corpus
) -> None:
    slack.fail_next("auth.test", status=200, error="invalid_auth")
    store = Store(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    deps = slack_deps(bot_settings(slack, tmp_path), CorpusProvider(CorpusIndex(corpus)), store)
    with pytest.raises(SettingsError, match=r"SLACK_BOT_TOKEN .*\(invalid_auth\)") as refused:
        build_app(deps)
    assert BOT_TOKEN not in str(refused.value)
    store.close()
