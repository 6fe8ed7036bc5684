"""The intent slot: every intent scored by its cue patterns (digest requests themselves are read
by bot.conversation.requests)."""

from __future__ import annotations

import re

from bot.models import Intent

# A question asking for a number or a name ("how much energy…", "what is the fine…", "which
# models…"): read here as a brief about its subject, and by retrieval for the sentence that holds
# the fact (bot/retrieval/score.py).
_NUMBER_CUES = (
    r"how (much|many|accurate|fast|big|large|long|often|high|low|cheap|expensive|efficient"
    r"|fluent|precise)"
    r"|what (is|are|was|were) the (fine|fines|cost|costs|price|rate|accuracy|number|size|share"
    r"|percentage|penalty|penalties|figure|saving|savings|gain|gains|error rate|reduction)"
    r"|what (weight )?precision|what percentage|percent|by when|what year|when (did|will|was)"
    r"|how soon|max|maximum|minimum|at most|at least"
)
_NAME_CUES = (
    r"which (model|models|company|companies|chip|chips|system|systems|framework|frameworks"
    r"|lab|labs|tool|tools|dataset|datasets|country|countries|startups?|organi[sz]ations?"
    r"|nations?|llms?|firms?|platforms?)"
    r"|who (is|are|built|builds|makes|made|developed|develops|warns|says|adopted)"
    r"|name (the|some|a)"
)
# "what techniques…", "which methods…": answered by the sentence that lists them.
_LIST_CUES = (
    r"(what|which) (techniques|methods|strategies|approaches|kinds? of|types? of|sorts? of"
    r"|tools|mechanisms|applications|challenges|risks)"
)
FACT_CUES = re.compile(
    rf"\b(?:(?P<number>{_NUMBER_CUES})|(?P<name>{_NAME_CUES})|(?P<list>{_LIST_CUES}))\b"
)

# "which real-time apps…", "who has to team up…" without a fact cue: retrieval reads them as
# asking for the sentence that names things (bot/retrieval/score.py).
WHICH_OR_WHO = re.compile(r"\bwhich (?!(is|are|was|were|do|does|did)\b)[a-z]\w+|\bwho( s)?\b")

# A fact question about a subject asks about a thing, so it beats the weaker news and source cues
# ("which tricks do the latest LLMs use" is not "what's new"); a conflict, agreement or report cue
# still wins (bot/matcher/match.py).
FACT_CUE_SCORE = 0.87
# "which tricks…", "which roles…": asks which things, whatever the noun.
_WHICH_THING = re.compile(r"\bwhich (?!(is|are|was|were|do|does|did)\b)[a-z]\w+")

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
        # "any updates on X", "latest update", not the verb ("only update a few params").
        (
            r"\b(any|an|the|what|latest|recent|quick|new) updates?\b"
            r"|\bupdates? (on|about|in|for|re)\b",
            0.8,
        ),
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
        (r"\bclash(es|ing)?\b", 0.95),
        (r"\bcontradict(s|ion|ions|ory)?\b", 0.95),
        (r"\binconsisten(t|cy|cies)\b", 0.95),
        (r"\bdisput(e|es|ed)\b", 0.9),
        (r"\b(diverge|divergence|tensions?|at odds|controvers(y|ial))\b", 0.9),
        # "diff reports" (shorthand for different reports) is no question about differences.
        (
            r"\b(differ(?! (reports|sources|papers|documents|models|ways|kinds|types)\b)"
            r"|differs|difference|differences)\b",
            0.85,
        ),
    ),
    Intent.AGREEMENT: (
        (r"\bagree(s|d|ment)?\b", 0.96),
        (r"\b(consensus|common ground|in common|in agreement|unanimous)\b", 0.96),
        (r"\bline up\b", 0.93),
        (r"\b(see eye to eye|on the same page|of one mind|in step)\b", 0.93),
        (r"\b(all|both|every|most) (of the )?(reports|sources) (say|said|back|confirm)\b", 0.94),
        (r"\b(confirmed|corroborated|backed) by (several|many|more than one|multiple)\b", 0.94),
    ),
    Intent.SINGLE_SOURCE: (
        (r"\b(single|one|1|sole|only one|just one) (source|report|paper)s?\b", 0.97),
        (r"\bsingle sourced?\b", 0.97),
        (r"\brest(s|ing)? on (a |one |1 |just one |only one |a single )\b", 0.97),
        (r"\b(unconfirmed|uncorroborated|unbacked|unverified)\b", 0.96),
        (
            r"\bnot (backed|confirmed|corroborated|supported) by (another|a second|any other)\b",
            0.97,
        ),
        (r"\bonly one (report|source) (says|said|claims|mentions|covers)\b", 0.97),
    ),
    Intent.SOURCES: (
        # "open source" names a kind of software, not a request for sources.
        (r"(?<!open )\bsources?\b", 0.9),
        (r"\bwho (says|said|claims|mentions|reports|wrote|is saying)\b", 0.9),
        (r"\bwhich (reports?|papers?|documents?|sources?)\b", 0.88),
        (r"\bwhat (reports?|papers?|documents?)\b", 0.88),
        # "cited" alone is often the content asked about ("which law is cited as the
        # precedent"); cited by or in something asks for sources.
        (r"\b(cite|cites|citation|citations)\b", 0.9),
        (r"\bcited (by|in)\b", 0.88),
        (r"\breferences?\b", 0.85),
        (r"\bwhere (does|did|do) (this|that|it|these|those) come from\b", 0.9),
        (r"\b(comes?|came) from\b", 0.85),
        (r"\bwhere did (you|u) (get|find|read)\b", 0.9),
        (r"\b(reports?|papers?) (mention|mentions|mentioning|cover|covers|covering)\b", 0.88),
        (r"\bevidence\b", 0.8),
    ),
    Intent.REPORTS: (
        (r"\bwhat (reports|sources|documents|papers) (do|have|did) (you|u)\b", 0.97),
        (r"\bwhich (reports|sources|documents|papers) (do|have|did) (you|u)\b", 0.97),
        (
            r"\b(which|what) (report|source|paper|document) is (the )?(newest|latest|oldest|most "
            r"recent|first|last|undated)\b",
            0.97,
        ),
        (r"\b(newest|latest|oldest|most recent|undated) (report|source|paper|document)s?\b", 0.9),
        (r"\bhow many( [a-z]+)? (reports|sources|documents|papers)\b", 0.97),
        (
            r"\b(reports|sources|documents|papers) (have|did) (you|u) (got|get|loaded|load|read)\b",
            0.97,
        ),
        (r"\blist (the |all |your |of )*(reports|sources|documents|papers)\b", 0.97),
        (r"\b(your|the) (reports|sources) (you (have|use|read)|list)\b", 0.95),
        (r"\bwhen (was|were) (the )?(reports?|sources?) (published|written|released)\b", 0.96),
        # ...but "what are the reports saying about X" asks about X.
        (
            r"\b(what|which) (are|is) (the|your) (reports|sources)\b"
            r"(?! (saying|say|telling|suggesting|claiming|predicting|showing|finding)\b)",
            0.95,
        ),
        (
            r"\b(reports?|sources|documents|papers) (are )?in your (library|collection|corpus)\b",
            0.97,
        ),
        (r"\byour (library|collection|corpus)\b", 0.9),
        (r"\btitles? of (the |your |all )*(reports|sources|documents|papers)\b", 0.97),
        (
            r"\b(reports|sources|documents|papers) (are |r )?(you )?"
            r"(working|drawing|reading) from\b",
            0.97,
        ),
    ),
    Intent.LIST_TOPICS: (
        (r"\btopics?\b", 0.9),
        (r"\b(subjects?|themes?)\b", 0.85),
        (r"\bwhat can (you|i) (talk|ask|tell|chat) (me |you )?about\b", 0.95),
        (r"\bwhat do you (know|cover)\b", 0.9),
        (r"\bwhat (do|does) (you|it) (know|cover|talk) about\b", 0.95),
        # "list" as the request ("list everything", "pls list what you cover"), not a word of a
        # question about what a report lists ("what application areas do they list?").
        (r"^(?:(?:pls|please|can you|could you|can u|just) )?list\b", 0.7),
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
        (r"\bsubscribe\b", 0.98),
        (r"\bsign (me|us|this channel|the channel) up\b", 0.98),
        (r"\bschedule (a |the )?(digest|briefing)\b", 0.97),
        # "post the weekly brief in #ml-team every tuesday 10:00": a delivery, not a digest now.
        (
            r"\b(post|send|deliver|drop|put|share)\b[^.?!]{0,80}\bevery (monday|tuesday|wednesday"
            r"|thursday|friday|saturday|sunday|week|weekday)\b",
            0.98,
        ),
    ),
    Intent.UNSUBSCRIBE: (
        (r"\bunsubscribe\b", 0.99),
        (r"\b(stop|cancel|turn off|disable|no more)\b.{0,30}\b(digests?|subscriptions?)\b", 0.99),
    ),
    Intent.HELP: (
        (r"^help\b", 0.97),
        # A request for help, not "can LLMs help researchers…" (help as any verb).
        (r"\b(need|want|get|some|any|more|your) help\b|\bhelp (me|us|please)$|\bhelp$", 0.55),
        (r"\bhow (do|can|should) (i|we) (use|talk to|ask)\b", 0.95),
        (r"\bhow does (this|it) work\b", 0.95),
        (r"\bhow (does|do) (this|the|you) (bot|thing|app|briefbot)? ?work\b", 0.95),
        (r"\bwhat can you do\b", 0.95),
        (r"\bwho are you\b", 0.9),
        (r"\b(what|who) (is|are) (briefbot|this bot|you)\b", 0.9),
        (r"\bwhat are you\b", 0.85),
        (r"\b(usage|commands)\b", 0.9),
    ),
    Intent.GREETING: (
        (
            r"^(hi|hello|hey|hiya|howdy|yo|morning|good (morning|afternoon|evening|day)|greetings)"
            r"( there| all| everyone| team| folks)?( briefbot| bot)?$",
            0.96,
        ),
        (
            r"^(thanks|thank you|thank u|thanks a lot|many thanks|cheers|ta|great|awesome|nice|cool"
            r"|perfect|ok|okay|got it|bye|goodbye|see you|later|much appreciated)"
            r"( so much| very much| a lot| again| all| mate| buddy| briefbot| bot| you)*$",
            0.96,
        ),
        (r"^(how are you|how is it going|how are things|what is up|sup)( today)?$", 0.96),
        (r"^(thanks|thank you|cheers|ty|thx|great|awesome|perfect|nice)\b.{0,40}$", 0.7),
    ),
}
_COMPILED_CUES = {
    intent: tuple((re.compile(p), s) for p, s in cues) for intent, cues in _CUES.items()
}

# Intents whose answer is about a topic (and may use the conversation's topic).
TOPICAL = frozenset(
    {
        Intent.WHATS_NEW,
        Intent.TOPIC_BRIEF,
        Intent.CONFLICTS,
        Intent.AGREEMENT,
        Intent.SINGLE_SOURCE,
        Intent.SOURCES,
    }
)
# Topical intents that also have an answer with no topic at all (over the whole corpus).
CORPUS_WIDE = frozenset(
    {Intent.WHATS_NEW, Intent.CONFLICTS, Intent.AGREEMENT, Intent.SINGLE_SOURCE, Intent.SOURCES}
)


def score_intents(text: str) -> dict[Intent, float]:
    """Each cued intent with the score of its strongest cue found in the normalized text."""
    scores: dict[Intent, float] = {}
    for intent, cues in _COMPILED_CUES.items():
        best = 0.0
        for pattern, score in cues:
            if score > best and pattern.search(text):
                best = score
        if best:
            scores[intent] = best
    return scores


def asks_for_a_fact(text: str) -> bool:
    """The normalized question asks for a number or a name, or which things ("which roles…")."""
    return bool(FACT_CUES.search(text) or _WHICH_THING.search(text))
