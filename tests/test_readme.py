"""The README is checked like code: its commands exist and its quick start is the Makefile's."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from bot.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_briefbot_command_in_the_readme_exists() -> None:
    registered = set(get_command(app).commands)  # type: ignore[attr-defined]
    named = set(re.findall(r"`briefbot ([a-z][a-z-]*)", README))
    named |= set(re.findall(r"\.venv/bin/briefbot ([a-z][a-z-]*)", README))
    assert named, "the README names no briefbot command"
    assert named <= registered, f"README names unknown commands: {sorted(named - registered)}"


def test_quick_start_is_exactly_make_run_and_make_test() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_settings_in_the_readme_are_real_settings() -> None:
    from bot.runtime.settings import Settings

    aliases = {f.alias for f in Settings.model_fields.values() if f.alias}
    named = set(re.findall(r"`((?:SLACK|BRIEFBOT)_[A-Z_]+|DATABASE_URL|PORT)`", README))
    test_only = {"BRIEFBOT_TEST_DATABASE_URL", "BRIEFBOT_REQUIRE_POSTGRES"}
    assert named - test_only <= aliases, sorted(named - test_only - aliases)
