"""`briefbot subscribe` changes only the fields given and refuses what is not a channel id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.channels import parse_channel_id
from bot.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus-cache")  # the compiled corpus, built once here


@pytest.fixture
def cli_env(tmp_path: Path, corpus_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(corpus_cache))
    monkeypatch.setenv("BRIEFBOT_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'subs.sqlite3'}")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


def _cli(*args: str) -> tuple[int, str, str]:
    from bot.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(_cli("subscriptions", "--json")[1])
    return rows


CHANNEL = "C0TRENDS42"


def test_changing_the_time_keeps_day_zone_and_topics(cli_env: Path) -> None:
    code, _, err = _cli(
        "subscribe", CHANNEL, "--day", "fri", "--time", "16:00", "--tz", "Europe/London",
        "--topics", "quantum, regulation",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _cli("subscribe", CHANNEL, "--time", "9:00")
    assert code == 0, err
    (row,) = _rows()
    assert (row["day"], row["time"], row["tz"], row["topics"]) == (
        "fri",
        "09:00",
        "Europe/London",
        ["quantum", "regulation"],
    )
    # It says what it was, so a surprise is visible at once.
    assert "fri at 09:00 (Europe/London)" in out and "was every fri at 16:00" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--day", "thursday"], ("thu", "16:00", "Europe/London", ["quantum"])),
        (["--tz", "Asia/Tokyo"], ("fri", "16:00", "Asia/Tokyo", ["quantum"])),
        (["--topics", "regulation"], ("fri", "16:00", "Europe/London", ["regulation"])),
        (["--topics", ""], ("fri", "16:00", "Europe/London", [])),  # all topics again
        ([], ("fri", "16:00", "Europe/London", ["quantum"])),
    ],
)
def test_each_option_changes_only_its_own_field(
    cli_env: Path, args: list[str], expected: tuple[object, ...]
) -> None:
    _cli(
        "subscribe", CHANNEL, "--day", "fri", "--time", "16:00", "--tz", "Europe/London",
        "--topics", "quantum",
    )  # fmt: skip
    code, _, err = _cli("subscribe", CHANNEL, *args)
    assert code == 0, err
    (row,) = _rows()
    assert (row["day"], row["time"], row["tz"], row["topics"]) == expected


def test_a_new_subscription_gets_the_defaults(cli_env: Path) -> None:
    assert _cli("subscribe", CHANNEL)[0] == 0
    (row,) = _rows()
    assert (row["day"], row["time"], row["tz"], row["topics"]) == ("mon", "09:00", "UTC", [])


def test_a_bad_change_keeps_the_subscription_as_it_was(cli_env: Path) -> None:
    _cli("subscribe", CHANNEL, "--day", "fri", "--tz", "Europe/London")
    code, _, err = _cli("subscribe", CHANNEL, "--time", "25:00")
    assert code == 2 and err.startswith("error: ")
    (row,) = _rows()
    assert (row["day"], row["time"], row["tz"]) == ("fri", "09:00", "Europe/London")


@pytest.mark.parametrize("name", ["#ai-trends", "ai-trends", "general"])
def test_a_channel_name_is_refused_with_how_to_find_the_id(cli_env: Path, name: str) -> None:
    code, out, err = _cli("subscribe", name, "--time", "9:00")
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("error: ") and "channel name" in line
    assert "Channel ID" in line and "Copy link" in line
    assert _rows() == []


@pytest.mark.parametrize("bad", ["C1", "C0123", "c0123abcd", "X0123ABCD", "C0123ABC!", ""])
def test_what_is_not_a_channel_id_is_refused_by_subscribe_and_unsubscribe(
    cli_env: Path, bad: str
) -> None:
    for command in ("subscribe", "unsubscribe"):
        code, _, err = _cli(command, bad)
        assert code == 2 and err.startswith("error: ") and "C0123ABCD" in err, err
    assert _rows() == []


@pytest.mark.parametrize("good", ["C0123ABCD", "G01234567AB", "D0123ABCDE", " C0TRENDS42 "])
def test_slack_ids_are_accepted(good: str) -> None:
    assert parse_channel_id(good) == good.strip()


@given(st.text(max_size=60))
def test_any_text_is_an_id_or_an_input_error(text: str) -> None:
    try:
        assert parse_channel_id(text) == text.strip()
    except InputError as exc:
        assert "C0123ABCD" in str(exc)
