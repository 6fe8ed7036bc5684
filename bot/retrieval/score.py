"""Score every section and the sentences of the best ones against a question; fuse; rank."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.matcher import normalize
from bot.matcher.intents import FACT_CUES as _FACT_CUES
from bot.matcher.intents import WHICH_OR_WHO as _WHICH_OR_WHO
from bot.matcher.normalize import stem
from bot.matcher.vocabulary import FUNCTION_WORDS, GENERIC_WORDS, MAX_SCORED_TOKENS
from bot.models import Match
from bot.retrieval import weights
from bot.retrieval.chargrams import char_scores
from bot.retrieval.index import RetrievalIndex, index_tokens, is_everyday
from bot.stemming import snowball


@lru_cache(maxsize=512)
def normalized(question: str) -> str:
    """The question normalized once (it is read several times per answer; 40,000-character
    messages make that count)."""
    return normalize(question)


class Hit(NamedTuple):
    """One ranked piece of evidence: a sentence of a section (a claim when it is one)."""

    section_id: str
    claim_id: str | None
    text: str
    score: float


@dataclass(frozen=True)
class Ranking:
    """What retrieval found for one question, best first."""

    hits: tuple[Hit, ...]  # sentences of the best sections
    sections: tuple[tuple[str, float], ...]  # (section_id, score), every scored section
    evidence: float  # 0..1: share of the question's content words the best section holds
    fact: bool  # the question asks for a number or a name
    terms: tuple[str, ...]  # the question's content words as looked up (after typo repair)

    @property
    def best_section(self) -> str | None:
        return self.sections[0][0] if self.sections else None

    @cached_property
    def _scores(self) -> dict[str, float]:
        return dict(self.sections)

    def section_score(self, section_id: str) -> float:
        return self._scores.get(section_id, 0.0)

    def relevant_sections(self) -> tuple[str, ...]:
        """Sections scoring at least RELEVANT_SHARE of the best one, best first (a bounded few)."""
        if not self.sections:
            return ()
        floor = self.sections[0][1] * weights.RELEVANT_SHARE
        picked = [sid for sid, score in self.sections[: weights.MAX_RELEVANT] if score >= floor]
        return tuple(picked)


EMPTY = Ranking(hits=(), sections=(), evidence=0.0, fact=False, terms=())

# A name inside a sentence: a capitalized word that is not the sentence's first.
_NAME = re.compile(r"(?<=[\s(])[A-Z][\w.-]*")
_NUMBER = re.compile(r"\d")


def _has_name(sentence: str) -> bool:
    """A named system, company or place inside the sentence (not "LLMs" or "AI")."""
    return any(
        m.group(0).casefold().rstrip(".") not in GENERIC_WORDS for m in _NAME.finditer(sentence)
    )


# "like" as a word, not the end of "human-like".
_LIST = re.compile(r"(?<![\w-])(such as|include|includes|including|like|e\.g\.)\s|[^,]+,[^,]+,")


def _is_list(sentence: str) -> bool:
    """A sentence that names several things ("include attention visualization, saliency maps…")."""
    return bool(_LIST.search(sentence))


def answer_words(normalized: str, rindex: RetrievalIndex) -> list[str]:
    """The words marking the kind of sentence the question asks for ("is it any good" ->
    "limited", "excels"), from the first kind whose phrase it holds; [] for none."""
    padded = f" {normalized} "
    for phrases, tokens in rindex.answer_kinds:
        if any(f" {p} " in padded for p in phrases):
            return tokens
    return []


def fact_kind(normalized: str) -> str | None:
    """ "number" ("how much energy…"), "name" ("which models…"), "list" ("what techniques…"),
    "which" ("which real-time apps…", "who has to team up…": a list or a name) or None."""
    found = _FACT_CUES.search(normalized)
    if found is None:
        # "which real-time apps…", "who has to team up…": asks which things or who, answered by
        # the sentence that names them (a list or a name).
        if weights.BROAD_KINDS and _WHICH_OR_WHO.search(normalized):
            return "which"
        return None
    return "number" if found.group("number") else "name" if found.group("name") else "list"


# Adjectives of fact questions and the noun the reports use ("how accurate" -> "accuracy").
_FOCUS_NOUNS = {
    "accurate": "accuracy",
    "efficient": "efficiency",
    "fluent": "fluency",
    "big": "size",
    "large": "size",
    "expensive": "cost",
    "cheap": "cost",
    "fast": "faster",
}


# A cue followed by the word asked about: "how much energy", "the max penalty".
_BEFORE_FOCUS = ("much", "many", "max", "maximum", "minimum", "most", "least")


def _focus(normalized: str, rindex: RetrievalIndex) -> str | None:
    """The word a fact question asks about: the first content word after its cue."""
    found = _FACT_CUES.search(normalized)
    if found is None:
        return None
    cue_words = found.group(0).split()
    last = cue_words[-1]
    if last in _FOCUS_NOUNS:
        return _FOCUS_NOUNS[last]
    if len(cue_words) >= 3 or last in _BEFORE_FOCUS:
        rest = normalized[found.end() :].split()
        if len(cue_words) >= 3 and found.group(0).startswith("what"):
            rest = [last, *rest]
        for word in rest[:4]:
            if word in FUNCTION_WORDS:
                continue
            tokens = index_tokens(word)
            if tokens:
                return _correct(tokens[0], rindex)
    return None


def _asked_units(normalized: str, focus: str | None, rindex: RetrievalIndex) -> frozenset[str]:
    """The units a number question wants, from its cue ("how big") and focus ("energy")."""
    found = _FACT_CUES.search(normalized)
    words = [*(found.group(0).split()[-1:] if found else []), *([focus] if focus else [])]
    units: set[str] = set()
    for word in words:
        units.update(rindex.focus_units.get(word, ()))
    return frozenset(units)


def _correct(token: str, rindex: RetrievalIndex) -> str:
    """A token the corpus never uses, replaced by its close spelling in the corpus (if any)."""
    if token in rindex.body or len(token) < weights.TYPO_MIN_LENGTH or is_everyday(token):
        return token
    near: list[str] = []
    for n in (len(token) - 1, len(token), len(token) + 1):
        near.extend(rindex.vocab_by_len.get(n, ()))
    found = process.extractOne(token, near, scorer=fuzz.ratio, score_cutoff=weights.TYPO_CUTOFF)
    return found[0] if found is not None else token


def variants(token: str, rindex: RetrievalIndex) -> list[str]:
    """Report words of the same family ("adopted" -> "adoption"), the token itself left out."""
    if len(token) < weights.PREFIX_MIN or not token.isalpha() or is_everyday(token):
        return []
    cut = max(weights.PREFIX_MIN, len(token) - (2 if len(token) <= 7 else 3))
    prefix = token[:cut]
    found = [
        t
        for t in rindex.by_prefix.get(token[: weights.PREFIX_MIN], ())
        if t != token and t.startswith(prefix)
    ]
    if weights.VARIANT_RULE == "stem":
        # Shared letters are not a shared word: "regular" is not "regulation", "quantum" not
        # "quantization", "transfer" not "transform". A variant has the token's Snowball stem.
        root = snowball(token)
        found = [t for t in found if snowball(t) == root]
    return found


def query_terms(question: str, rindex: RetrievalIndex) -> list[str]:
    """The question's content words, stemmed and typo-repaired, each once, in order."""
    seen: dict[str, None] = {}
    for word in normalized(question).split()[:MAX_SCORED_TOKENS]:
        if word in FUNCTION_WORDS or stem(word) in FUNCTION_WORDS:
            continue
        for token in index_tokens(word):
            token = _correct(token, rindex)
            for part in _compound_parts(token, rindex) or (token,):
                seen.setdefault(part)
    return list(seen)


def _compound_parts(token: str, rindex: RetrievalIndex) -> list[str] | None:
    """A word the reports write hyphenated, typed whole ("finetune" or "finetuning" for
    "fine-tuning", "opensource" for "open-source"): the report's parts; None for a word the
    reports use as it is ("pretrained" when a report writes it so), or one they never
    hyphenate."""
    if token in rindex.body or not rindex.compounds:
        return None
    if token in rindex.compounds:
        return rindex.compounds[token]
    if len(token) < weights.PREFIX_MIN:
        return None
    # Another form of the compound: "finetune" for "finetuning".
    prefix = token[: max(weights.PREFIX_MIN, len(token) - 2)]
    forms = [
        w
        for w in rindex.compounds_by_prefix.get(token[: weights.PREFIX_MIN], ())
        if w.startswith(prefix)
    ]
    return rindex.compounds[forms[0]] if forms else None


def rank(question: str, match: Match, rindex: RetrievalIndex) -> Ranking:
    """Every section scored by BM25 (body, heading), the topic prior and the named-term hits."""
    terms = query_terms(question, rindex)
    query: dict[str, float] = {t: 1.0 for t in terms}
    family: dict[str, list[str]] = {}
    for t in terms:
        family[t] = variants(t, rindex)
        for v in family[t]:
            query.setdefault(v, weights.VARIANT_WEIGHT)
        if weights.SYNONYM_WEIGHT:
            for v in rindex.synonyms.get(t, ()):
                if v not in query:
                    query[v] = weights.SYNONYM_WEIGHT
                    if weights.SYNONYM_COVERAGE:
                        family[t].append(v)
    topic = match.topic
    names = rindex.topic_terms.get(topic, ()) if topic else ()
    if names and (not weights.EXPAND_NAMED_ONLY or _names_topic(query, names, rindex)):
        for t in names:
            query.setdefault(t, weights.EXPANSION_WEIGHT)

    body: dict[int, float] = defaultdict(float)
    heading: dict[int, float] = defaultdict(float)
    n = len(rindex.section_ids)
    large = n >= weights.LARGE_CORPUS
    for token, w in query.items():
        posting = rindex.body.get(token, ())
        if large and w < 1.0 and len(posting) > weights.WEAK_TERM_DF_SHARE * n:
            continue  # a weak extra word in most sections costs time and decides nothing
        for unit, s in posting:
            body[unit] += w * s
        for unit, s in rindex.heading.get(token, ()):
            heading[unit] += w * s
    covered = _coverage(terms, family, topic, rindex)

    chars = char_scores(normalized(question), rindex.chars) if weights.W_CHAR else {}
    top_char = max(chars.values(), default=0.0) or 1.0
    top_body = max(body.values(), default=0.0) or 1.0
    top_head = max(heading.values(), default=0.0) or 1.0
    hits = set(match.section_hits)
    first: dict[int, float] = {}
    candidates = set(body) | set(heading) | set(chars)
    if topic:
        candidates.update(rindex.topic_sections.get(topic, ()))
    if hits:
        candidates.update(i for i, sid in enumerate(rindex.section_ids) if sid in hits)
    for i in candidates:
        if not rindex.searchable[i]:
            continue
        score = weights.W_BODY * body.get(i, 0.0) / top_body
        score += weights.W_HEADING * heading.get(i, 0.0) / top_head
        score += weights.W_CHAR * chars.get(i, 0.0) / top_char
        if topic:
            score += weights.W_TOPIC * rindex.section_topics[i].get(topic, 0.0)
            if rindex.primary[i] == topic:
                score += weights.W_PRIMARY
        if hits and rindex.section_ids[i] in hits:
            score += weights.W_TERM
        first[i] = score
    # The word-coverage part only for the best of the first pass (a bounded few at any size).
    if len(first) > weights.FIRST_PASS:
        first = dict(heapq.nlargest(weights.FIRST_PASS, first.items(), key=lambda kv: kv[1]))
    scores: dict[int, float] = {}
    for i, score in first.items():
        score += weights.W_COVERAGE * covered(i)
        if score > 0:
            scores[i] = score
    if weights.W_RRF and scores:
        signals = (body, heading, chars, {i: covered(i) for i in scores})
        for i, fused in _rank_fusion(signals, scores).items():
            scores[i] += weights.W_RRF * fused
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ordered:
        return Ranking(hits=(), sections=(), evidence=0.0, fact=False, terms=tuple(terms))
    if weights.W_PASSAGE:
        ordered = _rerank_by_passage(ordered, query, rindex)
    evidence = max(covered(i) for i, _ in ordered[: weights.EVIDENCE_SECTIONS])
    text = normalized(question)
    kind = fact_kind(text)
    fact = kind is not None
    # Sentences are scored on the question's own words: the topic's names would favour every
    # sentence that merely names the topic over the one that answers.
    variant_forms = {v for forms in family.values() for v in forms}
    sentence_query = {
        t: w
        if w >= 1.0
        else weights.SENTENCE_VARIANT_WEIGHT
        if t in variant_forms
        else weights.SENTENCE_EXPANSION_WEIGHT
        for t, w in query.items()
    }
    if weights.ANSWER_KIND_WEIGHT:
        for t in answer_words(text, rindex):
            sentence_query.setdefault(t, weights.ANSWER_KIND_WEIGHT)
    focus = _focus(text, rindex) if fact else None
    if focus is not None:
        sentence_query[focus] = sentence_query.get(focus, 1.0) * weights.FOCUS_WEIGHT
    units = _asked_units(text, focus, rindex) if kind == "number" else frozenset()
    sentence_hits = _rank_sentences(
        ordered[: weights.SENTENCE_SECTIONS], sentence_query, kind, units, rindex
    )
    return Ranking(
        hits=sentence_hits,
        sections=tuple((rindex.section_ids[i], round(s, 4)) for i, s in ordered),
        evidence=evidence,
        fact=fact,
        terms=tuple(terms),
    )


def _names_topic(
    query: dict[str, float], names: list[str] | tuple[str, ...], rindex: RetrievalIndex
) -> bool:
    """The question holds one of the topic's names ("multimodal", "quantum"). A word in the
    names of more than NAME_TOPICS_MAX topics ("models" of "Multimodal models" and "Foundation
    models", "AI" of "Ethical AI" and "Green AI") names none of them: "can the newer models
    take a voice memo" names no topic (0 = every name word counts)."""
    most = weights.NAME_TOPICS_MAX
    return any(t in query for t in names if not most or rindex.name_topics.get(t, 0) <= most)


def _rank_fusion(
    signals: tuple[dict[int, float], ...], units: dict[int, float]
) -> dict[int, float]:
    """Reciprocal-rank fusion of the separate signals over these sections, 0..1: a section's
    mean over the signals of (k + 1) / (k + its rank), 0 where a signal does not find it. It
    counts agreement between the signals, not their scale: a section second on every signal
    beats one first on body BM25 alone."""
    k = weights.RRF_K
    fused = dict.fromkeys(units, 0.0)
    for signal in signals:
        found = sorted((i for i in units if signal.get(i, 0.0) > 0), key=lambda i: -signal[i])
        for r, i in enumerate(found, start=1):
            fused[i] += (k + 1) / (k + r)
    return {i: f / len(signals) for i, f in fused.items()}


def _coverage(
    terms: list[str],
    family: dict[str, list[str]],
    topic: str | None,
    rindex: RetrievalIndex,
) -> Callable[[int], float]:
    """section -> idf-weighted share of the question's words it holds (or its topic names)."""
    top = rindex.max_idf
    # A word the corpus never uses weighs as much as its rarest word; an everyday one ("run",
    # "days", "manager", "hype": the matcher's list or content/everyday_words.txt) a share of
    # that: it says how the question is put more than what it asks.
    weight = {
        t: rindex.idf.get(
            t,
            top * weights.UNSEEN_EVERYDAY_SHARE if is_everyday(t) or t in rindex.everyday else top,
        )
        for t in terms
    }
    total = sum(weight.values())
    holders = {
        t: {u for form in (t, *family.get(t, ())) for u, _ in rindex.body.get(form, ())}
        for t in terms
    }

    def covered(unit: int) -> float:
        if not terms or total <= 0:
            return 1.0
        mapped = topic is not None and topic in rindex.section_topics[unit]
        names = set(rindex.topic_terms.get(topic, ())) if mapped and topic else set()
        got = sum(w for t, w in weight.items() if unit in holders[t] or t in names)
        return got / total

    return covered


def _sentence_bm25(sentence: int, query: dict[str, float], rindex: RetrievalIndex) -> float:
    w = rindex.sent_weights[sentence]
    return sum(q * w.get(t, 0.0) for t, q in query.items())


def _rerank_by_passage(
    ordered: list[tuple[int, float]], query: dict[str, float], rindex: RetrievalIndex
) -> list[tuple[int, float]]:
    """The best sections again, with their best sentence's BM25 added (words close together)."""
    head = ordered[: weights.RERANK_SECTIONS]
    best = {
        unit: max(
            (_sentence_bm25(s, query, rindex) for s in rindex.section_sentences[unit]),
            default=0.0,
        )
        for unit, _ in head
    }
    top = max(best.values(), default=0.0) or 1.0
    reranked = [(unit, score + weights.W_PASSAGE * best[unit] / top) for unit, score in head]
    reranked.sort(key=lambda kv: (-kv[1], kv[0]))
    return reranked + ordered[weights.RERANK_SECTIONS :]


def _rank_sentences(
    sections: list[tuple[int, float]],
    query: dict[str, float],
    kind: str | None,
    units: frozenset[str],
    rindex: RetrievalIndex,
) -> tuple[Hit, ...]:
    best_section = sections[0][1] or 1.0
    raw: list[tuple[int, float, float]] = []
    in_heading = (
        {t: {u for u, _ in rindex.heading.get(t, ())} for t in query}
        if weights.SENTENCE_HEADING_WEIGHT != 1.0
        else {}
    )
    for unit, section_score in sections:
        # Words its heading already has say which section, not which of its sentences answers.
        mine = (
            {
                t: w * weights.SENTENCE_HEADING_WEIGHT if unit in in_heading[t] else w
                for t, w in query.items()
            }
            if in_heading
            else query
        )
        for s in rindex.section_sentences[unit]:
            raw.append((s, _sentence_bm25(s, mine, rindex), section_score))
    top = max((r for _, r, _ in raw), default=0.0) or 1.0
    scored: list[Hit] = []
    for s, r, section_score in raw:
        score = weights.W_SENTENCE * r / top + weights.W_PARENT * section_score / best_section
        if r > 0 and (
            (kind == "number" and rindex.sent_has_number[s])
            or (kind == "name" and _has_name(rindex.sent_text[s]))
            or (kind == "list" and _is_list(rindex.sent_text[s]))
            or (
                kind == "which"
                and (_is_list(rindex.sent_text[s]) or _has_name(rindex.sent_text[s]))
            )
        ):
            score += weights.W_FACT
            if units and units.intersection(rindex.sent_units[s]):
                score += weights.W_UNIT
        scored.append(
            Hit(
                rindex.section_ids[rindex.sent_section[s]],
                rindex.sent_claim[s],
                rindex.sent_text[s],
                round(score, 4),
            )
        )
    scored.sort(key=lambda h: -h.score)
    return tuple(scored)
