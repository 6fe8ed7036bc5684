"""Pure: a chat question -> Match (intent + topic); every candidate scored, floor applied."""

from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.corpus import CorpusIndex
from bot.models import Intent, Match

# --- limits -----------------------------------------------------------------------------------

# A 40,000-character message must cost what a short one costs: markup is stripped from a bounded
# prefix, and only the first words of the normalized text are scored.
RAW_LIMIT = 2_000
NORMALIZED_LIMIT = 500
MAX_SCORED_TOKENS = 48
MAX_SPAN = 4  # longest alias, in words, looked for in a question

INTENT_FLOOR = 0.45  # below this the matcher says "unknown" rather than guess
STRONG_HIT = 90.0  # topic score (0-100) of an exact name, alias or keyword


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- vocabulary -------------------------------------------------------------------------------

# Chat shorthand, applied word by word after casefolding.
SHORTHAND: dict[str, str] = {
    "wat": "what",
    "wot": "what",
    "wht": "what",
    "whats": "what is",
    "wats": "what is",
    "wuts": "what is",
    "wut": "what",
    "abt": "about",
    "abour": "about",
    "bout": "about",
    "re": "about",
    "pls": "please",
    "plz": "please",
    "plez": "please",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "anythin": "anything",
    "anyting": "anything",
    "nething": "anything",
    "smth": "something",
    "sth": "something",
    "hows": "how is",
    "whos": "who is",
    "wheres": "where is",
    "theres": "there is",
    "gimme": "give me",
    "lemme": "let me",
    "wanna": "want to",
    "dunno": "do not know",
    "tldr": "summary",
    "tl": "",
    "dr": "summary",
    "w": "with",
    "thx": "thanks",
    "ty": "thanks",
    "info": "information",
    "convo": "conversation",
    "src": "sources",
    "srcs": "sources",
    "refs": "references",
    "diff": "differ",
    "nu": "new",
    "latst": "latest",
    "sumthin": "something",
    "2day": "today",
    "b4": "before",
    "abot": "about",
    "dat": "that",
    "da": "the",
    "teh": "the",
}

# Words that carry no topic: function words, question words and chat filler.
STOP_WORDS = _wordset(
    """
    a an the and or but if then so of in on at to for from by with without into onto over under
    about as is are was were be been being am do does did done doing have has had having can could
    will would shall should may might must i me my mine we us our you your yours he she it its they
    them their this that these those there here what which who whom whose when where why how
    any anything some something all each every no not none nothing more most much many few lot lots
    please hi hey hello yo thanks thank ok okay hmm um uh well also just really very quite too
    again still now yet even only let give show get got tell know want need like say says said
    saying think thoughts one ones bit kind sort stuff things thing way ways etc else than
    briefbot bot plus
    """
)

# The words the intents are made of. They never start or end a fuzzy topic search, and a topic
# alias that is one of them ("explain", "work") counts for less than a real topic word.
INTENT_WORDS = _wordset(
    """
    new news newest latest recent recently update updates updated happening happened going
    developments development trend trends changed change changes since
    brief briefing summary summarize summarise overview explain explanation describe rundown
    intro introduction background
    source sources cite cites cited citation citations reference references evidence mention
    mentions mentioned mentioning report reports paper papers document documents claim claims
    covers cover covering covered
    disagree disagrees disagreement disagreements conflict conflicts conflicting contradict
    contradicts contradiction contradictions contradictory differ differs different difference
    differences inconsistent inconsistency inconsistencies dispute disputes disputed agree agrees
    agreement consensus tension tensions diverge divergence odds controversy controversial
    topic topics subject subjects theme themes list talk discuss area areas
    digest digests weekly week weeks roundup recap daily monthly
    subscribe subscribed subscription unsubscribe unsubscribed stop cancel
    help usage use using work works command commands
    """
)

FUNCTION_WORDS = STOP_WORDS | INTENT_WORDS

# Generic words of the corpus itself (they occur everywhere, so they cannot pick a topic).
GENERIC_WORDS = _wordset(
    """
    ai llm llms model models language large system systems research researchers approach
    approaches technique techniques technology technologies method methods application
    applications capability capabilities advancement advancements advance advances field fields
    future potential significant key major current state year years data
    """
)

# Common English words: a question made of these alone is not about a report's term. Keeps the
# text fallback from turning "order a pizza" into a section that happens to say "in order to".
COMMON_WORDS = _wordset(
    """
    able above across act action actually add after against ago ahead air almost alone along
    already although always among amount another answer anyone anyway appear around ask asked
    away back bad base based become becomes before begin behind believe best better between big
    black blue body book both bring build business buy call came car care carry case cause
    center certain chance child children city class clear close cold come comes coming common
    company complete consider continue cost could country couple course create cup cut dark day
    days deal death decide deep different dinner do dog door down draw drive during early east
    easy eat end enough enter entire event ever everyone evidence example eye face fact fall
    family far fast father feel field fight figure fill film final find fine fire first fish
    five floor follow food foot force form forward four free friend front full fun game general
    girl go goes going gone good great green ground group grow guy half hand happen hard head
    hear heart heat heavy help high hit hold home hope hot hour hours house huge human idea
    important inside instead interest issue job keep kid kill kitchen land last late later
    lead learn least leave left less level life light line little live local long look lose
    loss love low main make man manage market matter mean meet member men mind minute miss
    money month morning mother move movie music name nation near nearly never next nice night
    north note number off office often old once open order others out outside own page paper
    part party pass past pay people perhaps person pick picture piece place plan play player
    point police poor popular position possible power pretty price problem program provide pull
    put question quick quickly quite race rain rather reach read ready real reason red remain
    remember rest result return right rise road rock room round rule run safe same save school
    score sea season second see seem seen sell send sense serve set several shake share short
    show side sign simple since single sit six size small social son soon sound south speak
    special spend sport sports stand start stay step stop story street strong student study
    such sun sure table take taken talk team tell ten test than their then thing three through
    throw time today together told tomorrow tonight top toward town tree true try turn two
    type under until upon usually value very view voice wait walk wall war watch water way
    weather week weekend well went west white whole wife win window winner wish woman women won
    word world would write wrong yard yes yesterday young pizza burger coffee tea beer wine
    lunch breakfast recipe joke jokes song songs football soccer basketball baseball cricket
    tennis golf match matches weather forecast temperature traffic flight flights hotel taxi
    uber restaurant restaurants shop shopping store price prices stock stocks bitcoin crypto
    horoscope birthday holiday holidays vacation meeting calendar email emails password
    login account weekend movies netflix tv show shows capital president election elections
    order orders deliver delivery book booking ticket tickets cheap nearest near me nearby
    """
)

# --- intent cues ------------------------------------------------------------------------------

# (pattern over the normalized question, score). Every intent is scored; the best one wins if it
# clears INTENT_FLOOR. Scores encode precedence: a conflict cue beats a source cue ("which reports
# disagree"), a digest cue beats a summary cue ("weekly summary").
_CUES: dict[Intent, tuple[tuple[str, float], ...]] = {
    Intent.WHATS_NEW: (
        (r"\bwhat is new\b", 0.9),
        (r"\bwhat s new\b", 0.9),
        (r"\bnew (in|on|with|for|about|around)\b", 0.85),
        (r"\banything new\b", 0.9),
        (r"\b(latest|newest|most recent)\b", 0.85),
        (r"\bnews\b", 0.85),
        (r"\bupdates?\b", 0.8),
        (r"\b(recent|recently)\b", 0.7),
        (r"\b(developments?|happening|trends?|what changed|changes)\b", 0.7),
        (r"\bnew\b", 0.6),
    ),
    Intent.TOPIC_BRIEF: (
        (r"\btell (me|us) (more )?about\b", 0.8),
        (r"\b(brief|briefing) (me |us )?(on|about)\b", 0.8),
        (r"\bbrief\b", 0.65),
        (r"\b(summary|summarize|summarise|overview|rundown|explain|explanation|describe)\b", 0.75),
        (r"\b(what|how) about\b", 0.75),
        (r"\bwhat (is|are|do|does)\b", 0.6),
        (r"\b(anything|something|information|know) (on|about|regarding)\b", 0.75),
        (r"\bsay (on|about)\b", 0.75),
        (r"\btell me more\b", 0.8),
        (r"\bmore (on|about)\b", 0.75),
    ),
    Intent.CONFLICTS: (
        (r"\bdisagree(s|ment|ments)?\b", 0.95),
        (r"\bconflict(s|ing)?\b", 0.95),
        (r"\bcontradict(s|ion|ions|ory)?\b", 0.95),
        (r"\binconsisten(t|cy|cies)\b", 0.95),
        (r"\bdisput(e|es|ed)\b", 0.9),
        (r"\b(diverge|divergence|tensions?|at odds|controvers(y|ial))\b", 0.9),
        (r"\b(differ|differs|difference|differences)\b", 0.85),
        (r"\bdo (the )?(reports|sources) agree\b", 0.9),
    ),
    Intent.SOURCES: (
        (r"\bsources?\b", 0.9),
        (r"\bwho (says|said|claims|mentions|reports|wrote|is saying)\b", 0.9),
        (r"\bwhich (reports?|papers?|documents?|sources?)\b", 0.88),
        (r"\bwhat (reports?|papers?|documents?)\b", 0.88),
        (r"\bcit(e|es|ed|ation|ations)\b", 0.9),
        (r"\breferences?\b", 0.85),
        (r"\bwhere (does|did|do) (this|that|it|these|those) come from\b", 0.9),
        (r"\b(comes?|came) from\b", 0.85),
        (r"\bwhere did (you|u) (get|find|read)\b", 0.9),
        (r"\b(reports?|papers?) (mention|mentions|mentioning|cover|covers|covering)\b", 0.88),
        (r"\bevidence\b", 0.8),
    ),
    Intent.LIST_TOPICS: (
        (r"\btopics?\b", 0.9),
        (r"\b(subjects?|themes?)\b", 0.85),
        (r"\bwhat can (you|i) (talk|ask|tell|chat) (me |you )?about\b", 0.95),
        (r"\bwhat do you (know|cover)\b", 0.9),
        (r"\bwhat (do|does) (you|it) (know|cover|talk) about\b", 0.95),
        (r"\blist\b", 0.7),
        (r"\bwhat (areas|things)\b", 0.8),
    ),
    Intent.DIGEST: (
        (r"\bdigests?\b", 0.97),
        (r"\bweekly (summary|brief|briefing|update|recap|roundup)\b", 0.97),
        (r"\b(summary|recap|roundup) (of|for) (the|this|last) week\b", 0.97),
        (r"\bthis week s\b", 0.9),
        (r"\b(roundup|recap)\b", 0.9),
        (r"\bweekly\b", 0.85),
    ),
    Intent.SUBSCRIBE: (
        (r"^subscribe\b", 0.99),
        (r"\bsubscribe\b", 0.95),
        (r"\bsign (me|us|this channel|the channel) up\b", 0.98),
        (r"\bschedule (a |the )?(digest|briefing)\b", 0.97),
    ),
    Intent.UNSUBSCRIBE: (
        (r"\bunsubscribe\b", 0.99),
        (r"\b(stop|cancel|turn off|disable|no more)\b.{0,30}\b(digests?|subscriptions?)\b", 0.99),
    ),
    Intent.HELP: (
        (r"^help\b", 0.97),
        (r"\bhelp\b", 0.7),
        (r"\bhow (do|can|should) (i|we) (use|talk to|ask)\b", 0.95),
        (r"\bhow does (this|it) work\b", 0.95),
        (r"\bwhat can you do\b", 0.95),
        (r"\bwho are you\b", 0.9),
        (r"\b(what|who) (is|are) (briefbot|this bot|you)\b", 0.9),
        (r"\bwhat are you\b", 0.85),
        (r"\b(usage|commands)\b", 0.9),
        (r"^(hi|hello|hey|yo)( there)?( briefbot| bot)?$", 0.9),
    ),
}
_COMPILED_CUES = {
    intent: tuple((re.compile(p), s) for p, s in cues) for intent, cues in _CUES.items()
}

# Intents whose answer is about a topic (and may use the conversation's topic).
TOPICAL = frozenset({Intent.WHATS_NEW, Intent.TOPIC_BRIEF, Intent.CONFLICTS, Intent.SOURCES})
# Topical intents that also have an answer with no topic at all (over the whole corpus).
CORPUS_WIDE = frozenset({Intent.WHATS_NEW, Intent.CONFLICTS, Intent.SOURCES})

# --- normalization ----------------------------------------------------------------------------

_SLACK_LABELLED = re.compile(r"<([@!#]?)([^<>|]{0,300})\|([^<>]{0,300})>")
_SLACK_BARE = re.compile(r"<[^<>]{0,300}>")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']{1,60}:", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _labelled(m: re.Match[str]) -> str:
    sigil, label = m.group(1), m.group(3)
    # <@U123|alice> and <!subteam^S1|@team> are pings: drop them; channels and links keep labels.
    return " " if sigil in ("@", "!") else f" {label} "


def strip_markup(text: str) -> str:
    """Slack markup, emoji and entities removed; case and punctuation kept (for arguments)."""
    text = text[:RAW_LIMIT]
    text = _SLACK_LABELLED.sub(_labelled, text)
    text = _SLACK_BARE.sub(" ", text)
    text = html.unescape(text)
    text = _EMOJI_CODE.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Cs", "Co", "Cn") or ch == "\u200d" else ch
        for ch in text
    )
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Markup-free, casefolded words with chat shorthand expanded, capped in length."""
    text = strip_markup(text).translate(_APOSTROPHES).casefold()
    # "what's" -> "what is", "who's" -> "who is"; other apostrophes just go.
    text = re.sub(r"\b(what|who|where|how|there|that|it)'s\b", r"\1 is", text)
    words: list[str] = []
    for word in _WORD.findall(text.replace("'", "")):
        words.extend(SHORTHAND.get(word, word).split())
        if len(words) > NORMALIZED_LIMIT // 2:
            break
    return " ".join(words)[:NORMALIZED_LIMIT].strip()


def _stem(word: str) -> str:
    # Plural-insensitive matching ("agents" = "agent"); nothing cleverer, to stay predictable.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(words: list[str] | tuple[str, ...]) -> str:
    # Spaces and hyphens do not matter: "multi-modal", "multi modal" and "multimodal" are one key.
    return "".join(_stem(w) for w in words)


# --- per-corpus tables ------------------------------------------------------------------------


@dataclass
class _Alias:
    key: str
    topic_id: str
    weight: float
    words: int
    kind: str


@dataclass
class _Tables:
    """Everything the matcher precomputes for one corpus version."""

    version: str
    exact: dict[str, list[_Alias]]
    alias_keys: list[str]
    alias_rows: list[_Alias]
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


def _alias_weight(kind: str) -> float:
    return {"id": 1.0, "name": 1.0, "alias": 1.0, "keyword": 0.92}[kind]


def _build_tables(index: CorpusIndex) -> _Tables:
    exact: dict[str, list[_Alias]] = defaultdict(list)
    rows: list[_Alias] = []
    seen: set[tuple[str, str]] = set()
    for topic in index.topics.values():
        entries = [(topic.id.replace("_", " ").replace("-", " "), "id"), (topic.name, "name")]
        entries += [(a, "alias") for a in topic.aliases]
        entries += [(k, "keyword") for k in topic.keywords]
        for text, kind in entries:
            words = normalize(text).split()
            if not words or all(w in STOP_WORDS or w in GENERIC_WORDS for w in words):
                continue
            key = _key(words)
            if (key, topic.id) in seen or len(words) > MAX_SPAN:
                continue
            seen.add((key, topic.id))
            weight = _alias_weight(kind)
            if len(words) == 1 and (words[0] in INTENT_WORDS or words[0] in COMMON_WORDS):
                # "explain", "work", "live": everyday words; a real topic word beats them.
                weight *= 0.75
            alias = _Alias(key, topic.id, weight, len(words), kind)
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
        if len(tok) >= 5 and len(p) <= df_limit and _eligible_term(tok):
            vocab_by_len[len(tok)].append(tok)
    return _Tables(
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
    )


def normalize_for_index(text: str) -> list[str]:
    """Section text as the words the text fallback looks up (casefolded, no markup work)."""
    return [_stem(w) for w in _WORD.findall(text.translate(_APOSTROPHES).casefold())]


def _eligible_term(word: str) -> bool:
    """A word that may name something inside a report (not filler, not everyday English)."""
    if word in FUNCTION_WORDS or word in GENERIC_WORDS or word in COMMON_WORDS:
        return False
    if any(ch.isdigit() for ch in word):
        return len(word) >= 2 and not word.isdigit()
    return len(word) >= 3


_CACHE: weakref.WeakKeyDictionary[CorpusIndex, _Tables] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _tables(index: CorpusIndex) -> _Tables:
    tables = _CACHE.get(index)
    if tables is not None and tables.version == index.version:
        return tables
    with _CACHE_LOCK:
        tables = _CACHE.get(index)
        if tables is None or tables.version != index.version:
            tables = _build_tables(index)
            _CACHE[index] = tables
    return tables


def prepare(index: CorpusIndex) -> None:
    """Build the matcher's tables for this corpus now (otherwise the first question does)."""
    _tables(index)


# --- topic slot -------------------------------------------------------------------------------


@dataclass
class _TopicHit:
    topic_id: str
    score: float  # 0-100
    start: int
    end: int
    kind: str
    exact: bool


def _rank(hit: _TopicHit) -> tuple[bool, int, int, float]:
    # Among strong hits the first-named topic is the subject ("who says AutoGPT will cost jobs");
    # a weak one (an everyday word, a loose typo) never beats a strong one.
    strong = hit.score >= STRONG_HIT
    return (strong, -hit.start if strong else 0, hit.end - hit.start, hit.score)


def _fuzzy_cutoff(length: int) -> float:
    if length <= 3:
        return 101.0  # short words: exact only ("xai", "eu")
    if length <= 5:
        return 88.0
    return 80.0


def _find_topic(words: list[str], tables: _Tables) -> _TopicHit | None:
    stems = [_stem(w) for w in words]
    best: _TopicHit | None = None

    def consider(alias: _Alias, score: float, start: int, end: int) -> None:
        nonlocal best
        scored = score * alias.weight
        hit = _TopicHit(alias.topic_id, scored, start, end, alias.kind, score == 100.0)
        if best is None or _rank(hit) > _rank(best):
            best = hit

    fuzzy_spans: list[tuple[str, int, int]] = []
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_SPAN, len(words)) + 1):
            span = words[start:end]
            key = "".join(stems[start:end])
            hits = tables.exact.get(key)
            if hits:
                for alias in hits:
                    consider(alias, 100.0, start, end)
                continue
            edges_ok = span[0] not in FUNCTION_WORDS and span[-1] not in FUNCTION_WORDS
            if not edges_ok or len(key) < 4:
                continue
            # A real word is not a typo of an alias ("safely" is not "safety").
            if end - start == 1 and (key in tables.vocab or span[0] in COMMON_WORDS):
                continue
            fuzzy_spans.append((key, start, end))
    if fuzzy_spans and tables.alias_keys and (best is None or best.score < 100.0):
        for key, start, end in fuzzy_spans:
            for _, score, col in process.extract(
                key, tables.alias_keys, scorer=fuzz.ratio, score_cutoff=80.0, limit=8
            ):
                alias = tables.alias_rows[col]
                if score >= _fuzzy_cutoff(min(len(key), len(alias.key))):
                    consider(alias, score, start, end)
    return best


# --- full-text fallback -----------------------------------------------------------------------


@dataclass
class _TextHit:
    section_ids: tuple[str, ...]
    topic_id: str | None
    term: str
    score: float


def _find_in_text(words: list[str], tables: _Tables) -> _TextHit | None:
    matched: dict[int, tuple[str, float]] = {}  # word position -> (indexed token, weight)
    for pos, word in enumerate(words):
        tok = _stem(word)
        if not _eligible_term(tok) and not _eligible_term(word):
            continue
        posting = tables.postings.get(tok)
        if posting is not None:
            if len(posting) <= tables.df_limit:
                matched[pos] = (tok, 1.0)
            continue
        if len(tok) >= 6 and tok not in COMMON_WORDS:
            near: list[str] = []
            for n in (len(tok) - 1, len(tok), len(tok) + 1):
                near.extend(tables.vocab_by_len.get(n, ()))
            found = process.extractOne(tok, near, scorer=fuzz.ratio, score_cutoff=85.0)
            if found is not None:
                matched[pos] = (found[0], found[1] / 100.0)
    if not matched:
        return None
    scores: dict[int, float] = defaultdict(float)
    for tok, weight in matched.values():
        for sec in tables.postings[tok]:
            scores[sec] += tables.idf[tok] * weight
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    hits = [sec for sec, s in ranked if s >= 0.6 * top][:8]
    best = hits[0]
    # The term as the user wrote it, widened to neighbours the best section also contains
    # ("loihi" + "2" -> "loihi 2").
    positions = sorted(matched)
    lo, hi = positions[0], positions[0]
    for pos in positions:
        if pos - hi <= 1:
            hi = pos
    while (
        lo > 0
        and _stem(words[lo - 1]) in tables.section_tokens[best]
        and (words[lo - 1] not in FUNCTION_WORDS)
    ):
        lo -= 1
    while (
        hi + 1 < len(words)
        and _stem(words[hi + 1]) in tables.section_tokens[best]
        and (words[hi + 1] not in FUNCTION_WORDS)
    ):
        hi += 1
    term = " ".join(words[lo : hi + 1])
    return _TextHit(
        section_ids=tuple(tables.section_ids[i] for i in hits),
        topic_id=tables.section_primary[best],
        term=term,
        score=min(1.0, max(w for _, w in matched.values())),
    )


def _sections_naming(span: list[str], topic_id: str, tables: _Tables) -> tuple[str, ...]:
    """Sections containing every distinctive word of a keyword, the topic's own sections first."""
    stems = [_stem(w) for w in span if _eligible_term(_stem(w)) or _eligible_term(w)]
    postings = [tables.postings.get(s) for s in stems]
    if not stems or any(p is None or len(p) > tables.df_limit for p in postings):
        return ()
    common = set.intersection(*(set(p) for p in postings if p is not None))
    ranked = sorted(common, key=lambda i: (tables.section_primary[i] != topic_id, i))
    return tuple(tables.section_ids[i] for i in ranked[:8])


# --- suggestions ------------------------------------------------------------------------------


def _suggest(words: list[str], tables: _Tables, limit: int = 3) -> tuple[str, ...]:
    """Topic ids loosely resembling some word of the question (maybe none)."""
    content = [_stem(w) for w in words if w not in FUNCTION_WORDS and len(w) >= 4]
    if not content or not tables.alias_keys:
        return ()
    found: dict[str, float] = {}
    for word in content[:MAX_SCORED_TOKENS]:
        for key, score, col in process.extract(
            word, tables.alias_keys, scorer=fuzz.ratio, score_cutoff=70.0, limit=5
        ):
            del key
            tid = tables.alias_rows[col].topic_id
            found[tid] = max(found.get(tid, 0.0), score)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], tables.topic_order.index(kv[0])))
    return tuple(tid for tid, _ in ranked[:limit])


# --- intents ----------------------------------------------------------------------------------


def _score_intents(text: str) -> dict[Intent, float]:
    scores: dict[Intent, float] = {}
    for intent, cues in _COMPILED_CUES.items():
        best = 0.0
        for pattern, score in cues:
            if score > best and pattern.search(text):
                best = score
        if best:
            scores[intent] = best
    return scores


_ARGUMENT = re.compile(r"\b(?:un)?subscribe\b[\s:,-]*(.*)$", re.IGNORECASE | re.DOTALL)


def _argument(raw: str, intent: Intent) -> str:
    if intent not in (Intent.SUBSCRIBE, Intent.UNSUBSCRIBE):
        return ""
    found = _ARGUMENT.search(strip_markup(raw))
    return found.group(1).strip()[:200] if found else ""


def match_question(text: str, index: CorpusIndex, *, context_topic: str | None = None) -> Match:
    """Score every intent and the topic slot of a question; below the floor, say unknown."""
    tables = _tables(index)
    words = normalize(text).split()[:MAX_SCORED_TOKENS]
    if not words:
        return Match(intent=Intent.HELP, confidence=1.0)
    topic: str | None = None
    topic_score = 0.0
    covered: set[int] = set()
    section_hits: tuple[str, ...] = ()
    term: str | None = None
    topic_hit = _find_topic(words, tables)
    if topic_hit is not None:
        topic, topic_score = topic_hit.topic_id, topic_hit.score / 100.0
        covered = set(range(topic_hit.start, topic_hit.end))
        if topic_hit.kind == "keyword" and topic_hit.exact:
            # A named thing ("GDPR", "LoRA", "Loihi 2"): answer from the sections that say it.
            span = words[topic_hit.start : topic_hit.end]
            section_hits = _sections_naming(span, topic_hit.topic_id, tables)
            term = " ".join(span) if section_hits else None
    else:
        text_hit = _find_in_text(words, tables)
        if text_hit is not None:
            topic, topic_score = text_hit.topic_id, 0.85 * text_hit.score
            section_hits, term = text_hit.section_ids, text_hit.term
            covered = {i for i, w in enumerate(words) if w in set(text_hit.term.split())}

    # Intent cues are read with the topic's own words masked: "news on open-source" is news, not
    # a request for sources. A one-word everyday alias stays ("how does this work").
    masked = list(words)
    if topic_hit is not None and (
        topic_hit.end - topic_hit.start > 1 or words[topic_hit.start] not in INTENT_WORDS
    ):
        masked[topic_hit.start : topic_hit.end] = ["_"] * (topic_hit.end - topic_hit.start)
    intents = _score_intents(" ".join(masked))
    cued = bool(intents)

    leftover = [
        w
        for i, w in enumerate(words)
        if i not in covered and w not in FUNCTION_WORDS and w not in GENERIC_WORDS
    ]
    foreign = [w for w in leftover if _stem(w) not in tables.vocab and not w.isdigit()]
    if topic_hit is not None and topic_score < 0.9 and not cued and foreign:
        # A weak hit (an everyday word like "live", or a loose typo) among words the reports never
        # use is not a question about that topic ("play some live music").
        topic, topic_score, covered = None, 0.0, set()

    has_subject = topic is not None or bool(section_hits)
    if has_subject:
        # A bare topic ("quantum?", "mutlimodal") asks for a brief; any explicit cue beats it.
        bare = 0.5 + 0.2 * topic_score
        intents[Intent.TOPIC_BRIEF] = max(intents.get(Intent.TOPIC_BRIEF, 0.0), bare)
    ranked = sorted(intents.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < INTENT_FLOOR:
        return _unknown(words, tables)
    intent, intent_score = ranked[0]

    if intent in TOPICAL and not has_subject:
        if foreign or [w for w in leftover if w not in tables.vocab]:
            # Asked about something the reports do not cover ("what's new in football").
            return _unknown(words, tables)
        if context_topic is not None and context_topic in index.topics:
            topic, topic_score = context_topic, 0.8
        elif intent not in CORPUS_WIDE:
            return _unknown(words, tables)

    if intent not in TOPICAL:
        keep = intent in (Intent.SUBSCRIBE, Intent.UNSUBSCRIBE, Intent.DIGEST)
        topic = topic if keep and topic_hit is not None else None
        section_hits, term = (), None
        confidence = intent_score
    elif topic is not None:
        confidence = 0.5 * intent_score + 0.5 * topic_score
    else:
        confidence = intent_score * 0.9
    return Match(
        intent=intent,
        topic=topic,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        section_hits=section_hits,
        term=term,
        argument=_argument(text, intent),
    )


def _unknown(words: list[str], tables: _Tables) -> Match:
    return Match(intent=Intent.UNKNOWN, confidence=0.0, suggestions=_suggest(words, tables))
