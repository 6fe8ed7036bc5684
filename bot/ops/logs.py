"""Edge: log lines (text or JSON) carrying the ids that let an operator follow one event."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

# The ids that let an operator follow one request across replicas.
CONTEXT_FIELDS: tuple[str, ...] = ("event_id", "channel", "job_id", "ref")
_NO_IDS: Mapping[str, str] = MappingProxyType({})
_log_context: ContextVar[Mapping[str, str]] = ContextVar("briefbot_log_context", default=_NO_IDS)

# Token shapes Slack issues; a log line must never carry one, whatever a caller formats into it.
_TOKEN_RE = re.compile(r"\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+")


@contextlib.contextmanager
def log_context(**ids: str | None) -> Iterator[None]:
    """Attach ids (event_id, channel, job_id, ...) to every log line written inside the block.

    A ContextVar does not follow work handed to another thread (Bolt's lazy listeners run in
    a thread pool), so bind again where that work starts.
    """
    merged = {**_log_context.get(), **{k: str(v) for k, v in ids.items() if v is not None}}
    token = _log_context.set(merged)
    try:
        yield
    finally:
        _log_context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the bound ids onto each record unless the call passed them with ``extra=``."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _log_context.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape_control(m: re.Match[str]) -> str:
    return m.group().encode("unicode_escape").decode("ascii")


def redact(text: str) -> str:
    return _TOKEN_RE.sub("[redacted-token]", text)


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = str(value)
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines for a terminal, with the same ids appended as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802  (logging's name)
        # One record, one line: a newline (or any control character) inside a message, say
        # from a form body, must not start what looks like another log line. Tracebacks are
        # added after this and stay multi-line.
        record.message = _CONTROL_CHARS.sub(_escape_control, record.message)
        line = super().formatMessage(record)
        # The ids end the record's own line, before any traceback, so grep finds them.
        ids = " ".join(
            f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if getattr(record, k, None)
        )
        ids = _CONTROL_CHARS.sub(_escape_control, ids)
        return f"{line} [{ids}]" if ids else line

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def new_reference_id() -> str:
    """A short id shown to the user and logged with the error, to find one failure in the logs."""
    return secrets.token_hex(4)


_HANDLER_MARK = "_briefbot_handler"


# Libraries whose INFO lines are noise for an operator: alembic's "setup plugin" and
# migration chatter (our own start-up line names the schema), APScheduler's line per tick.
QUIET_LIBRARIES = ("alembic", "apscheduler")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at each line, not the stream of the day it was made
    (a test runner swaps sys.stderr per command; a kept stream would be closed by then),
    unless a stream is set with setStream."""

    def __init__(self) -> None:
        super().__init__()
        self._chosen: Any = None

    @property
    def stream(self) -> Any:
        return getattr(self, "_chosen", None) or sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        self._chosen = None if value is sys.stderr else value


def configure_logging(fmt: str = "text", *, level: int | str = logging.INFO) -> logging.Handler:
    """Configure the root logger once at the entry point; calling again replaces our handler."""
    if fmt not in ("text", "json"):
        raise ValueError("log format must be 'text' or 'json'")
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.setFormatter(JsonLinesFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
