"""Pure: what the conversation needs from the world, as Protocols (bot.store.Store fits them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.corpus import CorpusIndex

CorpusProvider = Callable[[], CorpusIndex]


class SubscriptionView(Protocol):
    """A channel's stored digest schedule (bot.store.Subscription is one)."""

    @property
    def day(self) -> str: ...
    @property
    def time(self) -> str: ...
    @property
    def tz(self) -> str: ...
    @property
    def topics(self) -> tuple[str, ...]: ...


class DeliveryView(Protocol):
    @property
    def covered_until(self) -> datetime | None: ...


class SubscriptionBook(Protocol):
    """Get, put and delete a channel's subscription; its last delivered digest."""

    def subscription(self, channel: str) -> SubscriptionView | None: ...

    def subscribe(
        self,
        channel: str,
        day: str,
        time: str,
        tz: str,
        topics: Iterable[str] = (),
        user: str | None = None,
    ) -> SubscriptionView: ...

    def unsubscribe(self, channel: str) -> bool: ...

    def last_delivery(self, channel: str) -> DeliveryView | None: ...


class VerdictBook(Protocol):
    def add_verdict(self, *, flag_id: str, channel: str, verdict: str, user: str) -> object: ...


class FeedbackBook(Protocol):
    """Where 👍/👎 on answers are kept (bot.store.Store is one)."""

    def add_feedback(
        self,
        user: str,
        channel: str,
        question: str,
        topic: str | None,
        answer_text: str,
        vote: int,
    ) -> object: ...


@dataclass(frozen=True)
class Ports:
    """The conversation's collaborators, given by the edge (or a test)."""

    book: SubscriptionBook
    corpus: CorpusProvider
    verdicts: VerdictBook | None = None
    feedback: FeedbackBook | None = None


class NoSubscriptions:
    """The book of a surface without Slack channels (the console, `briefbot ask`): it holds
    nothing, since a digest request there is answered with where digests go."""

    def subscription(self, channel: str) -> SubscriptionView | None:
        return None

    def subscribe(
        self,
        channel: str,
        day: str,
        time: str,
        tz: str,
        topics: Iterable[str] = (),
        user: str | None = None,
    ) -> SubscriptionView:
        raise RuntimeError("digests need a Slack channel; the console keeps no subscriptions")

    def unsubscribe(self, channel: str) -> bool:
        return False

    def last_delivery(self, channel: str) -> DeliveryView | None:
        return None


def local_ports(index: CorpusIndex) -> Ports:
    """Ports for the console and `briefbot ask`: this corpus, no channels."""
    return Ports(book=NoSubscriptions(), corpus=lambda: index)
