"""deploy/slack-manifest.yml is a valid Slack manifest and names exactly what the app handles."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from slack_bolt import BoltRequest, BoltResponse
from slack_harness import REPO, SLACK_SPECS, BotHarness

from bot.render.actions import ALL_ACTIONS
from bot.slack.app import SURFACES, build_app

MANIFEST = REPO / "deploy" / "slack-manifest.yml"
SCHEMAS = SLACK_SPECS / "manifest-schema"
UPSTREAM = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))


def _validator() -> jsonschema.Draft7Validator:
    """The entry schema with its upstream $refs resolved to the local copies."""
    entry = json.loads((SCHEMAS / "manifest.schema.json").read_text(encoding="utf-8"))
    resources = [
        (UPSTREAM + p.name, Resource.from_contents(json.loads(p.read_text("utf-8")), DRAFT7))
        for p in sorted((SCHEMAS / "schemas").glob("manifest.schema.*.json"))
    ]
    return jsonschema.Draft7Validator(entry, registry=Registry().with_resources(resources))


def test_manifest_is_valid_against_slacks_schema(manifest: dict[str, Any]) -> None:
    errors = [e.message for e in _validator().iter_errors(manifest)]
    assert not errors


def test_the_schema_check_catches_a_broken_manifest(manifest: dict[str, Any]) -> None:
    broken = {**manifest, "settings": {**manifest["settings"], "socket_mode_enabled": "yes"}}
    assert list(_validator().iter_errors(broken))


def test_every_manifest_event_and_command_has_a_handler_and_back(manifest: dict[str, Any]) -> None:
    handled_events = {s.name for s in SURFACES if s.kind == "event"}
    handled_commands = {s.name for s in SURFACES if s.kind == "command"}
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == handled_events
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == handled_commands


def test_every_button_has_a_handler_and_interactivity_is_on(manifest: dict[str, Any]) -> None:
    handled_actions = {s.name for s in SURFACES if s.kind == "action"}
    assert handled_actions == set(ALL_ACTIONS)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_enables_what_the_handlers_need(manifest: dict[str, Any]) -> None:
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert manifest["settings"]["socket_mode_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "users:read"} <= scopes


def _request_for(kind: str, name: str) -> BoltRequest:
    """The smallest request Slack would send for one surface."""
    if kind == "event":
        event: dict[str, Any] = {"type": name.split(".")[0], "user": "U1", "ts": "1.1"}
        if name == "message.im":
            event["channel_type"] = "im"
        body = {"type": "event_callback", "event": event, "event_id": "Ev1", "team_id": "T1"}
        return BoltRequest(body=json.dumps(body), mode="socket_mode")
    if kind == "command":
        return BoltRequest(body=urlencode({"command": name, "text": "", "team_id": "T1"}))
    payload = {
        "type": "block_actions",
        "actions": [{"action_id": name, "type": "button"}],
        "team": {"id": "T1"},
        "user": {"id": "U1"},
    }
    return BoltRequest(body=urlencode({"payload": json.dumps(payload)}))


def test_the_bolt_app_listens_to_exactly_the_registry(bot: BotHarness) -> None:
    app = build_app(bot.deps)
    listeners = app._listeners
    assert len(listeners) == len(SURFACES)
    for surface in SURFACES:
        request = _request_for(surface.kind, surface.name)
        matching = [
            listener
            for listener in listeners
            if listener.matches(req=request, resp=BoltResponse(status=200))
        ]
        assert len(matching) == 1, surface.name
