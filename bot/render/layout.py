"""Pure: the one layout of an answer (order of its parts, what the first message holds, pages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.dates import format_published
from bot.models import (
    Agreement,
    AgreementItem,
    Answer,
    AnswerPart,
    Citation,
    Digest,
    DigestItem,
    Disagreement,
    Evidence,
    Flag,
    Lead,
    Listing,
    ListItem,
    Note,
    Point,
    SingleSource,
    disagreement_point,
    kind_words,
    plain_point,
)
from bot.render.limits import (
    DIGEST_TOP_TEXT_MAX,
    FIRST_MESSAGE_TEXT_MAX,
    PAGE_TEXT_MAX,
    SECTION_TEXT_MAX,
)
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, split_text
from bot.sentences import fit_sentences, short_title

# Evidence shows at most this many points before "More".
EVIDENCE_FIRST_MAX = 6
# Points on each later page.
EVIDENCE_PAGE_MAX = 8
# Reading order: the answer, then why, then where the reports part ways, then the rest.
ORDER: dict[str, int] = {
    "lead": 0,
    "evidence": 1,
    "agreement": 2,
    "disagreement": 3,
    "single_source": 4,
    "listing": 5,
    "note": 6,
}
# Room a renderer needs per line for its markup (bullets, bold, italics): the layout budgets
# the first message with it, so the Block Kit text stays within the limit too.
MARKUP_PER_LINE = 6
QUOTE_MAX = 240


@dataclass(frozen=True)
class Page:
    """The parts one message shows, in order (an Evidence part may hold a slice of the points)."""

    parts: tuple[AnswerPart, ...]


@dataclass(frozen=True)
class Layout:
    """Pages of one answer; ``pages[0]`` is the first message. Every renderer draws from it."""

    headline: str
    pages: tuple[Page, ...]

    @property
    def first(self) -> Page:
        return self.pages[0]

    @property
    def more(self) -> bool:
        return len(self.pages) > 1


# --- how each part reads as plain lines (the terminal, the fallback text, the budget) --------


def short_source(citation: Citation) -> str:
    """``Report short title, Nov 2026, § Heading``: the short source every point carries."""
    title = short_title(citation.title) or one_line(citation.source_id)
    bits = [title] if title else []
    if citation.published:
        bits.append(format_published(citation.published, citation.published_precision))
    heading = one_line(citation.heading)
    if heading:
        bits.append(f"§ {shorten(heading, 60)}")
    return ", ".join(bits)


def _source_key(point: Point) -> tuple[str, str | None]:
    return (short_source(point.citation), point.age_note)


def evidence_lines(points: tuple[Point, ...]) -> list[str]:
    """Points in order; each run from one source ends with that source, said once."""
    lines: list[str] = []
    for n, point in enumerate(points):
        last = n + 1 == len(points) or _source_key(points[n + 1]) != _source_key(point)
        lines.append(f"• {point_line(point) if last else one_line(point.text)}")
    return lines


def point_line(point: Point) -> str:
    source = short_source(point.citation)
    line = f"{one_line(point.text)} ({source})" if source else one_line(point.text)
    if point.age_note:
        line += f" · {one_line(point.age_note)}"
    return line


def quote_line(text: str) -> str:
    return f"“{shorten(one_line(text), QUOTE_MAX)}”"


def flag_quotes(flag: Flag) -> list[str]:
    """Both (or all) exact quotes of a disagreement, each under its report and heading."""
    lines: list[str] = []
    for side in flag.sides:
        title = one_line(side.title) or side.source_id
        lines.append(f"{title}, § {one_line(side.heading)}: {quote_line(side.claim)}")
    return lines


def part_lines(part: AnswerPart) -> list[str]:
    """Plain lines of one part, without markup: what the terminal prints and the budget counts."""
    if isinstance(part, Lead):
        return [one_line(part.text)]
    if isinstance(part, Evidence):
        head = [one_line(part.label)] if one_line(part.label) else []
        return head + evidence_lines(part.points)
    if isinstance(part, Agreement):
        return ["Where the reports agree"] + [
            f"• {_sentence_case(one_line(i.point))}"
            + (f" ({one_line(i.coverage)})" if i.coverage.strip() else "")
            for i in part.items
        ]
    if isinstance(part, Disagreement):
        return [f"⚠ {kind_words(part.flag.kind).capitalize()}: {one_line(part.line)}"]
    if isinstance(part, SingleSource):
        return ["Only one report says", *evidence_lines(part.items)]
    if isinstance(part, Listing):
        head = [one_line(part.label)] if one_line(part.label) else []
        return head + [listing_line(i.text, i.source) for i in part.items]
    return [one_line(part.text)]


def _sentence_case(text: str) -> str:
    """An agreed point cut from inside a sentence ("there is a growing call…") starts as one."""
    return text[:1].upper() + text[1:]


def listing_line(text: str, source: str) -> str:
    source = one_line(source)
    return f"• {one_line(text)}" + (f" — {source}" if source else "")


def _size(lines: Iterable[str]) -> int:
    return sum(len(line) + 1 + MARKUP_PER_LINE for line in lines)


# --- the layout -----------------------------------------------------------------------------


# No single line of a part is longer than this (a point, a lead, a disagreement line).
LINE_MAX = 1000


def _bounded(part: AnswerPart) -> AnswerPart:
    """The part with every over-long text shortened at a sentence (else word) boundary."""
    from bot.sentences import fit_sentences

    def fit(text: str) -> str:
        return text if len(text) <= LINE_MAX else fit_sentences(one_line(text), LINE_MAX)

    if isinstance(part, (Lead, Note)):
        return part.model_copy(update={"text": fit(part.text)})
    if isinstance(part, Disagreement):
        return part.model_copy(update={"line": fit(part.line)})
    if isinstance(part, (Evidence, SingleSource)):
        field = "points" if isinstance(part, Evidence) else "items"
        pts = part.points if isinstance(part, Evidence) else part.items
        shortened = tuple(p.model_copy(update={"text": fit(p.text)}) for p in pts)
        if isinstance(part, Evidence):
            return part.model_copy(update={field: shortened, "label": fit(part.label)})
        return part.model_copy(update={field: shortened})
    if isinstance(part, Agreement):
        agreed = tuple(
            i.model_copy(update={"point": fit(i.point), "coverage": fit(i.coverage)})
            for i in part.items
        )
        return part.model_copy(update={"items": agreed})
    if isinstance(part, Listing):
        listed = tuple(
            i.model_copy(update={"text": fit(i.text), "source": fit(i.source)}) for i in part.items
        )
        return part.model_copy(update={"label": fit(part.label), "items": listed})
    return part


def _ordered(parts: Iterable[AnswerPart]) -> list[AnswerPart]:
    return sorted(parts, key=lambda p: ORDER[p.kind])


def _fit_lead(part: Lead | Note, room: int) -> Lead | Note:
    """A lead or note too long for the first message, shortened at a sentence boundary."""
    from bot.sentences import fit_sentences

    text = fit_sentences(one_line(part.text), max(80, room))
    return part.model_copy(update={"text": text})


def layout_answer(answer: Answer) -> Layout:
    """Decide order and pagination once, for every renderer.

    The first message holds at most ``FIRST_MESSAGE_TEXT_MAX`` characters of rendered text and
    at most six evidence points. Its room goes first to the lead, the agreement and the
    disagreement lines (the point of the answer), then to evidence, best first; whatever does
    not fit moves, whole, to the following pages (a point or a line is never cut).
    """
    headline = one_line(answer.headline)
    budget = FIRST_MESSAGE_TEXT_MAX - _size([headline])
    used = 0
    first: list[AnswerPart] = []
    rest: list[AnswerPart] = []
    parts = _ordered(_bounded(p) for p in answer.parts)
    for part in parts:
        if isinstance(part, Evidence):
            continue
        if isinstance(part, (Lead, Note)) and not first and _size(part_lines(part)) > budget:
            part = _fit_lead(part, budget - MARKUP_PER_LINE - 1)
        cost = _size(part_lines(part))
        if isinstance(part, (SingleSource, Agreement)) and used + cost > budget and not rest:
            # Like evidence: as many whole items as fit, the others on the next pages.
            items = part.items
            n = len(items)
            while (
                n
                and used + _size(part_lines(part.model_copy(update={"items": items[:n]}))) > budget
            ):
                n -= 1
            if n:
                first.append(part.model_copy(update={"items": items[:n]}))
                used += _size(part_lines(first[-1]))
            for i in range(n, len(items), EVIDENCE_PAGE_MAX):
                rest.append(part.model_copy(update={"items": items[i : i + EVIDENCE_PAGE_MAX]}))
        elif used + cost <= budget and not rest:
            first.append(part)
            used += cost
        else:
            rest.append(part)
    shown_points = 0
    for part in parts:
        if not isinstance(part, Evidence):
            continue
        taken: list[Point] = []
        for point in part.points:
            if shown_points + len(taken) >= EVIDENCE_FIRST_MAX:
                break
            cost = _size(part_lines(Evidence(points=(*taken, point), label=part.label)))
            if used + cost > budget:
                break
            taken.append(point)
        if taken:
            shown = part.model_copy(update={"points": tuple(taken)})
            first.append(shown)
            used += _size(part_lines(shown))
            shown_points += len(taken)
        left = part.points[len(taken) :]
        if left:
            rest.append(Evidence(points=left, label=part.label))
    pages = [_ordered(first), *_paginate(_ordered(rest))]
    return Layout(headline=headline, pages=tuple(Page(tuple(p)) for p in pages if p) or (Page(()),))


def _paginate(parts: list[AnswerPart]) -> list[list[AnswerPart]]:
    """Later pages: evidence in slices of ``EVIDENCE_PAGE_MAX``, each page within its budget."""
    pages: list[list[AnswerPart]] = []
    current: list[AnswerPart] = []
    used = 0
    for part in parts:
        pieces: list[AnswerPart]
        if isinstance(part, Evidence):
            pieces = []
            taken: list[Point] = []
            for point in part.points:
                trial = Evidence(points=(*taken, point), label=part.label)
                # At most eight points, and never more text than a Slack message holds once
                # escaped ("R&D" doubles in length as "R&amp;D").
                if taken and (len(taken) == EVIDENCE_PAGE_MAX or _escaped_size(trial) > 8000):
                    pieces.append(Evidence(points=tuple(taken), label=part.label))
                    taken = []
                taken.append(point)
            if taken:
                pieces.append(Evidence(points=tuple(taken), label=part.label))
        else:
            pieces = [part]
        for piece in pieces:
            cost = _size(part_lines(piece))
            if current and (used + cost > PAGE_TEXT_MAX or isinstance(piece, Evidence)):
                pages.append(current)
                current, used = [], 0
            current.append(piece)
            used += cost
    if current:
        pages.append(current)
    return pages


# --- the digest: the same parts, as a top-level message and the replies in its thread --------

# Headlines and new disagreements listed in the top-level message (issue 11).
HEADLINES_MAX = 5
NEW_CONFLICTS_LISTED = 5
# New disagreements that get their own thread reply with verdict buttons; the rest share one.
CONFLICT_THREADS_MAX = 10
HEADLINE_MAX = 220  # one line each
DISAGREEMENT_LINE_MAX = 600  # a curated summary can be long; the quotes follow in the thread
# A thread reply's text: well inside Slack's ~12,000 characters for a message's blocks.
THREAD_TEXT_MAX = 8000
# Blocks a thread reply's parts may use (its opening line and Slack's 50 leave room).
THREAD_BLOCKS_MAX = 45
WHERE_OLDER = "see briefbot's Home tab"
TO_THE_THREAD = "Details, what changed and each disagreement with its quotes: in the thread ↓"
FIRST_DIGEST = "This is the channel's first digest: the next one starts from here."
# A topic's markers in the digest, in the one vocabulary of flag kinds.
MARKER_WORDS = {
    "consensus": f"✅ {kind_words('consensus')}",
    "disputed": "⚠ disagreement",
    "single_source": f"☝️ {kind_words('single_source')}",
}

DigestRole = Literal["top", "nothing_new", "details", "disagreement", "more_disagreements"]


@dataclass(frozen=True)
class DigestMessage:
    """One message of a digest: its role and the typed parts it shows, in order."""

    role: DigestRole
    parts: tuple[AnswerPart, ...]


@dataclass(frozen=True)
class DigestLayout:
    """Messages of one digest; ``messages[0]`` is the top-level one, the rest its thread."""

    headline: str
    period: str
    messages: tuple[DigestMessage, ...]

    @property
    def top(self) -> DigestMessage:
        return self.messages[0]

    @property
    def details(self) -> tuple[DigestMessage, ...]:
        return tuple(m for m in self.messages if m.role == "details")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def period_label(digest: Digest) -> str:
    """``3 Mar 2025 – 10 Mar 2025`` (one day shown once); a start known only to the year or
    month is written that way (``2025 – 2 Dec 2026``)."""
    start = format_published(digest.period_start.date(), digest.period_start_precision)
    end = _day(digest.period_end)
    return start if start == end else f"{start} – {end}"


def digest_disagreement(flag: Flag) -> Disagreement:
    """A disagreement as the digest shows it: the same one plain line as in answers."""
    line = disagreement_point(flag.summary) or one_line(flag.subject) or kind_words(flag.kind)
    line = fit_sentences(line, DISAGREEMENT_LINE_MAX)
    if "report" not in flag.summary.lower():
        # A hand-written summary ("When the AI Act applies") does not say who: name them.
        names = dict.fromkeys(short_title(s.title) or one_line(s.source_id) for s in flag.sides)
        line = f"{line.rstrip('.')} — {' vs '.join(names)}" if names else line
    return Disagreement(flag=flag, line=line)


def _published(point: Point) -> date:
    return point.citation.published or date.min


def ordered_items(digest: Digest) -> list[DigestItem]:
    """Items newest first (by their newest point), each item's points newest first."""
    items = [
        item.model_copy(update={"points": tuple(sorted(item.points, key=_published, reverse=True))})
        for item in digest.items
    ]
    return sorted(
        items,
        key=lambda it: max((_published(p) for p in it.points), default=date.min),
        reverse=True,
    )


def _older_line(n: int, older: bool = True) -> str:
    noun = "disagreement" if n == 1 else "disagreements"
    verb = "is" if n == 1 else "are"
    return f"{n}{' older' if older else ''} {noun} {verb} still open: {WHERE_OLDER}."


def _new_reports(digest: Digest) -> Note | None:
    if not digest.new_reports:
        return None
    lead = "New in this digest" if digest.changes is None else "New since your last digest"
    names = ", ".join(
        f"{one_line(r.title) or r.source_id} "
        f"({format_published(r.published, r.published_precision)})"
        for r in digest.new_reports
    )
    return Note(text=f"{lead}: {names}")


def _escaped_size(part: AnswerPart) -> int:
    """What a part costs in the top-level message, once escaped for Slack and marked up."""
    return sum(len(escape_mrkdwn(line)) + 1 + MARKUP_PER_LINE for line in part_lines(part))


def _top(digest: Digest, headline: str) -> DigestMessage:
    """The week at a glance, within 3,000 characters: what is cut first is the last
    headline, then the last new disagreement (it stays in the thread)."""
    listed = [digest_disagreement(f) for f in digest.new_conflicts[:NEW_CONFLICTS_LISTED]]
    listed = [d.model_copy(update={"line": shorten(d.line, HEADLINE_MAX)}) for d in listed]
    items = [
        ListItem(text=shorten(one_line(h.text), HEADLINE_MAX), source=shorten(h.source, 160))
        for h in digest.headlines[:HEADLINES_MAX]
    ]
    reports = _new_reports(digest)
    if reports is not None and len(reports.text) > 600:
        reports = Note(text=fit_sentences(reports.text, 600))

    def parts() -> list[AnswerPart]:
        out: list[AnswerPart] = [reports] if reports else []
        if items:
            out.append(Listing(label="Headlines", items=tuple(items)))
        if listed:
            # The label alone: each disagreement is its own part, with its quotes button.
            out.append(Listing(label="New disagreements", items=()))
        out.extend(listed)
        more = len(digest.new_conflicts) - len(listed)
        if more:
            noun = "disagreement" if more == 1 else "disagreements"
            out.append(Note(text=f"…and {more} more new {noun} in the thread."))
        if digest.older_conflicts:
            out.append(Note(text=_older_line(digest.older_conflicts)))
        out.append(Note(text=TO_THE_THREAD))
        return out

    budget = DIGEST_TOP_TEXT_MAX - len(headline) - 50
    while sum(_escaped_size(p) for p in parts()) > budget and (items or listed):
        if items:
            items.pop()
        else:
            listed.pop()
    return DigestMessage("top", tuple(parts()))


def _agreement(flags: tuple[Flag, ...]) -> Agreement | None:
    items = []
    for flag in flags:
        names = dict.fromkeys(short_title(s.title) or s.source_id for s in flag.sides)
        items.append(
            AgreementItem(
                point=flag.point or plain_point(flag.summary),
                source_ids=tuple(dict.fromkeys(s.source_id for s in flag.sides)),
                coverage=f"{len(names)} reports: {', '.join(names)}" if names else "",
                flag_id=flag.flag_id,
            )
        )
    return Agreement(items=tuple(items)) if items else None


def _single(flags: tuple[Flag, ...]) -> SingleSource | None:
    points = tuple(
        Point(
            text=side.claim,
            citation=Citation(source_id=side.source_id, heading=side.heading, title=side.title),
        )
        for flag in flags
        for side in flag.sides[:1]
    )
    return SingleSource(items=points) if points else None


def _changes(digest: Digest) -> Listing:
    label = "What changed since your last digest"
    changes = digest.changes
    if changes is None:
        return Listing(label=label, items=(ListItem(text=FIRST_DIGEST),))
    lines: list[str] = []
    if changes.new_claims:
        lines.append(f"{changes.new_claims} new claims from the new reports")
    lines.extend(f"New disagreement: {one_line(t)}" for t in changes.new_disagreements)
    lines.extend(f"No longer disagreeing: {one_line(t)}" for t in changes.resolved_disagreements)
    for ch in changes.agreement:
        was = f"was {ch.before}" if ch.before else "new"
        lines.append(f"Agreement: {one_line(ch.summary)} — {ch.after} reports ({was})")
    if not lines:
        lines.append("Nothing changed in claims, disagreements or agreement.")
    return Listing(label=label, items=tuple(ListItem(text=shorten(t, HEADLINE_MAX)) for t in lines))


def _detail_parts(digest: Digest) -> list[AnswerPart]:
    """The thread's detail: what changed, each topic's new points, agreement, lone figures."""
    parts: list[AnswerPart] = [_changes(digest)]
    for item in ordered_items(digest):
        name = one_line(item.topic_name or item.topic) or "Other"
        markers = "  ".join(MARKER_WORDS[m] for m in dict.fromkeys(item.markers))
        label = f"{name} · {markers}" if markers else name
        if item.points:
            parts.append(Evidence(points=item.points, label=label))
    for extra in (_agreement(digest.consensus), _single(digest.single_source)):
        if extra is not None:
            parts.append(extra)
    return [_bounded(p) for p in parts]


def _block_count(part: AnswerPart) -> int:
    """Blocks a part is drawn with: one per 3,000-character chunk of its escaped text, as
    ``kit.sections`` and ``kit.context`` cut it (one for a disagreement line)."""
    if isinstance(part, Disagreement):
        return 1
    lines = [escape_mrkdwn(line) for line in part_lines(part)]
    if lines and not isinstance(part, (Lead, Note)):
        lines[0] = f"*{lines[0]}*"  # a list's label is bold
    # A little under the limit: markup the renderer adds must not tip a chunk over.
    return max(1, len(split_text("\n".join(lines), SECTION_TEXT_MAX - 20)))


def _pack(parts: list[AnswerPart], role: DigestRole) -> list[DigestMessage]:
    """Parts into thread replies, in order, each within ``THREAD_TEXT_MAX`` and
    ``THREAD_BLOCKS_MAX``; a list too long for one reply goes on, whole items, in the next."""
    messages: list[DigestMessage] = []
    current: list[AnswerPart] = []
    used = blocks = 0

    def flush() -> None:
        nonlocal current, used, blocks
        if current:
            messages.append(DigestMessage(role, tuple(current)))
        current, used, blocks = [], 0, 0

    for part in parts:
        for piece in _pieces(part):
            size, count = _escaped_size(piece), _block_count(piece)
            if current and (used + size > THREAD_TEXT_MAX or blocks + count > THREAD_BLOCKS_MAX):
                flush()
            current.append(piece)
            used += size
            blocks += count
    flush()
    return messages


def _pieces(part: AnswerPart) -> list[AnswerPart]:
    """A list part cut into slices that each fit one reply (a point is never cut)."""
    if isinstance(part, Evidence):
        items: tuple[Any, ...] = part.points
    elif isinstance(part, (SingleSource, Agreement, Listing)):
        items = part.items
    else:
        return [part]
    field = "points" if isinstance(part, Evidence) else "items"
    # A slice of points is one section: a run's source closes its last point, so a run cut
    # between two sections would leave the first section's points without their source.
    blocks_max = 1 if isinstance(part, (Evidence, SingleSource)) else 8
    pieces: list[AnswerPart] = []
    start = 0
    while start < len(items):
        end = start + 1
        while end < len(items):
            trial = part.model_copy(update={field: items[start : end + 1]})
            if _escaped_size(trial) > THREAD_TEXT_MAX // 2 or _block_count(trial) > blocks_max:
                break
            end += 1
        piece = part.model_copy(update={field: items[start:end]})
        if start and isinstance(piece, Evidence) and piece.label:
            piece = piece.model_copy(update={"label": f"{piece.label} (continued)"})
        pieces.append(piece)
        start = end
    return pieces


def layout_digest(digest: Digest) -> DigestLayout:
    """Decide once, for Block Kit and the terminal alike, what each message of a digest shows.

    The top-level message is the week at a glance (new reports, up to five headlines, the new
    disagreements in one plain line each, the older ones counted); its thread carries what
    changed, the points by topic, agreement and lone figures, then each new disagreement as
    its own reply (its quotes and verdict buttons are the renderer's). A week with nothing new
    is one short note. Every message holds typed answer parts, drawn by the same renderers.
    """
    period = period_label(digest)
    headline = f"AI trends digest · {period}"
    if digest.is_empty and not digest.new_conflicts:
        open_line = (
            _older_line(len(digest.conflicts), older=False)
            if digest.conflicts
            else "No open disagreements between the reports."
        )
        lead = Lead(text=f"nothing new in the reports since {_day(digest.period_start)}.")
        return DigestLayout(
            headline, period, (DigestMessage("nothing_new", (lead, Note(text=open_line))),)
        )
    messages = [_top(digest, headline), *_pack(_detail_parts(digest), "details")]
    own = digest.new_conflicts[:CONFLICT_THREADS_MAX]
    messages.extend(DigestMessage("disagreement", (digest_disagreement(f),)) for f in own)
    rest: list[AnswerPart] = [
        digest_disagreement(f) for f in digest.new_conflicts[CONFLICT_THREADS_MAX:]
    ]
    messages.extend(_pack(rest, "more_disagreements"))
    return DigestLayout(headline, period, tuple(messages))
