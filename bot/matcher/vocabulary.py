"""The matcher's tuning data: limits, chat shorthand and the word lists it reads questions with."""

from __future__ import annotations

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


# --- word lists -------------------------------------------------------------------------------

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
    "rn": "right now",
    "nah": "no",
    "kinda": "kind of",
    "sorta": "sort of",
    "gonna": "going to",
    "gotta": "got to",
    "esp": "especially",
    "idk": "i do not know",
    "tbh": "",
    "imo": "",
    "imho": "",
    "btw": "",
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
    single sole rest rests resting unconfirmed uncorroborated corroborated confirmed confirm
    backed unverified unanimous common ground oldest earliest undated published written
    cheers awesome great nice cool perfect bye goodbye morning afternoon evening howdy hiya
    greetings appreciated
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


def eligible_term(word: str) -> bool:
    """A word that may name something inside a report (not filler, not everyday English)."""
    if word in FUNCTION_WORDS or word in GENERIC_WORDS or word in COMMON_WORDS:
        return False
    if any(ch.isdigit() for ch in word):
        return len(word) >= 2 and not word.isdigit()
    return len(word) >= 3
