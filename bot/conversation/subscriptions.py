"""Pure: a digest request said in a channel -> the change it makes, or a question back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.conversation.context import Context
from bot.conversation.ports import Ports, SubscriptionView
from bot.conversation.replies import ChangeReply, Choice, NoteReply, Plan, QuestionReply, Reply
from bot.conversation.requests import DigestRequest, request_text
from bot.errors import InputError
from bot.models import Topic
from bot.schedule import (
    DEFAULT_DAY,
    DEFAULT_TIME,
    UnknownTopicError,
    load_zone,
    next_slot,
    parse_schedule,
    parse_topics,
    parse_tz,
)

FALLBACK_TZ = "UTC"
KEEP_SAYS = "show our subscription"
STOP_SAYS = "stop the digest"
EXAMPLE = "send us the digest every friday at 4pm"

_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def plan_of(sub: SubscriptionView) -> Plan:
    return Plan(day=sub.day, time=sub.time, tz=sub.tz, topics=tuple(sub.topics))


def every(sub: SubscriptionView) -> str:
    """When a subscription posts, as people say it: "every Friday at 16:00 (Europe/London)"."""
    return f"every {_DAY_NAMES.get(sub.day, sub.day)} at {sub.time} ({sub.tz})"


def _every(plan: Plan) -> str:
    return f"{every(plan)}, {plan.what}"


def resolve_topics(words: Iterable[str], taxonomy: Mapping[str, Topic]) -> tuple[str, ...]:
    """Topic words as said -> topic ids: a whole phrase ("edge ai") if it names a topic, else
    each of its words; an unknown one is refused with a "did you mean"."""
    out: list[str] = []
    for phrase in words:
        try:
            found = parse_topics([phrase], taxonomy)
        except InputError:
            if " " not in phrase.strip():
                raise
            try:
                found = parse_topics(phrase.split(), taxonomy)
            except InputError:
                parse_topics([phrase], taxonomy)  # the error names the phrase as said
                raise
        out.extend(t for t in found if t not in out)
    return tuple(out)


def _and(items: Iterable[str]) -> str:
    """Names joined as people write them: a; a and b; a, b and c."""
    names = list(items)
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else ""


def refusal(exc: InputError) -> NoteReply:
    """Why a request was refused, briefly (a bad day, time, zone or topic)."""
    if isinstance(exc, UnknownTopicError):
        # In a chat the whole taxonomy is a wall of ids; "list topics" shows it with coverage.
        hint = f" Did you mean {exc.suggestion}?" if exc.suggestion else ""
        return NoteReply(
            f"“{exc.word}” is not a topic I know.{hint} Say “list topics” to see them all. "
            "Nothing was changed.",
            private=True,
        )
    return NoteReply(f"{exc}. Nothing was changed.", private=True)


def describe(sub: SubscriptionView | None, *, kept: bool = False) -> NoteReply:
    """The channel's subscription; `kept`: the answer to a Keep button, so it says so."""
    if sub is None:
        return NoteReply(f"This channel gets no digest. Say “{EXAMPLE}” to start one.")
    lead = "Kept as it was: this channel" if kept else "This channel"
    return NoteReply(f"{lead} gets a digest {_every(plan_of(sub))}.")


def next_digest(sub: SubscriptionView | None, context: Context) -> NoteReply:
    if sub is None:
        return NoteReply(f"This channel gets no digest. Say “{EXAMPLE}” to start one.")
    at = next_slot(sub.day, sub.time, sub.tz, context.now)
    local = at.astimezone(load_zone(sub.tz))
    text = (
        f"This channel's next digest: {local:%A} {local.day} {local:%B} at {local:%H:%M} "
        f"({sub.tz}), {_until(at, context.now)}."
    )
    if context.user_tz and context.user_tz != sub.tz:
        try:
            yours = at.astimezone(load_zone(context.user_tz))
            text += f" That is {yours:%A} {yours:%H:%M} in your time zone ({context.user_tz})."
        except InputError:
            pass
    return NoteReply(text)


def _until(at: datetime, now: datetime) -> str:
    minutes = max(0, int((at - now).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"in {days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"in {hours} h {mins} min"
    return f"in {mins} min"


def _candidates(request: DigestRequest) -> list[tuple[str | None, str | None]]:
    """(day, time) readings of a request: one, or several when it is ambiguous."""
    days: tuple[str | None, ...] = request.days or (request.day,)
    times: tuple[str | None, ...] = request.times or (request.time,)
    return [(d, t) for d in days for t in times][:4]


def proposal(channel: str | None, topic: str | None, context: Context, ports: Ports) -> Plan:
    """What the Subscribe button's modal shows: the channel's schedule as it is, or for a
    channel without one Monday 09:00 in the asker's zone with the answer's topic."""
    sub = ports.book.subscription(channel) if channel else None
    if sub is not None:
        return plan_of(sub)
    topics = (topic,) if topic and topic in ports.corpus().topics else ()
    return Plan(DEFAULT_DAY, DEFAULT_TIME, context.user_tz or FALLBACK_TZ, topics)


def _known_zone(name: str) -> bool:
    """Whether the asker's Slack zone is one of ours (Slack may know a newer one)."""
    try:
        parse_tz(name)
    except InputError:
        return False
    return True


def _another_zone(tz: str, zone_words: Mapping[str, str]) -> str:
    """An example of naming a zone other than `tz`, from the curator's place words."""
    word = next((w for w, zone in zone_words.items() if zone != tz), None)
    return f"“{word.title()} time”" if word else "“Europe/Berlin”"


def _plan(
    day: str | None,
    time: str | None,
    request: DigestRequest,
    before: Plan | None,
    context: Context,
    taxonomy: Mapping[str, Topic],
    zone_words: Mapping[str, str],
) -> tuple[Plan, str]:
    """The schedule a request asks for, filling what it leaves out from the current one
    (or the defaults), and a note on the zone when the asker did not name one."""
    note = ""
    if request.tz:
        tz = zone_words.get(request.tz.strip().lower(), request.tz)
    elif before is not None:
        tz = before.tz
    elif context.user_tz and _known_zone(context.user_tz):
        tz = context.user_tz
        note = (
            f" {tz} is your Slack time zone; for another, name it (e.g. "
            f"{_another_zone(tz, zone_words)})."
        )
    else:
        tz = FALLBACK_TZ
        note = (
            " I could not see your time zone, so this is UTC; for another, name it (e.g. "
            f"{_another_zone(tz, zone_words)})."
        )
    if request.all_topics:
        topics: tuple[str, ...] = ()
    elif request.topics:
        topics = resolve_topics(request.topics, taxonomy)
    else:
        topics = before.topics if before else ()
    valid = parse_schedule(
        day=day or (before.day if before else DEFAULT_DAY),
        time=time or (before.time if before else DEFAULT_TIME),
        tz=tz,
        topics=topics,
        taxonomy=taxonomy,
    )
    return Plan(valid.day, valid.time, valid.tz, valid.topics), note


def _say(plan: Plan) -> str:
    return request_text(plan.day, plan.time, plan.tz, plan.topics, all_topics=not plan.topics)


def _change_line(before: Plan | None, after: Plan | None) -> str:
    if before is None and after is not None:
        return f"subscribed this channel to a weekly digest: {after.describe()}"
    if after is None and before is not None:
        return f"stopped this channel's digest (was {before.describe()})"
    assert before is not None and after is not None
    if before.topics == after.topics:
        return f"changed this channel's digest: {before.when} → {after.when}"
    if before.when == after.when:
        return f"changed this channel's digest topics: {before.what} → {after.what}"
    return f"changed this channel's digest: {before.describe()} → {after.describe()}"


def _apply(
    channel: str, before: Plan | None, after: Plan, context: Context, ports: Ports, note: str = ""
) -> ChangeReply:
    ports.book.subscribe(
        channel, after.day, after.time, after.tz, topics=after.topics, user=context.user
    )
    at = next_slot(after.day, after.time, after.tz, context.now)
    local = at.astimezone(load_zone(after.tz))
    verb = "now gets" if before else "will get"
    text = (
        f"Done: this channel {verb} a digest {_every(after)}. "
        f"The next one is on {local:%A} {local.day} {local:%B} at {local:%H:%M}.{note}"
    )
    return ChangeReply(
        text=text,
        before=before,
        after=after,
        announcement=f"{context.who} {_change_line(before, after)}",
    )


def subscribe(request: DigestRequest, channel: str, context: Context, ports: Ports) -> Reply:
    index = ports.corpus()
    taxonomy, zone_words = index.topics, dict(index.corpus.zone_words)
    sub = ports.book.subscription(channel)
    before = plan_of(sub) if sub else None
    plans: list[tuple[Plan, str]] = []
    try:
        for day, time in _candidates(request):
            plans.append(_plan(day, time, request, before, context, taxonomy, zone_words))
    except InputError as exc:
        return refusal(exc)
    if request.misread and not context.confirmed:
        # A misspelt day is read, not guessed: the person confirms the reading with a button.
        yes = "Yes, " if len(plans) == 1 else ""
        choices = tuple(Choice(f"{yes}{p.when}", _say(p), style="primary") for p, _ in plans)
        if before is not None:
            choices += (Choice("Keep", KEEP_SAYS),)
        days = _and(_DAY_NAMES[d] for d in dict.fromkeys(p.day for p, _ in plans))
        now = f" This channel's digest is now {_every(before)}." if before else ""
        return QuestionReply(
            f"I read {_and(f'“{w}”' for w in request.misread)} as {days}: is that right?{now}",
            choices,
        )
    if len(plans) > 1:
        choices = tuple(Choice(p.when, _say(p)) for p, _ in plans)
        if before is not None:
            choices += (Choice("Keep", KEEP_SAYS),)
        return QuestionReply(
            "Which one did you mean" + (f" (now {before.describe()})" if before else "") + "?",
            choices,
        )
    after, note = plans[0]
    if before == after:
        return NoteReply(f"This channel already gets a digest {_every(after)}. Nothing changed.")
    if before is not None and not context.confirmed:
        return QuestionReply(
            f"This channel gets a digest {_every(before)}. Replace it with {_every(after)}?",
            (
                Choice("Replace", _say(after), style="primary"),
                Choice("Keep", KEEP_SAYS),
            ),
        )
    return _apply(channel, before, after, context, ports, note)


def follow(request: DigestRequest, channel: str, context: Context, ports: Ports) -> Reply:
    index = ports.corpus()
    taxonomy = index.topics
    try:
        wanted = resolve_topics(request.topics, taxonomy)
    except InputError as exc:
        return refusal(exc)
    sub = ports.book.subscription(channel)
    named = ", ".join(wanted)
    if sub is None:
        try:
            after, note = _plan(
                None, None, request, None, context, taxonomy, dict(index.corpus.zone_words)
            )
        except InputError as exc:
            return refusal(exc)
        return QuestionReply(
            f"This channel gets no digest yet. Start one {_every(after)}?{note}",
            (Choice("Subscribe", _say(after), style="primary"),),
        )
    before = plan_of(sub)
    if not before.topics:
        # Following a topic cannot add to "every topic"; narrowing to it is a different
        # change, so it is offered, not made.
        only = Plan(before.day, before.time, before.tz, wanted)
        return QuestionReply(
            f"This channel's digest already covers every topic, {_and(wanted)} included. "
            f"Narrow it to only {_and(wanted)}?",
            (
                Choice(f"Only {named}"[:75], _say(only), style="primary"),
                Choice("Keep every topic", KEEP_SAYS),
            ),
        )
    topics = before.topics + tuple(t for t in wanted if t not in before.topics)
    if topics == before.topics:
        return NoteReply(f"This channel already follows {named}. Nothing changed.")
    return _apply(channel, before, Plan(before.day, before.time, before.tz, topics), context, ports)


def unfollow(request: DigestRequest, channel: str, context: Context, ports: Ports) -> Reply:
    taxonomy = ports.corpus().topics
    try:
        dropped = resolve_topics(request.topics, taxonomy)
    except InputError as exc:
        return refusal(exc)
    sub = ports.book.subscription(channel)
    if sub is None:
        return NoteReply("This channel gets no digest, so there is nothing to unfollow.")
    before = plan_of(sub)
    named = ", ".join(dropped)
    if not before.topics:
        return NoteReply(
            "This channel's digest covers every topic. To narrow it, say which to keep, e.g. "
            "“subscribe multimodal, regulation”.",
            private=True,
        )
    topics = tuple(t for t in before.topics if t not in dropped)
    if topics == before.topics:
        return NoteReply(f"This channel does not follow {named}. It follows {before.what}.")
    if not topics:
        return NoteReply(
            f"{named} is all this channel follows; without it the digest would cover every "
            "topic. Say “stop the digest” to end it, or follow another topic first.",
            private=True,
        )
    return _apply(channel, before, Plan(before.day, before.time, before.tz, topics), context, ports)


def unsubscribe(channel: str, context: Context, ports: Ports, *, unsure: bool = False) -> Reply:
    sub = ports.book.subscription(channel)
    if sub is not None and unsure and not context.confirmed:
        return QuestionReply(
            f"Stop this channel's digest? It comes {_every(plan_of(sub))}.",
            (
                Choice("Stop the digest", STOP_SAYS, style="danger"),
                Choice("Keep", KEEP_SAYS),
            ),
        )
    if sub is None or not ports.book.unsubscribe(channel):
        return NoteReply("This channel gets no digest. Nothing changed.")
    before = plan_of(sub)
    return ChangeReply(
        text=(
            f"Done: this channel's digest is stopped. It came {_every(before)}; say "
            f"“{EXAMPLE}” to start one again."
        ),
        before=before,
        after=None,
        announcement=f"{context.who} {_change_line(before, None)}",
    )
