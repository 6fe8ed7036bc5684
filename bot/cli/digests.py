"""CLI commands: subscribe, unsubscribe, subscriptions, run-due, digest (on bot.cli.app)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import typer

from bot.cli.app import app, runtime


def _parse_instant(value: str) -> datetime:
    from bot.errors import InputError

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not an ISO-8601 date or time (e.g. 2025-10-27T09:00+01:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("subscribe")
def subscribe(
    channel: Annotated[str, typer.Argument(help="Slack channel id, e.g. C0123ABCD.")],
    day: Annotated[
        str | None, typer.Option(help="Weekday: mon..sun (new subscription: mon).")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--time", help="Local time, HH:MM, 24 h (new: 09:00).")
    ] = None,
    tz: Annotated[
        str | None, typer.Option(help="IANA time zone, e.g. Europe/Berlin (new: UTC).")
    ] = None,
    topics: Annotated[
        str | None,
        typer.Option(help='Comma-separated topic ids (new: all; "" for all again).'),
    ] = None,
) -> None:
    """Subscribe a channel to a weekly digest; on a subscribed one, change only the given fields."""
    from bot.channels import parse_channel_id
    from bot.listings import schedule_words
    from bot.schedule import parse_schedule, split_topics

    channel = parse_channel_id(channel)
    rt = runtime()
    store = rt.store
    current = store.subscription(channel)
    spec = parse_schedule(
        day=day if day is not None else (current.day if current else None),
        time=at if at is not None else (current.time if current else None),
        tz=tz if tz is not None else (current.tz if current else None),
        topics=split_topics(topics) if topics is not None else (current.topics if current else ()),
        taxonomy=rt.corpus_index().topics,
    )
    sub = store.subscribe(channel, spec.day, spec.time, spec.tz, spec.topics)
    typer.echo(f"{sub.channel}: every {schedule_words(sub)}")
    if current is not None:
        typer.echo(f"  (was every {schedule_words(current)})")


@app.command("unsubscribe")
def unsubscribe(channel: Annotated[str, typer.Argument(help="Slack channel id.")]) -> None:
    """Stop a channel's weekly digest."""
    from bot.channels import parse_channel_id

    channel = parse_channel_id(channel)
    removed = runtime().store.unsubscribe(channel)
    typer.echo(f"{channel}: unsubscribed" if removed else f"{channel}: had no subscription")


@app.command("subscriptions")
def subscriptions(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List subscribed channels with their next digest time."""
    from bot.listings import subscription_rows

    rows = subscription_rows(runtime().store.subscriptions(), datetime.now(UTC))
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No subscriptions. Try: briefbot subscribe C0123ABCD --day mon --time 09:00")
    for r in rows:
        topics = ", ".join(r["topics"]) or "all topics"
        nxt = r["next"] or "never (unknown time zone: subscribe again with --tz)"
        typer.echo(f"{r['channel']}  {r['day']} {r['time']} {r['tz']}  {topics}  next {nxt}")


@app.command("verdicts")
def verdicts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the team's verdicts on disagreements (flag, channel, verdict, who, when)."""
    from bot.listings import verdict_rows

    rows = verdict_rows(runtime().store.verdicts())
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No verdicts yet: they come from the buttons under a digest's disagreements.")
    for r in rows:
        typer.echo(f"{r['at'][:16]}  {r['channel']}  {r['flag_id']}  {r['verdict']}  {r['user']}")


# An --at this far ahead is a clock's drift, not a different slot; beyond it a run would mark
# real subscriptions missed (or send next week's digest now) and the real slot finds 0 due.
FUTURE_SKEW = timedelta(minutes=5)


def _check_at(now: datetime, *, force: bool) -> None:
    from bot.errors import InputError

    ahead = now - datetime.now(UTC)
    if ahead > FUTURE_SKEW and not force:
        raise InputError(
            f"--at {now.isoformat()} is {_duration(ahead)} in the future: a run then would "
            "mark real digests missed or send them early; add --force to do it anyway"
        )


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


@app.command("run-due")
def run_due_command(
    at: Annotated[
        str | None,
        typer.Option("--at", help="Act as if it were this ISO-8601 instant (not in the future)."),
    ] = None,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Without Slack tokens: record the printed digests as sent (Slack never gets "
            "them).",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Allow an --at more than 5 minutes in the future.")
    ] = False,
) -> None:
    """Send the digests that are due now (or at --at), each exactly once.

    Without SLACK_BOT_TOKEN this is a dry run: the digests are printed and nothing is
    recorded, so the real run still sends them (--record to record them as sent).
    """
    from bot.delivery import Send, preview_due, run_due, terminal_send

    now = _parse_instant(at) if at else datetime.now(UTC)
    if at:
        _check_at(now, force=force)
    rt = runtime()
    store = rt.store
    index = rt.corpus_index()
    send: Send
    if rt.has_slack:
        send = rt.digest_sender
    elif record:
        typer.echo(
            "No SLACK_BOT_TOKEN: printing digests here and recording them as sent (--record).",
            err=True,
        )
        send = terminal_send(lambda s: typer.echo(s))
    else:
        typer.echo(
            "No SLACK_BOT_TOKEN: dry run, printing digests here; nothing is posted or "
            "recorded (--record to record them as sent).",
            err=True,
        )
        previews = preview_due(now, store, index)
        for p in previews:
            if p.status == "due":
                typer.echo(f"── digest for {p.channel} ──\n{p.text}\n")
            typer.echo(
                f"{p.channel} {p.period_key}: would be {'sent' if p.status == 'due' else 'missed'}"
            )
        typer.echo(
            f"at {now.isoformat()}: {len(previews)} due (dry run: nothing posted or recorded)",
            err=True,
        )
        return
    report = run_due(now, store, index, send, lease=rt.delivery_policy.lease)
    for o in report.outcomes:
        extra = f" ({o.error})" if o.error else ""
        typer.echo(f"{o.channel} {o.period_key}: {o.status}, {o.attempts} attempt(s){extra}")
    typer.echo(
        f"at {now.isoformat()}: {report.due} due, {report.sent} sent, "
        f"{report.failed} failed, {report.missed} missed",
        err=True,
    )
    if report.failed:
        raise typer.Exit(1)


@app.command("digest")
def digest_command(
    preview: Annotated[bool, typer.Option("--preview", help="Show the digest here.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print Digest JSON and blocks.")] = False,
    since: Annotated[
        str | None, typer.Option(help="What is new after this date (default: latest material).")
    ] = None,
    topics: Annotated[str, typer.Option(help="Comma-separated topic ids.")] = "",
) -> None:
    """Preview a digest in the terminal (nothing is posted or recorded)."""
    from bot.digest import compose_digest
    from bot.render import render_digest_messages, render_digest_text
    from bot.schedule import parse_topics, split_topics

    index = runtime().corpus_index()
    chosen = parse_topics(split_topics(topics), index.topics)
    start = _since(since) if since else None
    digest = compose_digest(index, since=start, until=datetime.now(UTC), topics=chosen)
    if as_json:
        payload = {
            "digest": json.loads(digest.model_dump_json()),
            "messages": render_digest_messages(digest),
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    sys.stdout.write(render_digest_text(digest, escape=False) + "\n")


def _since(value: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
    except ValueError:
        return _parse_instant(value)
