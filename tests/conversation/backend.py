"""A test backend for the conversation (errbot's TestBot): push text, pop the Reply.

In-process and without sleeps; the store is a real SQLite database and the corpus a small one
written for the tests. It keeps the thread topic the way the Slack edge does.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime

from bot.conversation import (
    AnswerReply,
    Choice,
    Context,
    Ports,
    Press,
    Reply,
    Surface,
    pressed,
    reply,
)
from bot.corpus import CorpusIndex
from bot.models import Intent
from bot.store import Store


class Backend:
    def __init__(self, store: Store, index: CorpusIndex, now: datetime | None = None) -> None:
        self.store = store
        self.index = index
        self.now = now or datetime(2025, 11, 3, 12, 0, tzinfo=UTC)  # a Monday
        self.ports = Ports(book=store, corpus=lambda: self.index, verdicts=store, feedback=store)
        self.zones: dict[str, str] = {}  # user -> their Slack time zone
        self._topics: dict[tuple[str | None, str | None], str] = {}
        self._replies: deque[Reply] = deque()

    def push(
        self,
        text: str,
        *,
        user: str = "U0ALICE",
        channel: str | None = "C0TEAM",
        surface: Surface = "mention",
        thread: str | None = None,
        topic: str | None = None,
        asked: Intent | None = None,
    ) -> None:
        context = Context(
            surface=surface,
            channel=channel,
            user=user,
            now=self.now,
            user_tz=self.zones.get(user),
            thread_topic=topic or self._topics.get((channel, thread)),
            asked=asked,
        )
        got = reply(text, context, self.ports)
        if isinstance(got, AnswerReply) and got.answer.topic:
            self._topics[(channel, thread)] = got.answer.topic
        self._replies.append(got)

    def press(self, choice: Choice, *, user: str = "U0ALICE", channel: str = "C0TEAM") -> None:
        """A button of a question back: its request, said as confirmed."""
        self.push(choice.say, user=user, channel=channel, surface="button")

    def press_under(
        self,
        answer: AnswerReply,
        asked: Intent | None,
        *,
        user: str = "U0ALICE",
        channel: str = "C0TEAM",
        thread: str | None = None,
    ) -> Reply:
        """A button under an answer (Sources, More, Next page: `asked` None): its question
        said again about the answer's topic, the way the Slack edge does."""
        topic = answer.answer.topic
        self.push(
            answer.answer.question,
            user=user,
            channel=channel,
            surface="button",
            thread=thread,
            topic=topic,
            asked=asked if topic else None,
        )
        return self.pop()

    def press_on(
        self, press: Press, *, user: str = "U0ALICE", channel: str | None = "C0TEAM"
    ) -> Reply:
        """A button that is not a question said again (Show both quotes, 👍/👎, a verdict),
        in the channel it was pressed in, the way the Slack edge does."""
        context = Context(surface="button", channel=channel, user=user, now=self.now)
        return pressed(press, context, self.ports)

    def pop(self) -> Reply:
        return self._replies.popleft()

    def say(self, text: str, **kwargs: object) -> Reply:
        self.push(text, **kwargs)  # type: ignore[arg-type]
        return self.pop()
