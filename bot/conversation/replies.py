"""Pure: a Reply is a value; each edge renders it (Block Kit, terminal text) and sends it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.models import Answer, Digest, Flag


@dataclass(frozen=True)
class Plan:
    """A complete weekly schedule: local weekday and time in an IANA zone, and its topics."""

    day: str
    time: str
    tz: str
    topics: tuple[str, ...] = ()

    @property
    def when(self) -> str:
        return f"{self.day.capitalize()} {self.time} {self.tz}"

    @property
    def what(self) -> str:
        return ", ".join(self.topics) if self.topics else "all topics"

    def describe(self) -> str:
        return f"{self.when}, {self.what}"


@dataclass(frozen=True)
class AnswerReply:
    """A question answered from the reports."""

    answer: Answer
    kind: Literal["answer"] = "answer"


@dataclass(frozen=True)
class PreviewReply:
    """What this channel's next digest would say; nothing is recorded."""

    digest: Digest
    note: str
    kind: Literal["preview"] = "preview"


@dataclass(frozen=True)
class ChangeReply:
    """A subscription was changed. `text` tells the asker the detail; `announcement` is the
    one line the channel sees ("<@U1> changed this channel's digest: A → B")."""

    text: str
    before: Plan | None
    after: Plan | None
    announcement: str
    kind: Literal["change"] = "change"


@dataclass(frozen=True)
class Choice:
    """One button of a question back. `say` is the request it makes when pressed, in the
    /trends words, so the proposal travels in the button and the server keeps no state."""

    label: str
    say: str
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class QuestionReply:
    """The bot asks back instead of guessing (a schedule would be replaced, or is ambiguous)."""

    text: str
    choices: tuple[Choice, ...]
    kind: Literal["question"] = "question"


@dataclass(frozen=True)
class NoteReply:
    """A short plain-text reply: the subscription, the next digest time, or why nothing was
    done. `private`: only the asker needs to see it (a refusal, a usage hint)."""

    text: str
    private: bool = False
    kind: Literal["note"] = "note"


@dataclass(frozen=True)
class VerdictReply:
    """A verdict on a disagreement was recorded; `line` is what its thread shows."""

    line: str
    kind: Literal["verdict"] = "verdict"


@dataclass(frozen=True)
class QuotesReply:
    """Both (or all) exact quotes of one disagreement, for its thread."""

    flag: Flag
    kind: Literal["quotes"] = "quotes"


@dataclass(frozen=True)
class FeedbackReply:
    """A 👍/👎 was recorded; only the voter is thanked. `topic` is a taxonomy id or None."""

    helpful: bool
    topic: str | None = None
    kind: Literal["feedback"] = "feedback"


Reply = (
    AnswerReply
    | PreviewReply
    | ChangeReply
    | QuestionReply
    | NoteReply
    | VerdictReply
    | QuotesReply
    | FeedbackReply
)
