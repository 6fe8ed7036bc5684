"""Button presses (block_actions): sources, more, subscribe (a modal), choices of a question
back, feedback, next page, verdicts; and the subscription modal's Save."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.conversation import (
    AnswerReply,
    ChangeReply,
    Context,
    DigestRequest,
    Feedback,
    FeedbackReply,
    NoteReply,
    Press,
    Reply,
    ShowQuotes,
    Verdict,
    act_on,
    pressed,
    proposal,
    reply,
)
from bot.models import Intent
from bot.render.actions import (
    ACTION_VERDICT_CURATOR,
    ACTION_VERDICT_NOT,
    ACTION_VERDICT_REAL,
    QUESTION_MAX,
    VERDICT_ACTIONS,
    parse_button_value,
)
from bot.render.conversation import choice_said, reply_mrkdwn
from bot.render.subscription_modal import (
    FIELD_CHANNEL,
    FIELD_DAY,
    FIELD_TIME,
    FIELD_TOPICS,
    FIELD_ZONE,
    submitted_fields,
    subscription_modal,
)
from bot.slack.conversation import (
    USER_ZONES,
    announce,
    context_for,
    message_of,
    ports_for,
    send_reply,
)
from bot.slack.deps import SlackDeps

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


def _answer_button(deps: SlackDeps, intent: Intent | None) -> Listener:
    """Sources, More on this topic and Next page: the button's question is said again in its
    thread through the conversation, about the topic of the answer the button was under."""

    def on_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        topic = value.get("topic")
        context = context_for(
            deps,
            client,
            "",  # a button never asks for a time zone
            surface="button",
            channel=channel or user,
            user=user,
            thread=thread,
            topic=topic if isinstance(topic, str) and topic else None,
            asked=intent if topic else None,
        )
        question = str(value.get("q") or "")[:QUESTION_MAX]
        got = reply(question or "help", context, ports_for(deps))
        send_reply(
            deps,
            client,
            got,
            channel=channel or user,
            thread=thread,
            surface="button",
            page=_page(value) if intent is None else 0,
        )

    on_button.__name__ = f"on_{intent.value if intent else 'next_page'}_button"
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
    return _answer_button(deps, None)


def _send_press(
    client: WebClient, got: Reply, *, channel: str | None, thread: str | None, user: str
) -> None:
    """A press's reply: in the pressed message's thread, or only to the presser when it is
    private (a refusal, a thanks) or there is no channel to post in."""
    logger.info("pressed kind=%s channel=%s thread=%s", got.kind, channel, thread)
    if isinstance(got, NoteReply | FeedbackReply) or not channel:
        _tell(client, channel, user, reply_mrkdwn(got))
        return
    client.chat_postMessage(
        channel=channel, thread_ts=thread, unfurl_links=False, unfurl_media=False, **message_of(got)
    )


def _press_listener(
    deps: SlackDeps, name: str, press_of: Callable[[dict[str, Any], dict[str, Any]], Press]
) -> Listener:
    """A press that is not a question said again: ack, the press in parts, the conversation's
    pressed(), render, send. The channel is the one pressed in; the value only names what."""

    def on_press(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        context = Context(surface="button", channel=channel, user=user, now=datetime.now(UTC))
        got = pressed(press_of(value, body), context, ports_for(deps))
        _send_press(client, got, channel=channel, thread=thread, user=user)

    on_press.__name__ = name
    return on_press


def on_show_quotes(deps: SlackDeps) -> Listener:
    """Both exact quotes of one disagreement, posted in the answer's thread."""

    def quotes(value: dict[str, Any], _body: dict[str, Any]) -> Press:
        return ShowQuotes(flag_id=str(value.get("flag") or ""))

    return _press_listener(deps, "on_show_quotes", quotes)


def on_subscribe(deps: SlackDeps) -> Listener:
    """Open the subscription modal, prefilled with this channel's schedule as it is (or a
    proposal for a channel without one). Nothing is stored on the click."""

    def on_subscribe(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, channel, _thread, user = _pressed(body)
        # A button value is a hint the renderer wrote, never authority: the channel shown is
        # the one the button was pressed in, and a topic must be one of the taxonomy.
        target = channel if channel and _CHANNEL_ID.fullmatch(channel) else None
        topic = value.get("topic")
        context = Context(
            surface="button",
            channel=target,
            user=user,
            now=datetime.now(UTC),
            user_tz=USER_ZONES.zone(client, user) if user else None,
        )
        ports = ports_for(deps)
        plan = proposal(target, str(topic) if isinstance(topic, str) else None, context, ports)
        subscribed = target is not None and deps.store.subscription(target) is not None
        view = subscription_modal(
            channel=target, plan=plan, topics=deps.corpus().topics, subscribed=subscribed
        )
        client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)

    return on_subscribe


_FIELD_OF_ERROR = (
    ("time zone", FIELD_ZONE),
    ("time", FIELD_TIME),
    ("day", FIELD_DAY),
    ("unknown topic", FIELD_TOPICS),
)


def on_subscription_saved(deps: SlackDeps) -> Listener:
    """The modal's Save: the same conversation function as every digest request; a refusal
    is shown on the field it is about and the modal stays open."""

    def on_subscription_saved(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        fields = submitted_fields(body.get("view") or {})
        user = str((body.get("user") or {}).get("id", ""))
        channel = str(fields["channel"])
        if not _CHANNEL_ID.fullmatch(channel):
            ack(
                response_action="errors",
                errors={FIELD_CHANNEL: "Pick a channel: digests go to channels, not DMs."},
            )
            return
        request = DigestRequest(
            action="subscribe",
            day=fields["day"] or None,
            time=fields["time"] or None,
            tz=fields["zone"] or None,
            topics=fields["topics"],
            all_topics=not fields["topics"],
        )
        context = Context(surface="button", channel=channel, user=user, now=datetime.now(UTC))
        got = act_on(request, context, ports_for(deps))
        if isinstance(got, NoteReply) and got.private:
            field = next((f for cue, f in _FIELD_OF_ERROR if got.text.startswith(cue)), None)
            ack(response_action="errors", errors={field or FIELD_ZONE: got.text[:150]})
            return
        ack()
        try:
            if isinstance(got, ChangeReply):
                announce(client, channel, got)
            client.chat_postEphemeral(channel=channel, user=user, **message_of(got))
        except SlackApiError as exc:
            logger.info(
                "cannot post in %s (%s); telling the user", channel, exc.response.get("error")
            )
            _tell(
                client,
                None,
                user,
                f"{reply_mrkdwn(got)} (Invite me to <#{channel}> so the digest can be posted.)",
            )

    return on_subscription_saved


def on_choice(deps: SlackDeps) -> Listener:
    """A choice of a question back (Replace / Keep, which day, which hour): the request it
    carries is said again, as confirmed, through the conversation."""

    def on_choice(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        value, channel, thread, user = _pressed(body)
        said = choice_said(value)
        context = context_for(
            deps, client, said, surface="button", channel=channel, user=user, thread=thread
        )
        got = reply(said or "help", context, ports_for(deps))
        if isinstance(got, AnswerReply) or not channel:
            send_reply(deps, client, got, channel=channel or user, thread=thread, surface="button")
            return
        # The question's buttons are replaced by the outcome, so they cannot be pressed twice.
        respond(replace_original=True, **message_of(got))
        if isinstance(got, ChangeReply):
            announce(client, channel, got)

    return on_choice


def _feedback(deps: SlackDeps, vote: int) -> Listener:
    def feedback(value: dict[str, Any], body: dict[str, Any]) -> Press:
        topic = value.get("topic")
        return Feedback(
            vote=vote,
            question=str(value.get("q") or ""),
            topic=str(topic) if topic else None,
            answer_text=str((body.get("message") or {}).get("text") or ""),
        )

    return _press_listener(deps, "on_feedback_up" if vote > 0 else "on_feedback_down", feedback)


def on_feedback_up(deps: SlackDeps) -> Listener:
    return _feedback(deps, 1)


def on_feedback_down(deps: SlackDeps) -> Listener:
    return _feedback(deps, -1)


def _verdict(deps: SlackDeps, action_id: str) -> Listener:
    verdict = VERDICT_ACTIONS[action_id]

    def press(value: dict[str, Any], _body: dict[str, Any]) -> Press:
        return Verdict(flag_id=str(value.get("flag") or ""), verdict=verdict)

    return _press_listener(deps, f"on_verdict_{verdict}", press)


def on_verdict_real(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_REAL)


def on_verdict_not(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_NOT)


def on_verdict_curator(deps: SlackDeps) -> Listener:
    return _verdict(deps, ACTION_VERDICT_CURATOR)
