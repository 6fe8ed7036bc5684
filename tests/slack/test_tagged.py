"""Finding a metadata-tagged message again (bot/slack/tagged.py), for events and digests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.slack.tagged import find_tagged, is_tagged, message_tag

TAG = "briefbot_test"


def _message(ts: str, **payload: Any) -> dict[str, Any]:
    return {"ts": ts, "metadata": message_tag(TAG, payload)}


@dataclass
class PagedHistory:
    """conversations.history/replies over fixed pages (newest first), recording each call."""

    pages: list[list[dict[str, Any]]]
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def _page(self, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((method, kwargs))
        n = int(kwargs.get("cursor") or 0)
        more = n + 1 < len(self.pages)
        return {
            "messages": self.pages[n],
            "has_more": more,
            "response_metadata": {"next_cursor": str(n + 1) if more else ""},
        }

    def conversations_history(self, *, channel: str, **kwargs: Any) -> dict[str, Any]:
        return self._page("history", kwargs)

    def conversations_replies(self, *, channel: str, ts: str, **kwargs: Any) -> dict[str, Any]:
        return self._page("replies", {"ts": ts, **kwargs})


def test_numbers_and_strings_of_a_payload_match_alike() -> None:
    message = _message("1.0", delivery_id="7", part=2, parts=3)
    assert is_tagged(message, TAG, {"delivery_id": 7, "part": "2"})
    assert not is_tagged(message, TAG, {"delivery_id": 7, "part": 3})
    assert not is_tagged(message, "another_tag", {"delivery_id": 7})
    assert not is_tagged(message, TAG, {"missing": None})


def test_a_tagged_message_is_found_on_a_later_page() -> None:
    history = PagedHistory(
        [[_message("300.0", event_id="Ev2")], [_message("200.0", event_id="Ev1")]]
    )
    assert find_tagged(history, "C1", TAG, {"event_id": "Ev1"}) == "200.0"
    assert [c[1].get("cursor") for c in history.calls] == [None, "1"]
    assert all(c[1]["include_all_metadata"] is True for c in history.calls)


def test_paging_stops_once_a_page_reaches_back_before_the_earliest_time() -> None:
    history = PagedHistory(
        [[_message("300.0", event_id="Ev2"), _message("90.0")], [_message("80.0", event_id="E")]]
    )
    assert find_tagged(history, "C1", TAG, {"event_id": "E"}, stop_before=100.0) is None
    assert len(history.calls) == 1


def test_a_reply_is_looked_for_in_its_thread_and_oldest_is_passed_on() -> None:
    replies = PagedHistory([[_message("5.0", part=2)]])
    assert find_tagged(replies, "C1", TAG, {"part": 2}, thread_ts="4.0") == "5.0"
    assert replies.calls == [("replies", {"ts": "4.0", "include_all_metadata": True, "limit": 200})]
    history = PagedHistory([[]])
    assert find_tagged(history, "C1", TAG, {"part": 1}, oldest="4.0", pages=1) is None
    assert history.calls[0][1]["oldest"] == "4.0"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@given(message=_json)
def test_any_message_shape_is_an_answer_never_an_exception(message: object) -> None:
    assert is_tagged(message, TAG, {"event_id": "Ev1"}) in (True, False)
