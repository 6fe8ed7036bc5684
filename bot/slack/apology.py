"""The one catch-all of the Slack edge: log the error with a reference id, apologise to the user."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import BriefbotError
from bot.ops.logs import new_reference_id
from bot.ops.metrics import record_slack_failure
from bot.render import escape_mrkdwn
from bot.slack.delivery_rules import event_id, mention_thread
from bot.slack.verification import is_verified

logger = logging.getLogger(__name__)


def apology_text(ref: str) -> str:
    return (
        f"Sorry, something went wrong while I was answering that. "
        f"If it keeps happening, give the team this reference: `{ref}`."
    )


def _where(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(channel, thread, user) where a failed request came from."""
    event = body.get("event") or {}
    if event:
        user = event.get("user")
        if event.get("type") == "app_home_opened":
            return None, None, user
        channel = event.get("channel")
        thread = (
            mention_thread(event) if event.get("type") == "app_mention" else event.get("thread_ts")
        )
        return channel, thread, user
    if body.get("command"):
        return body.get("channel_id"), None, body.get("user_id")
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    thread = message.get("thread_ts") or message.get("ts")
    return channel, thread, (body.get("user") or {}).get("id")


def on_error(
    error: Exception,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond | None = None,
    context: BoltContext | None = None,
    request: BoltRequest | None = None,
) -> None:
    """Bolt's global error handler: never raises, never goes silent, and never acts on a
    request whose signature was not checked (SlackWsgi refuses those before Bolt sees them;
    this is the second line)."""
    ref = new_reference_id()
    if not is_verified(context, request):
        # Nothing from the body is trusted or repeated: no channel, no user, no response_url.
        logger.error(
            "error on an unverified request ref=%s (%s); nothing sent", ref, type(error).__name__
        )
        return
    body = body if isinstance(body, dict) else {}
    channel, thread, user = _where(body)
    if isinstance(error, BriefbotError):
        # An error the user can fix: tell them how, no stack trace needed. Its text may quote
        # what the user typed, so that only goes to DEBUG.
        logger.warning(
            "user error ref=%s event_id=%s: %s", ref, event_id(body), type(error).__name__
        )
        logger.debug("user error ref=%s: %s", ref, error)
        text = escape_mrkdwn(str(error))
    else:
        # Metrics (scale, issue 6): a Web API call that failed after slack-sdk's retries.
        if isinstance(error, SlackApiError):
            record_slack_failure(str(getattr(error.response, "api_url", "")).rsplit("/", 1)[-1])
        elif isinstance(error, OSError):
            record_slack_failure("connection")
        logger.error(
            "failed to handle request ref=%s event_id=%s channel=%s",
            ref,
            event_id(body),
            channel,
            exc_info=error,
        )
        text = apology_text(ref)
    try:
        if body.get("command") and respond is not None:
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif channel and (body.get("event") or {}).get("type") in ("app_mention", "message"):
            client.chat_postMessage(channel=channel, thread_ts=thread, text=text)
        elif channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        elif user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # the apology itself failed (Slack down?): the log line above remains
        logger.exception("could not send the apology ref=%s", ref)
