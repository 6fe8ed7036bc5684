"""Button presses (block_actions): sources, more, subscribe, feedback, next page, verdicts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.models import Intent, Match
from bot.render import escape_mrkdwn
from bot.render.actions import (
    ACTION_VERDICT_CURATOR,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_REAL,
    VERDICT_ACTIONS,
    parse_button_value,
)
from bot.render.digest import verdict_line
from bot.render.flags import quotes_mrkdwn
from bot.slack.deps import SlackDeps
from bot.slack.replies import answer_in_conversation, answer_match, post_answer
from bot.slack.subscriptions import subscribe_channel

logger = logging.getLogger(__name__)

Listener = Callable[..., None]

_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,40}", re.ASCII)  # public or private channel


def _pressed(body: dict[str, Any]) -> tuple[dict[str, Any], str | None, str | None, str]:
    """(button value, channel, thread to answer in, user) of a block_actions payload."""
    action = body["actions"][0]
    value = parse_button_value(str(action.get("value", "")))
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    message = body.get("message") or {}
    thread = (
        message.get("thread_ts")
        or message.get("ts")
        or (body.get("container") or {}).get("message_ts")
    )
    user = str((body.get("user") or {}).get("id", ""))
    return value, channel, thread, user


def _tell(client: WebClient, channel: str | None, user: str, text: str) -> None:
    """A short note only the presser sees (in a DM when the button was not in a channel)."""
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    else:
        client.chat_postMessage(channel=user, text=text)


def _answer_button(deps: SlackDeps, intent: Intent) -> Listener:
    def on_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        topic = value.get("topic")
        question = str(value.get("q") or "")
        if not topic:
            answer = answer_in_conversation(deps, question or "help", channel or user, thread)
        else:
            match = Match(intent=intent, topic=str(topic), confidence=1.0)
            answer = answer_match(deps, match, question)
        post_answer(deps, client, answer, channel=channel or user, thread=thread)

    on_button.__name__ = f"on_{intent.value}_button"
    return on_button


def on_sources(deps: SlackDeps) -> Listener:
    return _answer_button(deps, Intent.SOURCES)


def on_more(deps: SlackDeps) -> Listener:
    return _answer_button(deps, Intent.TOPIC_BRIEF)


def _page(value: dict[str, Any]) -> int:
    """The page a Next button asks for (1 when the value does not say, or says nonsense)."""
    raw = value.get("page", 1)
    try:
        page = int(raw) if isinstance(raw, int | str) and len(str(raw)) < 6 else 1
    except ValueError:
        return 1
    return max(page, 0)


def on_next_page(deps: SlackDeps) -> Listener:
    def on_next_page(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        question = str(value.get("q") or "")
        topic = value.get("topic")
        page = _page(value)
        answer = answer_in_conversation(deps, question, channel or user, thread)
        if topic and answer.topic != topic:
            answer = answer_match(
                deps, Match(intent=answer.intent, topic=str(topic), confidence=1.0), question
            )
        post_answer(deps, client, answer, channel=channel or user, thread=thread, page=page)

    return on_next_page


def on_show_quotes(deps: SlackDeps) -> Listener:
    """Both exact quotes of one disagreement, posted in the answer's thread."""

    def on_show_quotes(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        flag_id = str(value.get("flag") or "")
        flag = next((f for f in deps.corpus().corpus.flags if f.flag_id == flag_id), None)
        if flag is None or not channel:
            _tell(client, channel, user, "That disagreement is no longer in the reports.")
            return
        client.chat_postMessage(channel=channel, thread_ts=thread, text=quotes_mrkdwn(flag))

    return on_show_quotes


def on_subscribe(deps: SlackDeps) -> Listener:
    def on_subscribe(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, _thread, user = _pressed(body)
        # A button value is a hint the renderer wrote, never authority: the channel subscribed
        # is the one the button was pressed in, whatever the value says.
        target = channel or ""
        if not _CHANNEL_ID.fullmatch(target):  # a DM, App Home, or no channel at all
            _tell(
                client,
                None,
                user,
                "Run `/trends subscribe` in the channel that should get digests.",
            )
            return
        topic = value.get("topic")
        reply, _stored = subscribe_channel(
            deps, client, target, user, "", topics=(str(topic),) if topic else ()
        )
        _tell(client, channel, user, reply)

    return on_subscribe


def _feedback(deps: SlackDeps, vote: int) -> Listener:
    def on_feedback(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, _thread, user = _pressed(body)
        answer_text = str((body.get("message") or {}).get("text") or "")
        topic = value.get("topic")
        deps.store.add_feedback(
            user=user,
            channel=channel or "",
            question=str(value.get("q") or ""),
            topic=str(topic) if topic else None,
            answer_text=answer_text,
            vote=vote,
        )
        logger.info("feedback vote=%+d topic=%r channel=%s", vote, topic, channel)
        word = "helpful" if vote > 0 else "not helpful"
        name = f" on *{escape_mrkdwn(str(topic))}*" if topic else ""
        _tell(client, channel, user, f"Thanks, noted as {word}{name}.")

    on_feedback.__name__ = "on_feedback_up" if vote > 0 else "on_feedback_down"
    return on_feedback


def on_feedback_up(deps: SlackDeps) -> Listener:
    return _feedback(deps, 1)


def on_feedback_down(deps: SlackDeps) -> Listener:
    return _feedback(deps, -1)


_FLAG_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}", re.ASCII)


def _verdict(deps: SlackDeps, action_id: str) -> Listener:
    verdict = VERDICT_ACTIONS[action_id]

    def on_verdict(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        flag_id = str(value.get("flag") or "")
        # The channel is the one the button was pressed in; the value only names the flag.
        if not channel or not _CHANNEL_ID.fullmatch(channel) or not _FLAG_ID.fullmatch(flag_id):
            _tell(client, None, user, "Verdicts are given on a digest's disagreement in a channel.")
            return
        deps.store.add_verdict(flag_id=flag_id, channel=channel, verdict=verdict, user=user)
        logger.info("verdict %s flag=%s channel=%s", verdict, flag_id, channel)
        client.chat_postMessage(channel=channel, thread_ts=thread, text=verdict_line(verdict, user))

    on_verdict.__name__ = f"on_verdict_{verdict}"
    return on_verdict


def on_verdict_real(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_REAL)


def on_verdict_not(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_NOT)


def on_verdict_curator(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_CURATOR)
