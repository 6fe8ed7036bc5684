"""`serve` picks its mode from the tokens set, or names the one setting that is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.runtime import Runtime, load_settings

BOT = "xoxb-1-2-servemode"
APP = "xapp-1-A1-2-servemode"
SECRET = "serve-mode-signing-secret"


def _runtime(tmp_path: Path, **tokens: str | None) -> Runtime:
    given = {"SLACK_BOT_TOKEN": None, "SLACK_APP_TOKEN": None, "SLACK_SIGNING_SECRET": None}
    return Runtime(load_settings(BRIEFBOT_DATA_DIR=tmp_path, **(given | tokens)))


@pytest.mark.parametrize(
    ("tokens", "http", "mode"),
    [
        ({}, False, "console"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, False, "socket"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET}, True, "http"),
        # --http wins over an app token also set.
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET},
            True,
            "http",
        ),
    ],
)
def test_the_tokens_set_choose_the_mode(
    tmp_path: Path, tokens: dict[str, str], http: bool, mode: str
) -> None:
    assert _runtime(tmp_path, **tokens).serve_mode(http=http) == mode


@pytest.mark.parametrize(
    ("tokens", "http", "missing"),
    [
        ({}, True, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": BOT}, True, "SLACK_SIGNING_SECRET"),
        ({"SLACK_APP_TOKEN": APP}, False, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": BOT}, False, "SLACK_APP_TOKEN"),
    ],
)
def test_a_missing_token_is_named_and_no_value_is_shown(
    tmp_path: Path, tokens: dict[str, str], http: bool, missing: str
) -> None:
    with pytest.raises(SettingsError, match=f"setting {missing} is missing") as refused:
        _runtime(tmp_path, **tokens).serve_mode(http=http)
    assert not any(value in str(refused.value) for value in (BOT, APP, SECRET))
