"""Word lists that tell a question about the reports' field from one about something else."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.models import RetrievalWords


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that put a question outside what AI trend reports answer, by kind of request. One of
# them is enough to refuse, even when another word of the question occurs in a report ("who is
# the CEO of OpenAI", "intel share price", "translate hello into French").
OFF_DOMAIN_WORDS = _words(
    """
    stock stocks shares shareholder shareholders nasdaq dow ftse dax
    portfolio price prices dividend dividends earnings forecast ticker crypto bitcoin ethereum
    buy buying sell selling worth cheapest discount coupon tariff mortgage loan
    python javascript typescript java css html div regex regexp segfault compile compiler
    debug debugging pandas numpy csv excel spreadsheet git rebase ide vscode install
    installing windows macos linux script scripts stackoverflow sql
    ceo cto founded dating married wife husband girlfriend boyfriend born
    birthday president minister king queen celebrity actor actress singer
    iphone ipad android pixel samsung macbook laptop laptops headphones earbuds camera tv
    console playstation xbox nintendo gaming gamer instagram facebook tiktok whatsapp snapchat
    translate translating translator french spanish german japanese italian portuguese russian
    korean english dutch
    schedule scheduling meeting meetings remind reminder reminders calendar appointment book
    booking reservation room tonight pm
    eiffel tower bones capital wrote author poem poems song songs lyrics joke jokes riddle
    movie movies film films tv netflix actor favourite favorite bored entertain
    weather rain raining snow snowing sunny forecast temperature
    football soccer basketball baseball cricket tennis golf nba nfl league champions lakers f1
    racing
    recipe recipes cook cooking boil bake pizza pasta taco tacos egg eggs restaurant
    restaurants shopping grocery groceries electricity apartment rent estate horoscope
    zodiac usd eur gbp dollars euros convert currency
    """
)

# Ways of asking that are off-domain whatever the words ("what time is it in Tokyo").
OFF_DOMAIN_PATTERNS = re.compile(
    r"\b(what time is it|how (do|can) (i|you|we) say|how old is|how tall is|how many .{0,20} in "
    r"(a|the) human|who (won|wrote|founded|invented|is dating)|when is .{0,25}\bnext\b|"
    r"share price|is .{1,20} down (right )?now|write (me )?(a|an) |make me (a|an) |"
    r"give me (a|an) (recipe|joke)|"
    r"what year did|(best|cheapest) .{0,30} (under|for) \d+|"
    # who leads a company now, and the team's own Slack ("summarize yesterday's thread")
    r"who (runs|heads|owns|is in charge of)\b|is it still [a-z]+$|"
    r"(summari[sz]e|recap|catch me up on) .{0,40}\b(thread|channel|chat|dms?|messages|inbox)\b|"
    # tasks the bot does not do: images, editing someone's text, buying, someone else's account
    r"\b(generate|draw|create|make|design) (me )?(an? |the )?(image|picture|logo|photo|drawing"
    r"|diagram|slide)s?\b|\b(proofread|rephrase|reword|rewrite|spellcheck) (my|this|our)\b|"
    r"\bcancel (my|our) (?!(digest|briefing|weekly|subscription)\b)[a-z]+|"
    r"\bvalued at\b|\bvaluation\b|\bmarket cap\b|\bprocurement\b|\bpurchase order\b|"
    r"\border (one|some|it|them|a few) for (us|me)\b)"
)

# Words of the reports' field. An open question that names no topic is answered from the text
# only when it has one of these ("models that answer each user differently").
DOMAIN_WORDS = _words(
    """
    ai llm llms model models bot bots chatbot chatbots assistant assistants neural network
    networks training trained train data dataset datasets agent agents algorithm algorithms
    machine learning gpt transformer transformers inference chip chips compute parameters
    tokens reasoning automation automated robots robot generative
    """
)


def builtin_lists() -> RetrievalWords:
    """The built-in word lists as content would give them (no everyday words)."""
    return RetrievalWords(
        off_domain=tuple(sorted(OFF_DOMAIN_WORDS)),
        domain=tuple(sorted(DOMAIN_WORDS)),
        focus_units=tuple((w, tuple(sorted(u))) for w, u in sorted(FOCUS_UNITS.items())),
    )


@lru_cache(maxsize=8)
def _sets(lists: RetrievalWords | None) -> tuple[frozenset[str], frozenset[str]]:
    if lists is None:
        return OFF_DOMAIN_WORDS, DOMAIN_WORDS
    return frozenset(lists.off_domain), frozenset(lists.domain)


def is_off_domain(words: list[str], lists: RetrievalWords | None = None) -> bool:
    """The question asks about stocks, code, people, products, translation, dates, trivia."""
    off, _ = _sets(lists)
    return any(w in off for w in words) or bool(OFF_DOMAIN_PATTERNS.search(" ".join(words)))


def names_the_field(words: list[str], lists: RetrievalWords | None = None) -> bool:
    _, field = _sets(lists)
    return any(w in field for w in words)


def focus_units(lists: RetrievalWords | None) -> dict[str, list[str]]:
    """What a number question asks about -> the units that answer it (content or built-in)."""
    if lists is None:
        return {w: sorted(u) for w, u in FOCUS_UNITS.items()}
    return {w: sorted(u) for w, u in lists.focus_units}


# What a fact question asks about -> the units of the quantities that answer it (units as the
# claims read them, bot/conflicts). "how much energy" is answered by watts, "how big" by bytes
# or parameters, "how accurate" by a percentage.
FOCUS_UNITS: dict[str, frozenset[str]] = {
    word: frozenset(units.split())
    for words, units in (
        ("energy power watt electricity consume consumption", "watts wh/kg"),
        ("size big large storage", "bytes params"),
        ("cost costs save saving savings cheap expensive revenue fine penalty", "usd %"),
        ("accuracy accurate precise error fluency fluent share percentage rate", "%"),
        ("long time timeline fast faster soon", "years hours"),
        ("language", "languages count"),
        ("parameter param", "params"),
        ("precision bit", "bits"),
        ("many number", "count"),
    )
    for word in words.split()
}
