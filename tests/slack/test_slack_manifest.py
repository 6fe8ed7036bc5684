"""The generated manifests are valid Slack manifests, committed as generated, naming exactly what
the app handles."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from slack_bolt import BoltRequest, BoltResponse
from slack_harness import REPO, SLACK_SPECS, BotHarness

from bot.errors import InputError
from bot.render.actions import ALL_ACTIONS
from bot.slack.app import SCOPES, SURFACES, build_app
from bot.slack.manifest import PLACEHOLDER_URL, ManifestMode, build_manifest, manifest_yaml

MANIFEST = REPO / "deploy" / "slack-manifest.yml"
HTTP_MANIFEST = REPO / "deploy" / "slack-manifest-http.yml"
COMMITTED: dict[ManifestMode, Any] = {"socket": MANIFEST, "http": HTTP_MANIFEST}
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


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_each_generated_manifest_is_valid_against_slacks_schema(mode: ManifestMode) -> None:
    generated = yaml.safe_load(manifest_yaml(mode, PLACEHOLDER_URL if mode == "http" else None))
    errors = [e.message for e in _validator().iter_errors(generated)]
    assert not errors


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_committed_manifest_is_exactly_the_generated_one(mode: ManifestMode) -> None:
    url = PLACEHOLDER_URL if mode == "http" else None
    assert COMMITTED[mode].read_text(encoding="utf-8") == manifest_yaml(mode, url), (
        f"regenerate it: briefbot manifest --{mode}"
        + (f" --url {PLACEHOLDER_URL}" if url else "")
        + f" > {COMMITTED[mode].relative_to(REPO)}"
    )


def test_http_manifest_points_every_request_url_at_slack_events() -> None:
    generated = build_manifest("http", "https://briefbot.acme.test/")
    want = "https://briefbot.acme.test/slack/events"
    assert generated["settings"]["event_subscriptions"]["request_url"] == want
    assert generated["settings"]["interactivity"]["request_url"] == want
    assert [c["url"] for c in generated["features"]["slash_commands"]] == [want]
    assert generated["settings"]["socket_mode_enabled"] is False


def test_socket_manifest_has_no_request_urls() -> None:
    text = manifest_yaml("socket")
    assert "request_url" not in text and "url:" not in text


@pytest.mark.parametrize("url", [None, "http://bot.example.com", "bot.example.com", "https://"])
def test_http_manifest_refuses_a_missing_or_non_https_url(url: str | None) -> None:
    with pytest.raises(InputError, match="https"):
        build_manifest("http", url)


def test_manifest_command_prints_the_manifest_and_refuses_http_without_url() -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    runner = CliRunner()
    printed = runner.invoke(app, ["manifest", "--http", "--url", PLACEHOLDER_URL])
    assert printed.exit_code == 0
    assert printed.stdout == HTTP_MANIFEST.read_text(encoding="utf-8")
    refused = runner.invoke(app, ["manifest", "--http"])
    assert refused.exit_code == 2
    assert "--url" in refused.output


def test_manifest_asks_for_exactly_the_scopes_in_the_registry() -> None:
    for mode in ("socket", "http"):
        generated = build_manifest(mode, PLACEHOLDER_URL)
        assert generated["oauth_config"]["scopes"]["bot"] == [s.name for s in SCOPES]


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
    if kind == "view":
        submission = {
            "type": "view_submission",
            "view": {"type": "modal", "callback_id": name, "state": {"values": {}}},
            "team": {"id": "T1"},
            "user": {"id": "U1"},
        }
        return BoltRequest(body=urlencode({"payload": json.dumps(submission)}))
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


def test_readme_connect_steps_name_the_committed_manifests_and_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    steps = readme.split("## Connect Slack", 1)[1].split("\n## ", 1)[0]
    for path in (MANIFEST, HTTP_MANIFEST):
        assert str(path.relative_to(REPO)) in steps
    for command in ("briefbot manifest --socket", "briefbot manifest --http --url", "doctor"):
        assert command in steps
    numbered = re.findall(r"^(\d+)\. ", steps, flags=re.M)
    assert numbered == [str(n) for n in range(1, len(numbered) + 1)] and len(numbered) >= 6
    assert "chat:write.public" in steps and "chat:write.public" not in MANIFEST.read_text("utf-8")
