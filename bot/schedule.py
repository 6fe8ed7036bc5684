"""Pure: validate a subscription's day, time, zone and topics; find its slots, DST-correct."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict
from rapidfuzz import process

from bot.corpus import CorpusIndex
from bot.errors import InputError
from bot.models import Topic

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
DEFAULT_DAY = "mon"
DEFAULT_TIME = "09:00"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class Schedule(BaseModel):
    """A validated weekly slot: local weekday and time in an IANA zone, plus chosen topics."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: str
    time: str
    tz: str
    topics: tuple[str, ...] = ()


def parse_day(value: str) -> str:
    v = value.strip().lower().rstrip(".")
    if v in DAYS:
        return v
    if v in _DAY_NAMES:
        return _DAY_NAMES[v]
    raise InputError(
        f"day {value!r} is not a weekday; use one of {', '.join(DAYS)} (or full names)"
    )


def parse_time(value: str) -> str:
    m = _TIME.match(value.strip())
    if not m:
        raise InputError(f"time {value!r} is not HH:MM on a 24-hour clock (e.g. 09:00 or 17:30)")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


MAX_ZONE_NAME = 64  # the longest IANA name has 30 characters; longer input is not a zone


@functools.cache
def bundled_zones() -> frozenset[str]:
    """The IANA zone names of the bundled tzdata package: the same set on every host.

    Host-only files (``localtime``, ``posixrules``, ``right/UTC``) and folders (``Europe``)
    are not zones a subscription can name: another replica may read them differently or not
    at all.
    """
    return frozenset(resources.files("tzdata").joinpath("zones").read_text("utf-8").split())


@functools.cache
def _zones_by_lower() -> Mapping[str, str]:
    return {z.lower(): z for z in bundled_zones()}


def parse_tz(value: str) -> str:
    """An IANA zone name of the bundled tzdata (any letter case), else an InputError."""
    name = value.strip()
    if name in bundled_zones():
        return name
    canonical = _zones_by_lower().get(name.lower())
    if canonical is not None:
        return canonical
    shown = name if len(name) <= MAX_ZONE_NAME else f"{name[:MAX_ZONE_NAME]}… ({len(name)} chars)"
    hint = _zone_hint(name)
    raise InputError(
        f"time zone {shown!r} is not an IANA zone name (e.g. Europe/Berlin, "
        f"America/New_York, UTC){hint}"
    )


def load_zone(name: str) -> ZoneInfo:
    """The zone of a stored subscription; InputError when it is not a bundled IANA zone."""
    if name not in bundled_zones():
        parse_tz(name)  # raises, with a "did you mean"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # tzdata present but unreadable
        raise InputError(f"time zone {name!r} could not be loaded") from None


def _zone_hint(name: str) -> str:
    if not name:
        return ""
    if name.lower() in ("localtime", "posixrules"):
        return f"; {name} is a file of this machine, not a zone: name the zone itself"
    head, _, rest = name.partition("/")
    if head.lower() in ("right", "posix") and rest.lower() in _zones_by_lower():
        return f"; did you mean {_zones_by_lower()[rest.lower()]}?"
    return _closest(name[:MAX_ZONE_NAME], sorted(bundled_zones()))


def _closest(value: str, options: Iterable[str]) -> str:
    best = process.extractOne(value, list(options), processor=str.lower, score_cutoff=60)
    return f"; did you mean {best[0]}?" if best else ""


class UnknownTopicError(InputError):
    """A topic word that names no topic; the parts are kept so a chat reply can be short."""

    def __init__(self, word: str, suggestion: str | None, taxonomy: Mapping[str, Topic]) -> None:
        self.word = word
        self.suggestion = suggestion
        hint = f"did you mean {suggestion}? " if suggestion else ""
        super().__init__(
            f"unknown topic {word!r}; {hint}known topics: {', '.join(sorted(taxonomy))}"
        )


def parse_topics(values: Iterable[str], taxonomy: Mapping[str, Topic]) -> tuple[str, ...]:
    """Topic ids, names or aliases (case-insensitive) -> ids; an unknown one is refused."""
    lookup: dict[str, str] = {}
    for t in taxonomy.values():
        for word in (t.id, t.name, *t.aliases):
            lookup.setdefault(word.lower(), t.id)
    out: list[str] = []
    for raw in values:
        word = raw.strip().lower()
        if not word:
            continue
        if word not in lookup:
            best = process.extractOne(word, list(lookup), score_cutoff=50)
            raise UnknownTopicError(raw.strip(), lookup[best[0]] if best else None, taxonomy)
        if lookup[word] not in out:
            out.append(lookup[word])
    return tuple(out)


def split_topics(text: str) -> list[str]:
    """``"a, b"`` or ``"a b"`` -> ["a", "b"] (commas win when present: names may have spaces)."""
    parts = text.split(",") if "," in text else text.split()
    return [p.strip() for p in parts if p.strip()]


def parse_schedule(
    *,
    day: str | None,
    time: str | None,
    tz: str | None,
    topics: Iterable[str] = (),
    taxonomy: Mapping[str, Topic],
    default_tz: str = "UTC",
) -> Schedule:
    """Validate everything before anything is stored; defaults: Monday 09:00 in `default_tz`."""
    return Schedule(
        day=parse_day(day or DEFAULT_DAY),
        time=parse_time(time or DEFAULT_TIME),
        tz=parse_tz(tz or default_tz),
        topics=parse_topics(topics, taxonomy),
    )


def validate_subscription(
    *,
    day: str,
    time: str,
    tz: str,
    topics: Iterable[str] = (),
    index: CorpusIndex,
) -> Schedule:
    """The Slack surface's entry point: day, time, zone and topics checked against the corpus."""
    return parse_schedule(day=day, time=time, tz=tz, topics=topics, taxonomy=index.topics)


# --- slots ------------------------------------------------------------------------------------


def _local_slot(day: str, hhmm: str, tz: ZoneInfo, week_monday: date) -> datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    local_day = week_monday + timedelta(days=DAYS.index(day))
    naive = datetime.combine(local_day, time(hour, minute))
    # Wall time that does not exist (spring forward) or exists twice (fall back): fold=0 picks
    # the offset before the change, so the slot lands once, at the same instant every replica
    # computes. A nonexistent 02:30 becomes 03:30 summer time.
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz)


def slot_in_week(day: str, hhmm: str, tz_name: str, iso_year: int, iso_week: int) -> datetime:
    """The slot of one ISO week (of the zone's local calendar), as an aware UTC datetime."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    return _local_slot(day, hhmm, load_zone(tz_name), monday).astimezone(UTC)


def latest_slot(day: str, hhmm: str, tz_name: str, now: datetime) -> datetime:
    """The most recent slot at or before `now` (aware UTC)."""
    tz = load_zone(tz_name)
    local_now = now.astimezone(tz)
    monday = local_now.date() - timedelta(days=local_now.weekday())
    slot = _local_slot(day, hhmm, tz, monday)
    if slot > now:
        slot = _local_slot(day, hhmm, tz, monday - timedelta(days=7))
    return slot.astimezone(UTC)


def next_slot(day: str, hhmm: str, tz_name: str, now: datetime) -> datetime:
    """The first slot strictly after `now` (aware UTC)."""
    tz = load_zone(tz_name)
    local_now = now.astimezone(tz)
    monday = local_now.date() - timedelta(days=local_now.weekday())
    for weeks in (0, 1, 2):
        slot = _local_slot(day, hhmm, tz, monday + timedelta(days=7 * weeks))
        if slot > now:
            return slot.astimezone(UTC)
    raise AssertionError("unreachable: a weekly slot always exists within two weeks")


def period_key(slot: datetime, tz_name: str) -> str:
    """The local ISO week of a slot, e.g. ``2025-W44``: the unit of "once"."""
    year, week, _ = slot.astimezone(load_zone(tz_name)).isocalendar()
    return f"{year}-W{week:02d}"
