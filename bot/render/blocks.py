"""Answer -> Slack Block Kit: the first message, or every page of a long answer (one layout)."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, MarkdownTextObject, SectionBlock

from bot.models import (
    Agreement,
    Answer,
    AnswerPart,
    Disagreement,
    Evidence,
    Lead,
    Listing,
    Note,
    SingleSource,
    kind_words,
)
from bot.render import kit
from bot.render.actions import (
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_MORE,
    ACTION_NEXT_PAGE,
    ACTION_SHOW_QUOTES,
    ACTION_SOURCES,
    ACTION_SUBSCRIBE,
    button_value,
)
from bot.render.kit import Block
from bot.render.layout import layout_answer, part_lines
from bot.render.limits import MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX, check_blocks
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, split_text


def _listed(part: AnswerPart, labelled: bool) -> list[Block]:
    """A list part as sections: its label bold, its bullets as the layout wrote them."""
    lines = part_lines(part)
    if labelled and lines:
        lines = [f"*{escape_mrkdwn(lines[0])}*", *(escape_mrkdwn(line) for line in lines[1:])]
    else:
        lines = [escape_mrkdwn(line) for line in lines]
    return kit.sections("\n".join(lines))


def disagreement_mrkdwn(part: Disagreement) -> str:
    kind = kind_words(part.flag.kind)
    return f"⚠ *{escape_mrkdwn(kind.capitalize())}:* {escape_mrkdwn(one_line(part.line))}"


def _disagreement(part: Disagreement, topic: str | None) -> Block:
    value = button_value(topic=topic, question="", flag=part.flag.flag_id)
    return SectionBlock(
        text=MarkdownTextObject(text=shorten(disagreement_mrkdwn(part), SECTION_TEXT_MAX)),
        accessory=kit.button("Show both quotes", ACTION_SHOW_QUOTES, value),
    ).to_dict()


def _listing(part: Listing) -> list[Block]:
    lines = [f"*{escape_mrkdwn(one_line(part.label))}*"] if one_line(part.label) else []
    for item in part.items:
        line = f"• {escape_mrkdwn(one_line(item.text))}"
        if one_line(item.source):
            line += f" — _{escape_mrkdwn(one_line(item.source))}_"
        lines.append(line)
    return kit.sections("\n".join(lines))


def part_blocks(part: AnswerPart, topic: str | None) -> list[Block]:
    """The blocks of one typed part, in mrkdwn, escaped (for an answer or a digest; ``topic``
    goes into the value of a disagreement's "Show both quotes" button)."""
    if isinstance(part, Lead):
        return kit.sections(escape_mrkdwn(one_line(part.text)))
    if isinstance(part, Evidence):
        return _listed(part, bool(one_line(part.label)))
    if isinstance(part, (Agreement, SingleSource)):
        return _listed(part, True)
    if isinstance(part, Disagreement):
        return [_disagreement(part, topic)]
    if isinstance(part, Listing):
        return _listing(part)
    assert isinstance(part, Note)
    return [kit.context(chunk) for chunk in split_text(escape_mrkdwn(part.text), 3000)]


def _answer_buttons(answer: Answer) -> list[ButtonElement]:
    value = button_value(topic=answer.topic, question=answer.question)
    # A greeting, a thanks or an "I don't have anything on that" cites nothing: no Sources.
    buttons = [kit.button("Sources", ACTION_SOURCES, value)] if answer.citations else []
    if answer.topic:
        buttons.append(kit.button("More on this topic", ACTION_MORE, value))
        buttons.append(kit.button("Subscribe this channel", ACTION_SUBSCRIBE, value))
    feedback = button_value(
        topic=answer.topic, question=answer.question, intent=answer.intent.value
    )
    buttons.append(kit.button("👍", ACTION_FEEDBACK_UP, feedback))
    buttons.append(kit.button("👎", ACTION_FEEDBACK_DOWN, feedback))
    return buttons


def _next_page_button(answer: Answer, page: int, pages: int) -> ButtonElement:
    value = button_value(topic=answer.topic, question=answer.question, page=page)
    label = "More" if page == 1 else f"More ({page + 1}/{pages})"
    return kit.button(label, ACTION_NEXT_PAGE, value, style="primary")


def _more_hint(page: int, pages: int) -> Block:
    left = pages - page - 1
    word = "page" if left == 1 else "pages"
    return kit.context(f"…{left} more {word}: press *More*.")


def render_pages(answer: Answer) -> list[list[Block]]:
    """All pages of an answer, as ``layout_answer`` cut them; each is one message of at most
    50 blocks. The first carries the header and the answer buttons; every page but the last
    ends with a "more" hint and a More button whose value is ``{"page": <next index>, ...}``."""
    layout = layout_answer(answer)
    total = len(layout.pages)
    pages: list[list[Block]] = []
    for index, lpage in enumerate(layout.pages):
        body = [b for part in lpage.parts for b in part_blocks(part, answer.topic)]
        body = body[: MESSAGE_BLOCKS_MAX - 3]
        more = index + 1 < total
        if index == 0:
            page = [kit.header(layout.headline), *body]
            if answer.suggestions and not more:
                names = ", ".join(f"*{escape_mrkdwn(one_line(s))}*" for s in answer.suggestions)
                page.extend(kit.sections(f"Did you mean: {names}?"))
            buttons = _answer_buttons(answer)
        else:
            title = escape_mrkdwn(shorten(layout.headline, 200))
            page = [kit.context(f"Page {index + 1} of {total} · {title}"), *body]
            buttons = []
        if more:
            page.append(_more_hint(index, total))
            buttons.append(_next_page_button(answer, index + 1, total))
        if buttons:
            page.append(kit.actions(buttons))
        check_blocks(page, MESSAGE_BLOCKS_MAX)
        pages.append(page)
    return pages


def render_blocks(answer: Answer) -> list[Block]:
    """The first message of an answer (≤ 1,500 characters of text; a long one ends with More)."""
    return render_pages(answer)[0]
