"""The tables the matcher precomputes once per corpus version (aliases, postings, vocabulary)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from bot.corpus import CorpusIndex
from bot.matcher.normalize import alias_key, normalize, normalize_for_index
from bot.matcher.vocabulary import (
    COMMON_WORDS,
    GENERIC_WORDS,
    INTENT_WORDS,
    MAX_SPAN,
    STOP_WORDS,
    eligible_term,
)
from bot.per_version import PerVersion


@dataclass
class Alias:
    key: str
    topic_id: str
    weight: float
    words: int
    kind: str


@dataclass
class Tables:
    """Everything the matcher precomputes for one corpus version."""

    version: str
    exact: dict[str, list[Alias]]
    alias_keys: list[str]
    alias_rows: list[Alias]
    topic_names: dict[str, str]
    section_ids: list[str]
    section_primary: list[str | None]
    section_tokens: list[frozenset[str]]
    postings: dict[str, dict[int, int]]
    idf: dict[str, float]
    vocab_by_len: dict[int, list[str]]
    vocab: frozenset[str]
    df_limit: int
    topic_order: list[str] = field(default_factory=list)
    # content/everyday_words.txt: words of everyday English, which the reports may use too.
    everyday: frozenset[str] = frozenset()


def _alias_weight(kind: str) -> float:
    return {"id": 1.0, "name": 1.0, "alias": 1.0, "keyword": 0.92}[kind]


def _build_tables(index: CorpusIndex) -> Tables:
    exact: dict[str, list[Alias]] = defaultdict(list)
    rows: list[Alias] = []
    seen: set[tuple[str, str]] = set()
    for topic in index.topics.values():
        entries = [(topic.id.replace("_", " ").replace("-", " "), "id"), (topic.name, "name")]
        entries += [(a, "alias") for a in topic.aliases]
        entries += [(k, "keyword") for k in topic.keywords]
        for text, kind in entries:
            words = normalize(text).split()
            if not words or all(w in STOP_WORDS or w in GENERIC_WORDS for w in words):
                continue
            key = alias_key(words)
            if (key, topic.id) in seen or len(words) > MAX_SPAN:
                continue
            seen.add((key, topic.id))
            weight = _alias_weight(kind)
            if len(words) == 1 and (words[0] in INTENT_WORDS or words[0] in COMMON_WORDS):
                # "explain", "work", "live": everyday words; a real topic word beats them.
                weight *= 0.75
            alias = Alias(key, topic.id, weight, len(words), kind)
            exact[key].append(alias)
            rows.append(alias)

    sections = list(index.corpus.sections)
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    section_tokens: list[frozenset[str]] = []
    primary: list[str | None] = []
    for i, sec in enumerate(sections):
        tokens = normalize_for_index(f"{sec.heading} {sec.text}")
        counts: dict[str, int] = defaultdict(int)
        for tok in tokens:
            counts[tok] += 1
        for tok, n in counts.items():
            postings[tok][i] = n
        section_tokens.append(frozenset(counts))
        primary.append(CorpusIndex.primary_topic(sec))
    n = max(len(sections), 1)
    idf = {tok: math.log(1 + n / len(p)) for tok, p in postings.items()}
    df_limit = max(3, n // 5)
    vocab_by_len: dict[int, list[str]] = defaultdict(list)
    for tok, p in postings.items():
        if len(tok) >= 5 and len(p) <= df_limit and eligible_term(tok):
            vocab_by_len[len(tok)].append(tok)
    return Tables(
        version=index.version,
        exact=dict(exact),
        alias_keys=[a.key for a in rows],
        alias_rows=rows,
        topic_names={t.id: t.name for t in index.topics.values()},
        section_ids=[s.section_id for s in sections],
        section_primary=primary,
        section_tokens=section_tokens,
        postings=dict(postings),
        idf=idf,
        vocab_by_len=dict(vocab_by_len),
        vocab=frozenset(postings),
        df_limit=df_limit,
        topic_order=list(index.topics),
        everyday=frozenset(lists.everyday)
        if (lists := index.corpus.retrieval_words)
        else frozenset(),
    )


_BUILT: PerVersion[CorpusIndex, Tables] = PerVersion(
    _build_tables, version=lambda index: index.version
)


def tables_for(index: CorpusIndex) -> Tables:
    """The tables of this index's current version, built once and shared between threads."""
    return _BUILT.get(index)


def prepare(index: CorpusIndex) -> None:
    """Build the matcher's tables for this corpus now (otherwise the first question does)."""
    tables_for(index)
