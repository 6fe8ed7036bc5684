"""The Slack app manifest (Socket Mode or HTTP mode) generated from the app's own registry."""

from __future__ import annotations

from typing import Any, Literal

import yaml

from bot.errors import InputError
from bot.slack.app import SCOPES, SURFACES

ManifestMode = Literal["socket", "http"]

EVENTS_PATH = "/slack/events"  # where bot/slack/http.py takes events, commands and actions
PLACEHOLDER_URL = "https://bot.example.com"

_COMMAND_TEXT: dict[str, tuple[str, str]] = {
    # The hint is one line under the command in Slack's autocomplete: the short forms people
    # type most, questions first, then the digest in the plain words the bot understands.
    "/trends": (
        "Ask about AI trends, or manage this channel's weekly digest in plain words",
        "what's new in multimodal | conflicts quantum | topics | send us the digest every "
        "friday at 4pm | follow regulation | when is our next digest? | stop the digest",
    ),
}

_HEADER = """\
# Slack app manifest for briefbot ({mode}).
# Printed by `briefbot manifest {flags}`.
# Do not edit by hand: change SURFACES / SCOPES in bot/slack/app.py and regenerate it
# (tests/slack/test_slack_manifest.py fails while this file differs from the output).
# Create the app at https://api.slack.com/apps -> "Create New App" -> "From an app manifest",
# paste this file, install it to the workspace, then set SLACK_BOT_TOKEN (OAuth & Permissions),
# {token_line}
# Bot scopes, and why:
{scopes}
"""


def events_url(base_url: str) -> str:
    """`https://host` (or `https://host/slack/events`) -> the URL Slack should post to."""
    url = base_url.strip().rstrip("/")
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise InputError(
            f"--url {base_url!r} is not an https URL: Slack only posts to https, "
            "e.g. --url https://bot.example.com"
        )
    return url if url.endswith(EVENTS_PATH) else url + EVENTS_PATH


def build_manifest(mode: ManifestMode, url: str | None = None) -> dict[str, Any]:
    """The manifest as a dict: every event and command in SURFACES, every scope in SCOPES."""
    if mode == "http" and url is None:
        raise InputError("HTTP mode needs the public URL: --http --url https://bot.example.com")
    request_url = events_url(url) if mode == "http" and url is not None else None
    commands: list[dict[str, Any]] = []
    for surface in SURFACES:
        if surface.kind != "command":
            continue
        description, hint = _COMMAND_TEXT.get(surface.name, (f"briefbot {surface.name}", ""))
        command: dict[str, Any] = {"command": surface.name}
        if request_url is not None:
            command["url"] = request_url
        command |= {"description": description, "usage_hint": hint, "should_escape": False}
        commands.append(command)
    events: dict[str, Any] = {}
    if request_url is not None:
        events["request_url"] = request_url
    events["bot_events"] = [s.name for s in SURFACES if s.kind == "event"]
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url is not None:
        interactivity["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "briefbot",
            "description": (
                "Briefs your team on AI trends from a set of reports, with sources and conflicts."
            ),
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "briefbot", "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": [s.name for s in SCOPES]}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": mode == "socket",
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(mode: ManifestMode, url: str | None = None) -> str:
    """The manifest as the YAML file Slack's "From an app manifest" dialog accepts."""
    manifest = build_manifest(mode, url)
    if mode == "socket":
        flags = "--socket"
        token_line = (
            "SLACK_APP_TOKEN (Basic Information -> App-Level Tokens, scope connections:write)."
        )
    else:
        flags = f"--http --url {url}"
        token_line = "SLACK_SIGNING_SECRET (Basic Information); run `briefbot serve --http`."
    header = _HEADER.format(
        mode="Socket Mode" if mode == "socket" else "HTTP mode",
        flags=flags,
        token_line=token_line,
        scopes="\n".join(f"#   {s.name}: {s.why}" for s in SCOPES),
    )
    body = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
    return header + body
