"""A digest with new reports shares the coverage grid PNG in its thread, once, never at its cost."""

from __future__ import annotations

import logging
import struct
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.corpus import CorpusIndex
from bot.delivery import AttachRequest, AttachSend, PostRequest, RunReport, run_due, web_api_send
from bot.ops.metrics import sample_value
from bot.store import Delivery, Store
from tests.digests.sample import long_corpus, no_sleep, small_corpus
from tests.slack.slack_harness import spec_problems
from tests.slack_standin import DEFAULT_SCOPES, SlackStandIn

pytest.importorskip("matplotlib", reason="the coverage PNG needs the charts extra")

SLOT = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
LEASE = timedelta(minutes=15)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FILE_METHODS = ("files.getUploadURLExternal", "upload", "files.completeUploadExternal")


class Crash(BaseException):
    """What SIGKILL looks like to the code after it: nothing runs (not an Exception)."""


@pytest.fixture
def backdated(sqlite_store: Store) -> Store:
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    sqlite_store.subscribe("C1", "mon", "09:00", "Europe/Berlin")
    with sqlite_store.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=SLOT - timedelta(days=14)))
    return sqlite_store


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    """The Web API stand-in; after the test every call it took must match Slack's spec."""
    with SlackStandIn() as standin:
        yield standin
        problems = [p for c in standin.calls for p in spec_problems(c)]
        assert not problems, problems


def _send(slack: SlackStandIn) -> AttachSend:
    send = web_api_send(WebClient(token="xoxb-test", base_url=slack.url))
    assert isinstance(send, AttachSend)
    return send


def _run(at: datetime, store: Store, index: CorpusIndex, send: object) -> RunReport:
    return run_due(at, store, index, send, pace=0, sleep=no_sleep)  # type: ignore[arg-type]


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, the first after the signature."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _only_delivery(store: Store) -> Delivery:
    (d,) = store.deliveries("C1")
    return d


def _heads(slack: SlackStandIn) -> list[object]:
    return [c for c in slack.calls_to("chat.postMessage") if not c.args.get("thread_ts")]


def test_digest_with_new_reports_shares_one_png_in_its_thread(
    backdated: Store, slack: SlackStandIn, tmp_path: Path
) -> None:
    report = _run(SLOT, backdated, CorpusIndex(small_corpus()), _send(slack))

    assert report.sent == 1
    d = _only_delivery(backdated)
    parts = len(slack.calls_to("chat.postMessage"))
    assert d.status == "sent" and d.messages_sent == parts + 1  # the share is one more message
    assert [len(slack.calls_to(m)) for m in FILE_METHODS] == [1, 1, 1]
    (complete,) = slack.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "C1" and complete.args["thread_ts"] == d.thread_ts
    (shared,) = slack.shared_files()
    assert (shared.channel, shared.thread_ts) == ("C1", d.thread_ts)
    assert shared.filename == f"briefbot-coverage-{d.period_key}-d{d.id}.png"
    png = shared.data or b""
    assert png.startswith(PNG_SIGNATURE) and 5_000 < len(png) < 2_000_000
    width, height = _png_size(png)
    assert 600 <= width <= 4000 and 300 <= height <= 4000
    (tmp_path / "coverage.png").write_bytes(png)  # to look at when the test is run by hand
    # The upload goes out after every part: the share is the last message in the thread.
    (upload,) = slack.calls_to("upload")
    assert upload.at >= max(c.at for c in slack.calls_to("chat.postMessage"))


def test_digest_without_new_reports_shares_nothing(backdated: Store, slack: SlackStandIn) -> None:
    index = CorpusIndex(small_corpus())
    assert _run(SLOT, backdated, index, _send(slack)).sent == 1
    slack.reset()

    week_later = _run(SLOT + timedelta(days=7), backdated, index, _send(slack))

    assert week_later.sent == 1
    assert slack.calls_to("chat.postMessage"), "the quiet week's digest still goes out"
    assert [c.method for c in slack.calls if c.method in FILE_METHODS] == []


@pytest.mark.parametrize(
    "failing",
    ["files.getUploadURLExternal", "upload", "files.completeUploadExternal", "missing scope"],
)
def test_failed_upload_still_delivers_the_digest_once(
    backdated: Store, slack: SlackStandIn, failing: str
) -> None:
    if failing == "missing scope":
        slack.grant_scopes([s for s in DEFAULT_SCOPES if s != "files:write"])
    elif failing == "upload":
        slack.fail_next("upload", status=500)
    else:
        slack.fail_next(failing, status=200, error="internal_error")
    failed_before = sample_value("briefbot_digest_attachments_total", {"outcome": "failed"})
    index = CorpusIndex(long_corpus())

    report = _run(SLOT, backdated, index, _send(slack))

    assert report.sent == 1 and report.failed == 0
    d = _only_delivery(backdated)
    parts = len(slack.calls_to("chat.postMessage"))
    assert parts >= 2 and d.status == "sent" and d.messages_sent == parts
    assert len(_heads(slack)) == 1 and slack.shared_files() == []
    after = sample_value("briefbot_digest_attachments_total", {"outcome": "failed"})
    assert after == failed_before + 1
    # Nothing is retried later: not the digest, not its attachment.
    again = _run(SLOT + LEASE * 2, backdated, index, _send(slack))
    assert again.outcomes == () and len(slack.calls_to("chat.postMessage")) == parts


class _Around:
    """Posts, looks and uploads through a real AttachSend; subclasses change `attach`."""

    def __init__(self, inner: AttachSend) -> None:
        self.inner = inner

    def __call__(self, request: PostRequest) -> str:
        return self.inner(request)

    def find_posted(self, request: PostRequest, *, not_before: datetime) -> str | None:
        return self.inner.find_posted(request, not_before=not_before)

    def find_attached(self, request: AttachRequest) -> bool:
        return self.inner.find_attached(request)


class _CrashAround(_Around):
    """Posts and uploads for real; the process 'dies' before or right after the upload."""

    def __init__(self, inner: AttachSend, *, after_upload: bool) -> None:
        super().__init__(inner)
        self.after_upload = after_upload

    def attach(
        self, request: AttachRequest, *, still_ours: Callable[[], bool] = lambda: True
    ) -> bool:
        if self.after_upload:
            self.inner.attach(request, still_ours=still_ours)
        raise Crash("killed around the upload")


@pytest.mark.parametrize("after_upload", [True, False], ids=["after", "before"])
def test_takeover_around_the_upload_shares_the_png_once(
    backdated: Store, slack: SlackStandIn, after_upload: bool
) -> None:
    index = CorpusIndex(long_corpus())
    with pytest.raises(Crash):
        _run(SLOT, backdated, index, _CrashAround(_send(slack), after_upload=after_upload))
    dead = _only_delivery(backdated)
    parts = len(slack.calls_to("chat.postMessage"))
    assert (dead.status, dead.messages_sent) == ("claimed", parts)  # the share went unrecorded
    assert len(slack.shared_files()) == (1 if after_upload else 0)

    report = _run(SLOT + LEASE + timedelta(minutes=1), backdated, index, _send(slack))

    assert report.sent == 1
    d = _only_delivery(backdated)
    assert d.status == "sent" and d.messages_sent == parts + 1
    assert len(slack.calls_to("chat.postMessage")) == parts, "no part was posted again"
    assert len(slack.shared_files()) == 1 and len(slack.calls_to("upload")) == 1
    assert [c.method for c in slack.calls_to("conversations.replies")] == [
        "conversations.replies"
    ], "the run that took over looked for the share once"


class _SlowUpload(_Around):
    """Posts and uploads for real, but the upload outlasts the lease: before this run can share
    the file, another replica's run takes the delivery over (and shares its own upload)."""

    def __init__(self, inner: AttachSend, take_over: Callable[[], None]) -> None:
        super().__init__(inner)
        self.take_over = take_over

    def attach(
        self, request: AttachRequest, *, still_ours: Callable[[], bool] = lambda: True
    ) -> bool:
        def late() -> bool:
            self.take_over()
            return still_ours()

        return self.inner.attach(request, still_ours=late)


def test_a_run_that_lost_its_claim_during_the_upload_does_not_share_the_png(
    backdated: Store, slack: SlackStandIn
) -> None:
    # Seen under load with three replicas: a slow replica's upload outlasted its lease, the
    # replica that took over found no share and shared the PNG, then the slow one shared too.
    index = CorpusIndex(long_corpus())
    other: list[RunReport] = []

    def take_over() -> None:
        other.append(_run(SLOT + LEASE + timedelta(minutes=1), backdated, index, _send(slack)))

    slow = _run(SLOT, backdated, index, _SlowUpload(_send(slack), take_over))

    assert [o.status for o in slow.outcomes] == ["retry"]  # it stopped at the share
    assert other and other[0].sent == 1
    parts = len(slack.calls_to("chat.postMessage"))
    d = _only_delivery(backdated)
    assert d.status == "sent" and d.messages_sent == parts + 1
    assert len(slack.calls_to("upload")) == 2, "both runs uploaded the bytes"
    assert len(slack.shared_files()) == 1, "only the run holding the claim shared them"


def test_without_the_charts_extra_the_digest_goes_out_with_one_log_line(
    backdated: Store,
    slack: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What `import matplotlib` does when the extra is not installed.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    backdated.subscribe("C2", "mon", "09:00", "Europe/Berlin")
    from sqlalchemy import update

    from bot.store.tables import SubscriptionRow

    with backdated.engine.begin() as conn:
        conn.execute(update(SubscriptionRow).values(created_at=SLOT - timedelta(days=14)))
    with caplog.at_level(logging.INFO, logger="bot.delivery"):
        report = _run(SLOT, backdated, CorpusIndex(small_corpus()), _send(slack))

    assert report.sent == 2
    assert [c.method for c in slack.calls if c.method in FILE_METHODS] == []
    skipped = [r for r in caplog.records if "charts extra" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.INFO
