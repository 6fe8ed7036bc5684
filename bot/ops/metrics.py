"""Edge: Prometheus metrics for /metrics: counters the edges bump, one registry per process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Literal

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    gc_collector,
    generate_latest,
    platform_collector,
    process_collector,
)
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

# One registry per process, not prometheus_client's global one, so tests and embedders can
# build apps repeatedly without "duplicated timeseries" errors. Each replica exposes its own
# numbers; Prometheus scrapes every replica and sums them.
# The *_created series double every family's size and nothing here alerts on them.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
process_collector.ProcessCollector(registry=REGISTRY)
platform_collector.PlatformCollector(registry=REGISTRY)
gc_collector.GCCollector(registry=REGISTRY)

QUESTIONS_ANSWERED = Counter(
    "briefbot_questions_answered",
    "Questions answered, by the intent the matcher understood and the Slack surface.",
    ["intent", "surface"],
    registry=REGISTRY,
)
ANSWER_LATENCY = Histogram(
    "briefbot_answer_latency_seconds",
    "Time from receiving a question to the answer being posted.",
    ["surface"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
EVENTS_RECEIVED = Counter(
    "briefbot_events_received",
    "Slack event deliveries received (including Slack's retries).",
    ["type"],
    registry=REGISTRY,
)
EVENTS_DEDUPLICATED = Counter(
    "briefbot_events_deduplicated",
    "Slack events skipped because their event_id was already claimed (a retry or a replica).",
    registry=REGISTRY,
)
SLACK_API_RETRIES = Counter(
    "briefbot_slack_api_retries",
    "Web API calls retried by slack-sdk's retry handlers, by reason.",
    ["reason"],
    registry=REGISTRY,
)
SLACK_API_FAILURES = Counter(
    "briefbot_slack_api_failures",
    "Web API calls that failed for good (after retries), by method.",
    ["method"],
    registry=REGISTRY,
)
DIGESTS = Counter(
    "briefbot_digests",
    "Digest deliveries by outcome: sent, missed (bot was down past the grace period), failed.",
    ["outcome"],
    registry=REGISTRY,
)
DIGEST_ATTACHMENTS = Counter(
    "briefbot_digest_attachments",
    "Coverage PNGs of digests with new reports, by outcome: uploaded, found (shared before a "
    "takeover), failed (the digest still counts as sent), skipped (no charts extra, or the "
    "drawing failed: logged).",
    ["outcome"],
    registry=REGISTRY,
)
EVENTS_RETRIED = Counter(
    "briefbot_events_retried",
    "Slack events whose listener failed (database, Web API, bug); left pending for recovery.",
    registry=REGISTRY,
)
SUBSCRIPTIONS_SKIPPED = Counter(
    "briefbot_subscriptions_skipped",
    "Digest subscriptions skipped by run_due because their stored row is unusable, by reason.",
    ["reason"],
    registry=REGISTRY,
)
CORPUS_RELOADS = Counter(
    "briefbot_corpus_reloads",
    "Times this process swapped in a corpus version published by another replica or ingest.",
    registry=REGISTRY,
)
REQUESTS_REFUSED = Counter(
    "briefbot_requests_refused",
    "Requests to /slack/events refused before Bolt saw them, by HTTP status "
    "(401 unsigned or stale, 413 too large, 400 malformed).",
    ["status"],
    registry=REGISTRY,
)
CORPUS_INFO = Gauge(
    "briefbot_corpus_info",
    "The corpus version this process answers from (value 1 on the current version).",
    ["version"],
    registry=REGISTRY,
)
CONTENT_REJECTED = Gauge(
    "briefbot_content_rejected",
    "1 while the content on disk is refused (a bad file): answers come from the last good "
    "corpus, or say the content is broken when there is none; 0 when the content is good.",
    registry=REGISTRY,
)
CONTENT_REJECTIONS = Counter(
    "briefbot_content_rejections",
    "Content problems found (each new problem once, not once per request or check).",
    registry=REGISTRY,
)

DigestOutcome = Literal["sent", "missed", "failed"]
AttachmentOutcome = Literal["uploaded", "found", "failed", "skipped"]
_DIGEST_OUTCOMES: tuple[str, ...] = ("sent", "missed", "failed")
for _outcome in _DIGEST_OUTCOMES:  # expose zeros from the start so rate() and alerts work
    DIGESTS.labels(outcome=_outcome)
SUBSCRIPTIONS_SKIPPED.labels(reason="time_zone")
for _reason in ("rate_limited", "server_error", "connection_error"):
    SLACK_API_RETRIES.labels(reason=_reason)
for _status in ("400", "401", "413"):
    REQUESTS_REFUSED.labels(status=_status)


def record_answer(intent: str, seconds: float, *, surface: str = "mention") -> None:
    """One question answered: count it under its intent and observe how long it took."""
    QUESTIONS_ANSWERED.labels(intent=intent, surface=surface).inc()
    ANSWER_LATENCY.labels(surface=surface).observe(max(0.0, seconds))


def record_event_received(event_type: str) -> None:
    EVENTS_RECEIVED.labels(type=event_type or "unknown").inc()


def record_event_deduplicated() -> None:
    EVENTS_DEDUPLICATED.inc()


def record_event_retry() -> None:
    EVENTS_RETRIED.inc()


def record_subscription_skipped(reason: str) -> None:
    SUBSCRIPTIONS_SKIPPED.labels(reason=reason).inc()


def record_request_refused(status: int) -> None:
    REQUESTS_REFUSED.labels(status=str(status)).inc()


def record_slack_failure(method: str) -> None:
    SLACK_API_FAILURES.labels(method=method or "unknown").inc()


def record_digest(outcome: DigestOutcome) -> None:
    if outcome not in _DIGEST_OUTCOMES:
        raise ValueError(f"digest outcome must be one of {_DIGEST_OUTCOMES}, not {outcome!r}")
    DIGESTS.labels(outcome=outcome).inc()


def record_digest_attachment(outcome: AttachmentOutcome) -> None:
    DIGEST_ATTACHMENTS.labels(outcome=outcome).inc()


def record_corpus_version(version: str, *, previous: str | None = None) -> None:
    """The process now answers from ``version``; count a reload when it replaced another."""
    if previous is not None and previous != version:
        CORPUS_RELOADS.inc()
        with contextlib.suppress(KeyError):
            CORPUS_INFO.remove(previous)
    CORPUS_INFO.labels(version=version).set(1)


def record_content_state(problem: str | None, *, new: bool = False) -> None:
    """Whether the content on disk is refused now; `new` counts a problem not seen before."""
    CONTENT_REJECTED.set(1 if problem is not None else 0)
    if problem is not None and new:
        CONTENT_REJECTIONS.inc()


def metrics_payload() -> tuple[bytes, str]:
    """The body and Content-Type of a /metrics response (Prometheus text format)."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def sample_value(name: str, labels: Mapping[str, str] | None = None) -> float:
    """Current value of one sample (0.0 when absent); for tests and the bench."""
    value = REGISTRY.get_sample_value(name, dict(labels or {}))
    return float(value) if value is not None else 0.0


# --- Slack API retries --------------------------------------------------------------------


class CountingRetryHandler(RetryHandler):
    """Wraps one of slack-sdk's retry handlers and counts each retry it decides to make."""

    def __init__(self, inner: RetryHandler) -> None:
        super().__init__(
            max_retry_count=inner.max_retry_count, interval_calculator=inner.interval_calculator
        )
        self.inner = inner

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self.inner.can_retry(state=state, request=request, response=response, error=error)

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self.inner._can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        SLACK_API_RETRIES.labels(reason=_retry_reason(response, error)).inc()
        self.inner.prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )


def _retry_reason(response: HttpResponse | None, error: Exception | None) -> str:
    if response is not None and response.status_code == 429:
        return "rate_limited"
    if response is not None and response.status_code >= 500:
        return "server_error"
    if error is not None:
        return "connection_error"
    return "other"


def counting_retry_handlers(handlers: Iterable[RetryHandler]) -> list[RetryHandler]:
    """The same handlers, each counted in briefbot_slack_api_retries_total."""
    return [h if isinstance(h, CountingRetryHandler) else CountingRetryHandler(h) for h in handlers]
