"""Every dependency in pyproject.toml is bounded above, and both lock files agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
FIX = (
    "run `make lock` (regenerates requirements.lock and requirements-dev.lock from pyproject.toml)"
)
UPPER = {"<", "<=", "==", "~=", "==="}


def _pyproject() -> dict[str, Any]:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def _runtime() -> list[Requirement]:
    return [Requirement(r) for r in _pyproject()["project"]["dependencies"]]


def _extras() -> list[Requirement]:
    extras: dict[str, list[str]] = _pyproject()["project"].get("optional-dependencies", {})
    return [Requirement(r) for reqs in extras.values() for r in reqs]


def _applies(req: Requirement) -> bool:
    env = {**default_environment(), "extra": ""}
    return req.marker is None or req.marker.evaluate(env)


def _lock(path: Path) -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, the `# via` lines) of a pip-compile lock file."""
    pins: dict[str, tuple[Version, list[str]]] = {}
    current = ""
    in_via = False
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if pin:
            current = canonicalize_name(pin[1])
            pins[current] = (Version(pin[2]), [])
            in_via = False
            continue
        comment = re.match(r"^\s+#\s+(.*)$", line)
        if not (current and comment):
            continue
        text = comment[1].strip()
        if text == "via":
            in_via = True
        elif text.startswith("via "):
            in_via = True
            pins[current][1].append(text[4:].strip())
        elif in_via:
            pins[current][1].append(text)
    return pins


def _disagreements(reqs: list[Requirement], lock: Path) -> list[str]:
    pins = _lock(lock)
    wanted = {canonicalize_name(r.name) for r in reqs}
    problems = []
    for req in filter(_applies, reqs):
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req.name} is in pyproject.toml but not in {lock.name}")
        elif not req.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{lock.name} pins {name}=={pins[name][0]}, outside {req}")
    for name, (_, via) in pins.items():
        if via == ["briefbot (pyproject.toml)"] and name not in wanted:
            problems.append(f"{lock.name} still pins {name}, no longer in pyproject.toml")
    return problems


def test_every_dependency_and_tool_has_an_upper_bound() -> None:
    build = [Requirement(r) for r in _pyproject()["build-system"]["requires"]]
    unbounded = [
        str(r)
        for r in [*_runtime(), *_extras(), *build]
        if not {s.operator for s in r.specifier} & UPPER
    ]
    assert not unbounded, f"add an upper bound (e.g. `<N+1`) in pyproject.toml to: {unbounded}"


def test_runtime_lock_matches_the_runtime_dependencies() -> None:
    problems = _disagreements(_runtime(), RUNTIME_LOCK)
    assert not problems, "; ".join(problems) + f". Fix: {FIX}"


def test_dev_lock_matches_the_dependencies_and_every_extra() -> None:
    problems = _disagreements([*_runtime(), *_extras()], DEV_LOCK)
    assert not problems, "; ".join(problems) + f". Fix: {FIX}"


def test_tests_run_on_the_versions_that_are_deployed() -> None:
    runtime, dev = _lock(RUNTIME_LOCK), _lock(DEV_LOCK)
    differ = [
        f"{name}: {runtime[name][0]} deployed, {dev[name][0] if name in dev else 'absent'} tested"
        for name in runtime
        if name not in dev or dev[name][0] != runtime[name][0]
    ]
    assert not differ, "; ".join(differ) + f". Fix: {FIX}"


def test_every_pin_in_both_locks_carries_hashes() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        text = lock.read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        unhashed = [b.split()[0] for b in blocks if "==" in b.split()[0] and "--hash" not in b]
        assert not unhashed, f"{lock.name}: no --hash for {unhashed}. Fix: {FIX}"
        assert "--index-url" not in text and "--find-links" not in text  # machine-specific
