"""Pure domain types: frozen pydantic models shared by every layer (no I/O here)."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.sentences import fit_sentences, without_dangling_end


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- taxonomy -------------------------------------------------------------------------------


class Topic(Frozen):
    """One entry of the taxonomy in content/topics.toml."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    # Curator pins: section ids (``source_id#slug``) that always map to this topic.
    pins: tuple[str, ...] = ()


# --- reports --------------------------------------------------------------------------------


class Source(Frozen):
    """One report in content/sources/ (the file stem is its ``source_id``)."""

    source_id: str
    title: str
    published: date | None = None
    # How much of ``published`` the report actually states: "2025" is a year, not 1 January.
    published_precision: Literal["day", "month", "year"] | None = None
    publisher: str | None = None
    url: str | None = None
    path: str
    sha256: str
    # Human-readable notes on what ingest inferred (e.g. "date 2025-01-01 from 'as of 2025'").
    inferred: tuple[str, ...] = ()
    # When the whole report repeats another one under a different name.
    duplicate_of: str | None = None


class TopicScore(Frozen):
    topic_id: str
    score: float  # 0-100, rapidfuzz scale
    pinned: bool = False


# "previous" is the old value of a change ("dropped from $2.6B to $1.3B"): not a claim now.
Bound = Literal["exact", "about", "up_to", "at_least", "at_most", "range", "ratio", "previous"]


class Quantity(Frozen):
    value: float
    unit: str  # "%", "params", "usd", "watts", "x", "hours", "count", ...
    text: str  # as written, e.g. "up to 40%"
    # The interval the words allow: "up to 40%" is [0, 40], "from 10 to 15 years" is [10, 15].
    low: float | None = None
    high: float | None = None
    bound: Bound = "exact"
    # What the number is about: the named system or technique nearest it in its clause, and
    # the measured concept ("energy", "fines", "accuracy"); "" when the rules cannot tell.
    subject: str = ""
    concept: str = ""


Stance = Literal["mature", "early", "neutral"]
Verification = Literal["stated", "unverified", "verified"]


class Claim(Frozen):
    """A sentence of a section that says something checkable."""

    claim_id: str  # f"{section_id}/{n}"
    source_id: str
    section_id: str
    topic_ids: tuple[str, ...] = ()
    text: str  # the exact sentence from the report (after mojibake repair)
    subjects: tuple[str, ...] = ()  # named systems / techniques, lower-cased
    quantities: tuple[Quantity, ...] = ()
    years: tuple[int, ...] = ()
    stance: Stance = "neutral"
    # Normalized reading (issue 10): the canonical subject the sentence is mainly about,
    # negation scoped to the clause, hedges, verification status and the years events happen.
    subject: str = ""
    negated: bool = False
    hedged: bool = False
    verification: Verification = "stated"
    caution: bool = False  # says validation, limits or open problems remain
    event_years: tuple[int, ...] = ()


class Section(Frozen):
    section_id: str  # f"{source_id}#{slug-of-heading}"
    source_id: str
    heading: str  # numbering and emphasis stripped, otherwise as in the report
    level: int
    line: int  # 1-based line of the heading in the file
    text: str  # body text, repaired, whitespace-normalized
    summary: str  # 2-3 sentences: lead claim plus concrete facts
    topics: tuple[TopicScore, ...] = ()
    claims: tuple[Claim, ...] = ()
    # A near-identical section of another report (counted once).
    duplicate_of: str | None = None


# --- conflicts ------------------------------------------------------------------------------

FlagKind = Literal[
    "stance", "numeric", "timeline", "verification", "caution", "consensus", "single_source"
]
# The one definition of "which flags are disagreements" (caution is the softer kind).
CONFLICT_KINDS: tuple[FlagKind, ...] = ("stance", "numeric", "verification", "timeline", "caution")

# The one vocabulary for flag kinds: Slack, the terminal, the CLI `conflicts` and the README.
KIND_WORDS: dict[str, str] = {
    "stance": "different assessments",
    "numeric": "different figures",
    "timeline": "different dates",
    "verification": "unverified figure",
    "caution": "a caution",
    "consensus": "agreement",
    "single_source": "one report only",
}


def kind_words(kind: str) -> str:
    """The plain words for a flag kind ("different figures"), the same everywhere."""
    return KIND_WORDS.get(kind, kind.replace("_", " "))


# A quoted snippet in parentheses, as flag summaries carry them: (“…”) or ("…").
_QUOTED_ASIDE = re.compile(r"\s*\((?:\"[^\"]*\"|“[^”]*”)\)")


def plain_point(summary: str) -> str:
    """A flag's summary as one plain line that leads with its point: the quoted snippets
    dropped ("Quantum computing: the 2025 'Transformative…' report presents it as working or
    established; the 2025 'Advancements…' report as early, limited, unsolved or not so."); the
    exact quotes are shown whole behind "Show both quotes" instead."""
    return " ".join(_QUOTED_ASIDE.sub("", summary).split())


# How long a disagreement line aims to be, and may be at most (issue 11: a reader sees what
# each side says without opening the quotes).
DISAGREEMENT_POINT_AIM = 200
DISAGREEMENT_POINT_MAX = 280

# A flag summary's long stance words, said in a word: the quote that follows says the rest
# ("… report presents it as achieved ("…")" -> "… report says “…”").
_STANCE_WORDS: dict[str, str] = {
    "presents it as working or established": "says",
    "as early, limited, unsolved or not so": "says",
    "presents it as achieved": "says",
    "says validation, limits or open problems remain": "says",
    "says it is unverified or not reproduced": "calls it unverified:",
}
_ASIDE_PARTS = re.compile(r"\s*\((?:\"([^\"]*)\"|“([^”]*)”)\)")
_ALSO = re.compile(r"\s+Also:\s+(?P<listed>.*)$")
# "the 2025 'Transformative Advances…' report" said as "'Transformative Advances…' (2025)",
# so the room goes to what each report says.
_REPORT_NAME = re.compile(r"\bthe (?:(\d{4})|undated) ('[^']+') report\b")
_QUOTE_MIN_WORDS = 3
_ELLIPSIS = "…"


def disagreement_point(summary: str, aim: int = DISAGREEMENT_POINT_AIM) -> str:
    """A disagreement's summary as one line that says what each side says, in a few words:
    each side's quoted snippet is kept (cut to the words around its middle, where the stance
    or figure is, when the line is longer than ``aim``) and the long stance words become
    "says" ("Regulation: 'X…' (2025) says “binding rules now apply”; 'Y…' (2025) says
    “enforcement remains uncertain”."). Others in the same disagreement
    ("Also: …") become a count when they do not fit. Never longer than
    ``DISAGREEMENT_POINT_MAX``; a summary without quotes is ``plain_point``'s line."""
    text = " ".join(summary.split())
    text = _REPORT_NAME.sub(lambda m: f"{m[2]} ({m[1]})" if m[1] else m[2], text)
    also = _ALSO.search(text)
    listed = also.group("listed") if also else ""
    body = text[: also.start()] if also else text
    segments: list[str] = []
    quotes: list[list[str]] = []
    at = 0
    for m in _ASIDE_PARTS.finditer(body):
        segments.append(body[at : m.start()])
        quotes.append((m.group(1) if m.group(1) is not None else m.group(2)).split())
        at = m.end()
    tail = body[at:]
    # Words cut from each quote's start and end.
    cut = [[0, 0] for _ in quotes]

    def said(n: int) -> str:
        words = without_dangling_end(quotes[n]) if cut[n][1] else quotes[n]
        quote = " ".join(words).rstrip(",;:") if cut[n][1] else " ".join(words)
        quote = (_ELLIPSIS if cut[n][0] else "") + quote + (_ELLIPSIS if cut[n][1] else "")
        seg = segments[n]
        for long, short in _STANCE_WORDS.items():
            if seg.endswith(" " + long):
                return f"{seg[: -len(long)]}{short} “{quote}”"
        return f"{seg} (“{quote}”)"

    def line(more: str) -> str:
        return "".join(said(n) for n in range(len(quotes))) + tail + more

    more = f" Also: {listed}" if listed else ""
    if len(line(more)) > aim and listed:
        count = _also_count(listed)
        more = f" Also: {count} more report{'s' if count != 1 else ''}."
    while quotes and len(line(more)) > aim:
        longer = [k for k in range(len(quotes)) if len(quotes[k]) > _QUOTE_MIN_WORDS]
        if not longer:
            break
        n = max(longer, key=lambda k: len(" ".join(quotes[k])))
        # The stance or figure sits in the middle: cut from the end and the start in turn.
        if cut[n][1] <= cut[n][0]:
            quotes[n].pop()
            cut[n][1] += 1
        else:
            quotes[n].pop(0)
            cut[n][0] += 1
    # A long hand-written summary: its leading whole sentences, else cut at a word.
    return fit_sentences(line(more).strip(), DISAGREEMENT_POINT_MAX)


_ALSO_MORE = re.compile(r"^and (\d+) more$")
_ROLE = re.compile(r"\s*\([^()]*\)$")


def _also_count(listed: str) -> int:
    """How many other reports an "Also: A (role); B (role); and 3 more." names."""
    names: set[str] = set()
    extra = 0
    for part in listed.rstrip(".").split("; "):
        part = part.strip()
        more = _ALSO_MORE.match(part)
        if more:
            extra += int(more.group(1))
        elif part:
            names.add(_ROLE.sub("", part))
    return len(names) + extra


class FlagSide(Frozen):
    source_id: str
    heading: str
    claim: str
    # The report's title, so a flag can name its reports wherever it is shown on its own.
    title: str = ""


class Flag(Frozen):
    """Where the reports disagree, all agree, or only one speaks."""

    flag_id: str  # stable: derived from topic, kind and the claims involved
    topic: str
    kind: FlagKind
    summary: str
    sides: tuple[FlagSide, ...]
    # "detected" by the rules, "confirmed" by a curator, or "curated" (added by hand).
    status: Literal["detected", "confirmed", "curated"] = "detected"
    # What both sides are about ("Loihi 2", "EU AI Act"): every side shares it.
    subject: str = ""
    # For consensus: the substantive point alone ("innovations in training techniques have
    # led to … energy efficiency"), so a lead can state it without repeating the summary's
    # "Three reports say that … (…, in its words): …".
    point: str = ""


class AgreedPoint(Frozen):
    """A point several reports make about one subject, in one sentence of substance."""

    subject: str
    point: str
    source_ids: tuple[str, ...]
    coverage: str  # "3 of 4 reports covering the topic"
    flag_id: str = ""


class DisputedPoint(Frozen):
    flag_id: str
    kind: FlagKind
    subject: str
    summary: str
    sides: tuple[FlagSide, ...]


class TopicSummary(Frozen):
    """What the reports together say on one topic: agreed, disputed and single-source points."""

    topic: str
    topic_name: str
    source_ids: tuple[str, ...]  # reports covering the topic
    agreed: tuple[AgreedPoint, ...] = ()
    disputed: tuple[DisputedPoint, ...] = ()
    single_source: tuple[FlagSide, ...] = ()
    # The span of the covering reports' dates, each as written at its precision ("Nov 2026").
    earliest: str | None = None
    latest: str | None = None
    newest_source: str | None = None


# --- the compiled corpus --------------------------------------------------------------------


class RetrievalWords(Frozen):
    """The retrieval's curator-editable word lists (content/retrieval.toml, read by ingest)."""

    off_domain: tuple[str, ...] = ()  # one of them refuses a question (stocks, code, trivia)
    # One of them refuses a question that names nothing of the field ("fix my python script").
    off_domain_subjects: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()  # words of the field: an open question may be answered
    focus_units: tuple[tuple[str, tuple[str, ...]], ...] = ()  # "energy" -> ("watts", ...)
    # Everyday English (content/everyday_words.txt): an unseen one weighs little as evidence.
    everyday: tuple[str, ...] = ()
    # Groups of words asked for the same thing ("catch", "headache", "challenges").
    synonyms: tuple[tuple[str, ...], ...] = ()
    # Kinds of answer a question asks for: (name, question phrases, words marking the sentence)
    # ("any good" -> "limited", "excels"; "what do we gain" -> "streamlines").
    answer_kinds: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


class Corpus(Frozen):
    version: str  # hash of all inputs; changes whenever any content file changes
    built_at: datetime
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    flags: tuple[Flag, ...] = ()
    summaries: tuple[TopicSummary, ...] = ()
    # None: the built-in lists of bot/retrieval/lexicon.py (no content/retrieval.toml).
    retrieval_words: RetrievalWords | None = None
    # (place, IANA zone) from content/conversation.toml: "London time" in a digest request.
    zone_words: tuple[tuple[str, str], ...] = ()


# --- questions and answers ------------------------------------------------------------------


class Intent(StrEnum):
    WHATS_NEW = "whats_new"
    TOPIC_BRIEF = "topic_brief"
    CONFLICTS = "conflicts"
    AGREEMENT = "agreement"
    SINGLE_SOURCE = "single_source"
    SOURCES = "sources"
    REPORTS = "reports"
    LIST_TOPICS = "list_topics"
    DIGEST = "digest"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    HELP = "help"
    GREETING = "greeting"
    UNKNOWN = "unknown"


class Match(Frozen):
    """What the matcher understood of a question."""

    intent: Intent
    topic: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    # When the topic came from the full-text fallback: the section ids that matched.
    section_hits: tuple[str, ...] = ()
    # The term that matched in the full-text fallback (e.g. "loihi 2").
    term: str | None = None
    suggestions: tuple[str, ...] = ()  # topic ids for "did you mean"
    # Free text an answer depends on (the wording of a greeting or of a reports question).
    argument: str = ""


class Citation(Frozen):
    source_id: str
    heading: str
    published: date | None = None
    published_precision: Literal["day", "month", "year"] | None = None
    title: str = ""


class Point(Frozen):
    text: str
    citation: Citation
    # "2 years old" style note when the report is older than the newest one.
    age_note: str | None = None
    # Where the point came from and how relevant retrieval found it (0 when not ranked).
    section_id: str = ""
    claim_id: str | None = None
    score: float = 0.0


class Lead(Frozen):
    """One to three sentences that answer the question, each source named inline."""

    kind: Literal["lead"] = "lead"
    text: str
    citations: tuple[Citation, ...] = ()
    # The ranked points the lead states (a fact question's best sentence), best first.
    points: tuple[Point, ...] = ()


class Evidence(Frozen):
    """The most relevant points, best first (retrieval's ranking), each under a short source."""

    kind: Literal["evidence"] = "evidence"
    points: tuple[Point, ...]
    # A plain heading ("New in multimodal models"); "" when the lead already says it.
    label: str = ""


class AgreementItem(Frozen):
    """A substantive point several reports make, and how many of the covering reports make it."""

    point: str
    source_ids: tuple[str, ...]
    coverage: str  # "3 of 4 reports covering multimodal models"
    subject: str = ""
    flag_id: str = ""


class Agreement(Frozen):
    kind: Literal["agreement"] = "agreement"
    items: tuple[AgreementItem, ...]


class Disagreement(Frozen):
    """One disagreement in one plain-words line; its exact quotes stay in ``flag.sides``."""

    kind: Literal["disagreement"] = "disagreement"
    flag: Flag
    line: str


class SingleSource(Frozen):
    """Points only one report makes, each with its source (each flag shown once)."""

    kind: Literal["single_source"] = "single_source"
    items: tuple[Point, ...]


class Note(Frozen):
    """A plain line: help text, a hint, "did you mean", a refusal's reason."""

    kind: Literal["note"] = "note"
    text: str


class ListItem(Frozen):
    """One line of a listing, with its source in words ("Report new (25 Oct 2025)")."""

    text: str
    source: str = ""


class Listing(Frozen):
    """A labelled list of one-line items that name their own source: a digest's headlines,
    what changed since the last digest."""

    kind: Literal["listing"] = "listing"
    label: str
    items: tuple[ListItem, ...]


def _of(part: Evidence | SingleSource) -> tuple[Point, ...]:
    return part.points if isinstance(part, Evidence) else part.items


AnswerPart = Annotated[
    Lead | Evidence | Agreement | Disagreement | SingleSource | Listing | Note,
    Field(discriminator="kind"),
]


class Answer(Frozen):
    """The one answer model every renderer draws from: typed parts in reading order."""

    intent: Intent
    topic: str | None = None
    topic_name: str | None = None
    confidence: float = 0.0
    question: str = ""
    headline: str
    parts: tuple[AnswerPart, ...] = ()
    conflicts: tuple[Flag, ...] = ()
    suggestions: tuple[str, ...] = ()  # topic display names for "did you mean"

    @property
    def lead(self) -> Lead | None:
        return next((p for p in self.parts if isinstance(p, Lead)), None)

    @property
    def points(self) -> tuple[Point, ...]:
        """Every ranked point in the order shown: the lead's, then the evidence (best first)."""
        lead = self.lead
        return (lead.points if lead else ()) + tuple(
            pt for p in self.parts if isinstance(p, (Evidence, SingleSource)) for pt in _of(p)
        )

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.parts if isinstance(p, Note))

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every cited source once, in the order shown: the lead's, then the evidence's."""
        seen: dict[tuple[str, str], Citation] = {}
        lead = self.lead
        for c in lead.citations if lead else ():
            seen.setdefault((c.source_id, c.heading), c)
        for p in self.points:
            seen.setdefault((p.citation.source_id, p.citation.heading), p.citation)
        return tuple(seen.values())


class DigestItem(Frozen):
    topic: str
    topic_name: str
    points: tuple[Point, ...]
    markers: tuple[Literal["consensus", "disputed", "single_source"], ...] = ()


class DigestSnapshot(Frozen):
    """What one delivered digest showed, kept compact so the next one can say what changed."""

    corpus_version: str = ""
    source_ids: tuple[str, ...] = ()  # reports the channel had seen (claims follow from them)
    conflicts: tuple[tuple[str, str], ...] = ()  # (flag id, summary) of open disagreements
    agreement: tuple[tuple[str, str, int], ...] = ()  # (flag id, summary, reports agreeing)


class ReportRef(Frozen):
    """A report named in a digest header."""

    source_id: str
    title: str
    published: date | None = None
    published_precision: Literal["day", "month", "year"] | None = None


HeadlineKind = Literal["new_report", "new_disagreement", "agreement", "single_source"]
VerdictKind = Literal["real", "not_disagreement", "needs_curator"]


class Headline(Frozen):
    """One line at the top of a digest, with the short source it rests on."""

    kind: HeadlineKind
    text: str
    source: str


class AgreementChange(Frozen):
    flag_id: str
    summary: str
    before: int  # 0: the agreement is new
    after: int


class DigestChanges(Frozen):
    """What changed since the channel's last digest (empty on its first)."""

    new_claims: int = 0
    new_disagreements: tuple[str, ...] = ()  # summaries
    resolved_disagreements: tuple[str, ...] = ()
    agreement: tuple[AgreementChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_claims
            or self.new_disagreements
            or self.resolved_disagreements
            or self.agreement
        )


class Digest(Frozen):
    period_start: datetime
    period_end: datetime
    # A first digest starts at its newest report's date, which may be known only to the month
    # or year ("as of 2025"): shown that way, never as an invented 1 January.
    period_start_precision: Literal["day", "month", "year"] = "day"
    report_count: int
    items: tuple[DigestItem, ...] = ()
    conflicts: tuple[Flag, ...] = ()
    consensus: tuple[Flag, ...] = ()
    single_source: tuple[Flag, ...] = ()
    # The week at a glance (issue 11): the reports new to this channel, ranked headlines, the
    # disagreements involving new material (the older open ones are only counted), and what
    # changed since the channel's last digest (None: this is its first).
    new_reports: tuple[ReportRef, ...] = ()
    headlines: tuple[Headline, ...] = ()
    new_conflicts: tuple[Flag, ...] = ()
    older_conflicts: int = 0
    changes: DigestChanges | None = None
    snapshot: DigestSnapshot = DigestSnapshot()

    @property
    def is_empty(self) -> bool:
        return not self.items
