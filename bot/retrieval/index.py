"""The retrieval index of one corpus version: BM25 weights per token, built once and cached."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.corpus import CorpusIndex
from bot.matcher import normalize, normalize_for_index
from bot.matcher.vocabulary import COMMON_WORDS, STOP_WORDS
from bot.per_version import PerVersion
from bot.retrieval import weights
from bot.retrieval.chargrams import CharIndex, build_char_index, pack, unpack
from bot.retrieval.lexicon import focus_units
from bot.stemming import snowball

# Postings: token -> ((unit number, BM25 weight of the token in that unit), ...).
Postings = dict[str, list[tuple[int, float]]]

# A figure: digits standing on their own ("500 watts", "7%", "$12M", "4-7 years", "4-bit"), not
# part of a name ("H100", "SAIGE-3", "3D") and not a name's version ("Gemini Pro 2.0", "Loihi 2").
# "3D" and "5G" name things; "10M", "$2.6B" and "100B" are figures with a magnitude.
_FIGURE = re.compile(
    r"(?<![\w-])(?P<before>[A-Z][\w-]*\s+)?[$€£~≈<>]?\d(?:[\d.,]*\d)?"
    r"(?:[KMBT](?![A-Za-z])|(?![A-Za-z]|-[A-Za-z]*[A-Z]))"
)
# Bump when the index's layout or tokenization changes, so a stored copy is rebuilt.
FORMAT = 13


def has_figure(sentence: str) -> bool:
    """The sentence gives a figure (a number a fact question can ask for)."""
    for m in _FIGURE.finditer(sentence):
        before = m.group("before")
        if before is None or m.start() == 0 or before.split()[0].casefold() in STOP_WORDS:
            return True
    return False


def index_tokens(text: str) -> list[str]:
    """Report text as the index holds it: casefolded, stemmed (weights.STEMMER), stop words
    dropped."""
    tokens = [t for t in normalize_for_index(text) if t not in STOP_WORDS]
    if weights.STEMMER == "snowball":
        return [snowball(t) for t in tokens]
    return tokens


@dataclass
class RetrievalIndex:
    """Everything a query needs, as plain data (so the CLI can store it and skip numpy at start)."""

    version: str
    section_ids: list[str]
    searchable: list[bool]  # False for a section or report that repeats another
    section_topics: list[dict[str, float]]  # topic id -> mapping score 0..1
    primary: list[str | None]
    body: Postings
    heading: Postings
    idf: dict[str, float]
    # Sentences: their section (unit number), claim id, text, and BM25 weight per token.
    sent_section: list[int]
    sent_claim: list[str | None]
    sent_text: list[str]
    sent_weights: list[dict[str, float]]
    sent_has_number: list[bool]
    sent_units: list[list[str]]  # units of the sentence's claimed quantities
    section_sentences: list[list[int]]
    topic_terms: dict[str, list[str]]
    topic_sections: dict[str, list[int]]  # topic id -> its sections' unit numbers
    vocab_by_len: dict[int, list[str]] = field(default_factory=dict)
    # Report words by their first PREFIX_MIN letters, for word-form variants.
    by_prefix: dict[str, list[str]] = field(default_factory=dict)
    # A number question's focus word (index token) -> the units that answer it (content/).
    focus_units: dict[str, list[str]] = field(default_factory=dict)
    # Character n-gram TF-IDF of each section's heading and body (bot/retrieval/chargrams.py).
    chars: CharIndex = field(default_factory=CharIndex)
    # Everyday English words (content/everyday_words.txt), from the corpus: not stored with the
    # index (the corpus holds them already), set when the index is built or installed.
    everyday: frozenset[str] = field(default_factory=frozenset)
    # A question token -> the report tokens of its synonym groups (content/retrieval.toml).
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    # Kinds of answer (content/retrieval.toml [answer_kinds]): the question phrases that ask for
    # one, normalized like a question, and the report tokens that mark a sentence of that kind.
    answer_kinds: list[tuple[list[str], list[str]]] = field(default_factory=list)
    # A topic-name token -> how many topics' names and aliases hold it ("ai": most of them).
    name_topics: dict[str, int] = field(default_factory=dict)
    # A hyphenated report word written whole -> its parts as tokens ("finetuning" -> fine,
    # tuning): people type "finetune" and "opensource" for the reports' "fine-tuning" and
    # "open-source".
    compounds: dict[str, list[str]] = field(default_factory=dict)
    # ...and those joined words by their first PREFIX_MIN letters (other forms: "finetune").
    compounds_by_prefix: dict[str, list[str]] = field(default_factory=dict)

    @property
    def max_idf(self) -> float:
        return max(self.idf.values(), default=1.0)

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data (the CLI keeps it beside the compiled corpus)."""
        data = dict(self.__dict__)
        data["format"] = FORMAT
        data["vocab_by_len"] = {str(k): v for k, v in self.vocab_by_len.items()}
        data["chars"] = pack(self.chars)
        del data["everyday"]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RetrievalIndex | None:
        """The index back from to_data(), or None when it was stored by another format."""
        if data.get("format") != FORMAT:
            return None
        fields = {k: v for k, v in data.items() if k != "format"}
        fields["chars"] = unpack(data["chars"])
        for name in ("body", "heading"):
            fields[name] = {t: [(int(u), float(w)) for u, w in p] for t, p in fields[name].items()}
        fields["vocab_by_len"] = {int(k): v for k, v in fields["vocab_by_len"].items()}
        return cls(**fields)


def _bm25_postings(docs: Sequence[list[str]]) -> Postings:
    """Per-token BM25 weights of each document, computed by bm25s (imported only to build)."""
    postings: Postings = {}
    if not any(docs):
        return postings
    import bm25s  # numpy + scipy: paid when an index is built, not by every CLI start

    # bm25s sets its logger to DEBUG on import and logs every build: start-up logs stay quiet.
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    retriever = bm25s.BM25(k1=weights.BM25_K1, b=weights.BM25_B, method="lucene")
    retriever.index([d or [""] for d in docs], show_progress=False)
    data = retriever.scores["data"].tolist()
    indices = retriever.scores["indices"].tolist()
    indptr = retriever.scores["indptr"].tolist()
    for token, tid in retriever.vocab_dict.items():
        if not token:
            continue
        lo, hi = indptr[tid], indptr[tid + 1]
        postings[token] = [(indices[i], data[i]) for i in range(lo, hi) if data[i] > 0]
    return postings


def build_retrieval_index(index: CorpusIndex) -> RetrievalIndex:
    """Tokenize every section (heading, body) and sentence and weigh them with BM25."""
    # The claims' own sentence splitter, so a sentence and its claim are the same text; imported
    # here because a stored index never needs it.
    from bot.conflicts import split_sentences

    sections = list(index.corpus.sections)
    heading_docs = [index_tokens(s.heading) for s in sections]
    body_docs = [index_tokens(f"{s.heading} {s.text}") for s in sections]
    sent_section: list[int] = []
    sent_claim: list[str | None] = []
    sent_text: list[str] = []
    sent_docs: list[list[str]] = []
    sent_units: list[list[str]] = []
    section_sentences: list[list[int]] = []
    for i, sec in enumerate(sections):
        claims = {c.text: c.claim_id for c in sec.claims}
        units = {c.text: sorted({q.unit for q in c.quantities}) for c in sec.claims}
        mine: list[int] = []
        for text in split_sentences(sec.text) or [sec.text]:
            if not text.strip():
                continue
            mine.append(len(sent_text))
            sent_section.append(i)
            sent_claim.append(claims.get(text))
            sent_text.append(text)
            sent_docs.append(index_tokens(text))
            sent_units.append(units.get(text, []))
        section_sentences.append(mine)
    sent_postings = _bm25_postings(sent_docs)
    sent_weights: list[dict[str, float]] = [{} for _ in sent_docs]
    for token, posting in sent_postings.items():
        for unit, w in posting:
            sent_weights[unit][token] = w
    body = _bm25_postings(body_docs)
    n = max(len(sections), 1)
    idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in body.items()}
    vocab_by_len: dict[int, list[str]] = defaultdict(list)
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for token in sorted(body):
        if len(token) >= weights.TYPO_MIN_LENGTH and not token.isdigit():
            vocab_by_len[len(token)].append(token)
        if len(token) >= weights.PREFIX_MIN and token.isalpha():
            by_prefix[token[: weights.PREFIX_MIN]].append(token)
    topic_terms = {
        t.id: sorted({w for p in (t.name, *t.aliases) for w in index_tokens(p)})
        for t in index.topics.values()
    }
    topic_sections: dict[str, list[int]] = defaultdict(list)
    for i, sec in enumerate(sections):
        for ts in sec.topics:
            topic_sections[ts.topic_id].append(i)
    chars = build_char_index(
        [f"{s.heading}\n{s.text}" for s in sections], weights.CHAR_MAX_DF_SHARE
    )
    return RetrievalIndex(
        version=index.version,
        section_ids=[s.section_id for s in sections],
        searchable=[
            s.duplicate_of is None
            and not (index.sources.get(s.source_id) and index.sources[s.source_id].duplicate_of)
            for s in sections
        ],
        section_topics=[{t.topic_id: t.score / 100.0 for t in s.topics} for s in sections],
        primary=[CorpusIndex.primary_topic(s) for s in sections],
        body=body,
        heading=_bm25_postings(heading_docs),
        idf=idf,
        sent_section=sent_section,
        sent_claim=sent_claim,
        sent_text=sent_text,
        sent_weights=sent_weights,
        sent_has_number=[has_figure(t) for t in sent_text],
        sent_units=sent_units,
        section_sentences=section_sentences,
        topic_terms=topic_terms,
        topic_sections=dict(topic_sections),
        vocab_by_len=dict(vocab_by_len),
        by_prefix=dict(by_prefix),
        focus_units=_focus_units(index),
        chars=chars,
        everyday=_everyday(index),
        synonyms=_synonyms(words.synonyms if (words := index.corpus.retrieval_words) else (), body),
        answer_kinds=_answer_kinds(words.answer_kinds if words else (), body),
        name_topics=dict(Counter(t for names in topic_terms.values() for t in names)),
        compounds=(compounds := _compounds(sections, body)),
        compounds_by_prefix=_by_prefix(compounds),
    )


def _by_prefix(words: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words):
        out[word[: weights.PREFIX_MIN]].append(word)
    return dict(out)


_HYPHENATED = re.compile(r"\b[A-Za-z]{2,}(?:-[A-Za-z]{2,})+\b")


def _compounds(sections: Sequence[Any], body: Postings) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for sec in sections:
        for word in _HYPHENATED.findall(f"{sec.heading} {sec.text}"):
            joined = normalize_for_index(word.replace("-", ""))
            parts = [t for t in normalize_for_index(word.replace("-", " ")) if t in body]
            if len(joined) == 1 and len(parts) >= 2 and joined[0] not in body:
                out.setdefault(joined[0], parts)
    return out


def _answer_kinds(
    kinds: Sequence[tuple[str, Sequence[str], Sequence[str]]], body: Postings
) -> list[tuple[list[str], list[str]]]:
    """Each kind's question phrases (normalized) and its answer words as the reports' tokens."""
    out: list[tuple[list[str], list[str]]] = []
    for _, asks, answers in kinds:
        tokens = sorted({t for word in answers for t in index_tokens(word) if t in body})
        phrases = [p for p in (normalize(a) for a in asks) if p]
        if tokens and phrases:
            out.append((phrases, tokens))
    return out


def _synonyms(groups: Sequence[Sequence[str]], body: Postings) -> dict[str, list[str]]:
    """Each group word's token -> the other group words' tokens that the reports use."""
    out: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        tokens = {t for word in group for t in index_tokens(word)}
        for t in tokens:
            out[t].update(o for o in tokens if o != t and o in body)
    return {t: sorted(o) for t, o in out.items() if o}


def _focus_units(index: CorpusIndex) -> dict[str, list[str]]:
    """The corpus's focus words as index tokens (stemmed like the query), with their units."""
    units: dict[str, set[str]] = defaultdict(set)
    for word, wanted in focus_units(index.corpus.retrieval_words).items():
        for key in {word, *index_tokens(word)}:
            units[key].update(wanted)
    return {k: sorted(v) for k, v in units.items()}


def is_everyday(word: str) -> bool:
    """A word of the matcher's short everyday list: never "corrected" to a report's word."""
    return word in COMMON_WORDS or word in STOP_WORDS


_BUILT: PerVersion[CorpusIndex, RetrievalIndex] = PerVersion(
    build_retrieval_index, version=lambda index: index.version
)


def retrieval_index_for(index: CorpusIndex) -> RetrievalIndex:
    """This corpus version's retrieval index, built once and shared between threads."""
    return _BUILT.get(index)


def install(index: CorpusIndex, retrieval: RetrievalIndex) -> bool:
    """Use a stored retrieval index for this corpus (False, and ignored, if it is of another)."""
    retrieval.everyday = _everyday(index)
    return _BUILT.put(index, retrieval, retrieval.version)


def _everyday(index: CorpusIndex) -> frozenset[str]:
    lists = index.corpus.retrieval_words
    return frozenset(lists.everyday) if lists is not None else frozenset()
