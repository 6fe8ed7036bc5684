"""Word lists that tell a question about the reports' field from one about something else."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.models import RetrievalWords


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that put a question outside what AI trend reports answer, by kind of request. One of
# them is enough to refuse, even when another word of the question occurs in a report ("who is
# the CEO of OpenAI", "intel dividend", "tell me a joke about transformers").
OFF_DOMAIN_WORDS = _words(
    """
    stock stocks shares shareholder shareholders nasdaq dow ftse dax portfolio dividend
    dividends earnings ticker discount coupon tariff mortgage loan css html div regex regexp
    segfault git rebase ide vscode stackoverflow venv virtualenv conda pip npm homebrew
    ceo cto founded dating married wife husband
    girlfriend boyfriend born birthday president minister king queen celebrity actor actress
    singer headphones earbuds playstation xbox nintendo instagram facebook tiktok whatsapp
    snapchat schedule scheduling meeting meetings remind reminder reminders calendar
    appointment book booking reservation room tonight pm eiffel tower bones poem poems song
    songs lyrics joke jokes riddle movie movies film films netflix actor favourite favorite
    bored entertain rain raining snow snowing sunny football soccer basketball baseball cricket
    tennis golf nba nfl league champions lakers f1 racing recipe recipes cook cooking boil bake
    pizza pasta taco tacos egg eggs restaurant restaurants shopping grocery groceries apartment
    rent estate horoscope zodiac vogue prada gucci chanel dior catwalk runway
    """
)

# Subjects outside the field that the field also talks about: one of them refuses a question
# only when it names nothing of the field ("fix my python script"; not "can LLMs write python").
OFF_DOMAIN_SUBJECTS = _words(
    """
    price prices forecast buy buying sell selling cheapest dollars euros usd eur gbp currency
    convert crypto bitcoin ethereum python javascript typescript java sql script scripts debug
    debugging compile compiler install installing windows macos linux pandas numpy csv excel
    spreadsheet iphone ipad android pixel samsung macbook laptop laptops camera tv console
    gaming gamer translate translating translator french spanish german japanese italian
    portuguese russian korean english dutch electricity temperature weather author wrote
    capital internally roadmap roadmaps
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
    r"\bvalued at\b|\bvaluation\b|\bnet worth\b|\bhow much is .{1,40}\bworth\b|\bmarket cap\b|"
    r"\bprocurement\b|\bpurchase order\b|"
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
        off_domain_subjects=tuple(sorted(OFF_DOMAIN_SUBJECTS)),
        domain=tuple(sorted(DOMAIN_WORDS)),
        focus_units=tuple((w, tuple(sorted(u))) for w, u in sorted(FOCUS_UNITS.items())),
    )


@lru_cache(maxsize=8)
def _sets(lists: RetrievalWords | None) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(off-domain words, off-domain subjects, words of the field)."""
    if lists is None:
        return OFF_DOMAIN_WORDS, OFF_DOMAIN_SUBJECTS, DOMAIN_WORDS
    return (
        frozenset(lists.off_domain),
        frozenset(lists.off_domain_subjects),
        frozenset(lists.domain),
    )


def is_off_domain(words: list[str], lists: RetrievalWords | None = None) -> bool:
    """The question asks about stocks, code, people, products, translation, dates, trivia: an
    off-domain word or way of asking, or an off-domain subject with nothing of the field."""
    off, subjects, field = _sets(lists)
    if any(w in off for w in words) or OFF_DOMAIN_PATTERNS.search(" ".join(words)):
        return True
    return any(w in subjects for w in words) and not any(w in field for w in words)


def asks_for_another_service(words: list[str]) -> bool:
    """A request about something other than briefbot's own digest ("cancel my GitHub Copilot
    subscription"): a digest command's words, but not about the digest."""
    return bool(_OTHER_SERVICE.search(" ".join(words)))


_OTHER_SERVICE = re.compile(
    r"\b(cancel|renew|upgrade|downgrade|pay for|refund) (my|our|the) "
    r"(?!(digest|briefing|briefings|weekly|daily|subscription|channel|trends|briefbot)\b)[a-z]+"
)


def names_the_field(words: list[str], lists: RetrievalWords | None = None) -> bool:
    _, _, field = _sets(lists)
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
        ("data dataset", "seconds bytes"),
        ("cost costs save saving savings cheap expensive revenue fine penalty", "usd %"),
        ("accuracy accurate precise error fluency fluent share percentage rate", "%"),
        ("long time timeline fast faster soon", "seconds"),
        ("language", "languages count"),
        ("parameter param", "params"),
        ("precision bit", "bits"),
        ("many number", "count"),
    )
    for word in words.split()
}
