"""Front matter YAML, loaded safely: no tags, anchors or aliases, shallow, and a bounded size."""

from __future__ import annotations

from typing import Any

import yaml

from bot.errors import ContentError
from bot.ingest.limits import (
    MAX_FRONT_MATTER_CHARS,
    MAX_FRONT_MATTER_DEPTH,
    MAX_FRONT_MATTER_LINES,
    MAX_FRONT_MATTER_NODES,
)

_FIX = "write plain 'key: value' lines (title, published, publisher, url)"


def load_front_matter_yaml(path: str, body: str, first_line: int) -> Any:
    """The YAML value of a front matter block whose first line is file line `first_line`.

    The event stream is checked before anything is built: PyYAML's parser is iterative, its
    composer is recursive, so deep nesting is refused here instead of ending in RecursionError;
    an alias bomb never expands and a `!!python/...` tag never reaches a constructor (and
    safe_load would refuse it anyway). YAML syntax errors propagate as yaml.YAMLError.
    """
    if body.count("\n") + 1 > MAX_FRONT_MATTER_LINES:
        raise ContentError(
            path,
            first_line,
            f"front matter is longer than {MAX_FRONT_MATTER_LINES} lines",
            "keep only title, published, publisher and url in it; the text goes below '---'",
        )
    if len(body) > MAX_FRONT_MATTER_CHARS:
        raise ContentError(
            path,
            first_line,
            f"front matter is longer than {MAX_FRONT_MATTER_CHARS} characters",
            "keep only title, published, publisher and url in it; the text goes below '---'",
        )
    flow_depth = _flow_depth(body)
    if flow_depth > MAX_FRONT_MATTER_DEPTH:
        raise ContentError(path, first_line, "front matter is nested too deeply", _FIX)
    depth = nodes = 0
    for event in yaml.parse(body, Loader=yaml.SafeLoader):
        mark = event.start_mark
        line = first_line + (mark.line if mark is not None else 0)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentError(
                path, line, "front matter uses YAML anchors or aliases (& or *)", _FIX
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not _implicit(event):
            raise ContentError(
                path, line, f"front matter uses a YAML tag ({tag})", "remove the tag; " + _FIX
            )
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise ContentError(path, line, "front matter is nested too deeply", _FIX)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_FRONT_MATTER_NODES:
                raise ContentError(path, line, "front matter has too many values", _FIX)
    return yaml.safe_load(body)


def _flow_depth(body: str) -> int:
    """Deepest [ / { nesting, counted on the raw text (quotes ignored: a cheap upper bound).

    PyYAML's scanner is quadratic in flow nesting (100,000 '[' take minutes), so this runs
    before it sees the text.
    """
    depth = deepest = 0
    for c in body:
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(0, depth - 1)
    return deepest


def _implicit(event: yaml.Event) -> bool:
    # A scalar's tag is set with implicit flags when it was resolved, not written ("!!str x").
    implicit = getattr(event, "implicit", None)
    if isinstance(implicit, tuple):
        return any(implicit)
    return bool(implicit)
