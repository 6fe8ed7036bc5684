"""Golden files: the rendered text of a channel's first digest and of the week after."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "digests"))

from sample import small_corpus  # noqa: E402
from test_week_at_a_glance import week_after_a_new_report  # noqa: E402

from bot.corpus import CorpusIndex  # noqa: E402
from bot.digest import compose_digest  # noqa: E402
from bot.models import Digest  # noqa: E402
from bot.render.digest import messages_text, render_digest_messages  # noqa: E402
from bot.render.limits import block_text_length  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
WEEK1 = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)
WEEK2 = WEEK1 + timedelta(days=7)


def _digests() -> dict[str, Digest]:
    first = compose_digest(CorpusIndex(small_corpus()), since=None, until=WEEK1)
    second = compose_digest(
        CorpusIndex(week_after_a_new_report()), since=WEEK1, until=WEEK2, previous=first.snapshot
    )
    return {"digest_first": first, "digest_week_after_new_report": second}


@pytest.mark.parametrize("name", ["digest_first", "digest_week_after_new_report"])
def test_digest_text_matches_its_golden_file(name: str) -> None:
    messages = render_digest_messages(_digests()[name])
    text = messages_text(messages)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("BRIEFBOT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"BRIEFBOT_UPDATE_GOLDEN=1 rewrites {path.name}"
    )
    top = messages[0]
    assert len(top) <= 25 and sum(block_text_length(b) for b in top) <= 3000
