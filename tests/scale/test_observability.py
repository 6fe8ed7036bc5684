"""Metrics and JSON-lines logs: what an operator sees when following one request."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.http_retry import RateLimitErrorRetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse

from bot.ops import logs as obs_logs
from bot.ops import metrics as obs


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    buf = io.StringIO()
    handler = obs_logs.configure_logging("json")
    handler.setStream(buf)  # type: ignore[attr-defined]
    try:
        yield buf
    finally:
        logging.getLogger().removeHandler(handler)


def _lines(buf: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(x) for x in buf.getvalue().splitlines() if x.strip()]


def test_metrics_payload_is_prometheus_text_with_every_family() -> None:
    obs.record_answer("whats_new", 0.12, surface="mention")
    obs.record_event_deduplicated()
    obs.record_slack_failure("chat.postMessage")
    obs.record_digest("sent")
    body, ctype = obs.metrics_payload()
    assert ctype.startswith("text/plain")
    names = {f.name for f in text_string_to_metric_families(body.decode())}
    for family in (
        "briefbot_questions_answered",
        "briefbot_answer_latency_seconds",
        "briefbot_events_deduplicated",
        "briefbot_slack_api_retries",
        "briefbot_slack_api_failures",
        "briefbot_digests",
        "process_cpu_seconds",
    ):
        assert family in names, family


def test_counters_move_by_label() -> None:
    before = obs.sample_value(
        "briefbot_questions_answered_total", {"intent": "conflicts", "surface": "dm"}
    )
    missed = obs.sample_value("briefbot_digests_total", {"outcome": "missed"})
    obs.record_answer("conflicts", 0.3, surface="dm")
    obs.record_answer("conflicts", 0.4, surface="dm")
    obs.record_digest("missed")
    after = obs.sample_value(
        "briefbot_questions_answered_total", {"intent": "conflicts", "surface": "dm"}
    )
    assert after - before == 2
    assert obs.sample_value("briefbot_digests_total", {"outcome": "missed"}) - missed == 1
    assert obs.sample_value("briefbot_answer_latency_seconds_count", {"surface": "dm"}) >= 2


def test_digest_outcome_outside_the_three_is_refused() -> None:
    with pytest.raises(ValueError):
        obs.record_digest("posted")  # type: ignore[arg-type]


def test_corpus_version_gauge_follows_reloads() -> None:
    reloads = obs.sample_value("briefbot_corpus_reloads_total")
    obs.record_corpus_version("v1")
    obs.record_corpus_version("v2", previous="v1")
    assert obs.sample_value("briefbot_corpus_info", {"version": "v2"}) == 1
    assert obs.sample_value("briefbot_corpus_info", {"version": "v1"}) == 0
    assert obs.sample_value("briefbot_corpus_reloads_total") - reloads == 1


def _retry(handler: obs.CountingRetryHandler, status: int | None, error: Exception | None) -> bool:
    state = RetryState()
    request = HttpRequest(
        method="POST", url="http://x/api/chat.postMessage", headers={}, body_params={}
    )
    response = (
        HttpResponse(status_code=status, headers={"retry-after": ["0"]}, data=b"{}")
        if status
        else None
    )
    if not handler.can_retry(state=state, request=request, response=response, error=error):
        return False
    handler.prepare_for_next_attempt(state=state, request=request, response=response, error=error)
    return True


def test_retry_handlers_are_counted_by_reason() -> None:
    zero = FixedValueRetryIntervalCalculator(0.0)
    rate, conn = obs.counting_retry_handlers(
        [
            RateLimitErrorRetryHandler(max_retry_count=1),
            ConnectionErrorRetryHandler(interval_calculator=zero),
        ]
    )
    assert isinstance(rate, obs.CountingRetryHandler)
    before_rl = obs.sample_value("briefbot_slack_api_retries_total", {"reason": "rate_limited"})
    before_ce = obs.sample_value("briefbot_slack_api_retries_total", {"reason": "connection_error"})
    assert _retry(rate, 429, None)
    assert not _retry(rate, 200, None)  # nothing to retry: not counted
    assert _retry(conn, None, ConnectionResetError("reset by peer"))
    assert (
        obs.sample_value("briefbot_slack_api_retries_total", {"reason": "rate_limited"}) - before_rl
        == 1
    )
    assert (
        obs.sample_value("briefbot_slack_api_retries_total", {"reason": "connection_error"})
        - before_ce
        == 1
    )
    # Wrapping twice does not count twice.
    assert obs.counting_retry_handlers([rate])[0] is rate


def test_json_lines_carry_ids_from_extra_and_from_context(json_log: io.StringIO) -> None:
    log = logging.getLogger("bot.slack.test")
    log.info("direct", extra={"event_id": "Ev1", "channel": "C1"})
    with obs_logs.log_context(event_id="Ev2", channel="C2"):
        log.info("bound")
        with obs_logs.log_context(job_id="digest:42"):
            log.warning("nested")
    log.info("after")
    direct, bound, nested, after = _lines(json_log)
    assert (direct["event_id"], direct["channel"], direct["msg"]) == ("Ev1", "C1", "direct")
    assert (bound["event_id"], bound["channel"]) == ("Ev2", "C2")
    assert (nested["event_id"], nested["job_id"], nested["level"]) == (
        "Ev2",
        "digest:42",
        "warning",
    )
    assert "event_id" not in after
    assert bound["logger"] == "bot.slack.test" and bound["ts"].endswith("+00:00")


def test_context_does_not_leak_between_threads(json_log: io.StringIO) -> None:
    log = logging.getLogger("bot.thread")

    def work(i: int) -> None:
        with obs_logs.log_context(event_id=f"Ev{i}"):
            log.info("answering %s", i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for line in _lines(json_log):
        assert line["event_id"] == "Ev" + line["msg"].split()[-1]


def test_tokens_and_tracebacks_in_json_lines(json_log: io.StringIO) -> None:
    log = logging.getLogger("bot.secret")
    try:
        raise RuntimeError("boom with xoxb-123-456-abcdef")
    except RuntimeError:
        log.exception("failed calling with token xoxb-123-456-abcdef", extra={"ref": "R-1"})
    (line,) = _lines(json_log)
    assert "xoxb-" not in json.dumps(line)
    assert "RuntimeError" in line["exc"] and line["ref"] == "R-1"


def test_text_format_appends_ids() -> None:
    buf = io.StringIO()
    handler = obs_logs.configure_logging("text")
    handler.setStream(buf)  # type: ignore[attr-defined]
    try:
        with obs_logs.log_context(event_id="Ev9"):
            logging.getLogger("bot.t").info("hello")
    finally:
        logging.getLogger().removeHandler(handler)
    assert buf.getvalue().rstrip().endswith("hello [event_id=Ev9]")


def test_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError):
        obs_logs.configure_logging("xml")
