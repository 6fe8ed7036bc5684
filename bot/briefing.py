"""Pure: turn a Match into an Answer whose every point carries its citation."""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from datetime import date
from functools import lru_cache
from itertools import islice

from bot.corpus import CorpusIndex
from bot.dates import Precision, format_published, months_between
from bot.matcher import match_question, normalize, normalize_for_index
from bot.matcher.intents import TOPICAL
from bot.matcher.tables import tables_for
from bot.matcher.topics import suggest
from bot.models import (
    Agreement,
    AgreementItem,
    Answer,
    AnswerPart,
    Citation,
    Disagreement,
    Evidence,
    Flag,
    Intent,
    Lead,
    Match,
    Note,
    Point,
    Section,
    SingleSource,
    TopicSummary,
    disagreement_point,
    kind_words,
)
from bot.retrieval import Hit, Ranking, rank, retrieval_index_for
from bot.retrieval.lexicon import asks_for_another_service, is_off_domain, names_the_field
from bot.retrieval.names import unknown_names
from bot.retrieval.score import normalized
from bot.retrieval.weights import ANSWER_FLOOR, OFF_TOPIC_SHARE, OPEN_FLOOR
from bot.sentences import (
    fit_sentences,
    is_labelled_item,
    opens_a_list,
    short_title,
    shorten_quote,
    split_sentences,
)

MAX_POINTS_PER_SECTION = 3
MAX_POINTS_PER_REPORT = 4
MAX_NEWS_POINTS = 12
MAX_AGREED_GROUPS = 3
# Big corpora: a brief reads the newest sections only, and lists a bounded number of reports;
# the answer says how many more there are.
MAX_BRIEF_SECTIONS = 30
MAX_REPORT_GROUPS = 8
MAX_LISTED = 20
MAX_SUGGESTIONS = 5
# The best answer leads with this many sentences of the best section.
MAX_LEAD_POINTS = 2

EXAMPLES = (
    "what's new in multimodal",
    "tell me about quantum",
    "where do the reports disagree on scaling?",
    "sources for LoRA",
    "list topics",
)


# How much of a content problem ("file:line: reason (fix)") an answer quotes.
MAX_PROBLEM_CHARS = 300


def _asked_part(text: str) -> str:
    """The question itself when a message goes on after it ("tl;dr of the EU AI Act's key
    mandates? exec meeting in 10 min"): an aside after the question mark does not make the
    question off-domain. A short head ("what's new? …") is no question on its own."""
    head, mark, tail = text.partition("?")
    return head if mark and tail.strip() and len(head.split()) >= 3 else text


def answer_question(text: str, index: CorpusIndex, *, context_topic: str | None = None) -> Answer:
    """Match a question, rank the evidence, and answer only if it holds up (else say unknown)."""
    if index.problem is not None:
        return content_broken_answer(index.problem, text)
    match = match_question(text, index, context_topic=context_topic)
    words = normalized(text).split()
    asked = normalized(_asked_part(text)).split()
    unknown = (
        unknown_names(_asked_part(text), retrieval_index_for(index))
        if match.intent in _REFUSABLE
        else []
    )
    if (
        match.intent in _REFUSABLE
        and (is_off_domain(asked, index.corpus.retrieval_words) or unknown)
    ) or (match.intent in _DIGEST_COMMANDS and asks_for_another_service(asked)):
        # Stocks, code, people, products, translation, dates, trivia: not what reports answer,
        # even when one word of the question occurs in them.
        refused = build_answer(_unknown_match(text, index), index, text)
        if unknown:
            # Say what is missing: "The reports don't mention Zurich."
            named = " or ".join(dict.fromkeys(unknown))
            return refused.model_copy(update={"headline": f"The reports don't mention {named}"})
        return refused
    opened = None
    if match.intent is Intent.UNKNOWN and names_the_field(words, index.corpus.retrieval_words):
        opened = _open_question(text, index)
        match = opened or match
    ranking = ranking_for(match, text, index)
    floor = OPEN_FLOOR if opened else ANSWER_FLOOR
    if ranking is not None and ranking.terms and ranking.evidence < floor:
        # The reports use some of the words, but not about this: say so rather than guess.
        match = Match(
            intent=Intent.UNKNOWN,
            confidence=0.0,
            suggestions=_nearby_topics(text, ranking, index),
        )
        ranking = None
    return build_answer(match, index, text, ranking)


# Intents answered from the reports' content (commands and greetings are never refused).
_REFUSABLE = TOPICAL | {Intent.HELP, Intent.LIST_TOPICS, Intent.UNKNOWN}
# Digest commands are refused only when about another service's subscription.
_DIGEST_COMMANDS = {Intent.SUBSCRIBE, Intent.UNSUBSCRIBE, Intent.DIGEST}


def _unknown_match(text: str, index: CorpusIndex) -> Match:
    suggestions = suggest(normalized(text).split(), tables_for(index))
    return Match(intent=Intent.UNKNOWN, confidence=0.0, suggestions=suggestions[:MAX_SUGGESTIONS])


def _open_question(text: str, index: CorpusIndex) -> Match | None:
    """A question in the field that names no topic: the topic of the section that answers it."""
    bare = Match(intent=Intent.TOPIC_BRIEF, confidence=0.5)
    ranking = rank(text, bare, retrieval_index_for(index))
    best = index.sections.get(ranking.best_section or "")
    topic = index.primary_topic(best) if best else None
    if topic is None or ranking.evidence < OPEN_FLOOR:
        return None
    return Match(
        intent=Intent.TOPIC_BRIEF,
        topic=topic,
        confidence=round(0.5 * ranking.evidence, 3),
    )


def ranking_for(match: Match, question: str, index: CorpusIndex) -> Ranking | None:
    """The retrieval ranking for a topical question with a subject; None for everything else."""
    if match.intent not in TOPICAL or not (match.topic or match.section_hits):
        return None
    return rank(question, match, retrieval_index_for(index))


def _nearby_topics(question: str, ranking: Ranking, index: CorpusIndex) -> tuple[str, ...]:
    """A short "did you mean": topics spelled like the question's words, then the best sections'."""
    found: dict[str, None] = {}
    for tid in suggest(normalized(question).split(), tables_for(index)):
        found.setdefault(tid)
    for sid, _ in ranking.sections[:3]:
        sec = index.sections.get(sid)
        primary = index.primary_topic(sec) if sec else None
        if primary:
            found.setdefault(primary)
    return tuple(found)[:MAX_SUGGESTIONS]


def build_answer(
    match: Match, index: CorpusIndex, question: str, ranking: Ranking | None = None
) -> Answer:
    """The answer for a match: points with citations, conflicts, suggestions or usage notes."""
    if index.problem is not None:
        return content_broken_answer(index.problem, question)
    if ranking is None:
        ranking = ranking_for(match, question, index)
    builders = {
        Intent.WHATS_NEW: _whats_new,
        Intent.TOPIC_BRIEF: _topic_brief,
        Intent.CONFLICTS: _conflicts,
        Intent.AGREEMENT: _agreement,
        Intent.SINGLE_SOURCE: _single_source,
        Intent.SOURCES: _sources,
        Intent.REPORTS: _reports,
        Intent.LIST_TOPICS: _list_topics,
        Intent.DIGEST: _digest,
        Intent.SUBSCRIBE: _digest_request,
        Intent.UNSUBSCRIBE: _digest_request,
        Intent.HELP: _help,
        Intent.GREETING: _greeting,
        Intent.UNKNOWN: _unknown,
    }
    if match.intent in (Intent.GREETING, Intent.REPORTS) and not match.argument:
        # These answers depend on the wording ("thanks" or "hi"; the newest or the oldest).
        match = match.model_copy(update={"argument": question[:200]})
    answer = builders[match.intent](match, index, ranking or _NO_RANKING)
    return answer.model_copy(
        update={
            "intent": match.intent,
            "topic": match.topic if match.topic in index.topics else None,
            "topic_name": _topic_name(match, index),
            "confidence": match.confidence,
            "question": question[:500],
        }
    )


def content_broken_answer(problem: str, question: str) -> Answer:
    """The reply to every question while there is no good content at all."""
    if len(problem) > MAX_PROBLEM_CHARS:
        problem = problem[: MAX_PROBLEM_CHARS - 1] + "…"
    return Answer(
        intent=Intent.UNKNOWN,
        question=question[:500],
        headline=f"My content is broken: {problem}",
        parts=_notes("I answer again as soon as the content is fixed."),
    )


# --- shared pieces ----------------------------------------------------------------------------


def _topic_name(match: Match, index: CorpusIndex) -> str | None:
    topic = index.topics.get(match.topic) if match.topic else None
    return topic.name if topic else None


def _subject(match: Match, index: CorpusIndex) -> str:
    """How the answer names what was asked about: the term found in the text, or the topic."""
    name = _topic_name(match, index)
    term = _as_the_reports_write(match.term, match.section_hits, index) if match.term else ""
    if term and name:
        return f"“{term}” ({name})"
    if term:
        return f"“{term}”"
    return name or "that"


def _as_the_reports_write(term: str, section_ids: tuple[str, ...], index: CorpusIndex) -> str:
    """The matched term as a report spells it ("tinyllm s" -> "TinyLLM-S", "loihi 2" ->
    "Loihi 2"): the normalized question lost the case and the hyphens; else as asked."""
    words = [re.escape(w) for w in term.split()]
    if not words:
        return term
    pattern = re.compile(r"(?<![\w-])" + r"[\s\-]+".join(words) + r"(?![\w-])", re.IGNORECASE)
    for sid in section_ids:
        sec = index.sections.get(sid)
        found = pattern.search(f"{sec.heading}\n{sec.text}") if sec else None
        if found:
            return found.group(0)
    return term


def sentences(text: str) -> list[str]:
    """Sentences of a summary or section body, whitespace tidied."""
    return split_sentences(" ".join(text.split()))


@lru_cache(maxsize=4096)
def _lines(text: str) -> tuple[str, ...]:
    """A section body line by line, each whitespace-tidied: a list's lead-in and its items are
    lines of their own (``sentences`` joins them). Cached: answers look a section up often."""
    return tuple(" ".join(line.split()) for line in split_sentences(text))


def _line_at(text: str, sentence: str) -> int | None:
    """Where a sentence is among a section body's ``_lines``, None if it is not one of them."""
    wanted = " ".join(sentence.split())
    return next((n for n, line in enumerate(_lines(text)) if line == wanted), None)


def _notes(*texts: str) -> tuple[Note, ...]:
    return tuple(Note(text=t) for t in texts if t.strip())


def _evidence(points: tuple[Point, ...] | list[Point], label: str = "") -> tuple[Evidence, ...]:
    return (Evidence(points=tuple(points), label=label),) if points else ()


# A lead is one to three sentences; a quoted side of a disagreement one short clause.
LEAD_MAX = 600
SIDE_QUOTE_MAX = 110


def _short(source_id: str, index: CorpusIndex) -> str:
    src = index.sources.get(source_id)
    return short_title(src.title) or source_id if src else source_id


def _dated(source_id: str, index: CorpusIndex) -> str:
    src = index.sources.get(source_id)
    when = format_published(src.published, src.published_precision) if src else "undated"
    return f"{_short(source_id, index)} ({when})"


def _inline_source(citation: Citation) -> str:
    """``Report title, 2025, § Heading``: how a lead names its source."""
    bits = [short_title(citation.title) or citation.source_id]
    if citation.published:
        bits.append(format_published(citation.published, citation.published_precision))
    if citation.heading:
        bits.append(f"§ {citation.heading}")
    return ", ".join(bits)


def _with_source(sentence: str, citation: Citation) -> str:
    body = sentence.strip().rstrip(".")
    return f"{body} ({_inline_source(citation)})."


def _side_citations(flags: tuple[Flag, ...], index: CorpusIndex) -> tuple[Citation, ...]:
    """The sections a set of flags quotes, in flag order, each once."""
    seen: dict[tuple[str, str], Citation] = {}
    for flag in flags:
        for side in flag.sides:
            if side.source_id in index.sources:
                key = (side.source_id, side.heading)
                seen.setdefault(key, index.cite(side.source_id, side.heading))
    return tuple(seen.values())


# A sentence that opens with one of these leans on the one before it ("Furthermore, …").
_LEANS_BACK = re.compile(
    r"^(?:furthermore|moreover|additionally|in addition|however|also|similarly|likewise|"
    r"consequently|therefore|thus)\b",
    re.IGNORECASE,
)


def _opens_a_list(point: Point, *, fact: bool = False) -> bool:
    """A sentence that only introduces a list ("…supports agent ecosystems, leveraging:",
    "These datasets:") says nothing by itself: it is neither a lead nor an evidence point,
    except for a fact question when it holds a figure ("…cut costs by 40% through:")."""
    if not opens_a_list(point.text):
        return False
    return not (fact and _FIGURE.search(point.text))


# A figure worth quoting: two digits or more, a percentage or an amount ("3.x" is a version).
_FIGURE = re.compile(r"\d{2,}|\d\s?%|[$€£]\s?\d")


def _lead_index(points: list[Point], *, news: bool = False) -> int:
    """The best point that can stand alone as a lead. A what's-new lead passes over a sentence
    that leans on the one before it ("Furthermore, ethical considerations …"); a topic lead
    keeps it, as it may hold the fact asked for ("However, …" was the best sentence of several
    fact questions in the tune split). An item of a labelled list stays the lead, completed by
    its lead-in (``_completed``)."""
    return next(
        (n for n, p in enumerate(points) if not (news and _LEANS_BACK.match(p.text.lstrip()))),
        0,
    )


def _completed(point: Point, index: CorpusIndex) -> Point:
    """A lead that is an item of a labelled list, completed by the lead-in the list hangs from
    ("The AutoGPT 3.x framework supports … ecosystems, leveraging swarm intelligence: Hundreds
    of agents …"): the item alone does not say what it is an item of. Both parts are the
    section's own words, in order; any other point is returned as it is."""
    section = index.sections.get(point.section_id)
    if section is None or not is_labelled_item(point.text):
        return point
    lines, at = _lines(section.text), _line_at(section.text, point.text)
    if at is None:
        return point
    before = next((line for line in reversed(lines[:at]) if not is_labelled_item(line)), None)
    if before is None or not opens_a_list(before):
        return point
    item = point.text.strip()
    first = item.split(maxsplit=1)[0]
    if first[:1].isupper() and first[1:].islower():
        item = item[0].lower() + item[1:]  # "Swarm intelligence" -> "swarm intelligence"
    return point.model_copy(update={"text": f"{before.rstrip().rstrip(':')} {item}"})


def _fact_lead(point: Point) -> Lead:
    """A lead that states one ranked sentence with its source inline."""
    return Lead(
        text=_with_source(point.text, point.citation), citations=(point.citation,), points=(point,)
    )


def disagreement_line(flag: Flag, index: CorpusIndex) -> str:
    """One plain line that leads with the point: the subject, then what each report holds,
    each in a few quoted words (``disagreement_point``); the exact quotes are behind "Show
    both quotes". A flag with no summary quotes each side briefly."""
    line = disagreement_point(flag.summary)
    if line and "report" not in flag.summary.lower():
        # A hand-written summary ("Savings differ") does not say who: name the reports.
        names = dict.fromkeys(_dated(s.source_id, index) for s in flag.sides)
        line = f"{line.rstrip('.')} — {' vs '.join(names)}" if names else line
    if line:
        return line
    said: list[str] = []
    for side in flag.sides[:2]:
        quote = shorten_quote(side.claim.strip().rstrip("."), SIDE_QUOTE_MAX)
        said.append(f"{_dated(side.source_id, index)} says “{quote}”")
    if len(flag.sides) > 2:
        said.append(f"and {len(flag.sides) - 2} more")
    line = "; ".join(said)
    if flag.subject:
        line = f"{flag.subject[0].upper()}{flag.subject[1:]}: {line}" if line else flag.subject
    return line or one_line_text(flag.summary)


def one_line_text(text: str) -> str:
    return " ".join(text.split())


def _disagreements(flags: tuple[Flag, ...], index: CorpusIndex) -> tuple[Disagreement, ...]:
    return tuple(Disagreement(flag=f, line=disagreement_line(f, index)) for f in flags)


def _summary_for(topic: str | None, index: CorpusIndex) -> TopicSummary | None:
    if not topic:
        return None
    return next((s for s in index.corpus.summaries if s.topic == topic), None)


def _same_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _summary_lead(summary: TopicSummary, index: CorpusIndex) -> str:
    """The normalized summary in one to three sentences: agreed, disputed, newest."""
    name = summary.topic_name
    bits: list[str] = []
    if summary.agreed:
        best = summary.agreed[0]
        coverage = best.coverage.replace("covering the topic", f"covering {name.lower()}")
        bits.append(f"{coverage[0].upper()}{coverage[1:]} agree: {best.point.strip()}")
    if summary.disputed:
        d = summary.disputed[0]
        what = d.subject or name.lower()
        bits.append(f"Disputed: {what} ({kind_words(d.kind)}).")
    if summary.newest_source:
        when = f" ({summary.latest})" if summary.latest else ""
        bits.append(f"Newest: {_short(summary.newest_source, index)}{when}.")
    text = " ".join(b if b.endswith((".", "!", "?", ")")) else b + "." for b in bits)
    return fit_sentences(text, LEAD_MAX)


def _single_report_note(reports: int) -> tuple[Note, ...]:
    if reports != 1:
        return ()
    return _notes("Only one report covers this, so nothing here is confirmed by a second source.")


def _agreement_part(summary: TopicSummary | None, *, skip: int = 0) -> tuple[Agreement, ...]:
    """The topic's agreed points, but the first ``skip`` (a lead already states them)."""
    if summary is None or len(summary.agreed) <= skip:
        return ()
    items = tuple(
        AgreementItem(
            point=a.point,
            source_ids=a.source_ids,
            coverage=a.coverage.replace(
                "covering the topic", f"covering {summary.topic_name.lower()}"
            ),
            subject=a.subject,
            flag_id=a.flag_id,
        )
        for a in summary.agreed[skip : skip + MAX_AGREED_GROUPS]
    )
    return (Agreement(items=items),)


def _is_duplicate(section: Section, index: CorpusIndex) -> bool:
    src = index.sources.get(section.source_id)
    return section.duplicate_of is not None or bool(src and src.duplicate_of)


def _sections(match: Match, index: CorpusIndex) -> tuple[Section, ...]:
    """The sections an answer draws from: the text-fallback hits, else the topic's sections."""
    if match.section_hits:
        hits = [index.sections[s] for s in match.section_hits if s in index.sections]
        hits = [s for s in hits if not _is_duplicate(s, index)]
        return tuple(sorted(hits, key=lambda s: (-index.ordinal(s.source_id), s.source_id, s.line)))
    if match.topic:
        return index.sections_for(match.topic)
    return ()


def _topic_phrases(topic_id: str, index: CorpusIndex) -> list[frozenset[str]]:
    """The topic's name, aliases and keywords as word sets, for spotting it inside a sentence."""
    topic = index.topics.get(topic_id)
    if topic is None:
        return []
    phrases = (topic.name, topic.id.replace("_", " "), *topic.aliases, *topic.keywords)
    return [w for w in (frozenset(normalize_for_index(p)) for p in phrases) if w]


def _mentions(sentence: str, phrases: list[frozenset[str]]) -> bool:
    words = set(normalize_for_index(sentence))
    return any(p <= words for p in phrases)


def _section_points(
    section: Section, index: CorpusIndex, term: str | None, topic: str | None = None
) -> list[str]:
    """What a section says, most relevant first: sentences with the asked term, claims, summary.

    A section mapped to the topic only as a side theme (not its primary topic) contributes just
    the sentences that speak of the topic, so a brief on regulation does not recite an agents
    section because it mentions GDPR once.
    """
    picked: list[str] = []
    if term:
        wanted = set(normalize_for_index(term))
        for sentence in sentences(section.text):
            if wanted and wanted <= set(normalize_for_index(sentence)):
                picked.append(sentence)
            if len(picked) >= 2:
                break
    if topic and not term and index.primary_topic(section) != topic:
        phrases = _topic_phrases(topic, index)
        side = [s for s in sentences(section.text) if _mentions(s, phrases)]
        return side[:MAX_POINTS_PER_SECTION] or sentences(section.summary)[:1]
    lines = [c.text for c in section.claims] or sentences(section.summary)
    if not lines:
        lines = sentences(section.text)[:1]
    for line in lines:
        if line not in picked:
            picked.append(line)
    return picked[:MAX_POINTS_PER_SECTION]


def age_note(
    published: date | None,
    newest: date | None,
    precision: Precision | None = "day",
    newest_precision: Precision | None = "day",
) -> str | None:
    """'from 2024, 1 year older than the newest report' for older reports; None for the newest
    or when the precisions cannot tell (a year-only 2025 is not "10 months older" than Nov 2025)."""
    if newest is None:
        return None
    if published is None:
        return "undated report"
    months = months_between(published, precision, newest, newest_precision)
    if months is None or months <= 0:
        return None
    # An age in years names the year; in months, the month (never a day nobody stated).
    if months >= 12:
        years = months // 12
        unit = "year" if years == 1 else "years"
        return f"from {published.year}, {years} {unit} older than the newest report"
    unit = "month" if months == 1 else "months"
    return f"from {published:%B %Y}, {months} {unit} older than the newest report"


def _point(
    text: str,
    citation: Citation,
    index: CorpusIndex,
    *,
    section_id: str = "",
    claim_id: str | None = None,
    score: float = 0.0,
) -> Point:
    return Point(
        text=text,
        citation=citation,
        age_note=age_note(
            citation.published,
            index.newest_date,
            citation.published_precision or "day",
            index.newest_precision or "day",
        ),
        section_id=section_id,
        claim_id=claim_id,
        score=score,
    )


_NO_RANKING = Ranking(hits=(), sections=(), evidence=0.0, fact=False, terms=())


def _ranked_sections(
    match: Match, index: CorpusIndex, ranking: Ranking
) -> list[tuple[Section, float]]:
    """The sections an answer draws from, most relevant first (by the topic when not ranked)."""
    if not ranking.sections:
        return [(sec, 0.0) for sec in _sections(match, index)]
    picked: list[tuple[Section, float]] = []
    best = ranking.sections[0][1]
    for sid in ranking.relevant_sections():
        sec = index.sections.get(sid)
        if sec is None or _is_duplicate(sec, index):
            continue
        score = ranking.section_score(sid)
        mapped = not match.topic or any(t.topic_id == match.topic for t in sec.topics)
        # A section outside the asked topic joins only when it is nearly as relevant.
        if mapped or score >= OFF_TOPIC_SHARE * best:
            picked.append((sec, score))
    return picked


def _hits_by_section(ranking: Ranking) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = defaultdict(list)
    for hit in ranking.hits:
        found[hit.section_id].append(hit)
    return found


def _points_of(
    section: Section,
    index: CorpusIndex,
    match: Match,
    hits: dict[str, list[Hit]],
    limit: int = MAX_POINTS_PER_SECTION,
    *,
    fact: bool = False,
    lead: bool = True,
) -> list[Point]:
    """A section's sentences for this question, best first (its own order when not ranked);
    a lead-in that only introduces a list does not take one of the ``limit`` places. ``lead``:
    the most relevant section of the answer (a later one that has the topic only as a side
    theme gives only its sentences on the topic)."""
    cite = index.citation(section)
    ranked = hits.get(section.section_id)
    topic = match.topic
    if ranked and topic and not lead and not match.term and index.primary_topic(section) != topic:
        # A section on the topic only as a side theme: its ranked sentences that speak of the
        # topic (a regulation brief quotes the agents section's GDPR line, not its job losses).
        # The most relevant section keeps its ranking: the answer may be anywhere in it.
        phrases = _topic_phrases(topic, index)
        ranked = [h for h in ranked if _mentions(h.text, phrases)]
        if not ranked:
            side = _section_points(section, index, match.term, match.topic)
            return [_point(t, cite, index, section_id=section.section_id) for t in side][:limit]
    if ranked:
        points = (
            _point(
                h.text,
                cite,
                index,
                section_id=h.section_id,
                claim_id=h.claim_id,
                score=h.score,
            )
            for h in ranked
        )
    else:
        points = (
            _point(t, cite, index, section_id=section.section_id)
            for t in _section_points(section, index, match.term, match.topic)
        )
    return list(islice((p for p in points if not _opens_a_list(p, fact=fact)), limit))


# A sentence that opens by pointing at the one before it ("These energy-efficient approaches …").
_POINTS_BACK = re.compile(r"^(?:these|this|such|those)\b", re.IGNORECASE)


def _without_dangling(
    points: list[Point], index: CorpusIndex, lead: AnswerPart | None
) -> list[Point]:
    """The points less those that open by pointing back ("These approaches …") when the sentence
    they point at is neither shown nor stated by the lead: alone they refer to nothing. A point
    whose section cannot be read, or the only point, stays."""
    shown = {" ".join(p.text.split()) for p in points}
    if isinstance(lead, Lead):
        shown.update(" ".join(p.text.split()) for p in lead.points)

    def dangles(point: Point) -> bool:
        section = index.sections.get(point.section_id)
        if section is None or not _POINTS_BACK.match(point.text.lstrip()):
            return False
        at = _line_at(section.text, point.text)
        return at is not None and at > 0 and _lines(section.text)[at - 1] not in shown

    kept = [p for p in points if not dangles(p)]
    return kept or points


def _in_reading_order(points: list[Point], index: CorpusIndex) -> list[Point]:
    """Each section's points in the order its report has them, the sections in the order given.

    The best sentence is already the lead; the rest of a section read best-first jumps back and
    forth ("Furthermore, ethical considerations …" before the sentence it follows). The
    sections keep their relevance order, and which sentences are shown does not change.
    """
    groups: dict[str, list[Point]] = {}
    for point in points:
        groups.setdefault(point.section_id, []).append(point)

    def place(point: Point) -> int:
        section = index.sections.get(point.section_id)
        if section is None:
            return 0
        at = section.text.find(point.text)
        return at if at >= 0 else len(section.text)  # a point not found verbatim goes last

    return [p for group in groups.values() for p in sorted(group, key=place)]


def _report_label(source_id: str, index: CorpusIndex) -> str:
    src = index.sources[source_id]
    return f"{src.title} ({format_published(src.published, src.published_precision)})"


def _topic_conflicts(match: Match, index: CorpusIndex) -> tuple[Flag, ...]:
    return index.conflicts_for(match.topic) if match.topic else ()


def _nothing(match: Match, index: CorpusIndex) -> Answer:
    return Answer(
        intent=match.intent,
        headline=f"The reports have nothing on {_subject(match, index)} yet.",
        parts=_notes(_topic_list_hint(index)),
    )


# --- whats_new --------------------------------------------------------------------------------


def _whats_new(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    if not match.topic and not match.section_hits:
        return _whats_new_everywhere(match, index)
    ranked = _ranked_sections(match, index, ranking)
    if not ranked:
        return _nothing(match, index)
    # Among the relevant sections, newest first; equal dates by relevance.
    ranked.sort(key=lambda pair: (-index.ordinal(pair[0].source_id), -pair[1]))
    hits = _hits_by_section(ranking)
    points: list[Point] = []
    # One relevant section is all the news there is: it gives a report's worth of points.
    limit = MAX_POINTS_PER_REPORT if len(ranked) == 1 else MAX_POINTS_PER_SECTION
    for sec, _ in ranked:
        points.extend(_points_of(sec, index, match, hits, limit, fact=ranking.fact))
        if len(points) >= MAX_NEWS_POINTS:
            break
    reports = len({sec.source_id for sec, _ in ranked})
    shown = points[:MAX_NEWS_POINTS]
    conflicts = _topic_conflicts(match, index)
    lead: tuple[AnswerPart, ...] = ()
    if shown:
        lead = (_fact_lead(_completed(shown.pop(_lead_index(shown, news=True)), index)),)
    shown = _without_dangling(_in_reading_order(shown, index), index, lead[0] if lead else None)
    return Answer(
        intent=match.intent,
        headline=f"New in {_subject(match, index)}",
        parts=(
            *lead,
            *_evidence(shown, f"Newest first, from {reports} report{'s' if reports != 1 else ''}"),
            *_disagreements(conflicts, index),
            *_single_report_note(reports),
        ),
        conflicts=conflicts,
    )


def _whats_new_everywhere(match: Match, index: CorpusIndex) -> Answer:
    secs = _newest_sections(index)
    if not secs:
        return _nothing(match, index)
    points: list[Point] = []
    for sec in secs[:MAX_NEWS_POINTS]:
        lines = sentences(sec.summary) or sentences(sec.text)[:1]
        if lines:
            # The citation names the section (§ heading): the line does not repeat it.
            points.append(_point(lines[0], index.citation(sec), index))
    newest = index.newest_date
    dated = [src for src in index.sources.values() if src.published == newest]
    precision = dated[0].published_precision if newest and dated else None
    since = f" (newest report: {format_published(newest, precision)})" if newest else ""
    return Answer(
        intent=match.intent,
        headline=f"New across the reports{since}",
        parts=(
            *_evidence(points, "Newest first"),
            *_notes("Ask about one topic for more, e.g. “what's new in multimodal”."),
        ),
    )


# --- topic_brief ------------------------------------------------------------------------------


def _topic_brief(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    ranked = _ranked_sections(match, index, ranking)[:MAX_BRIEF_SECTIONS]
    if not ranked:
        return _nothing(match, index)
    hits = _hits_by_section(ranking)
    # Evidence: the best sentences of the most relevant sections, best first.
    evidence: list[Point] = []
    seen: set[str] = set()
    per_report: dict[str, int] = defaultdict(int)
    for place, (sec, _) in enumerate(ranked):
        for point in _points_of(sec, index, match, hits, fact=ranking.fact, lead=place == 0):
            if point.text in seen or per_report[sec.source_id] >= MAX_POINTS_PER_REPORT:
                continue
            seen.add(point.text)
            per_report[sec.source_id] += 1
            evidence.append(point)
    summary = _summary_for(match.topic, index) if not match.section_hits else None
    conflicts = _topic_conflicts(match, index)
    lead: Lead | None = None
    if evidence and (ranking.fact or summary is None or not summary.agreed):
        best = evidence.pop(0 if ranking.fact else _lead_index(evidence))
        lead = _fact_lead(best if ranking.fact else _completed(best, index))
    elif summary is not None:
        lead = Lead(text=_summary_lead(summary, index))
        # The lead already states the agreed point: the evidence does not repeat it word for word.
        agreed = {_same_words(a.point) for a in summary.agreed[:1]}
        evidence = [p for p in evidence if _same_words(p.text) not in agreed] or evidence
    # After a summary lead the first point is the best evidence: it stays first.
    keep = 1 if lead is not None and not lead.points and evidence else 0
    evidence = evidence[:keep] + _in_reading_order(evidence[keep:MAX_NEWS_POINTS], index)
    evidence = _without_dangling(evidence, index, lead)
    reports = len({sec.source_id for sec, _ in ranked})
    covered = f"{reports} report{'s' if reports != 1 else ''}"
    # A summary lead states the first agreed point: the agreement part lists the others.
    stated = 1 if lead is not None and not lead.points else 0
    name = _subject(match, index)
    return Answer(
        intent=match.intent,
        headline=f"{name[0].upper()}{name[1:]}: {covered}",
        parts=(
            *((lead,) if lead else ()),
            *_evidence(evidence[:MAX_NEWS_POINTS]),
            *_agreement_part(summary, skip=stated),
            *_disagreements(conflicts, index),
            *_single_report_note(reports),
        ),
        conflicts=conflicts,
    )


# --- conflicts --------------------------------------------------------------------------------


def _conflicts(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    flags = index.conflicts_for(match.topic) if match.topic else index.all_conflicts()
    where = f" on {_subject(match, index)}" if match.topic else ""
    if flags:
        n = len(flags)
        counts: dict[str, int] = defaultdict(int)
        for f in flags:
            counts[kind_words(f.kind)] += 1
        kinds = ", ".join(f"{c} × {k}" for k, c in sorted(counts.items(), key=lambda kc: -kc[1]))
        lead = f"The reports part ways{where} in {n} place{'s' if n != 1 else ''} ({kinds})."
        return Answer(
            intent=match.intent,
            headline=f"Where the reports disagree{where}",
            parts=(
                Lead(text=lead, citations=_side_citations(flags, index)),
                *_disagreements(flags, index),
            ),
            conflicts=flags,
        )
    compared = ""
    if match.topic:
        # One line naming what was compared: a bullet per section repeated each heading in
        # its own source line.
        secs = index.sections_for(match.topic)[:MAX_LISTED]
        compared = "Compared: " + "; ".join(
            f"§ {sec.heading}, {_dated(sec.source_id, index)}" for sec in secs
        )
    return Answer(
        intent=match.intent,
        headline=f"I found no conflicting claims{where} in the reports.",
        # The headline already says none were found; the note says what was compared.
        parts=_notes(compared or "No two reports make contradicting claims about one subject."),
    )


# --- sources ----------------------------------------------------------------------------------


def _sources(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    if not match.topic and not match.section_hits:
        return _all_sources(match, index)
    ranked = _ranked_sections(match, index, ranking)
    if not ranked:
        return _nothing(match, index)
    hits = _hits_by_section(ranking)
    by_report: dict[str, list[Point]] = defaultdict(list)
    weight: dict[str, float] = defaultdict(float)
    for sec, score in ranked:
        by_report[sec.source_id].extend(_points_of(sec, index, match, hits, 1, fact=ranking.fact))
        weight[sec.source_id] += score
    # Reports ordered by how much they say about the question (their sections' relevance).
    order = sorted(by_report, key=lambda sid: (-weight[sid], -index.ordinal(sid), sid))
    n = len(order)
    listed = order[:MAX_LISTED]
    more = (f"{n - len(listed)} older reports not listed.",) if n > len(listed) else ()
    return Answer(
        intent=match.intent,
        headline=f"{n} report{'s' if n != 1 else ''} cover{'s' if n == 1 else ''} "
        f"{_subject(match, index)}",
        parts=(
            *(
                Evidence(points=tuple(by_report[sid]), label=_report_label(sid, index))
                for sid in listed
                if by_report[sid]
            ),
            *_notes(*more),
        ),
        conflicts=_topic_conflicts(match, index),
    )


def _all_sources(match: Match, index: CorpusIndex) -> Answer:
    by_report: dict[str, list[Section]] = defaultdict(list)
    for sec in index.corpus.sections:
        by_report[sec.source_id].append(sec)
    order = sorted(index.sources, key=lambda sid: (-index.ordinal(sid), sid))
    groups = []
    for sid in order[:MAX_LISTED]:
        secs = by_report.get(sid, [])
        if not secs:
            continue
        points = tuple(_point(sec.heading, index.citation(sec), index) for sec in secs)
        groups.append((_report_label(sid, index), points))
    more = len(order) - MAX_LISTED
    return Answer(
        intent=match.intent,
        headline=f"I brief from {len(index.sources)} reports",
        parts=(
            *(Evidence(points=pts, label=label) for label, pts in groups),
            *(_notes(f"{more} older reports not listed.") if more > 0 else ()),
        ),
    )


# --- the rest: topics, help, digest, subscriptions, unknown -----------------------------------


_NEWEST: weakref.WeakKeyDictionary[CorpusIndex, tuple[str, tuple[Section, ...]]]
_NEWEST = weakref.WeakKeyDictionary()


def _newest_sections(index: CorpusIndex) -> tuple[Section, ...]:
    """The first sections of the newest reports (duplicates left out); once per corpus version."""
    cached = _NEWEST.get(index)
    if cached is not None and cached[0] == index.version:
        return cached[1]
    secs = [s for s in index.corpus.sections if not _is_duplicate(s, index)]
    secs.sort(key=lambda s: (-index.ordinal(s.source_id), s.source_id, s.line))
    newest = tuple(secs[:MAX_NEWS_POINTS])
    _NEWEST[index] = (index.version, newest)
    return newest


_COVERAGE: weakref.WeakKeyDictionary[CorpusIndex, tuple[str, list[tuple[str, str, int, int]]]]
_COVERAGE = weakref.WeakKeyDictionary()


def _coverage(index: CorpusIndex) -> list[tuple[str, str, int, int]]:
    """(topic id, name, reports, sections) per topic; computed once per corpus version."""
    cached = _COVERAGE.get(index)
    if cached is not None and cached[0] == index.version:
        return cached[1]
    rows = []
    for tid, topic in index.topics.items():
        secs = index.sections_for(tid)
        rows.append((tid, topic.name, len({s.source_id for s in secs}), len(secs)))
    _COVERAGE[index] = (index.version, rows)
    return rows


def _topic_list_hint(index: CorpusIndex) -> str:
    covered = sum(1 for _, _, reports, _ in _coverage(index) if reports)
    return (
        f"Type “list topics” for all {covered} topics I can brief you on, or “help” for examples."
    )


def _list_topics(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    rows = sorted(_coverage(index), key=lambda r: (-r[2], -r[3], r[1]))
    notes = []
    for tid, name, reports, sections in rows:
        if reports:
            notes.append(
                f"{name} ({tid}): {reports} report{'s' if reports != 1 else ''}, "
                f"{sections} section{'s' if sections != 1 else ''}"
            )
    uncovered = [name for _, name, reports, _ in rows if not reports]
    if uncovered:
        notes.append("Not covered by any report yet: " + ", ".join(uncovered))
    covered = len(rows) - len(uncovered)
    return Answer(
        intent=match.intent,
        headline=f"I can brief you on {covered} topics from {len(index.sources)} reports",
        parts=_notes(*notes),
    )


def _help(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    return Answer(
        intent=match.intent,
        headline=(
            f"I answer questions about AI trends from {len(index.sources)} reports, "
            "and say which report each point comes from."
        ),
        parts=_notes(
            "Ask things like: " + "; ".join(f"“{e}”" for e in EXAMPLES),
            "Follow-ups such as “who says that?” or “any conflicts?” stay on the last topic.",
            "In a Slack channel: “send us the digest every friday at 4pm” starts a weekly "
            "digest there; “follow regulation”, “when is our next digest?” and “stop the "
            "digest” manage it.",
        ),
    )


def _digest(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    return Answer(
        intent=match.intent,
        headline="Digests are posted on a schedule to channels that subscribed; I don't send one "
        "from a question.",
        parts=_notes(
            "In a Slack channel: “send us the digest every friday at 4pm” (day, time, and a "
            "zone such as “London time” if not yours).",
            "Meanwhile, “what's new in <topic>” gives the newest points on one topic.",
        ),
    )


def _digest_request(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    """Words about subscribing that bot.conversation could not read as a request: say how.

    The conversation layer acts on digest requests in the channel they are said in; this
    answer only reaches a caller that asks the matcher directly."""
    return Answer(
        intent=match.intent,
        headline="Say what the channel's digest should do, in the channel that gets it",
        parts=_notes(
            "For example: “send us the digest every friday at 4pm”, “follow regulation”, "
            "“unfollow quantum”, “when is our next digest?”, “stop the digest”.",
            "Or the short form: `subscribe mon 09:00 Europe/Berlin multimodal, regulation`.",
        ),
    )


def _unknown(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    names = tuple(index.topics[t].name for t in match.suggestions if t in index.topics)
    return Answer(
        intent=match.intent,
        headline="I don't have anything on that",
        suggestions=names[:MAX_SUGGESTIONS],
        parts=_notes(_topic_list_hint(index)),
    )


_THANKS = re.compile(r"\b(thank|thanks|thx|cheers|appreciated|ta)\b")
_BYE = re.compile(r"\b(bye|goodbye|see you|later)\b")


def _greeting(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    """One friendly line for a greeting, thanks or goodbye; no points, no topic list."""
    text = normalize(match.argument)
    if _THANKS.search(text):
        line = "You're welcome! Ask me anything else about the reports."
    elif _BYE.search(text):
        line = "Bye! I'm here whenever you want a briefing."
    else:
        line = "Hi! Ask me about AI trends, e.g. “what's new in multimodal”."
    return Answer(intent=match.intent, headline=line)


# --- agreement, single source, reports --------------------------------------------------------


def _single_points(flags: tuple[Flag, ...], index: CorpusIndex) -> tuple[Point, ...]:
    """One point per single-source flag, in flag order: its first side, the most checkable
    claim (a topic only one report covers keeps up to three sides in the flag; listing them all
    would make one report's topic read as three separate findings)."""
    points: list[Point] = []
    for flag in flags:
        for side in flag.sides[:1]:
            src = index.sources.get(side.source_id)
            if src is None:
                continue
            cite = Citation(
                source_id=src.source_id,
                heading=side.heading,
                published=src.published,
                published_precision=src.published_precision,
                title=src.title,
            )
            section_id = next(
                (
                    s.section_id
                    for s in index.corpus.sections
                    if s.source_id == src.source_id and s.heading == side.heading
                ),
                "",
            )
            points.append(_point(side.claim, cite, index, section_id=section_id))
    return tuple(points)


def _flags_of(kind: str, match: Match, index: CorpusIndex) -> tuple[Flag, ...]:
    flags = index.flags_for(match.topic) if match.topic else index.corpus.flags
    return tuple(f for f in flags if f.kind == kind)


def _agreement(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    flags = _flags_of("consensus", match, index)
    where = f" on {_subject(match, index)}" if match.topic else ""
    if not flags:
        return Answer(
            intent=match.intent,
            headline=f"I found no claim{where} that several reports make alike.",
            parts=_notes(
                "Agreement comes from comparing the reports' claims; none was flagged here."
            ),
        )
    n = len(flags)
    return Answer(
        intent=match.intent,
        headline=f"Where the reports agree{where}: {n} point{'s' if n != 1 else ''}",
        parts=(
            Lead(
                text=f"{n} point{'s are' if n != 1 else ' is'} made alike by several reports"
                f"{where}; each line names the reports that make it.",
                citations=_side_citations(flags[:MAX_LISTED], index),
            ),
            Agreement(
                items=tuple(
                    AgreementItem(
                        # The substance alone: the coverage already names who says it.
                        point=f.point or f.summary,
                        source_ids=tuple(s.source_id for s in f.sides),
                        coverage=", ".join(_dated(s.source_id, index) for s in f.sides),
                        subject=f.subject,
                        flag_id=f.flag_id,
                    )
                    for f in flags[:MAX_LISTED]
                )
            ),
        ),
        conflicts=flags,
    )


def _single_source(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    flags = _flags_of("single_source", match, index)
    where = f" on {_subject(match, index)}" if match.topic else ""
    if not flags:
        return Answer(
            intent=match.intent,
            headline=f"Nothing{where} rests on a single report: every claim has a second source.",
        )
    n = len(flags)
    # A striking claim (a figure, a named system, a date) before a topic only one report
    # covers: that flag's point is only the report's most checkable sentence on it, and the
    # note names those topics, or "Further research is needed …" reads as a finding of its own.
    lone = {f.flag_id for f in flags if len(index.reports_covering(f.topic)) <= 1}
    flags = tuple(sorted(flags, key=lambda f: f.flag_id in lone))
    shown = flags[:MAX_LISTED]
    topics = [
        t.name if (t := index.topics.get(f.topic)) else f.topic for f in shown if f.flag_id in lone
    ]
    note = "Nothing here is confirmed by a second report."
    if topics:
        of = f"{len(topics)} of these come" if len(topics) > 1 else "One of these comes"
        if len(topics) == len(shown):
            of = "All of these come" if len(topics) > 1 else "It comes"
        ones = "topics" if len(topics) > 1 else "a topic"
        note += f" {of} from {ones} only one report covers: {', '.join(topics)}."
    return Answer(
        intent=match.intent,
        headline=f"Resting on one report only{where}: {n} point{'s' if n != 1 else ''}",
        parts=(
            SingleSource(items=_single_points(shown, index)),
            *_notes(note),
        ),
        conflicts=flags,
    )


_OLDEST = re.compile(r"\b(oldest|earliest|first)\b")
_NEWEST_ASKED = re.compile(r"\b(newest|latest|most recent|last|recent)\b")


def _reports(match: Match, index: CorpusIndex, ranking: Ranking) -> Answer:
    """The reports in a few lines, newest first; the newest or oldest named when asked."""
    order = sorted(index.sources, key=lambda sid: (-index.ordinal(sid), sid))
    firsts: dict[str, Section] = {}
    counts: dict[str, int] = defaultdict(int)
    for sec in index.corpus.sections:
        counts[sec.source_id] += 1
        firsts.setdefault(sec.source_id, sec)
    # One line a report, cited by the report alone (no section: the line is about all of it),
    # so the JSON names every report in order.
    points = tuple(
        _point(
            # The whole title: the citation after it shortens titles to fit a line.
            f"{index.sources[sid].title}: {counts[sid]} section{'s' if counts[sid] != 1 else ''}",
            index.cite(sid),
            index,
            section_id=firsts[sid].section_id,
        )
        for sid in order[:MAX_LISTED]
        if sid in firsts
    )
    notes: list[str] = []
    if len(order) > MAX_LISTED:
        notes.append(f"{len(order) - MAX_LISTED} older reports not listed.")
    dated = [sid for sid in order if index.sources[sid].published]
    asked = normalize(match.argument) if match.argument else ""
    headline = f"I brief from {len(order)} report{'s' if len(order) != 1 else ''}"
    if dated and _OLDEST.search(asked):
        headline = f"The oldest report is {_report_label(dated[-1], index)}"
    elif dated and _NEWEST_ASKED.search(asked):
        newest = [sid for sid in dated if index.ordinal(sid) == index.ordinal(dated[0])]
        names = "; ".join(_report_label(sid, index) for sid in newest)
        headline = (
            f"The newest report is {names}"
            if len(newest) == 1
            else f"{len(newest)} reports are the newest, all of the same date: {names}"
        )
    undated = len(order) - len(dated)
    if undated:
        notes.append(f"{undated} report{'s are' if undated != 1 else ' is'} undated.")
    return Answer(
        intent=match.intent,
        headline=headline,
        parts=(*_evidence(points, "Reports, newest first"), *_notes(*notes)),
    )
