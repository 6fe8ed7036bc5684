"""Composition of the Slack edge: build_app(deps) wires every surface into one Bolt App."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.error import URLError

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.errors import SettingsError
from bot.ops.logs import log_context
from bot.ops.metrics import counting_retry_handlers, record_event_received
from bot.render.actions import (
    ACTION_CHOICE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_MORE,
    ACTION_NEXT_PAGE,
    ACTION_SHOW_QUOTES,
    ACTION_SOURCES,
    ACTION_SUBSCRIBE,
    ACTION_VERDICT_CURATOR,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_REAL,
)
from bot.render.subscription_modal import CALLBACK_SUBSCRIBE
from bot.slack import actions, commands, events
from bot.slack.apology import on_error
from bot.slack.delivery_rules import event_id
from bot.slack.deps import SlackDeps
from bot.slack.verification import refuse_replays

if TYPE_CHECKING:
    from bot.slack.event_inbox import EventInbox

logger = logging.getLogger(__name__)

Listener = Callable[..., None]
SurfaceKind = Literal["event", "command", "action", "view"]


@dataclass(frozen=True)
class Surface:
    """One thing Slack can send us, named as in the app manifest, and what handles it."""

    kind: SurfaceKind
    # manifest name: "app_mention", "message.im", "/trends"; a button action id; a modal's
    # callback id (view_submission)
    name: str
    listener: Callable[[SlackDeps], Listener]

    @property
    def event_type(self) -> str:
        """The Events API `type` ("message.im" arrives as type "message", channel_type "im")."""
        return self.name.split(".", 1)[0]


# The registry the manifest test reads: every entry is registered by build_app, and the
# manifest must name exactly these events and commands.
SURFACES: tuple[Surface, ...] = (
    Surface("event", "app_mention", events.on_app_mention),
    Surface("event", "message.im", events.on_direct_message),
    Surface("event", "app_home_opened", events.on_app_home_opened),
    Surface("command", "/trends", commands.on_trends),
    Surface("action", ACTION_SOURCES, actions.on_sources),
    Surface("action", ACTION_MORE, actions.on_more),
    Surface("action", ACTION_SUBSCRIBE, actions.on_subscribe),
    Surface("action", ACTION_FEEDBACK_UP, actions.on_feedback_up),
    Surface("action", ACTION_FEEDBACK_DOWN, actions.on_feedback_down),
    Surface("action", ACTION_NEXT_PAGE, actions.on_next_page),
    Surface("action", ACTION_SHOW_QUOTES, actions.on_show_quotes),
    Surface("action", ACTION_VERDICT_REAL, actions.on_verdict_real),
    Surface("action", ACTION_VERDICT_NOT, actions.on_verdict_not),
    Surface("action", ACTION_VERDICT_CURATOR, actions.on_verdict_curator),
    Surface("action", ACTION_CHOICE, actions.on_choice),
    Surface("view", CALLBACK_SUBSCRIBE, actions.on_subscription_saved),
)


@dataclass(frozen=True)
class Scope:
    """One bot token scope the manifest asks for, and why the app needs it."""

    name: str
    why: str


# The bot scopes the manifest asks for and `briefbot doctor` expects to be granted. Kept next to
# SURFACES so a new surface and the scope it needs change in one place.
SCOPES: tuple[Scope, ...] = (
    Scope("app_mentions:read", "app_mention events"),
    Scope("chat:write", "answers, digests, apologies"),
    Scope("commands", "/trends"),
    Scope("im:history", "message.im events (DMs to the bot)"),
    Scope("channels:history", "conversations.replies: was a dead replica's answer posted?"),
    Scope("groups:history", "the same in private channels"),
    Scope("im:read", "DM channel details"),
    Scope("im:write", "notes to a user who pressed a button in App Home"),
    Scope("users:read", "users.info: the subscriber's time zone"),
    Scope("channels:read", "users.conversations, conversations.info: channels and membership"),
    Scope("groups:read", "the same for private channels"),
    Scope("files:write", "a digest with new reports shares the coverage grid PNG in its thread"),
)


def _retry_handlers(max_retries: int) -> list[RetryHandler]:
    """Wait out 429s (Retry-After); retry 5xx and dropped connections with backoff."""
    handlers: list[RetryHandler] = [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries),
        ConnectionErrorRetryHandler(max_retry_count=max_retries),
    ]
    return counting_retry_handlers(handlers)


def build_client(
    token: str, base_url: str, *, max_retries: int = 3, timeout: int = 10
) -> WebClient:
    """A Web API client that waits out 429s (Retry-After) and retries 5xx and dropped
    connections with backoff, through slack-sdk's own retry handlers."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=_retry_handlers(max_retries),
    )


# auth.test errors that mean the token itself is wrong (anything else: Slack or the URL).
_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


def check_slack(client: WebClient) -> None:
    """auth.test at start-up: a SettingsError naming SLACK_BOT_TOKEN or SLACK_API_URL."""
    # The client logs every failed try as an ERROR (to Bolt's logger when Bolt made it); the
    # one line below says it all.
    sdk_log = client.logger
    level = sdk_log.level
    sdk_log.setLevel(logging.CRITICAL)
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        if error in _TOKEN_ERRORS:
            raise SettingsError(
                f"setting SLACK_BOT_TOKEN was refused by Slack ({error}): "
                "copy the Bot User OAuth Token of the installed app"
            ) from None
        raise SettingsError(
            f"setting SLACK_API_URL: Slack's Web API failed auth.test ({error[:80]})"
        ) from None
    except (OSError, URLError) as exc:  # refused, unknown host, timeout, TLS
        reason = getattr(exc, "reason", None) or exc
        why = getattr(reason, "strerror", None) or type(reason).__name__
        raise SettingsError(
            f"setting SLACK_API_URL: cannot reach Slack's Web API ({str(why)[:80]})"
        ) from None
    finally:
        sdk_log.setLevel(level)


def _with_log_ids(listener: Listener) -> Listener:
    """Bind the event id and channel to every log line the listener writes (it runs on a
    worker thread, where the request's context does not follow)."""

    @functools.wraps(listener)
    def bound(*args: Any, **kwargs: Any) -> None:
        body = kwargs.get("body") or {}
        event = body.get("event") or {}
        channel = (
            event.get("channel") or body.get("channel_id") or (body.get("channel") or {}).get("id")
        )
        if event:
            record_event_received(str(event.get("type", "")))
        with log_context(event_id=event_id(body), channel=channel):
            listener(*args, **kwargs)

    return bound


def _bolt_app(**kwargs: Any) -> App:
    try:
        return App(**kwargs)
    except BoltError as exc:  # Bolt's own auth.test disagreed with check_slack's a moment ago
        raise SettingsError(f"setting SLACK_BOT_TOKEN was refused by Slack ({exc})") from None


class WithholdRequestContent(logging.Filter):
    """Bolt writes request bodies into some of its own log lines (a failed signature check,
    an unhandled request); keep the sentence, drop the content."""

    _PREFIXES = ("Invalid request signature detected", "Unhandled request", "request body")

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        prefix = next((p for p in self._PREFIXES if message.lower().startswith(p.lower())), None)
        if prefix is not None:
            record.msg, record.args = f"{prefix} (request content withheld)", ()
        return True


_BOLT_LOGGERS = ("slack_bolt", "slack_bolt.RequestVerification")


def _withhold_bolt_request_content() -> None:
    for name in _BOLT_LOGGERS:
        bolt_logger = logging.getLogger(name)
        if not any(isinstance(f, WithholdRequestContent) for f in bolt_logger.filters):
            bolt_logger.addFilter(WithholdRequestContent())


def build_app(deps: SlackDeps, *, inbox: EventInbox | None = None) -> App:
    """The Bolt app answering every surface in SURFACES; acks first, works after (HTTP mode
    and Socket Mode alike)."""
    if not deps.bot_token:
        raise SettingsError("setting SLACK_BOT_TOKEN is missing: the Slack app needs a bot token")
    secret = deps.signing_secret
    _withhold_bolt_request_content()
    app = _bolt_app(
        # token=, not client=: Bolt also reads SLACK_BOT_TOKEN from the environment, and given
        # a client as well it warns that the token is unused. Its client is tuned below.
        token=deps.bot_token,
        signing_secret=secret,
        # Bolt's own auth.test would go to slack.com before the client points at SLACK_API_URL;
        # _verify_token does it right after (Bolt's authorization then runs auth.test once, on
        # the first request, and keeps the answer).
        token_verification_enabled=False,
        # Ack within Slack's 3 s, then answer on the listener pool.
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=deps.listener_threads, thread_name_prefix="briefbot-listener"
        ),
        # Socket Mode has no signatures to check; HTTP mode always checks them.
        request_verification_enabled=secret is not None,
        logger=logging.getLogger("slack_bolt"),
    )
    app.client.base_url = deps.api_url
    app.client.timeout = 10
    app.client.retry_handlers = _retry_handlers(deps.max_retries)
    check_slack(app.client)  # one line naming the setting, not Bolt's traceback
    # Commands and button presses carry no event_id: a replayed signed request (same timestamp
    # and signature) is recognised by those and runs once, across replicas.
    app.use(refuse_replays(deps.store))
    if inbox is None:  # the one de-duplication of events, with or without a recovery loop
        from bot.slack.event_inbox import EventInbox

        inbox = EventInbox(deps.store, recovers=False)
    app.use(inbox.middleware())  # durable events (bot/slack/event_inbox.py): stored before ack
    for surface in SURFACES:
        listener = _with_log_ids(surface.listener(deps))
        if surface.kind == "event":
            listener = inbox.tracked(listener)
        if surface.kind == "event":
            app.event(surface.event_type)(listener)
        elif surface.kind == "command":
            app.command(surface.name)(listener)
        elif surface.kind == "view":
            app.view(surface.name)(listener)
        else:
            # Buttons of one kind in one block need distinct ids: "<action>:<n>" is the same.
            app.action(re.compile(rf"^{re.escape(surface.name)}(:\d{{1,2}})?$"))(listener)
    app.error(on_error)
    return app
