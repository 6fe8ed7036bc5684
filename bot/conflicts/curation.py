"""Pure: a curator's verdicts (content/curation.toml): confirm, dismiss or add flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from bot.conflicts.summary import flag_id
from bot.errors import ContentError
from bot.models import Flag, FlagKind, FlagSide, Section, Source, Topic


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CurationEntry(_Frozen):
    """A curator's verdict on one detected flag."""

    flag_id: str
    note: str = ""
    line: int = 0  # where it is written in curation.toml, for error messages


class CuratedSide(_Frozen):
    source_id: str
    claim: str  # the exact sentence from the report
    heading: str = ""  # optional; found from the claim when left out


class CuratedFlag(_Frozen):
    """A flag a curator adds by hand (the rules missed it)."""

    topic: str
    kind: FlagKind
    summary: str
    sides: tuple[CuratedSide, ...]
    line: int = 0


class Curation(_Frozen):
    path: str = "curation.toml"
    confirm: tuple[CurationEntry, ...] = ()
    dismiss: tuple[CurationEntry, ...] = ()
    add: tuple[CuratedFlag, ...] = ()


NO_CURATION = Curation()


def _curated(
    entry: CuratedFlag,
    curation: Curation,
    sections: Sequence[Section],
    sources: dict[str, Source],
    topic_ids: set[str],
) -> Flag:
    if entry.topic not in topic_ids:
        raise ContentError(
            curation.path,
            entry.line or None,
            f"unknown topic {entry.topic!r} in an added flag",
            "use a topic id from topics.toml",
        )
    sides: list[FlagSide] = []
    keys: list[str] = []
    for side in entry.sides:
        if side.source_id not in sources:
            raise ContentError(
                curation.path,
                entry.line or None,
                f"unknown source {side.source_id!r}",
                "use a report's file name without .md",
            )
        heading = side.heading
        wanted = " ".join(side.claim.split())
        if not heading:
            for sec in sections:
                if sec.source_id == side.source_id and wanted in " ".join(
                    sec.text.replace("**", "").split()
                ):
                    heading = sec.heading
                    break
            else:
                raise ContentError(
                    curation.path,
                    entry.line or None,
                    f"claim not found in {side.source_id}: {wanted[:60]!r}",
                    "quote the sentence exactly as in the report, or give its heading",
                )
        sides.append(
            FlagSide(
                source_id=side.source_id,
                heading=heading,
                claim=side.claim,
                title=sources[side.source_id].title,
            )
        )
        keys.append(f"{side.source_id}:{wanted}")
    return Flag(
        flag_id=flag_id(entry.topic, entry.kind, keys),
        topic=entry.topic,
        kind=entry.kind,
        summary=entry.summary,
        sides=tuple(sides),
        status="curated",
    )


def apply_curation(
    detected: Sequence[Flag],
    curation: Curation,
    sections: Sequence[Section],
    sources: Sequence[Source],
    topics: Sequence[Topic],
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
    """Drop dismissed flags, mark confirmed ones, add the curator's own; warn on ids that
    match no detected flag (the content changed under them). ``aliases``: every id a flag
    answers to (a grouped disagreement: the id of each of its claim pairs; a dismissed pair
    was already left out of its group, so its id is known too)."""
    names = dict(aliases or {})
    for f in detected:
        names.setdefault(f.flag_id, (f.flag_id,))
    ids = {a for f in names.values() for a in f}
    warnings = [
        f"{curation.path}:{e.line}: flag {e.flag_id} to {verb} was not detected (content changed?)"
        for verb, entries in (("confirm", curation.confirm), ("dismiss", curation.dismiss))
        for e in entries
        if e.flag_id not in ids
    ]
    dismissed = {e.flag_id for e in curation.dismiss}
    confirmed = {e.flag_id for e in curation.confirm}
    out = [
        f.model_copy(update={"status": "confirmed"}) if confirmed & set(names[f.flag_id]) else f
        for f in detected
        if not dismissed & set(names[f.flag_id])
    ]
    src = {s.source_id: s for s in sources}
    tids = {t.id for t in topics}
    for entry in curation.add:
        flag = _curated(entry, curation, sections, src, tids)
        if flag.flag_id not in dismissed:
            out.append(flag)
    return tuple(out), tuple(warnings)
