"""The digest CLI (a thin shell over the library) and the APScheduler tick inside serve."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.corpus import CorpusIndex
from bot.delivery import PostRequest
from bot.delivery.scheduler import JOB_ID, build_scheduler
from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BRIEFBOT_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


def _cli(*args: str) -> tuple[int, str, str]:
    from bot.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_subscribe_list_unsubscribe(cli_env: Path) -> None:
    code, out, _ = _cli(
        "subscribe", "C0DIGEST1", "--day", "Friday", "--time", "7:30", "--tz", "Europe/Berlin",
        "--topics", "multimodal, regulation",
    )  # fmt: skip
    assert code == 0 and "fri at 07:30 (Europe/Berlin)" in out
    code, out, _ = _cli("subscriptions", "--json")
    (row,) = json.loads(out)
    assert row["topics"] == ["multimodal", "regulation"] and row["next"]
    assert _cli("unsubscribe", "C0DIGEST1")[1].strip() == "C0DIGEST1: unsubscribed"
    assert json.loads(_cli("subscriptions", "--json")[1]) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--day", "funday"], "mon, tue"),
        (["--time", "25:00"], "HH:MM"),
        (["--tz", "Mars/Olympus"], "IANA"),
        (["--topics", "multimodl"], "did you mean multimodal"),
    ],
)
def test_invalid_subscription_stores_nothing(cli_env: Path, args: list[str], message: str) -> None:
    code, _, err = _cli("subscribe", "C0DIGEST1", *args)
    assert code == 2 and message in err
    assert json.loads(_cli("subscriptions", "--json")[1]) == []


def _due_subscription(cli_env: Path) -> Store:
    _cli("subscribe", "C0DIGEST9", "--day", "mon", "--time", "09:00", "--tz", "Europe/Berlin")
    store = Store(f"sqlite:///{cli_env / 'briefbot.sqlite3'}")
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    with store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=datetime(2025, 1, 1, tzinfo=UTC)))
    return store


def test_run_due_without_token_is_a_dry_run_that_records_nothing(cli_env: Path) -> None:
    store = _due_subscription(cli_env)
    for _ in range(2):  # the same digest each time: nothing was recorded
        code, out, err = _cli("run-due", "--at", "2025-10-27T09:05+01:00")
        assert code == 0, err
        assert "dry run" in err and "nothing is posted or recorded" in err
        assert "AI trends digest" in out and "C0DIGEST9 2025-W44: would be sent" in out
    assert store.deliveries() == []
    from sqlalchemy import func, select

    from bot.store.tables import SourceSeenRow

    with store.engine.connect() as conn:  # not even "first seen" times of the reports
        assert conn.execute(select(func.count()).select_from(SourceSeenRow)).scalar() == 0
    store.close()


def test_run_due_record_opts_in_to_recording_printed_digests(cli_env: Path) -> None:
    store = _due_subscription(cli_env)
    code, out, err = _cli("run-due", "--record", "--at", "2025-10-27T09:05+01:00")
    assert code == 0, err
    assert "recording them as sent" in err and "C0DIGEST9 2025-W44: sent" in out
    code, out, _ = _cli("run-due", "--record", "--at", "2025-10-27T09:06+01:00")
    assert "C0DIGEST9" not in out  # once
    (d,) = store.deliveries("C0DIGEST9")
    assert d.status == "sent"
    store.close()


@pytest.mark.parametrize("record", [False, True])
def test_run_due_refuses_an_at_in_the_future_unless_forced(cli_env: Path, record: bool) -> None:
    store = _due_subscription(cli_env)
    flags = ["--record"] if record else []
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    code, out, err = _cli("run-due", *flags, "--at", future)
    assert code == 2 and "in the future" in err and "--force" in err and out == ""
    assert store.deliveries() == []
    soon = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()  # clock skew is fine
    assert _cli("run-due", *flags, "--at", soon)[0] == 0
    code, _, err = _cli("run-due", *flags, "--force", "--at", future)
    assert code == 0, err
    store.close()


def test_digest_preview_json(cli_env: Path) -> None:
    code, out, err = _cli("digest", "--preview", "--json", "--topics", "multimodal")
    assert code == 0, err
    payload = json.loads(out)
    assert {i["topic"] for i in payload["digest"]["items"]} <= {"multimodal"}
    assert all(len(m) <= 50 for m in payload["messages"])
    code, _, err = _cli("digest", "--since", "yesterday-ish")
    assert code == 2 and "ISO-8601" in err


def test_scheduler_tick_runs_due_digests(sqlite_store: Store, index: CorpusIndex) -> None:
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    sqlite_store.subscribe("C1", "mon", "09:00", "Europe/Berlin")
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=datetime(2025, 1, 1, tzinfo=UTC)))
    posted = threading.Event()
    posts: list[PostRequest] = []

    def send(request: PostRequest) -> str:
        posts.append(request)
        posted.set()
        return "1.0"

    at = datetime(2025, 10, 27, 8, 1, tzinfo=UTC)
    scheduler = build_scheduler(
        sqlite_store,
        lambda: index,
        send,
        every=timedelta(seconds=1),
        first_run_after=timedelta(0),
        clock=lambda: at,
    )
    job = scheduler.get_job(JOB_ID)
    assert job.misfire_grace_time >= 3600 and job.coalesce is True
    scheduler.start()
    try:
        assert posted.wait(15)
    finally:
        scheduler.shutdown(wait=True)
    assert posts[0].channel == "C1"
    assert [d.status for d in sqlite_store.deliveries("C1")] == ["sent"]


def test_verdicts_lists_the_teams_verdicts_as_text_and_json(cli_env: Path) -> None:
    from bot.runtime import Runtime

    assert "No verdicts yet" in _cli("verdicts")[1]
    Runtime.from_environment().store.add_verdict(
        flag_id="f1", channel="C1", verdict="not_disagreement", user="U1"
    )
    code, out, _ = _cli("verdicts", "--json")
    (row,) = json.loads(out)
    assert code == 0
    assert (row["flag_id"], row["channel"], row["verdict"], row["user"]) == (
        "f1",
        "C1",
        "not_disagreement",
        "U1",
    )
    assert "C1  f1  not_disagreement  U1" in _cli("verdicts")[1]
