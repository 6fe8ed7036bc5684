"""CLI `briefbot ask`: answer one question, or one per stdin line (JSON Lines with --json)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.cli.app import ContentOption, answering_index, app


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help="The question; '-' reads one question per line from stdin.")
    ],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON (one object per line for '-').")
    ] = False,
    thread: Annotated[
        bool,
        typer.Option(
            "--thread",
            help="With '-': the lines are one conversation; a follow-up keeps the last topic.",
        ),
    ] = False,
    content: ContentOption = None,
) -> None:
    """Answer a question about AI trends from the reports, with sources.

    While a content file is refused, answers come from the last good corpus and a warning
    naming the file, line and reason goes to stderr.
    """
    index = answering_index(content)

    import json
    from datetime import UTC, datetime

    from rich.console import Console

    from bot.conversation import AnswerReply, Context, local_ports, reply
    from bot.render import answer_to_json, print_answer
    from bot.render.conversation_text import reply_terminal

    # Piped output keeps each point on one line (no hard wrap at 80 columns) for grep and tools.
    console = Console(soft_wrap=not sys.stdout.isatty())
    questions = (line.rstrip("\r\n") for line in sys.stdin) if question == "-" else iter([question])
    # Each line is answered on its own; with --thread the lines are one conversation and a
    # follow-up ("who says that?") stays on the topic before it, as in a Slack thread.
    # The same conversation as Slack and the console; `ask` has no channel, so a digest
    # request says where digests go.
    ports = local_ports(index)
    context: str | None = None
    first = True
    for text in questions:
        said = Context(
            surface="ask", channel=None, user="ask", now=datetime.now(UTC), thread_topic=context
        )
        got = reply(text, said, ports)
        if isinstance(got, AnswerReply) and thread:
            context = got.answer.topic or context
        if json_out:
            shape = (
                answer_to_json(got.answer)
                if isinstance(got, AnswerReply)
                else {"kind": got.kind, "text": reply_terminal(got)}
            )
            sys.stdout.write(json.dumps(shape, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            if not first:
                console.print()
            if isinstance(got, AnswerReply):
                print_answer(got.answer, console)
            else:
                console.print(reply_terminal(got), markup=False)
        first = False
