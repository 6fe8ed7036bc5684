"""Pure: reply(text, context, ports) -> Reply, the one place a message is understood."""

from __future__ import annotations

from bot.briefing import answer_question, build_answer
from bot.conversation import subscriptions
from bot.conversation.context import Context
from bot.conversation.no_channel import elsewhere
from bot.conversation.ports import Ports
from bot.conversation.replies import AnswerReply, NoteReply, PreviewReply, Reply
from bot.conversation.requests import REQUEST_MAX, DigestRequest, parse_request
from bot.corpus import CorpusIndex
from bot.digest import compose_digest
from bot.models import Answer, Intent, Match

DIGEST_USAGE = (
    "To manage this channel's digest, say what you want: “send us the digest every friday at "
    "4pm”, “weekly on Thursdays at 10 London time”, “follow regulation”, “unfollow quantum”, "
    "“when is our next digest?”, “stop the digest”, or `subscribe mon 09:00 Europe/Berlin "
    "multimodal, regulation`."
)


def needs_user_zone(text: str, zone_words: dict[str, str] | None = None) -> bool:
    """Whether a reply to this text may use the asker's time zone (the edge looks it up only
    then: one users.info call per digest request, none per question)."""
    return parse_request(text, zone_words) is not None


def reply(text: str, context: Context, ports: Ports) -> Reply:
    """The reply to one message: an answer, a digest preview, a subscription change, a
    question back, or a short note. Only the ports touch the world."""
    index = ports.corpus()
    pinned = context.thread_topic if context.thread_topic in index.topics else None
    if context.asked is not None and pinned is not None:
        # Sources / More under an answer: the button says what, the thread says which topic.
        match = Match(intent=context.asked, topic=pinned, confidence=1.0)
        return AnswerReply(build_answer(match, index, text))
    request = parse_request(text, dict(index.corpus.zone_words))
    if request is not None:
        return act_on(request, context, ports, said=text)
    answer = answer_question(text or "help", index, context_topic=pinned)
    if context.confirmed and pinned is not None:
        answer = _on_topic(answer, pinned, index, text)
    if answer.intent is Intent.DIGEST:
        return preview(context, ports, index)
    if answer.intent in (Intent.SUBSCRIBE, Intent.UNSUBSCRIBE):
        # The words say "digest" but not what to do with it: say how, never guess.
        return NoteReply(DIGEST_USAGE, private=True)
    return AnswerReply(answer)


def _on_topic(answer: Answer, topic: str, index: CorpusIndex, text: str) -> Answer:
    """A button under an answer (its Next page) re-asks the answer's question: the answer
    stays on that answer's topic even when the words alone would now match another one."""
    if answer.topic is None or answer.topic == topic:
        return answer
    return build_answer(Match(intent=answer.intent, topic=topic, confidence=1.0), index, text)


def act_on(request: DigestRequest, context: Context, ports: Ports, *, said: str = "") -> Reply:
    """Carry out a digest request already in parts (parsed from words, or the modal's fields)."""
    if request.too_long:
        return NoteReply(
            f"That is too long for a digest request ({len(said):,} characters; at most "
            f"{REQUEST_MAX:,}). Try “{subscriptions.EXAMPLE}”.",
            private=True,
        )
    channel = context.digest_channel
    if channel is None:
        return elsewhere(request, context, ports.corpus(), said)
    if request.action == "show":
        return subscriptions.describe(ports.book.subscription(channel), kept=context.confirmed)
    if request.action == "next":
        return subscriptions.next_digest(ports.book.subscription(channel), context)
    if request.action == "unsubscribe":
        return subscriptions.unsubscribe(channel, context, ports, unsure=request.unsure)
    if request.action == "follow":
        return subscriptions.follow(request, channel, context, ports)
    if request.action == "unfollow":
        return subscriptions.unfollow(request, channel, context, ports)
    return subscriptions.subscribe(request, channel, context, ports)


def preview(context: Context, ports: Ports, index: CorpusIndex | None = None) -> PreviewReply:
    """What this channel's next digest would say, from its last one until now."""
    index = index or ports.corpus()
    channel = context.digest_channel
    sub = ports.book.subscription(channel) if channel else None
    last = ports.book.last_delivery(channel) if channel else None
    digest = compose_digest(
        index,
        since=last.covered_until if last else None,
        until=context.now,
        topics=sub.topics if sub else (),
    )
    if sub is not None:
        note = f"Preview of this channel's next digest; it posts {subscriptions.every(sub)}."
    elif channel is not None:
        note = (
            "Preview of a digest for this channel. To get one every week, say "
            f"“{subscriptions.EXAMPLE}”."
        )
    else:
        note = "Preview of a digest; digests are posted weekly to Slack channels that ask."
    return PreviewReply(digest=digest, note=note)
