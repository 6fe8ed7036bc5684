"""Fixtures of the Slack tests; the harness itself is in slack_harness.py (importable by name)."""

from slack_harness import (  # noqa: F401  (pytest finds fixtures by name in conftest)
    _calls_match_the_spec,
    bot,
    corpus,
    corpus_dir,
    slack,
)
