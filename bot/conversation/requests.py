"""Pure: one parser for digest management in words, from `subscribe mon 09:00 Europe/Berlin`
to "send us the digest every friday at 4pm" and "unfollow quantum".

The parser only splits a message into what it asks for; bot.schedule validates the parts, so a
wrong day or zone is refused with the same message on every surface.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import OSA

from bot.errors import InputError
from bot.matcher.normalize import strip_markup
from bot.schedule import DAYS, parse_day

Action = Literal["subscribe", "unsubscribe", "follow", "unfollow", "show", "next"]

# A day, a time, a zone and every topic of the taxonomy fit in far less; a longer request is
# refused before it is parsed, so its text is neither fuzzy-matched nor echoed back at length.
REQUEST_MAX = 1_000
# Hours a person says without am/pm that could be either ("at 4"): asked back, never guessed.
AMBIGUOUS_HOURS = range(1, 8)


@dataclass(frozen=True)
class DigestRequest:
    """What a message asks of this channel's digest; every part is optional and not yet valid.

    `time` is HH:MM when it was read as a clock time, else the words as typed (so validation
    can say what is wrong); `times` holds the readings of an ambiguous hour ("at 4").
    `topics` are the topic words as typed, one entry per named topic.
    """

    action: Action
    day: str | None = None
    days: tuple[str, ...] = ()  # more than one weekday named: which one is meant?
    time: str | None = None
    times: tuple[str, ...] = ()
    tz: str | None = None
    topics: tuple[str, ...] = ()
    all_topics: bool = False
    too_long: bool = False
    # The words may not mean the digest at all ("stop"): the reply asks before acting.
    unsure: bool = False
    # Words read as a misspelt weekday ("fryday" -> fri): the reply asks before acting on it.
    misread: tuple[str, ...] = ()

    @property
    def schedule_given(self) -> bool:
        return bool(self.day or self.days or self.time or self.times or self.tz)


_TOKEN = re.compile(r"[A-Za-z0-9_+\-/:.'’]+|,|&")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_REFERENCE = re.compile(r"<[@#][^<>]{0,300}>")

_SHOW = re.compile(
    r"^(subscriptions?|(the |our |this channel'?s? )?subscription|schedule)\??$"
    r"|\b(show|what|what's|whats|which|see|view|list|current|tell me)\b.{0,40}"
    r"\b(subscriptions?|schedule|digest settings|digest topics|follows?|following)\b"
)
_NEXT = re.compile(
    r"\bwhen\b.{0,40}\b(digests?|next one|briefing)\b|\bnext digest\b|\bdigest next\b"
    r"|\bwhen (is|does|will) (it|the next one)\b"
)
_UNFOLLOW = re.compile(
    r"^(unfollow|stop following|no longer follow|don'?t follow|do not follow|drop|remove|"
    r"exclude|mute|untrack|stop tracking)\b"
)
_UNSUBSCRIBE = re.compile(
    r"^unsubscribe\b"
    r"|\b(stop|cancel|end|turn off|switch off|disable|pause|no more|unsubscribe|"
    r"don'?t send|do not send|quit)\b.{0,40}\b(digests?|subscriptions?|briefings?|updates)\b"
)
_BARE_STOP = re.compile(r"(stop|cancel|unsubscribe|turn it off)( it| that| this| now| please)*")
_FOLLOW = re.compile(r"^(follow|add|include|track|watch|start following)\b")
_SUBSCRIBE_VERB = re.compile(r"^subscribe\b")
_SUBSCRIBE_WORDS = re.compile(
    r"\b(digests?|weekly|every|each|send|subscribe|schedule|deliver|post|move|change|switch|"
    r"sign (me|us|this channel|the channel) up|resubscribe)\b"
)
_SIGN_UP = re.compile(r"\bsign (me|us|this channel|the channel) up\b")
_ALL_TOPICS = re.compile(r"\b(all|every|any) (the )?topics?\b|\beverything\b")
_LEADING = re.compile(r"^((please|pls|hey|ok|okay|also|and|(can|could|would) (you|u))\b,? ?)+")

# Words that carry no topic: the glue of "send us the digest every friday at 4pm please".
_FILLER = frozenset(
    str.split(
        """
    a an the this that these those our my your its it us me we i you they them
    send sends sending sent post posting deliver delivering digest digests briefing briefings
    weekly week weeks every each per on at in to for from by of with about into onto as
    and or also too well plus instead only just here there now then please pls thanks thank
    can could would will should shall do does did want wants like get gets getting give have
    has be is are was were set setup up make change move switch schedule scheduled subscribe
    subscribed subscription channel channels team follow following followed unfollow track
    tracking include including add drop remove exclude mute stop no longer don't dont not
    o'clock oclock time times clock local topic topics newsletter summary update updates
    one same day days hey hi hello ok okay sure yes new sign signed briefbot bot
    u ur r ya brief briefs
    , & + - :
    """
    )
)
# Weekday abbreviations that are also words ("the sun", "wed"): a day only after on/every.
_PLAIN_WORD_DAYS = frozenset({"sat", "sun", "wed"})
_AND = frozenset({"and", "&", ",", "+", "plus", "or"})


def _day_word(word: str) -> str | None:
    low = word.lower().strip(".")
    for candidate in (low, low[:-1] if low.endswith("s") and len(low) > 4 else None):
        if not candidate:
            continue
        try:
            return parse_day(candidate)
        except InputError:
            continue
    return None


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _near_day(word: str) -> str | None:
    """The weekday a misspelt day name means ("fryday", "thurday", "wensday"), else None:
    one slip in a name, two in the long ones; short words are never read as days."""
    low = word.lower()
    if len(low) < 5 or not low.isalpha() or low in _FILLER:
        return None
    for name in _DAY_NAMES:
        slips = 2 if len(name) >= 8 else 1
        if min(OSA.distance(low, name), OSA.distance(low, name + "s")) <= slips:
            return name[:3]
    return None


def _clock(word: str, next_word: str | None, loose: bool) -> tuple[str | None, bool, bool]:
    """(time, took the next word too, ambiguous) for a token that may be a time of day.

    A bare number is a time only where a time is expected (`loose`: after "at", or in the
    /trends grammar) or before "o'clock"; elsewhere "top 3" stays a number.
    """
    low = word.lower()
    if low in ("noon", "midday"):
        return "12:00", False, False
    if low == "midnight":
        return "00:00", False, False
    m = _CLOCK.fullmatch(low)
    if m is None:
        return None, False, False
    hour, minutes, half = int(m.group(1)), m.group(2), m.group(3)
    took_next = False
    after = (next_word or "").lower()
    if half is None and after in ("am", "pm", "a.m.", "p.m."):
        half, took_next = after, True
    elif half is None and after in ("o'clock", "oclock"):
        took_next, loose = True, True
    if minutes is None and half is None and not loose:
        return None, False, False
    typed = f"{word} {next_word}" if took_next else word
    if half is not None:
        if not 1 <= hour <= 12:
            return typed, took_next, False  # "13pm": kept as typed, validation says why
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or (minutes is not None and int(minutes) > 59):
        return typed, took_next, False
    ambiguous = half is None and minutes is None and hour in AMBIGUOUS_HOURS
    return f"{hour:02d}:{minutes or '00'}", took_next, ambiguous


def _zone_at(words: list[str], i: int, zone_words: Mapping[str, str]) -> tuple[str | None, int]:
    """A zone named at words[i] (an IANA name, UTC/GMT, or a city of the zone table) and how
    many words it took ("new york time" takes three)."""
    low = words[i].lower()
    if "/" in low and not _CLOCK.fullmatch(low):
        return words[i], 1
    if low in ("utc", "gmt", "z"):
        return "UTC", 1
    for width in (3, 2, 1):
        phrase = " ".join(w.lower() for w in words[i : i + width])
        if len(words[i : i + width]) == width and phrase in zone_words:
            taken: int = width
            if i + taken < len(words) and words[i + taken].lower() == "time":
                taken += 1
            return zone_words[phrase], taken
    return None, 0


def _topics(words: list[str]) -> tuple[str, ...]:
    """The topic words left once the schedule and the glue are taken out, one per topic:
    "regulation and quantum" and "multimodal, regulation" are two; "edge ai" is one."""
    out: list[str] = []
    current: list[str] = []
    for word in [*words, ","]:
        low = word.lower()
        if low in _AND or low in _FILLER:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        current.append(word)
    return tuple(dict.fromkeys(out))


def _action(low: str, topics: tuple[str, ...]) -> Action | None:
    if _UNFOLLOW.search(low) and (topics or not _UNSUBSCRIBE.search(low)):
        return "unfollow"  # "stop following quantum in the digest" names a topic
    if _UNSUBSCRIBE.search(low):
        return "unsubscribe"
    if _NEXT.search(low):
        return "next"
    if _SHOW.search(low) and not _SUBSCRIBE_VERB.search(low):
        return "show"
    if _FOLLOW.search(low):
        return "follow"
    if _SUBSCRIBE_VERB.search(low) or _SIGN_UP.search(low):
        return "subscribe"
    return None


def parse_request(text: str, zone_words: Mapping[str, str] | None = None) -> DigestRequest | None:
    """The digest request a message makes, or None when it asks something else (a question).

    `zone_words` maps a lower-case city or region ("london", "new york") to an IANA zone; the
    curator's table lives in content/conversation.toml.
    """
    zones = zone_words or {}
    if len(text) > REQUEST_MAX:
        head = " ".join(text[:200].split()).lower()
        head = _LEADING.sub("", strip_markup(head).strip())
        if _action(head, ()) is not None or _SUBSCRIBE_WORDS.search(head):
            return DigestRequest(action="subscribe", too_long=True)
        return None
    # A mention of the bot or of a channel is not part of the request: the channel acted on is
    # the one the message was said in.
    plain = " ".join(strip_markup(_REFERENCE.sub(" ", text)).replace("’", "'").split()).strip()
    low = _LEADING.sub("", plain.lower().rstrip("?!. ")).strip()
    words = [w.rstrip(".!?") or w for w in _TOKEN.findall(plain)]
    words = [w for w in words if w]
    verb_grammar = bool(_SUBSCRIBE_VERB.search(low))

    day: str | None = None
    days: list[str] = []
    time: str | None = None
    times: tuple[str, ...] = ()
    tz: str | None = None
    rest: list[str] = []
    misread: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        after_at = i > 0 and words[i - 1].lower() in ("at", "@", "around", "by")
        if time is None and not times:
            clock, used_next, ambiguous = _clock(word, nxt, after_at or verb_grammar)
            if clock is not None:
                if ambiguous:
                    hour = int(clock[:2])
                    times = (clock, f"{hour + 12:02d}:{clock[3:]}")
                else:
                    time = clock
                i += 2 if used_next else 1
                continue
        zone, taken = (None, 0) if tz is not None else _zone_at(words, i, zones)
        if zone is not None:
            tz = zone
            i += taken
            continue
        named = _day_word(word)
        if named is not None and (
            word.lower() not in _PLAIN_WORD_DAYS
            or verb_grammar
            or (i > 0 and words[i - 1].lower() in ("on", "every", "each"))
        ):
            if named not in days:
                days.append(named)
            i += 1
            continue
        near = _near_day(word) if named is None else None
        if near is not None:
            misread.append(word)
            if near not in days:
                days.append(near)
            i += 1
            continue
        rest.append(word)
        i += 1
    if len(days) == 1:
        day = days[0]
    schedule = bool(days or time or times or tz)
    all_topics = bool(_ALL_TOPICS.search(low))
    topics = () if all_topics else _topics(rest)
    action = _action(low, topics)
    if action is None and _BARE_STOP.fullmatch(low):
        # "stop" alone may mean the digest or the conversation: asked back, never acted on.
        return DigestRequest(action="unsubscribe", unsure=True)
    if action is None:
        if not (schedule and (days or time or times) and _SUBSCRIBE_WORDS.search(low)):
            return None
        action = "subscribe"
    if action in ("show", "next", "unsubscribe"):
        return DigestRequest(action=action)
    if action in ("follow", "unfollow") and not topics and not schedule:
        return None  # "follow up on that" is a question, not a topic to follow
    return DigestRequest(
        action=action,
        day=day,
        days=tuple(days) if len(days) > 1 else (),
        time=time,
        times=times,
        tz=tz,
        topics=topics,
        all_topics=all_topics,
        misread=tuple(misread),
    )


def request_text(
    day: str, time: str, tz: str, topics: tuple[str, ...], *, all_topics: bool = False
) -> str:
    """The /trends words of a complete schedule: what a Replace button or the modal says."""
    what = ", ".join(topics) if topics else ("all topics" if all_topics else "")
    return " ".join(p for p in ("subscribe", day, time, tz, what) if p)


__all__ = ["DAYS", "REQUEST_MAX", "DigestRequest", "parse_request", "request_text"]
