"""Answer -> Slack Block Kit: the first message, or every page of a long answer."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement

from bot.models import Answer
from bot.render import kit
from bot.render.actions import (
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_MORE,
    ACTION_NEXT_PAGE,
    ACTION_SOURCES,
    ACTION_SUBSCRIBE,
    button_value,
)
from bot.render.flags import flag_mrkdwn, split_flags
from bot.render.kit import Block
from bot.render.limits import MESSAGE_BLOCKS_MAX, check_blocks
from bot.render.mrkdwn import escape_mrkdwn, one_line, shorten, source_titles

# Every page keeps room for its opening block and for the "more" hint plus the buttons.
_PAGE_BODY_MAX = MESSAGE_BLOCKS_MAX - 3


def _body(answer: Answer) -> list[Block]:
    """Every block between the header and the buttons, in reading order."""
    blocks: list[Block] = []
    if answer.topic_name:
        blocks.append(kit.context(f"Topic: *{escape_mrkdwn(one_line(answer.topic_name))}*"))
    for label, points in answer.groups:
        label_line = f"*{escape_mrkdwn(one_line(label))}*" if one_line(label) else ""
        blocks.extend(kit.point_sections(points, label_line))
    disagreements, others = split_flags(answer.conflicts)
    titles = source_titles(answer)
    if disagreements:
        blocks.append(kit.divider())
        text = "*⚠ Sources disagree*\n" + "\n".join(flag_mrkdwn(f, titles) for f in disagreements)
        blocks.extend(kit.sections(text))
    if others:
        blocks.extend(kit.sections("\n".join(flag_mrkdwn(f, titles) for f in others)))
    if answer.suggestions:
        names = ", ".join(f"*{escape_mrkdwn(one_line(s))}*" for s in answer.suggestions)
        blocks.extend(kit.sections(f"Did you mean: {names}?"))
    notes = [escape_mrkdwn(n) for n in answer.notes if n.strip()]
    if notes:
        blocks.extend(kit.sections("\n".join(notes)))
    return blocks


def _answer_buttons(answer: Answer) -> list[ButtonElement]:
    value = button_value(topic=answer.topic, question=answer.question)
    buttons = [kit.button("Sources", ACTION_SOURCES, value)]
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
    return kit.button(f"Next page ({page + 1}/{pages})", ACTION_NEXT_PAGE, value, style="primary")


def _more_hint(page: int, pages: int) -> Block:
    left = pages - page - 1
    word = "page" if left == 1 else "pages"
    return kit.context(f"…more: {left} more {word}. Press *Next page* to continue.")


def render_pages(answer: Answer) -> list[list[Block]]:
    """All pages of an answer; each is one message of at most 50 blocks and 10,000 characters
    of text. The first page carries
    the header and the answer buttons; every page but the last ends with a "more" hint and a
    Next page button whose value is ``{"page": <index of the next page>, ...}``."""
    body = _body(answer)
    chunks = kit.paginate(body, first_room=_PAGE_BODY_MAX, room=_PAGE_BODY_MAX)
    total = len(chunks)
    pages: list[list[Block]] = []
    for index, chunk in enumerate(chunks):
        more = index + 1 < total
        if index == 0:
            page = [kit.header(answer.headline), *chunk]
            buttons = _answer_buttons(answer)
        else:
            title = escape_mrkdwn(shorten(one_line(answer.headline), 200))
            page = [kit.context(f"Page {index + 1} of {total} · {title}"), *chunk]
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
    """The first message of an answer (≤ 50 blocks; a long answer ends with a "more" hint)."""
    return render_pages(answer)[0]
