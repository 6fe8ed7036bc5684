"""The rows `topics`, `sources` and `conflicts` list come from the library, not the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import InputError
from bot.ingest import build_corpus
from bot.listings import flag_counts, select_flags, source_rows, topic_rows
from bot.models import CONFLICT_KINDS, Corpus, Flag, FlagSide
from tests.small_content import QUANTUM_AND_REGULATION

TOPICS = QUANTUM_AND_REGULATION
REPORT = """\
# Field Notes (2025)

## Quantum Progress
Error-corrected qubits doubled in 2025.

## Regulation Watch
Compliance audits under the new rules began in 2025.
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    content = tmp_path_factory.mktemp("listings")
    (content / "sources").mkdir()
    (content / "sources" / "notes.md").write_text(REPORT, encoding="utf-8")
    (content / "topics.toml").write_text(TOPICS, encoding="utf-8")
    built = build_corpus(Path(content)).corpus
    side = FlagSide(source_id="notes", heading="Quantum Progress", claim="Qubits doubled.")
    flags = (
        Flag(flag_id="f1", topic="quantum", kind="single_source", summary="s", sides=(side,)),
        Flag(flag_id="f2", topic="quantum", kind=CONFLICT_KINDS[0], summary="c", sides=(side,)),
        Flag(flag_id="f3", topic="regulation", kind="consensus", summary="a", sides=(side,)),
    )
    return built.model_copy(update={"flags": flags})


def test_topic_and_source_rows_count_what_the_corpus_holds(corpus: Corpus) -> None:
    topics = {r["id"]: r for r in topic_rows(corpus)}
    assert set(topics) == {"quantum", "regulation"}
    assert topics["quantum"]["report_ids"] == ["notes"] and topics["quantum"]["single_source"]
    (source,) = source_rows(corpus)
    assert source["source_id"] == "notes" and source["sections"] == 2
    assert source["published_as_written"] == "2025"


def test_flags_are_selected_by_topic_id_or_name_and_by_kind(corpus: Corpus) -> None:
    assert [f.flag_id for f in select_flags(corpus, topic="Quantum computing")] == ["f1", "f2"]
    assert [f.flag_id for f in select_flags(corpus, kind="conflict")] == ["f2"]
    assert [f.flag_id for f in select_flags(corpus, topic="quantum", kind="single_source")] == [
        "f1"
    ]
    assert flag_counts(select_flags(corpus)) == {
        CONFLICT_KINDS[0]: 1,
        "consensus": 1,
        "single_source": 1,
    }


@pytest.mark.parametrize(
    ("asked", "said"),
    [({"topic": "qantum"}, "topics are: quantum, regulation"), ({"kind": "war"}, "use one of")],
)
def test_an_unknown_topic_or_kind_is_an_input_error_naming_the_known_ones(
    corpus: Corpus, asked: dict[str, str], said: str
) -> None:
    with pytest.raises(InputError, match=said):
        select_flags(corpus, **asked)


def test_a_subscription_row_has_its_next_digest_or_none_for_a_zone_that_does_not_load() -> None:
    from datetime import UTC, datetime

    from bot.listings import schedule_words, subscription_rows, verdict_rows
    from bot.store.values import Subscription, Verdict

    now = datetime(2025, 10, 22, 12, 0, tzinfo=UTC)  # a Wednesday
    made = {"created_at": now, "updated_at": now}
    good = Subscription(id=1, channel="C1", day="fri", time="16:00", tz="Europe/London", **made)
    bad = Subscription(id=2, channel="C2", day="mon", time="09:00", tz="Mars/Olympus", **made)
    rows = subscription_rows([good, bad], now)
    assert rows[0]["next"] == "2025-10-24T15:00:00+00:00"  # 16:00 BST
    assert rows[1]["next"] is None
    assert schedule_words(good) == "fri at 16:00 (Europe/London), all topics"
    verdict = Verdict(id=1, flag_id="f1", channel="C1", verdict="real", user="U1", created_at=now)
    assert verdict_rows([verdict]) == [
        {"flag_id": "f1", "channel": "C1", "verdict": "real", "user": "U1", "at": now.isoformat()}
    ]
